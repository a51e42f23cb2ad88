import { api } from '../../api/client.js';
import type { DroppedEvent, ListPage, Service } from '../../api/types.js';
import { ErrorText, Loading, Time } from '../../components/status.js';
import { useResource } from '../../components/use-resource.js';

/** Events Tocsin received for this service but did not turn into alerts, newest first, with the reason. */
export function DroppedEventsTab({ service }: { service: Service }) {
  const list = useResource(
    (signal) =>
      api.get<ListPage<'dropped_events', DroppedEvent>>(
        `services/${service.id}/dropped_events`,
        { limit: 100 },
        signal,
      ),
    service.id,
  );
  if (list.error) return <ErrorText>{list.error}</ErrorText>;
  if (!list.data) return <Loading />;
  const rows = list.data.dropped_events;
  if (rows.length === 0) return <p className="muted">No dropped events.</p>;
  return (
    <div className="table-scroll">
      <table className="table" aria-label="Dropped events">
        <thead>
          <tr>
            <th scope="col">Received</th>
            <th scope="col">Reason</th>
            <th scope="col">Event</th>
            <th scope="col">Integration</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.id}>
              <td>
                <Time at={r.received_at} />
              </td>
              <td>{r.reason.replace(/_/g, ' ')}</td>
              <td>
                {r.event_action ?? '—'} {r.summary ? `· ${r.summary}` : ''}
                {r.dedup_key && (
                  <div className="muted">
                    <code>{r.dedup_key}</code>
                  </div>
                )}
              </td>
              <td>{r.integration.summary}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {list.data.more && <p className="muted">Showing the newest 100.</p>}
    </div>
  );
}
