import { assign, type StepContext } from '../escalation/assignment.js';
import { loadEscalationIncident, loadPolicy } from '../escalation/incident-state.js';
import { deleteIncidentTimers } from '../engine/timer.js';
import { timersForNewIncident } from '../engine/incident-timers.js';
import { AppError } from '../lib/errors.js';
import { longId } from '../lib/ids.js';
import { findPriority } from '../priorities/priority-store.js';
import { enqueueIncidentEvent } from '../webhooks/outbox.js';
import { restChannel } from './incident-agent.js';
import * as incidents from './incident-store.js';
import { insertLogEntry } from './ingest-store.js';
import type { AgentRef } from './transitions.js';

/** A priority as `PUT /incidents` names it: a reference by id, `{name}`, a bare name, or null to clear. */
export type PriorityInput = { id?: string; name?: string } | string | null;

/**
 * Changes an incident's urgency and what follows from it (docs/decisions.md, "Urgency changes"):
 * lowering to low stops its escalation (low urgency never escalates); raising a triggered incident to
 * high re-notifies its assignees under their high-urgency rules and, when it follows its policy,
 * escalation resumes from its current level.
 */
export async function changeUrgency(
  ctx: StepContext,
  row: incidents.IncidentRow,
  urgency: 'high' | 'low',
  agent: AgentRef,
): Promise<void> {
  const { tx, at } = ctx;
  await incidents.setIncidentUrgency(tx.db, row.id, urgency, at);
  await insertLogEntry(tx, {
    id: longId(),
    type: 'urgency_change_log_entry',
    incidentId: row.id,
    alertId: null,
    serviceId: row.service_id,
    at,
    channel: JSON.stringify(restChannel),
    agent: JSON.stringify(agent),
    summary: `Urgency changed from ${row.urgency} to ${urgency} by ${agent.summary}.`,
    note: null,
  });
  if (urgency === 'low') {
    await deleteIncidentTimers(tx, row.id, ['escalate']);
    return;
  }
  const incident = (await loadEscalationIncident(tx, row.id))!;
  if (incident.status !== 'triggered' || incident.assigned_via === null) return;
  const assignees = await tx.raw.all<{ user_id: string }>(
    `SELECT user_id FROM incident_assignments WHERE incident_id = ? ORDER BY assigned_at, user_id`,
    [row.id],
  );
  if (assignees.length === 0) return;
  await assign(
    ctx,
    incident,
    await loadPolicy(tx, incident.escalation_policy_id),
    {
      level: incident.escalation_level,
      loops: incident.escalation_loops,
      via: incident.assigned_via === 'direct_assignment' ? 'direct_assignment' : 'escalation_policy',
      userIds: assignees.map((a) => a.user_id),
    },
    'urgency_raised',
    {
      type: 'assign_log_entry',
      lead: 'Urgency raised to high; re-notifying',
      agent: null,
      channel: { type: 'auto' },
    },
  );
}

/** Sets (or clears) an incident's priority and sends `incident.priority_updated` to subscribers. */
export async function changePriority(
  ctx: StepContext,
  row: incidents.IncidentRow,
  input: PriorityInput,
  agent: AgentRef,
): Promise<void> {
  const { tx, at } = ctx;
  let priorityId: string | null = null;
  if (input !== null) {
    const by = typeof input === 'string' ? { name: input } : input;
    const found = await findPriority(tx.db, by);
    if (!found) throw new AppError('invalidInput', [`Priority ${by.id ?? by.name ?? ''} not found`]);
    priorityId = found.id;
  }
  if (priorityId === row.priority_id) return;
  await tx.db
    .updateTable('incidents')
    .set({ priority_id: priorityId, updated_at: at })
    .where('id', '=', row.id)
    .execute();
  await enqueueIncidentEvent(tx, 'incident.priority_updated', row.id, row.service_id, {
    id: longId(),
    at,
    agent: JSON.stringify(agent),
    channel: JSON.stringify(restChannel),
    note: null,
  });
}

/**
 * Re-opens a resolved incident (PagerDuty: `status` triggered or acknowledged on a resolved incident):
 * it is triggered again with a `trigger_log_entry` saying so, `incident.reopened` goes to subscribers,
 * and it is assigned afresh from its policy's first level (the engine's `assign` step) with its
 * auto-resolve restarted. Its alerts stay resolved. An incident merged into another stays resolved (1019).
 */
export async function reopenIncident(ctx: StepContext, row: incidents.IncidentRow, agent: AgentRef) {
  const { tx, at } = ctx;
  const reason = row.resolve_reason === null ? null : (JSON.parse(row.resolve_reason) as { type?: string });
  if (reason?.type === 'merge_resolve_reason')
    throw new AppError('alreadyMerged', [
      `Incident ${row.incident_number} was merged and cannot be reopened`,
    ]);
  await tx.raw.run(
    `UPDATE incidents SET status = 'triggered', resolved_at = NULL, resolve_reason = NULL, acknowledgements = '[]',
       escalation_level = 0, escalation_loops = 0, assigned_via = NULL, last_status_change_at = ?,
       last_status_change_by = ?, updated_at = ? WHERE id = ? AND status = 'resolved'`,
    [at, JSON.stringify(agent), at, row.id],
  );
  const entry = {
    id: longId(),
    type: 'trigger_log_entry',
    incidentId: row.id,
    alertId: null,
    serviceId: row.service_id,
    at,
    channel: JSON.stringify(restChannel),
    agent: JSON.stringify(agent),
    summary: `Reopened by ${agent.summary}.`,
    note: null,
  };
  await insertLogEntry(tx, entry);
  await enqueueIncidentEvent(tx, 'incident.reopened', row.id, row.service_id, entry);
  const service = await tx.raw.all<{ auto_resolve_timeout: number | null }>(
    `SELECT auto_resolve_timeout FROM services WHERE id = ?`,
    [row.service_id],
  );
  await timersForNewIncident(tx, row.id, service[0]?.auto_resolve_timeout ?? null, at);
}
