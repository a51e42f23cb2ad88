import { useState, type FormEvent } from 'react';
import { Link } from 'react-router-dom';
import { api, messageOf } from '../../api/client.js';
import { useUser } from '../../api/session.js';
import { ErrorText, Loading } from '../../components/status.js';
import { useResource } from '../../components/use-resource.js';
import { loadTeams } from './people-api.js';
import { PeopleTabs } from './people-tabs.js';

/** Every team, and a form to make one (admins and managers). */
export function TeamsPage() {
  const me = useUser();
  const data = useResource((signal) => loadTeams(signal), 'teams');
  const [name, setName] = useState('');
  const [error, setError] = useState<string | null>(null);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    try {
      await api.post('teams', { team: { type: 'team', name } });
      setName('');
      data.reload();
    } catch (e) {
      setError(messageOf(e));
    }
  };
  return (
    <section aria-labelledby="teams-title">
      <h1 id="teams-title">People</h1>
      <PeopleTabs />
      {(me.role === 'admin' || me.role === 'manager') && (
        <form className="row wrap" onSubmit={(e) => void submit(e)} aria-label="New team">
          <label>
            New team name
            <input required value={name} onChange={(e) => setName(e.target.value)} />
          </label>
          <button type="submit" className="primary">
            Create team
          </button>
        </form>
      )}
      <ErrorText>{error ?? data.error}</ErrorText>
      {!data.data ? (
        <Loading />
      ) : data.data.length === 0 ? (
        <p className="card muted">No teams yet.</p>
      ) : (
        <ul className="card">
          {data.data.map((t) => (
            <li key={t.id}>
              <Link to={`/people/teams/${t.id}`}>{t.name}</Link>
              {t.description && <span className="muted"> · {t.description}</span>}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
