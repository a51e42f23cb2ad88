import { timersForAcknowledged, timersForResolved } from '../engine/incident-timers.js';
import { longId } from '../lib/ids.js';
import type { WriteTx as Tx } from '../store/store.js';
import { insertLogEntry } from './ingest-store.js';

/** Who did something: a user, a service or an integration, stored as a reference without links. */
export interface AgentRef {
  id: string;
  type: string;
  summary: string;
}

/** How it reached Tocsin: `{type: 'api' | 'web_trigger' | 'sms' | …, …details}`. */
export type Channel = { type: string } & Record<string, unknown>;

/** The state an incident transition starts from. */
export interface IncidentState {
  id: string;
  service_id: string;
  status: string;
  acknowledgements: string;
}

/** Reads the state of one incident, or undefined. */
export async function loadIncidentState(tx: Tx, incidentId: string): Promise<IncidentState | undefined> {
  const rows = await tx.raw.all<IncidentState>(
    `SELECT id, service_id, status, acknowledgements FROM incidents WHERE id = ?`,
    [incidentId],
  );
  return rows[0];
}

/**
 * Acknowledges a triggered incident: status, acknowledgements and the log entry in one transaction.
 * Returns false when it was not triggered (already acknowledged or resolved): nothing changes.
 */
export async function acknowledgeIncident(
  tx: Tx,
  incident: IncidentState,
  agent: AgentRef,
  channel: Channel,
  at: string,
): Promise<boolean> {
  if (incident.status !== 'triggered') return false;
  const acknowledgements = JSON.parse(incident.acknowledgements) as unknown[];
  acknowledgements.push({ at, acknowledger: agent });
  // The status condition re-checks under the row lock: a concurrent resolve (another request, another
  // node) that committed first wins, and this acknowledge changes nothing.
  const changed = await tx.raw.run(
    `UPDATE incidents SET status = 'acknowledged', acknowledgements = ?, last_status_change_at = ?, last_status_change_by = ?, updated_at = ?
     WHERE id = ? AND status = 'triggered'`,
    [JSON.stringify(acknowledgements), at, JSON.stringify(agent), at, incident.id],
  );
  if (changed === 0) return false;
  await insertLogEntry(tx, {
    id: longId(),
    type: 'acknowledge_log_entry',
    incidentId: incident.id,
    alertId: null,
    serviceId: incident.service_id,
    at,
    channel: JSON.stringify(channel),
    agent: JSON.stringify(agent),
    summary: `Acknowledged by ${agent.summary}.`,
    note: null,
  });
  await timersForAcknowledged(tx, incident.id, at);
  return true;
}

/**
 * Resolves an open incident and every alert still open on it, ends its grouping and logs it.
 * Returns false when it was already resolved.
 */
export async function resolveIncident(
  tx: Tx,
  incident: IncidentState,
  agent: AgentRef,
  channel: Channel,
  at: string,
): Promise<boolean> {
  if (incident.status === 'resolved') return false;
  // Claim the transition first: under the row lock only one concurrent resolve gets a changed row.
  const changed = await tx.raw.run(
    `UPDATE incidents SET status = 'resolved', resolved_at = ?, last_status_change_at = ?, last_status_change_by = ?, updated_at = ?
     WHERE id = ? AND status <> 'resolved'`,
    [at, at, JSON.stringify(agent), at, incident.id],
  );
  if (changed === 0) return false;
  const resolvedNow = await tx.raw.run(
    `UPDATE alerts SET status = 'resolved', resolved_at = ?, updated_at = ? WHERE incident_id = ? AND status = 'triggered'`,
    [at, at, incident.id],
  );
  await tx.raw.run(
    `UPDATE incidents SET alerts_triggered = 0, alerts_resolved = alerts_resolved + ? WHERE id = ?`,
    [resolvedNow, incident.id],
  );
  await tx.raw.run(`DELETE FROM incident_group_keys WHERE incident_id = ?`, [incident.id]);
  await timersForResolved(tx, incident.id, at);
  await insertLogEntry(tx, {
    id: longId(),
    type: 'resolve_log_entry',
    incidentId: incident.id,
    alertId: null,
    serviceId: incident.service_id,
    at,
    channel: JSON.stringify(channel),
    agent: JSON.stringify(agent),
    summary: `Resolved by ${agent.summary}.`,
    note: null,
  });
  return true;
}
