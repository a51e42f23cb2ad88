import { canRespond, type Actor } from '../auth/actor.js';
import { AppError } from '../lib/errors.js';
import type { Tx } from '../store/store.js';
import * as alerts from './alert-store.js';
import { agentFor, restChannel } from './incident-agent.js';
import { getAlert, type AlertView } from './incident-reads.js';
import { MAX_BULK_UPDATES, type IncidentActionDeps } from './incident-service.js';
import * as incidents from './incident-store.js';
import { resolveAlert } from './ingest-store.js';
import { resolveIncident, type AgentRef } from './transitions.js';

/** One requested change of `PUT /incidents/{id}/alerts[/{alert_id}]`. */
export interface AlertUpdate {
  id: string;
  status?: 'resolved' | 'triggered';
  /** Move the alert to this incident. */
  incident?: { id: string };
}

/** Resolves the incident when none of its alerts is still triggered (it had one: this call follows a change to it). */
async function resolveIfNoOpenAlert(tx: Tx, incidentId: string, agent: AgentRef, at: string) {
  const row = (await incidents.findIncident(tx.db, incidentId))!;
  if (row.status === 'resolved' || Number(row.alerts_triggered) > 0) return;
  await resolveIncident(tx, row, agent, restChannel, at);
}

async function moveAlert(tx: Tx, alert: alerts.AlertRow, targetId: string, at: string): Promise<string> {
  const target = await incidents.findIncident(tx.db, targetId);
  if (!target) throw new AppError('invalidInput', [`Incident ${targetId} not found`]);
  if (target.id === alert.incident_id) return target.id;
  if (target.status === 'resolved')
    throw new AppError('alreadyResolved', [
      `Incident ${target.incident_number} is resolved: move alerts to an open incident`,
    ]);
  const column = alert.status === 'triggered' ? 'alerts_triggered' : 'alerts_resolved';
  await tx.raw.run(`UPDATE alerts SET incident_id = ?, updated_at = ? WHERE id = ?`, [
    target.id,
    at,
    alert.id,
  ]);
  await tx.raw.run(`UPDATE incidents SET ${column} = ${column} - 1, updated_at = ? WHERE id = ?`, [
    at,
    alert.incident_id,
  ]);
  await tx.raw.run(`UPDATE incidents SET ${column} = ${column} + 1, updated_at = ? WHERE id = ?`, [
    at,
    target.id,
  ]);
  return target.id;
}

async function applyAlertUpdate(
  tx: Tx,
  incidentIdOrNumber: string,
  update: AlertUpdate,
  agent: AgentRef,
  at: string,
): Promise<{ incidentId: string; alertId: string }> {
  const incident = await incidents.findIncident(tx.db, incidentIdOrNumber);
  if (!incident) throw new AppError('notFound');
  // Both incidents of a move are locked in id order first, so two opposite moves cannot deadlock.
  const moveTo = update.incident && (await incidents.findIncident(tx.db, update.incident.id));
  const locks = [incident.id, ...(moveTo ? [moveTo.id] : [])].sort();
  for (const id of new Set(locks)) await incidents.lockIncident(tx.db, id);
  const alert = await alerts.findAlert(tx.db, incident.id, update.id);
  if (!alert) throw new AppError('notFound', [`Alert ${update.id} not found`]);
  if (update.status === 'triggered' && alert.status !== 'triggered')
    throw new AppError('invalidInput', [
      `Alert ${update.id} is resolved: a resolved alert cannot be triggered again`,
    ]);
  let incidentId = incident.id;
  if (update.incident !== undefined) {
    incidentId = await moveAlert(tx, alert, update.incident.id, at);
    // The incident an open alert left resolves when nothing of it is still open.
    if (incidentId !== incident.id && alert.status === 'triggered')
      await resolveIfNoOpenAlert(tx, incident.id, agent, at);
  }
  if (update.status === 'resolved' && alert.status === 'triggered') {
    const still = await resolveAlert(tx, alert.id, incidentId, at);
    if (still === 0) await resolveIfNoOpenAlert(tx, incidentId, agent, at);
  }
  return { incidentId, alertId: alert.id };
}

/**
 * Resolves or moves alerts of an incident, all in one transaction (a broken rule changes nothing).
 * An incident whose last open alert is resolved (or moved away) resolves.
 */
export async function updateAlerts(
  deps: IncidentActionDeps,
  actor: Actor,
  from: string | undefined,
  incidentIdOrNumber: string,
  updates: readonly AlertUpdate[],
): Promise<AlertView[]> {
  if (!canRespond(actor)) throw new AppError('forbidden');
  if (updates.length > MAX_BULK_UPDATES)
    throw new AppError('tooManyItems', [`At most ${MAX_BULK_UPDATES} alerts can be updated at a time`]);
  const agent = await agentFor(deps.store.db, actor, from);
  const at = deps.clock.now().toISOString();
  return deps.store.transaction(async (tx) => {
    const done: { incidentId: string; alertId: string }[] = [];
    for (const update of updates)
      done.push(await applyAlertUpdate(tx, incidentIdOrNumber, update, agent, at));
    const views: AlertView[] = [];
    for (const d of done) views.push(await getAlert(tx.db, d.incidentId, d.alertId));
    return views;
  });
}
