import { useEffect, useState } from 'react';
import { useLocation } from 'react-router-dom';
import { api, messageOf } from '../../api/client.js';
import { ErrorText, Loading } from '../../components/status.js';
import { ConnectCard } from './connect-card.js';
import { scopeText } from './scope-text.js';

interface ConsentInfo {
  app: { id: string; name: string; description: string | null };
  scopes: string[];
  redirect_uri: string;
}

const FIELDS = [
  'client_id',
  'redirect_uri',
  'response_type',
  'scope',
  'state',
  'code_challenge',
  'code_challenge_method',
];

/** The authorization request's parameters, as the app put them in the page's address. */
function queryOf(search: string): Record<string, string> {
  const params = new URLSearchParams(search);
  return Object.fromEntries(FIELDS.flatMap((f) => (params.has(f) ? [[f, params.get(f)!]] : [])));
}

/** `/oauth/authorize`: which app asks for what; Allow or Deny sends the browser back to the app. */
export function ConsentPage() {
  const { search } = useLocation();
  const [info, setInfo] = useState<ConsentInfo | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const query = queryOf(search);

  useEffect(() => {
    api
      .get<ConsentInfo>('oauth/authorize', queryOf(search))
      .then(setInfo, (e: unknown) => setError(messageOf(e)));
  }, [search]);

  const answer = async (decision: 'allow' | 'deny') => {
    setBusy(true);
    try {
      const body = { ...query, redirect_uri: info?.redirect_uri, decision };
      const { redirect_to } = await api.post<{ redirect_to: string }>('oauth/authorize', body);
      window.location.assign(redirect_to);
    } catch (e) {
      setError(messageOf(e));
      setBusy(false);
    }
  };

  return (
    <ConnectCard title={info ? `Allow ${info.app.name} to use your Tocsin account?` : 'Authorize an app'}>
      {!info && !error && <Loading />}
      <ErrorText>{error}</ErrorText>
      {info && (
        <div className="stack">
          {info.app.description && <p>{info.app.description}</p>}
          <p>{info.app.name} asks to:</p>
          <ul className="scope-list">
            {info.scopes.map((s) => (
              <li key={s}>
                <strong>{scopeText(s)}</strong> <code>{s}</code>
              </li>
            ))}
          </ul>
          <p className="muted">
            It acts as you, with your role. You will be sent back to{' '}
            <code>{new URL(info.redirect_uri).host}</code>.
          </p>
          <div className="button-row">
            <button type="button" className="primary" disabled={busy} onClick={() => void answer('allow')}>
              Allow
            </button>
            <button type="button" disabled={busy} onClick={() => void answer('deny')}>
              Deny
            </button>
          </div>
        </div>
      )}
    </ConnectCard>
  );
}
