import { useState, type FormEvent } from 'react';
import { api, messageOf } from '../../api/client.js';
import { listAll } from '../../api/lists.js';
import { CopyButton } from '../../components/copy-button.js';
import { ErrorText, Loading } from '../../components/status.js';
import { useResource } from '../../components/use-resource.js';

interface OAuthApp {
  id: string;
  name: string;
  description: string | null;
  client_id: string;
  client_type: 'confidential' | 'public';
  redirect_uris: string[];
  scopes: string[];
  client_secret?: string | null;
}

/** Registered OAuth apps: list, register (the client secret shown once), delete. See docs/apps.md. */
export function AppsTab() {
  const data = useResource(
    (signal) => listAll<'oauth_apps', OAuthApp>('oauth_apps', 'oauth_apps', {}, 500, signal),
    'apps',
  );
  const [name, setName] = useState('');
  const [redirect, setRedirect] = useState('');
  const [clientType, setClientType] = useState('confidential');
  const [scopes, setScopes] = useState('read');
  const [made, setMade] = useState<OAuthApp | null>(null);
  const [error, setError] = useState<string | null>(null);
  const create = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    try {
      const body = await api.post<{ oauth_app: OAuthApp }>('oauth_apps', {
        oauth_app: {
          name,
          client_type: clientType,
          redirect_uris: [redirect],
          scopes: scopes.split(/[\s,]+/).filter(Boolean),
        },
      });
      setMade(body.oauth_app);
      setName('');
      data.reload();
    } catch (e) {
      setError(messageOf(e));
    }
  };
  const remove = async (id: string) => {
    try {
      await api.delete(`oauth_apps/${id}`);
      data.reload();
    } catch (e) {
      setError(messageOf(e));
    }
  };
  return (
    <div className="stack">
      {!data.data ? (
        <Loading />
      ) : data.data.length === 0 ? (
        <p className="card muted">No apps registered.</p>
      ) : (
        <div className="table-scroll">
          <table className="table">
            <thead>
              <tr>
                <th scope="col">App</th>
                <th scope="col">Client id</th>
                <th scope="col">Scopes</th>
                <th scope="col">Redirect URIs</th>
                <th scope="col">Delete</th>
              </tr>
            </thead>
            <tbody>
              {data.data.map((a) => (
                <tr key={a.id}>
                  <td>
                    {a.name} <span className="muted">({a.client_type})</span>
                  </td>
                  <td className="code-line">{a.client_id}</td>
                  <td>{a.scopes.join(' ')}</td>
                  <td>{a.redirect_uris.join(', ')}</td>
                  <td>
                    <button type="button" className="link-button" onClick={() => void remove(a.id)}>
                      Delete {a.name}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {made?.client_secret && (
        <div className="card stack" role="status">
          <strong>Client secret of {made.name} (shown once):</strong>
          <p className="code-line">{made.client_secret}</p>
          <div>
            <CopyButton value={made.client_secret} label="Copy client secret" />
          </div>
        </div>
      )}
      <form className="card stack" onSubmit={(e) => void create(e)} aria-label="Register app">
        <h3>Register an app</h3>
        <label>
          App name
          <input required value={name} onChange={(e) => setName(e.target.value)} />
        </label>
        <label>
          Redirect URI
          <input type="url" required value={redirect} onChange={(e) => setRedirect(e.target.value)} />
        </label>
        <label>
          Client type
          <select value={clientType} onChange={(e) => setClientType(e.target.value)}>
            <option value="confidential">Confidential (a server)</option>
            <option value="public">Public (browser or CLI, PKCE)</option>
          </select>
        </label>
        <label>
          Scopes (space separated)
          <input value={scopes} onChange={(e) => setScopes(e.target.value)} />
        </label>
        <div>
          <button type="submit" className="primary">
            Register app
          </button>
        </div>
      </form>
      <ErrorText>{error ?? data.error}</ErrorText>
    </div>
  );
}
