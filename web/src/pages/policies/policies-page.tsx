import { Link } from 'react-router-dom';
import { listAll } from '../../api/lists.js';
import { useUser } from '../../api/session.js';
import { ErrorText, Loading } from '../../components/status.js';
import { useResource } from '../../components/use-resource.js';
import { canConfigure } from '../people/people-api.js';
import '../people/ui.css';
import type { Policy } from './policy-api.js';

/** Escalation policies with their levels, services and team. */
export function PoliciesPage() {
  const user = useUser();
  const data = useResource(
    (signal) =>
      listAll<'escalation_policies', Policy>('escalation_policies', 'escalation_policies', {}, 2000, signal),
    'policies',
  );
  return (
    <section aria-labelledby="policies-title">
      <div className="page-head">
        <h1 id="policies-title">Escalation policies</h1>
        {canConfigure(user.role) && (
          <Link className="button primary" to="/policies/new">
            New escalation policy
          </Link>
        )}
      </div>
      <ErrorText>{data.error}</ErrorText>
      {!data.data ? (
        <Loading />
      ) : data.data.length === 0 ? (
        <p className="card muted">No escalation policies yet. A policy says who is paged, and when.</p>
      ) : (
        <div className="table-scroll">
          <table className="table">
            <thead>
              <tr>
                <th scope="col">Policy</th>
                <th scope="col">Levels</th>
                <th scope="col">Services</th>
                <th scope="col">Team</th>
              </tr>
            </thead>
            <tbody>
              {data.data.map((p) => (
                <tr key={p.id}>
                  <td>
                    <Link to={`/policies/${p.id}`}>{p.name}</Link>
                  </td>
                  <td>
                    {p.escalation_rules.length}
                    {p.num_loops > 0 && <span className="muted"> · repeats {p.num_loops}×</span>}
                  </td>
                  <td>
                    {p.services.map((s) => s.summary).join(', ') || <span className="muted">None</span>}
                  </td>
                  <td>{p.teams[0]?.summary ?? <span className="muted">—</span>}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
