import { useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { api, messageOf } from '../../api/client.js';
import { listAll } from '../../api/lists.js';
import { useUser } from '../../api/session.js';
import type { Reference, User } from '../../api/types.js';
import { ErrorText, Loading, Time } from '../../components/status.js';
import { useResource } from '../../components/use-resource.js';
import type { OnCall } from './people-api.js';
import { PeopleTabs } from './people-tabs.js';
import { roles } from './users-page.js';

interface FullUser extends User {
  time_zone?: string;
  job_title?: string | null;
  teams?: Reference[];
  contact_methods?: Reference[];
}

/** One user: role, teams, contact methods and when they are on call. */
export function UserPage() {
  const { id = '' } = useParams();
  const me = useUser();
  const [error, setError] = useState<string | null>(null);
  const data = useResource(async (signal) => {
    const [user, onCalls] = await Promise.all([
      api.get<{ user: FullUser }>(`users/${id}`, { 'include[]': ['contact_methods'] }, signal),
      listAll<'oncalls', OnCall>('oncalls', 'oncalls', { user_ids: [id] }, 500, signal),
    ]);
    return { user: user.user, onCalls };
  }, id);
  if (!data.data) return data.error ? <ErrorText>{data.error}</ErrorText> : <Loading />;
  const { user, onCalls } = data.data;
  const setRole = async (role: string) => {
    try {
      await api.put(`users/${user.id}`, { user: { type: 'user', role } });
      data.reload();
    } catch (e) {
      setError(messageOf(e));
    }
  };
  return (
    <section aria-labelledby="user-title">
      <PeopleTabs />
      <h1 id="user-title">{user.name}</h1>
      <dl className="kv card">
        <dt>Email</dt>
        <dd>{user.email}</dd>
        <dt>Role</dt>
        <dd>
          {me.role === 'admin' && me.id !== user.id ? (
            <label>
              <span className="visually-hidden">Role</span>
              <select value={user.role} onChange={(e) => void setRole(e.target.value)}>
                {roles.map((r) => (
                  <option key={r}>{r}</option>
                ))}
              </select>
            </label>
          ) : (
            user.role
          )}
        </dd>
        {user.time_zone && (
          <>
            <dt>Time zone</dt>
            <dd>{user.time_zone}</dd>
          </>
        )}
        <dt>Teams</dt>
        <dd>
          {(user.teams ?? []).map((t, i) => (
            <span key={t.id}>
              {i > 0 && ', '}
              <Link to={`/people/teams/${t.id}`}>{t.summary}</Link>
            </span>
          ))}
          {(user.teams ?? []).length === 0 && <span className="muted">None</span>}
        </dd>
        <dt>Contact methods</dt>
        <dd>
          {(user.contact_methods ?? []).map((c) => c.summary).join(', ') || (
            <span className="muted">None</span>
          )}
        </dd>
      </dl>
      <ErrorText>{error}</ErrorText>
      <h2>On call</h2>
      {onCalls.length === 0 ? (
        <p className="muted">Not on call right now.</p>
      ) : (
        <ul>
          {onCalls.map((o) => (
            <li key={`${o.escalation_policy.id}-${o.escalation_level}-${o.schedule?.id ?? ''}`}>
              Level {o.escalation_level} of{' '}
              <Link to={`/policies/${o.escalation_policy.id}`}>{o.escalation_policy.summary}</Link>
              {o.schedule && (
                <>
                  {' '}
                  via <Link to={`/schedules/${o.schedule.id}`}>{o.schedule.summary}</Link>
                </>
              )}
              {o.end && (
                <>
                  {' '}
                  until <Time at={o.end} />
                </>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
