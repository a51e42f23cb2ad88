import { useEffect, useState, type FormEvent } from 'react';
import { useLocation } from 'react-router-dom';
import { api, messageOf } from '../../api/client.js';
import { ErrorText, Loading } from '../../components/status.js';
import { ConnectCard } from './connect-card.js';
import { InstallResults, type InstallResult } from './install-results.js';

interface Choice {
  id: string;
  name: string;
  selectable: boolean;
  reason: string | null;
  existing_integration_id: string | null;
}

interface Choices {
  app: { id: string; name: string; description: string | null };
  services: Choice[];
}

/**
 * `/install/integration`: the services the app may send events to. Services that cannot take an
 * integration are greyed with the reason; Connect creates (or reuses) one integration per checked service.
 */
export function InstallPage() {
  const params = new URLSearchParams(useLocation().search);
  const appId = params.get('app_id') ?? '';
  const redirectUrl = params.get('redirect_url') ?? '';
  const [choices, setChoices] = useState<Choices | null>(null);
  const [picked, setPicked] = useState<Set<string>>(new Set());
  const [done, setDone] = useState<{ results: InstallResult[]; redirect_to: string } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    api
      .get<Choices>('install/integration', { app_id: appId, redirect_url: redirectUrl })
      .then(setChoices, (e: unknown) => setError(messageOf(e)));
  }, [appId, redirectUrl]);

  const toggle = (id: string) =>
    setPicked((current) => {
      const next = new Set(current);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });

  const connect = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const body = { app_id: appId, redirect_url: redirectUrl, service_ids: [...picked] };
      setDone(await api.post<{ results: InstallResult[]; redirect_to: string }>('install/integration', body));
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  };

  const appName = choices?.app.name ?? 'an app';
  if (done) return <InstallResults appName={appName} results={done.results} redirectTo={done.redirect_to} />;
  return (
    <ConnectCard title={`Connect ${appName} to Tocsin`}>
      {!choices && !error && <Loading />}
      <ErrorText>{error}</ErrorText>
      {choices && (
        <form className="stack" onSubmit={(e) => void connect(e)}>
          <p>
            Pick the services {appName} sends its alerts to. Each gets an Events API v2 integration for{' '}
            {appName}; a service it already uses keeps its key.
          </p>
          <fieldset className="service-picks">
            <legend>Services</legend>
            {choices.services.length === 0 && <p className="muted">There are no services yet.</p>}
            {choices.services.map((s) => (
              <label key={s.id} className={s.selectable ? 'service-pick' : 'service-pick disabled'}>
                <input
                  type="checkbox"
                  name="service"
                  value={s.id}
                  disabled={!s.selectable}
                  checked={picked.has(s.id)}
                  onChange={() => toggle(s.id)}
                />
                <span className="service-name">{s.name}</span>
                {s.existing_integration_id && s.selectable && (
                  <span className="badge">already connected</span>
                )}
                {s.reason && <span className="muted reason">{s.reason}</span>}
              </label>
            ))}
          </fieldset>
          <button type="submit" className="primary" disabled={busy || picked.size === 0}>
            {busy ? 'Connecting…' : picked.size > 1 ? `Connect ${picked.size} services` : 'Connect'}
          </button>
        </form>
      )}
    </ConnectCard>
  );
}
