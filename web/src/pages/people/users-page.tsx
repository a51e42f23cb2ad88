import { useState, type FormEvent } from 'react';
import { Link } from 'react-router-dom';
import { api, messageOf } from '../../api/client.js';
import { useUser } from '../../api/session.js';
import { ErrorText, Loading } from '../../components/status.js';
import { useResource } from '../../components/use-resource.js';
import { loadUsers } from './people-api.js';
import { PeopleTabs } from './people-tabs.js';

/** Roles a user may have. */
export const roles = ['admin', 'manager', 'responder', 'observer'] as const;

function NewUser({ onMade }: { onMade: () => void }) {
  const [open, setOpen] = useState(false);
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [role, setRole] = useState('responder');
  const [error, setError] = useState<string | null>(null);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    try {
      await api.post('users', { user: { type: 'user', name, email, role } });
      setOpen(false);
      setName('');
      setEmail('');
      onMade();
    } catch (e) {
      setError(messageOf(e));
    }
  };
  if (!open)
    return (
      <button type="button" className="primary" onClick={() => setOpen(true)}>
        New user
      </button>
    );
  return (
    <form className="card stack" onSubmit={(e) => void submit(e)} aria-label="New user">
      <label>
        Name
        <input required value={name} onChange={(e) => setName(e.target.value)} autoFocus />
      </label>
      <label>
        Email
        <input type="email" required value={email} onChange={(e) => setEmail(e.target.value)} />
      </label>
      <label>
        Role
        <select value={role} onChange={(e) => setRole(e.target.value)}>
          {roles.map((r) => (
            <option key={r}>{r}</option>
          ))}
        </select>
      </label>
      <ErrorText>{error}</ErrorText>
      <div className="actions">
        <button type="submit" className="primary">
          Create user
        </button>
        <button type="button" onClick={() => setOpen(false)}>
          Cancel
        </button>
      </div>
    </form>
  );
}

/** Every user with their role. */
export function UsersPage() {
  const me = useUser();
  const data = useResource((signal) => loadUsers(signal), 'users');
  const [filter, setFilter] = useState('');
  const shown = (data.data ?? []).filter((u) =>
    `${u.name} ${u.email}`.toLowerCase().includes(filter.toLowerCase()),
  );
  return (
    <section aria-labelledby="users-title">
      <div className="page-head">
        <h1 id="users-title">People</h1>
        {(me.role === 'admin' || me.role === 'manager') && <NewUser onMade={data.reload} />}
      </div>
      <PeopleTabs />
      <label className="filter-field">
        Filter by name or email
        <input type="search" value={filter} onChange={(e) => setFilter(e.target.value)} />
      </label>
      <ErrorText>{data.error}</ErrorText>
      {!data.data ? (
        <Loading />
      ) : (
        <div className="table-scroll">
          <table className="table">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Email</th>
                <th scope="col">Role</th>
              </tr>
            </thead>
            <tbody>
              {shown.map((u) => (
                <tr key={u.id}>
                  <td>
                    <Link to={`/people/users/${u.id}`}>{u.name}</Link>
                  </td>
                  <td>{u.email}</td>
                  <td>{u.role}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
