import { useState, type FormEvent } from 'react';
import { Link, useParams } from 'react-router-dom';
import { api, messageOf } from '../../api/client.js';
import { listAll } from '../../api/lists.js';
import { useUser } from '../../api/session.js';
import { ErrorText, Loading } from '../../components/status.js';
import { useResource } from '../../components/use-resource.js';
import { loadUsers, type Member, type TeamObject } from './people-api.js';
import { PeopleTabs } from './people-tabs.js';

const teamRoles = ['manager', 'responder', 'observer'] as const;

/** One team: its members and their team roles; admins and the team's managers change them. */
export function TeamPage() {
  const { id = '' } = useParams();
  const me = useUser();
  const [pick, setPick] = useState('');
  const [role, setRole] = useState('responder');
  const [error, setError] = useState<string | null>(null);
  const data = useResource(async (signal) => {
    const [team, members, users] = await Promise.all([
      api.get<{ team: TeamObject }>(`teams/${id}`, {}, signal),
      listAll<'members', Member>(`teams/${id}/members`, 'members', {}, 2000, signal),
      loadUsers(signal),
    ]);
    return { team: team.team, members, users };
  }, id);
  if (!data.data) return data.error ? <ErrorText>{data.error}</ErrorText> : <Loading />;
  const { team, members, users } = data.data;
  const canEdit =
    me.role === 'admin' ||
    members.some((m) => m.user.id === me.id && m.role === 'manager') ||
    me.role === 'manager';
  const act = async (work: () => Promise<unknown>) => {
    setError(null);
    try {
      await work();
      data.reload();
    } catch (e) {
      setError(messageOf(e));
    }
  };
  const add = (event: FormEvent) => {
    event.preventDefault();
    void act(() => api.put(`teams/${id}/users/${pick}`, { role }));
    setPick('');
  };
  return (
    <section aria-labelledby="team-title">
      <PeopleTabs />
      <h1 id="team-title">{team.name}</h1>
      {team.description && <p className="muted">{team.description}</p>}
      <div className="table-scroll">
        <table className="table">
          <thead>
            <tr>
              <th scope="col">Member</th>
              <th scope="col">Team role</th>
              {canEdit && <th scope="col">Remove</th>}
            </tr>
          </thead>
          <tbody>
            {members.map((m) => (
              <tr key={m.user.id}>
                <td>
                  <Link to={`/people/users/${m.user.id}`}>{m.user.summary}</Link>
                </td>
                <td>
                  {canEdit ? (
                    <label>
                      <span className="visually-hidden">Team role of {m.user.summary}</span>
                      <select
                        value={m.role}
                        onChange={(e) =>
                          void act(() => api.put(`teams/${id}/users/${m.user.id}`, { role: e.target.value }))
                        }
                      >
                        {teamRoles.map((r) => (
                          <option key={r}>{r}</option>
                        ))}
                      </select>
                    </label>
                  ) : (
                    m.role
                  )}
                </td>
                {canEdit && (
                  <td>
                    <button
                      type="button"
                      className="link-button"
                      onClick={() => void act(() => api.delete(`teams/${id}/users/${m.user.id}`))}
                    >
                      Remove {m.user.summary}
                    </button>
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {members.length === 0 && <p className="muted">No members yet.</p>}
      {canEdit && (
        <form className="row wrap card" onSubmit={add} aria-label="Add member">
          <label>
            Member to add
            <select required value={pick} onChange={(e) => setPick(e.target.value)}>
              <option value="">Choose…</option>
              {users
                .filter((u) => !members.some((m) => m.user.id === u.id))
                .map((u) => (
                  <option key={u.id} value={u.id}>
                    {u.name}
                  </option>
                ))}
            </select>
          </label>
          <label>
            As
            <select value={role} onChange={(e) => setRole(e.target.value)}>
              {teamRoles.map((r) => (
                <option key={r}>{r}</option>
              ))}
            </select>
          </label>
          <button type="submit" className="primary">
            Add to team
          </button>
        </form>
      )}
      <ErrorText>{error}</ErrorText>
    </section>
  );
}
