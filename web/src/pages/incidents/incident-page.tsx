import { Link, useParams } from 'react-router-dom';
import { api } from '../../api/client.js';
import { listAll } from '../../api/lists.js';
import { useLiveEntries } from '../../api/live.js';
import type { Alert, Incident, LogEntry, Reference } from '../../api/types.js';
import { ErrorText, Loading, StatusBadge, Time } from '../../components/status.js';
import { useResource } from '../../components/use-resource.js';
import { AlertsPanel } from './alerts-panel.js';
import { IncidentActions, type ActionChoices } from './incident-actions.js';
import { Timeline } from './timeline.js';

interface IncidentDetail {
  incident: Incident;
  entries: LogEntry[];
  alerts: Alert[];
}

async function loadDetail(id: string, signal: AbortSignal): Promise<IncidentDetail> {
  const [incident, entries, alerts] = await Promise.all([
    api.get<{ incident: Incident }>(`incidents/${id}`, {}, signal).then((b) => b.incident),
    listAll<'log_entries', LogEntry>(`incidents/${id}/log_entries`, 'log_entries', {}, 2000, signal),
    listAll<'alerts', Alert>(`incidents/${id}/alerts`, 'alerts', {}, 500, signal),
  ]);
  return { incident, entries, alerts };
}

async function loadChoices(incident: Incident, signal: AbortSignal): Promise<ActionChoices> {
  const named = (r: Reference & { name?: string }) => ({ ...r, summary: r.name ?? r.summary });
  const [users, policy, open] = await Promise.all([
    listAll<'users', Reference & { name: string }>('users', 'users', {}, 1000, signal).catch(() => []),
    incident.escalation_policy
      ? api
          .get<{ escalation_policy: { escalation_rules: unknown[] } }>(
            `escalation_policies/${incident.escalation_policy.id}`,
            {},
            signal,
          )
          .catch(() => undefined)
      : Promise.resolve(undefined),
    api
      .get<{ incidents: Incident[] }>(
        'incidents',
        {
          statuses: ['triggered', 'acknowledged'],
          date_range: 'all',
          limit: 100,
          sort_by: 'created_at:desc',
        },
        signal,
      )
      .catch(() => ({ incidents: [] })),
  ]);
  return {
    users: users.map(named),
    levels: policy?.escalation_policy.escalation_rules.length ?? 0,
    mergeable: open.incidents
      .filter((i) => i.id !== incident.id)
      .map((i) => ({ id: i.id, type: 'incident_reference', summary: i.summary })),
  };
}

/** One incident: its state, actions, timeline of log entries and alerts; kept current live. */
export function IncidentPage() {
  const { id = '' } = useParams();
  const detail = useResource((signal) => loadDetail(id, signal), id);
  const incident = detail.data?.incident;
  const choices = useResource(
    (signal) => (incident ? loadChoices(incident, signal) : Promise.resolve(undefined)),
    `${incident?.id ?? ''}:${incident?.status ?? ''}`,
  );
  useLiveEntries((entries) => {
    if (entries.some((e) => e.incident_id === incident?.id)) detail.reload();
  });

  if (!detail.data) return detail.error ? <ErrorText>{detail.error}</ErrorText> : <Loading />;
  const { entries, alerts } = detail.data;
  const i = detail.data.incident;
  return (
    <article aria-labelledby="incident-title">
      <p>
        <Link to="/incidents">← Incidents</Link>
      </p>
      <div className="page-head">
        <h1 id="incident-title">
          #{i.incident_number} {i.title}
        </h1>
      </div>
      <div className="row" style={{ marginBottom: '0.75rem' }}>
        <StatusBadge status={i.status} />
        <span className={`badge badge-${i.urgency}`}>{i.urgency} urgency</span>
        <span className="muted">
          <Link to={`/services/${i.service.id}`}>{i.service.summary}</Link>
        </span>
      </div>
      <ErrorText>{detail.error}</ErrorText>
      <div className="two-col">
        <div>
          <section aria-labelledby="timeline-title">
            <h2 id="timeline-title">Timeline</h2>
            <Timeline entries={entries} />
          </section>
          <section aria-labelledby="alerts-title">
            <h2 id="alerts-title">Alerts ({alerts.length})</h2>
            <AlertsPanel alerts={alerts} />
          </section>
        </div>
        <div className="stack side">
          <IncidentActions incident={i} choices={choices.data} onChanged={detail.reload} />
          <section className="card" aria-labelledby="about-title">
            <h2 id="about-title" style={{ marginTop: 0 }}>
              Details
            </h2>
            <dl className="kv">
              <dt>Opened</dt>
              <dd>
                <Time at={i.created_at} />
              </dd>
              <dt>Assigned to</dt>
              <dd>{i.assignments.map((a) => a.assignee.summary).join(', ') || '—'}</dd>
              <dt>Policy</dt>
              <dd>
                {i.escalation_policy?.summary ?? '—'}
                {i.escalation_policy && i.escalation_level > 0 ? ` (level ${i.escalation_level})` : ''}
              </dd>
              <dt>Acknowledged by</dt>
              <dd>{i.acknowledgements.map((a) => a.acknowledger.summary).join(', ') || '—'}</dd>
              <dt>Resolved</dt>
              <dd>
                <Time at={i.resolved_at} />
              </dd>
              {i.incident_key && (
                <>
                  <dt>Incident key</dt>
                  <dd>
                    <code>{i.incident_key}</code>
                  </dd>
                </>
              )}
            </dl>
          </section>
        </div>
      </div>
    </article>
  );
}
