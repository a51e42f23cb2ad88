import type { Links } from '../http/rest.js';
import type { AlertRow } from './alert-store.js';
import type { IncidentView } from './incident-reads.js';
import type { LogEntryRow } from './log-entry-store.js';
import type { AgentRef } from './transitions.js';
import { presentPriority } from '../priorities/presenters.js';

/** The first trigger log entry of an incident or alert, when known. */
export type FirstTrigger = { id: string; summary: string } | undefined;

/** `[#12] Disk full`: PagerDuty's incident summary. */
function incidentSummary(number: number, title: string): string {
  return `[#${number}] ${title}`;
}

/** A stored agent (`{id, type, summary}`) completed with its links; integrations live under a service. */
export function agentReference(links: Links, agent: AgentRef, serviceId: string) {
  const path =
    agent.type === 'user_reference'
      ? ['users', agent.id]
      : agent.type === 'service_reference'
        ? ['services', agent.id]
        : agent.type.endsWith('integration_reference')
          ? ['services', `${serviceId}/integrations/${agent.id}`]
          : undefined;
  if (!path) return { ...agent, self: null, html_url: null };
  const [collection, id] = path as [string, string];
  return { ...agent, self: links.self(collection, id), html_url: links.html(collection, id) };
}

function storedAgent(links: Links, json: string | null, serviceId: string) {
  return json === null ? null : agentReference(links, JSON.parse(json) as AgentRef, serviceId);
}

function incidentReference(links: Links, id: string, number: number, title: string) {
  return links.reference('incident', 'incidents', id, incidentSummary(number, title));
}

/** An incident as a reference (what merge answers). */
export function presentIncidentReference(
  links: Links,
  row: { id: string; incident_number: number; title: string },
) {
  return incidentReference(links, row.id, Number(row.incident_number), row.title);
}

function logEntryReference(links: Links, incidentId: string, entry: { id: string; summary: string }) {
  return {
    id: entry.id,
    type: 'trigger_log_entry_reference',
    summary: entry.summary,
    self: links.self('log_entries', entry.id),
    html_url: links.html('incidents', `${incidentId}/log_entries/${entry.id}`),
  };
}

/** An incident as PagerDuty presents it; features Tocsin does not have yet are empty or null. */
export function presentIncident(links: Links, view: IncidentView) {
  const { row, firstTrigger, escalation, priority } = view;
  const acknowledgements =
    row.status === 'acknowledged'
      ? (JSON.parse(row.acknowledgements) as { at: string; acknowledger: AgentRef }[]).map((a) => ({
          at: a.at,
          acknowledger: agentReference(links, a.acknowledger, row.service_id),
        }))
      : []; // PagerDuty lists acknowledgements only while the incident is acknowledged.
  const triggered = Number(row.alerts_triggered);
  const resolved = Number(row.alerts_resolved);
  return {
    id: row.id,
    type: 'incident',
    summary: incidentSummary(row.incident_number, row.title),
    self: links.self('incidents', row.id),
    html_url: links.html('incidents', row.id),
    incident_number: Number(row.incident_number),
    title: row.title,
    description: row.title,
    created_at: row.created_at,
    updated_at: row.updated_at,
    status: row.status,
    incident_key: row.incident_key,
    service: links.reference('service', 'services', row.service_id, row.service_name),
    // PagerDuty empties assignments once resolved; Tocsin's resolve deletes them too.
    assignments: escalation.assignments.map((a) => ({
      at: a.at,
      assignee: links.reference('user', 'users', a.userId, a.name),
    })),
    assigned_via: row.assigned_via ?? 'escalation_policy',
    escalation_level: Number(row.escalation_level),
    acknowledgements,
    last_status_change_at: row.last_status_change_at,
    last_status_change_by: storedAgent(links, row.last_status_change_by, row.service_id),
    first_trigger_log_entry: firstTrigger ? logEntryReference(links, row.id, firstTrigger) : null,
    escalation_policy:
      escalation.policy &&
      links.reference(
        'escalation_policy',
        'escalation_policies',
        escalation.policy.id,
        escalation.policy.name,
      ),
    teams: [],
    urgency: row.urgency,
    priority: priority ? presentPriority(links, priority) : null,
    resolved_at: row.resolved_at,
    alert_counts: { all: triggered + resolved, triggered, resolved },
    pending_actions: escalation.pending,
    is_mergeable: row.status !== 'resolved',
    resolve_reason: row.resolve_reason === null ? null : (JSON.parse(row.resolve_reason) as unknown),
    conference_bridge: row.conference_bridge === null ? null : (JSON.parse(row.conference_bridge) as unknown),
    ...(row.body_details === null
      ? {}
      : { body: { type: 'incident_body', details: JSON.parse(row.body_details) as unknown } }),
    incidents_responders: [],
    responder_requests: [],
  };
}

/** An alert as PagerDuty presents it; `body` is the stored alert body without Tocsin's own fields. */
export function presentAlert(links: Links, row: AlertRow, firstTrigger: FirstTrigger) {
  const body = JSON.parse(row.body) as Record<string, unknown>;
  delete body.via; // which Events API version sent it: Tocsin's own, not in PagerDuty's alert body
  return {
    id: row.id,
    type: 'alert',
    summary: row.summary,
    self: links.self('incidents', `${row.incident_id}/alerts/${row.id}`),
    html_url: links.html('incidents', `${row.incident_id}/alerts/${row.id}`),
    created_at: row.created_at,
    status: row.status,
    alert_key: row.alert_key,
    service: links.reference('service', 'services', row.service_id, row.service_name),
    incident: incidentReference(links, row.incident_id, row.incident_number, row.incident_title),
    severity: row.severity,
    suppressed: false,
    body,
    integration: agentReference(
      links,
      { id: row.integration_id, type: `${row.integration_type}_reference`, summary: row.integration_name },
      row.service_id,
    ),
    ...(firstTrigger
      ? { first_trigger_log_entry: logEntryReference(links, row.incident_id, firstTrigger) }
      : {}),
  };
}

/** A log entry as PagerDuty presents it, with its stored channel and agent. */
export function presentLogEntry(links: Links, row: LogEntryRow) {
  const channel = JSON.parse(row.channel) as Record<string, unknown>;
  return {
    id: row.id,
    type: row.type,
    summary: row.summary,
    self: links.self('log_entries', row.id),
    html_url: links.html('incidents', `${row.incident_id}/log_entries/${row.id}`),
    created_at: row.created_at,
    agent: storedAgent(links, row.agent, row.service_id),
    channel,
    service: links.reference('service', 'services', row.service_id, row.service_name),
    incident: incidentReference(links, row.incident_id, row.incident_number, row.incident_title),
    teams: [],
    contexts: [],
    ...(row.note === null ? {} : { note: row.note }),
    ...(typeof channel.summary === 'string' ? { event_details: { description: channel.summary } } : {}),
  };
}
