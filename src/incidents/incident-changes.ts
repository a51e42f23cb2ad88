import { assign, type StepContext } from '../escalation/assignment.js';
import { loadEscalationIncident, loadPolicy } from '../escalation/incident-state.js';
import { deleteIncidentTimers } from '../engine/timer.js';
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
