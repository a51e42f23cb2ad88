import { useState, type FormEvent } from 'react';
import { api, messageOf } from '../../api/client.js';
import { listAll } from '../../api/lists.js';
import type { Reference } from '../../api/types.js';
import { CopyButton } from '../../components/copy-button.js';
import { ErrorText, Loading, Time } from '../../components/status.js';
import { useResource } from '../../components/use-resource.js';

interface ApiToken {
  id: string;
  description: string;
  kind: 'user' | 'account';
  access: 'full' | 'read_only';
  owner: Reference | null;
  created_at: string;
  last_used_at: string | null;
  revoked: boolean;
}

/**
 * API tokens of one kind: `user` tokens act as their owner (My profile), `account` tokens are the
 * admin's (Admin). The secret is shown once, right after creation.
 */
export function ApiTokens({ kind }: { kind: 'user' | 'account' }) {
  const data = useResource(
    (signal) => listAll<'api_tokens', ApiToken>('api_tokens', 'api_tokens', {}, 1000, signal),
    `tokens:${kind}`,
  );
  const [description, setDescription] = useState('');
  const [access, setAccess] = useState<'full' | 'read_only'>('full');
  const [secret, setSecret] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const create = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    try {
      const made = await api.post<{ api_token: { token: string } }>('api_tokens', {
        api_token: { description, kind, access },
      });
      setSecret(made.api_token.token);
      setDescription('');
      data.reload();
    } catch (e) {
      setError(messageOf(e));
    }
  };
  const revoke = async (id: string) => {
    try {
      await api.delete(`api_tokens/${id}`);
      data.reload();
    } catch (e) {
      setError(messageOf(e));
    }
  };
  const tokens = (data.data ?? []).filter((t) => t.kind === kind && !t.revoked);
  const title = kind === 'user' ? 'My API tokens' : 'Account API tokens';
  return (
    <article aria-labelledby={`tokens-${kind}`} className="stack">
      <h2 id={`tokens-${kind}`}>{title}</h2>
      {!data.data ? (
        <Loading />
      ) : tokens.length === 0 ? (
        <p className="muted">No tokens.</p>
      ) : (
        <div className="table-scroll">
          <table className="table">
            <thead>
              <tr>
                <th scope="col">Description</th>
                <th scope="col">Access</th>
                {kind === 'user' ? null : <th scope="col">Made by</th>}
                <th scope="col">Last used</th>
                <th scope="col">Revoke</th>
              </tr>
            </thead>
            <tbody>
              {tokens.map((t) => (
                <tr key={t.id}>
                  <td>{t.description}</td>
                  <td>{t.access === 'full' ? 'Full' : 'Read-only'}</td>
                  {kind === 'user' ? null : <td>{t.owner?.summary ?? '—'}</td>}
                  <td>
                    <Time at={t.last_used_at} />
                  </td>
                  <td>
                    <button type="button" className="link-button" onClick={() => void revoke(t.id)}>
                      Revoke {t.description}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {secret && (
        <div className="card stack" role="status">
          <strong>Copy the new token now: it is not shown again.</strong>
          <p className="code-line">{secret}</p>
          <div>
            <CopyButton value={secret} label="Copy token" />
          </div>
        </div>
      )}
      <form className="card row wrap" onSubmit={(e) => void create(e)} aria-label={`New ${kind} token`}>
        <label>
          Token description
          <input required value={description} onChange={(e) => setDescription(e.target.value)} />
        </label>
        <label>
          Access
          <select value={access} onChange={(e) => setAccess(e.target.value as 'full' | 'read_only')}>
            <option value="full">Full</option>
            <option value="read_only">Read-only</option>
          </select>
        </label>
        <button type="submit" className="primary">
          Create token
        </button>
      </form>
      <ErrorText>{error ?? data.error}</ErrorText>
    </article>
  );
}
