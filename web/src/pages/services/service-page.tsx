import { useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { api, messageOf } from '../../api/client.js';
import { listAll } from '../../api/lists.js';
import { canConfigure } from '../../api/roles.js';
import { useUser } from '../../api/session.js';
import type { EscalationPolicy, Incident, Service } from '../../api/types.js';
import { ConfirmDialog } from '../../components/confirm.js';
import { ErrorText, Loading, relativeTime, StatusBadge } from '../../components/status.js';
import { useResource } from '../../components/use-resource.js';
import { DroppedEventsTab } from './dropped-events-tab.js';
import { IntegrationsTab } from './integrations-tab.js';
import { SettingsForm } from './settings-form.js';

const tabs = [
  { id: '', label: 'Open incidents' },
  { id: 'settings', label: 'Settings' },
  { id: 'integrations', label: 'Integrations' },
  { id: 'dropped', label: 'Dropped events' },
];

function OpenIncidents({ service }: { service: Service }) {
  const list = useResource(
    (signal) =>
      listAll<'incidents', Incident>(
        'incidents',
        'incidents',
        {
          service_ids: [service.id],
          statuses: ['triggered', 'acknowledged'],
          date_range: 'all',
          sort_by: 'created_at:desc',
        },
        500,
        signal,
      ),
    service.id,
  );
  if (list.error) return <ErrorText>{list.error}</ErrorText>;
  if (!list.data) return <Loading />;
  if (list.data.length === 0) return <p className="muted">No open incidents.</p>;
  return (
    <ul className="stack" style={{ listStyle: 'none', padding: 0 }}>
      {list.data.map((i) => (
        <li key={i.id} className="row">
          <StatusBadge status={i.status} />
          <Link to={`/incidents/${i.id}`}>
            #{i.incident_number} {i.title}
          </Link>
          <span className="muted">{relativeTime(i.created_at)}</span>
        </li>
      ))}
    </ul>
  );
}

/** Enable or disable the service, after a confirmation that says what it means. */
function EnableToggle({ service, onChanged }: { service: Service; onChanged: (s: Service) => void }) {
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const disabled = service.status === 'disabled';
  const apply = async () => {
    setConfirming(false);
    try {
      const body = await api.put<{ service: Service }>(`services/${service.id}`, {
        service: { type: 'service', status: disabled ? 'active' : 'disabled' },
      });
      onChanged(body.service);
    } catch (e) {
      setError(messageOf(e));
    }
  };
  return (
    <>
      <button type="button" className={disabled ? 'primary' : 'danger'} onClick={() => setConfirming(true)}>
        {disabled ? 'Enable service' : 'Disable service'}
      </button>
      <ErrorText>{error}</ErrorText>
      <ConfirmDialog
        open={confirming}
        title={disabled ? `Enable ${service.name}?` : `Disable ${service.name}?`}
        confirmLabel={disabled ? 'Enable' : 'Disable'}
        danger={!disabled}
        onConfirm={() => void apply()}
        onCancel={() => setConfirming(false)}
      >
        <p>
          {disabled
            ? 'Events open incidents and page people again.'
            : 'Events sent to its integrations are accepted but dropped (listed under Dropped events); nobody is paged.'}
        </p>
      </ConfirmDialog>
    </>
  );
}

/** One service: its open incidents, settings, integrations and dropped events. */
export function ServicePage() {
  const { id = '', tab = '' } = useParams();
  const editable = canConfigure(useUser());
  const data = useResource(async (signal) => {
    const [service, policies] = await Promise.all([
      api.get<{ service: Service }>(`services/${id}`, {}, signal).then((b) => b.service),
      listAll<'escalation_policies', EscalationPolicy>(
        'escalation_policies',
        'escalation_policies',
        {},
        1000,
        signal,
      ).catch(() => []),
    ]);
    return { service, policies };
  }, id);
  if (!data.data) return data.error ? <ErrorText>{data.error}</ErrorText> : <Loading />;
  const { service, policies } = data.data;
  const replace = (s: Service) => data.set({ service: s, policies });
  return (
    <article aria-labelledby="service-title">
      <p>
        <Link to="/services">← Services</Link>
      </p>
      <div className="page-head">
        <h1 id="service-title">
          <span className={`status-dot ${service.status}`} aria-hidden="true" />
          {service.name}
        </h1>
        {editable && <EnableToggle service={service} onChanged={replace} />}
      </div>
      {service.description && <p className="muted">{service.description}</p>}
      <nav className="tabs" aria-label="Service sections">
        {tabs.map((t) => (
          <Link
            key={t.id}
            to={`/services/${service.id}${t.id ? `/${t.id}` : ''}`}
            aria-current={tab === t.id ? 'page' : undefined}
          >
            {t.label}
          </Link>
        ))}
      </nav>
      {tab === '' && <OpenIncidents service={service} />}
      {tab === 'settings' && (
        <SettingsForm service={service} policies={policies} onSaved={replace} readOnly={!editable} />
      )}
      {tab === 'integrations' && (
        <IntegrationsTab service={service} onChanged={data.reload} readOnly={!editable} />
      )}
      {tab === 'dropped' && <DroppedEventsTab service={service} />}
    </article>
  );
}
