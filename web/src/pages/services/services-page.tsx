import { useState, type FormEvent } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { api, messageOf } from '../../api/client.js';
import { listAll } from '../../api/lists.js';
import { canConfigure } from '../../api/roles.js';
import { useUser } from '../../api/session.js';
import type { EscalationPolicy, Service } from '../../api/types.js';
import { ErrorText, Loading, relativeTime } from '../../components/status.js';
import { useResource } from '../../components/use-resource.js';

const statusText: Record<string, string> = {
  critical: 'Triggered incidents',
  warning: 'Acknowledged incidents',
  active: 'OK',
  disabled: 'Disabled',
  maintenance: 'In maintenance',
};

/** A form that creates a service on a policy and opens it. */
function NewService({ policies }: { policies: EscalationPolicy[] }) {
  const navigate = useNavigate();
  const [open, setOpen] = useState(false);
  const [name, setName] = useState('');
  const [policy, setPolicy] = useState('');
  const [error, setError] = useState<string | null>(null);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    try {
      const body = await api.post<{ service: Service }>('services', {
        service: {
          type: 'service',
          name,
          escalation_policy: policy ? { id: policy, type: 'escalation_policy_reference' } : null,
        },
      });
      void navigate(`/services/${body.service.id}/integrations`);
    } catch (e) {
      setError(messageOf(e));
    }
  };
  if (!open)
    return (
      <button type="button" className="primary" onClick={() => setOpen(true)}>
        New service
      </button>
    );
  return (
    <form className="card stack" onSubmit={(e) => void submit(e)} aria-label="New service">
      <label>
        Name
        <input required value={name} onChange={(e) => setName(e.target.value)} autoFocus />
      </label>
      <label>
        Escalation policy
        <select value={policy} onChange={(e) => setPolicy(e.target.value)}>
          <option value="">None</option>
          {policies.map((p) => (
            <option key={p.id} value={p.id}>
              {p.name}
            </option>
          ))}
        </select>
      </label>
      <ErrorText>{error}</ErrorText>
      <div className="actions">
        <button type="submit" className="primary">
          Create service
        </button>
        <button type="button" onClick={() => setOpen(false)}>
          Cancel
        </button>
      </div>
    </form>
  );
}

/** Services with their status colour: red triggered, amber acknowledged, green fine, grey disabled. */
export function ServicesPage() {
  const user = useUser();
  const data = useResource(async (signal) => {
    const [services, policies] = await Promise.all([
      listAll<'services', Service>('services', 'services', {}, 2000, signal),
      listAll<'escalation_policies', EscalationPolicy>(
        'escalation_policies',
        'escalation_policies',
        {},
        1000,
        signal,
      ).catch(() => []),
    ]);
    return { services, policies };
  }, 'services');
  return (
    <section aria-labelledby="services-title">
      <div className="page-head">
        <h1 id="services-title">Services</h1>
        {data.data && canConfigure(user) && <NewService policies={data.data.policies} />}
      </div>
      <ErrorText>{data.error}</ErrorText>
      {!data.data ? (
        <Loading />
      ) : data.data.services.length === 0 ? (
        <p className="card muted">No services yet. A service receives events from monitoring tools.</p>
      ) : (
        <div className="table-scroll">
          <table className="table">
            <thead>
              <tr>
                <th scope="col">Service</th>
                <th scope="col">Status</th>
                <th scope="col">Escalation policy</th>
                <th scope="col">Last incident</th>
              </tr>
            </thead>
            <tbody>
              {data.data.services.map((s) => (
                <tr key={s.id}>
                  <td>
                    <span className={`status-dot ${s.status}`} aria-hidden="true" />
                    <Link to={`/services/${s.id}`}>{s.name}</Link>
                  </td>
                  <td>{statusText[s.status] ?? s.status}</td>
                  <td>{s.escalation_policy?.summary ?? <span className="muted">None</span>}</td>
                  <td className="muted">
                    {s.last_incident_timestamp ? relativeTime(s.last_incident_timestamp) : '—'}
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
