import { cancelPendingNotifications } from '../notify/notification-store.js';
import type { WriteTx } from '../store/write-task.js';
import { after, assignmentTimers, deleteIncidentTimers, insertTimer } from './timer.js';

/**
 * The timers an incident's state changes add and remove, in the transaction of the change (these run
 * on the ingest path too, so they use raw SQL only).
 */

/** A new incident: assign it now (the engine resolves who is on call) and auto-resolve it later. */
export async function timersForNewIncident(
  tx: WriteTx,
  incidentId: string,
  autoResolveSeconds: number | null,
  at: string,
): Promise<void> {
  await insertTimer(tx, { kind: 'assign', incidentId, dueAt: at }, at);
  // Both null and 0 disable auto-resolve (docs/decisions.md: "Timeouts of 0").
  if (autoResolveSeconds)
    await insertTimer(tx, { kind: 'auto_resolve', incidentId, dueAt: after(at, autoResolveSeconds) }, at);
}

/**
 * Acknowledged: escalation stops and pending notifications are cancelled; when the service has an
 * acknowledgement timeout, the incident returns to triggered after it (unless resolved or snoozed).
 */
export async function timersForAcknowledged(tx: WriteTx, incidentId: string, at: string): Promise<void> {
  await deleteIncidentTimers(tx, incidentId, [...assignmentTimers, 'ack_timeout', 'unsnooze']);
  await cancelPendingNotifications(tx, incidentId, at);
  const rows = await tx.raw.all<{ acknowledgement_timeout: number | null }>(
    `SELECT s.acknowledgement_timeout FROM incidents i JOIN services s ON s.id = i.service_id WHERE i.id = ?`,
    [incidentId],
  );
  const timeout = rows[0]?.acknowledgement_timeout;
  if (timeout) await insertTimer(tx, { kind: 'ack_timeout', incidentId, dueAt: after(at, timeout) }, at);
}

/** Resolved: every pending step ends, pending notifications are cancelled, nobody stays assigned. */
export async function timersForResolved(tx: WriteTx, incidentId: string, at: string): Promise<void> {
  await deleteIncidentTimers(tx, incidentId);
  await cancelPendingNotifications(tx, incidentId, at);
  await tx.raw.run(`DELETE FROM incident_assignments WHERE incident_id = ?`, [incidentId]);
}

/** Snoozed: the acknowledgement timeout is replaced by the snooze's end. */
export async function timersForSnoozed(
  tx: WriteTx,
  incidentId: string,
  until: string,
  at: string,
): Promise<void> {
  await deleteIncidentTimers(tx, incidentId, ['ack_timeout', 'unsnooze']);
  await insertTimer(tx, { kind: 'unsnooze', incidentId, dueAt: until }, at);
}
