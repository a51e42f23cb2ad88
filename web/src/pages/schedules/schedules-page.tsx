import { Link } from 'react-router-dom';
import { listAll } from '../../api/lists.js';
import { useUser } from '../../api/session.js';
import { ErrorText, Loading } from '../../components/status.js';
import { useResource } from '../../components/use-resource.js';
import { canConfigure } from '../people/people-api.js';
import '../people/ui.css';
import type { Schedule } from './schedule-api.js';

/** Schedules with their time zone, people and policies. */
export function SchedulesPage() {
  const user = useUser();
  const data = useResource(
    (signal) => listAll<'schedules', Schedule>('schedules', 'schedules', {}, 2000, signal),
    'schedules',
  );
  return (
    <section aria-labelledby="schedules-title">
      <div className="page-head">
        <h1 id="schedules-title">Schedules</h1>
        {canConfigure(user.role) && (
          <Link className="button primary" to="/schedules/new">
            New schedule
          </Link>
        )}
      </div>
      <ErrorText>{data.error}</ErrorText>
      {!data.data ? (
        <Loading />
      ) : data.data.length === 0 ? (
        <p className="card muted">No schedules yet. A schedule rotates who is on call.</p>
      ) : (
        <div className="table-scroll">
          <table className="table">
            <thead>
              <tr>
                <th scope="col">Schedule</th>
                <th scope="col">Time zone</th>
                <th scope="col">People</th>
                <th scope="col">Escalation policies</th>
              </tr>
            </thead>
            <tbody>
              {data.data.map((s) => (
                <tr key={s.id}>
                  <td>
                    <Link to={`/schedules/${s.id}`}>{s.name}</Link>
                  </td>
                  <td>{s.time_zone}</td>
                  <td>{s.users.map((u) => u.summary).join(', ') || <span className="muted">Nobody</span>}</td>
                  <td>
                    {s.escalation_policies.map((p) => p.summary).join(', ') || (
                      <span className="muted">None</span>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
