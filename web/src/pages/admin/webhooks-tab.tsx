import { useState, type FormEvent } from 'react';
import { api, messageOf } from '../../api/client.js';
import { listAll } from '../../api/lists.js';
import { CopyButton } from '../../components/copy-button.js';
import { ErrorText, Loading, Time } from '../../components/status.js';
import { useResource } from '../../components/use-resource.js';

interface Subscription {
  id: string;
  active: boolean;
  description: string;
  events: string[];
  delivery_method: { url: string; secret: string | null; temporarily_disabled: boolean };
  filter: { id?: string; type: string };
}

interface Delivery {
  id: string;
  event_type: string;
  status: string;
  attempts: number;
  last_status_code: number | null;
  last_error: string | null;
  created_at: string;
}

const common = [
  'incident.triggered',
  'incident.acknowledged',
  'incident.resolved',
  'incident.escalated',
  'incident.reassigned',
  'incident.annotated',
];

/** The delivery log of one subscription. */
function Deliveries({ id }: { id: string }) {
  const data = useResource(
    (signal) =>
      listAll<'deliveries', Delivery>(
        `webhook_subscriptions/${id}/deliveries`,
        'deliveries',
        {},
        100,
        signal,
      ),
    `deliveries:${id}`,
  );
  if (!data.data) return data.error ? <ErrorText>{data.error}</ErrorText> : <Loading />;
  if (data.data.length === 0) return <p className="muted">No deliveries yet.</p>;
  return (
    <div className="table-scroll">
      <table className="table">
        <caption className="visually-hidden">Delivery log</caption>
        <thead>
          <tr>
            <th scope="col">When</th>
            <th scope="col">Event</th>
            <th scope="col">Status</th>
            <th scope="col">Attempts</th>
            <th scope="col">Answer</th>
          </tr>
        </thead>
        <tbody>
          {data.data.map((d) => (
            <tr key={d.id}>
              <td>
                <Time at={d.created_at} />
              </td>
              <td>{d.event_type}</td>
              <td>{d.status}</td>
              <td>{d.attempts}</td>
              <td>{d.last_status_code ?? d.last_error ?? '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Webhook subscriptions: list, create (account-wide), ping, delete, and each one's delivery log. */
export function WebhooksTab() {
  const data = useResource(
    (signal) =>
      listAll<'webhook_subscriptions', Subscription>(
        'webhook_subscriptions',
        'webhook_subscriptions',
        {},
        500,
        signal,
      ),
    'webhooks',
  );
  const [url, setUrl] = useState('');
  const [description, setDescription] = useState('');
  const [events, setEvents] = useState<string[]>(common.slice(0, 3));
  const [open, setOpen] = useState<string | null>(null);
  const [secret, setSecret] = useState<string | null>(null);
  const [note, setNote] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const act = async (work: () => Promise<unknown>, done?: string) => {
    setError(null);
    setNote(null);
    try {
      await work();
      if (done) setNote(done);
      data.reload();
    } catch (e) {
      setError(messageOf(e));
    }
  };
  const create = (event: FormEvent) => {
    event.preventDefault();
    void act(async () => {
      const made = await api.post<{ webhook_subscription: Subscription }>('webhook_subscriptions', {
        webhook_subscription: {
          type: 'webhook_subscription',
          description,
          events,
          delivery_method: { type: 'http_delivery_method', url },
          filter: { type: 'account_reference' },
        },
      });
      setSecret(made.webhook_subscription.delivery_method.secret);
      setUrl('');
    });
  };
  return (
    <div className="stack">
      {!data.data ? (
        <Loading />
      ) : data.data.length === 0 ? (
        <p className="card muted">No webhook subscriptions.</p>
      ) : (
        <ul className="stack" style={{ listStyle: 'none', padding: 0 }}>
          {data.data.map((s) => (
            <li key={s.id} className="card stack">
              <div className="row wrap">
                <strong>{s.description || s.delivery_method.url}</strong>
                <span className="muted">{s.delivery_method.url}</span>
                {!s.active && <span className="badge">inactive</span>}
                {s.delivery_method.temporarily_disabled && (
                  <span className="badge badge-warning">paused after failures</span>
                )}
              </div>
              <p className="muted">
                {s.events.join(', ')} · {s.filter.type.replace('_reference', '')}
              </p>
              <div className="actions">
                <button
                  type="button"
                  onClick={() =>
                    void act(() => api.post(`webhook_subscriptions/${s.id}/ping`), 'Ping queued.')
                  }
                >
                  Ping {s.description || 'subscription'}
                </button>
                <button
                  type="button"
                  onClick={() => setOpen(open === s.id ? null : s.id)}
                  aria-expanded={open === s.id}
                >
                  Delivery log
                </button>
                <button
                  type="button"
                  className="danger"
                  onClick={() => void act(() => api.delete(`webhook_subscriptions/${s.id}`))}
                >
                  Delete {s.description || 'subscription'}
                </button>
              </div>
              {open === s.id && <Deliveries id={s.id} />}
            </li>
          ))}
        </ul>
      )}
      {note && <p role="status">{note}</p>}
      {secret && (
        <div className="card stack" role="status">
          <strong>Signing secret (shown once):</strong>
          <p className="code-line">{secret}</p>
          <div>
            <CopyButton value={secret} label="Copy secret" />
          </div>
        </div>
      )}
      <form className="card stack" onSubmit={create} aria-label="New webhook subscription">
        <h3>New webhook subscription (whole account)</h3>
        <label>
          URL
          <input
            type="url"
            required
            value={url}
            onChange={(e) => setUrl(e.target.value)}
            placeholder="https://"
          />
        </label>
        <label>
          Description
          <input value={description} onChange={(e) => setDescription(e.target.value)} />
        </label>
        <fieldset>
          <legend>Events</legend>
          {common.map((ev) => (
            <label key={ev} className="inline">
              <input
                type="checkbox"
                checked={events.includes(ev)}
                onChange={(e) =>
                  setEvents(e.target.checked ? [...events, ev] : events.filter((x) => x !== ev))
                }
              />
              {ev}
            </label>
          ))}
        </fieldset>
        <div>
          <button type="submit" className="primary">
            Create subscription
          </button>
        </div>
      </form>
      <ErrorText>{error ?? data.error}</ErrorText>
    </div>
  );
}
