import type { AgentRef, Channel } from '../incidents/transitions.js';
import { AppError } from '../lib/errors.js';
import { assign, logStep, type StepContext } from './assignment.js';
import { startEscalation } from './escalation-steps.js';
import type { EscalationIncident } from './incident-state.js';
import { loadPolicy } from './incident-state.js';
import { onCallByLevel } from './on-call-resolver.js';

/** Sets an acknowledged incident back to triggered; false when it was not acknowledged. */
async function markTriggered(ctx: StepContext, incident: EscalationIncident, agent: AgentRef | null) {
  const changed = await ctx.tx.raw.run(
    `UPDATE incidents SET status = 'triggered', acknowledgements = '[]', last_status_change_at = ?,
       last_status_change_by = ?, updated_at = ? WHERE id = ? AND status = 'acknowledged'`,
    [ctx.at, agent === null ? null : JSON.stringify(agent), ctx.at, incident.id],
  );
  if (changed > 0) incident.status = 'triggered';
  return changed > 0;
}

async function currentAssignees(ctx: StepContext, incidentId: string): Promise<string[]> {
  const rows = await ctx.tx.raw.all<{ user_id: string }>(
    `SELECT user_id FROM incident_assignments WHERE incident_id = ? ORDER BY assigned_at, user_id`,
    [incidentId],
  );
  return rows.map((r) => r.user_id);
}

function acknowledgers(incident: EscalationIncident): string[] {
  const list = JSON.parse(incident.acknowledgements) as { acknowledger?: { id?: string; type?: string } }[];
  return list.filter((a) => a.acknowledger?.type === 'user_reference').map((a) => a.acknowledger!.id!);
}

/**
 * Un-acknowledges (the acknowledgement timeout, a snooze's end, or a person): the incident is triggered
 * again, its assignees and acknowledgers plus whoever is on call at its level now are notified afresh,
 * and escalation resumes from that level.
 */
export async function unacknowledge(
  ctx: StepContext,
  incident: EscalationIncident,
  why: string,
  agent: AgentRef | null,
  channel: Channel,
): Promise<boolean> {
  const previous = acknowledgers(incident);
  if (!(await markTriggered(ctx, incident, agent))) return false;
  await logStep(ctx, incident, 'unacknowledge_log_entry', `Unacknowledged: ${why}.`, agent, channel);
  if (incident.assigned_via === null) {
    await startEscalation(ctx, incident, false);
    return true;
  }
  const users = new Set([...(await currentAssignees(ctx, incident.id)), ...previous]);
  const policy = await loadPolicy(ctx.tx, incident.escalation_policy_id);
  if (incident.assigned_via === 'escalation_policy' && policy && incident.escalation_level > 0) {
    const levels = await onCallByLevel(ctx.tx.db, policy.rules, ctx.at);
    for (const l of levels[incident.escalation_level - 1] ?? []) users.add(l.userId);
  }
  await assign(
    ctx,
    incident,
    policy,
    {
      level: incident.escalation_level,
      loops: incident.escalation_loops,
      via: incident.assigned_via === 'direct_assignment' ? 'direct_assignment' : 'escalation_policy',
      userIds: [...users],
    },
    'unacknowledged',
    { type: 'assign_log_entry', lead: 'Re-notifying', agent: null, channel: { type: 'auto' } },
  );
  return true;
}

/** Escalates to a chosen level (1-based); an acknowledged incident is triggered again. */
export async function escalateToLevel(
  ctx: StepContext,
  incident: EscalationIncident,
  level: number,
  agent: AgentRef,
  channel: Channel,
): Promise<void> {
  const policy = await loadPolicy(ctx.tx, incident.escalation_policy_id);
  if (!policy) throw new AppError('invalidInput', ['The incident has no escalation policy to escalate on']);
  if (!Number.isInteger(level) || level < 1 || level > policy.rules.length)
    throw new AppError('invalidInput', [`Escalation level must be between 1 and ${policy.rules.length}`]);
  const users = ((await onCallByLevel(ctx.tx.db, policy.rules, ctx.at))[level - 1] ?? []).map(
    (l) => l.userId,
  );
  if (users.length === 0)
    throw new AppError('invalidInput', [`No one is on call at escalation level ${level}`]);
  await markTriggered(ctx, incident, agent);
  await assign(
    ctx,
    incident,
    policy,
    { level, loops: incident.escalation_loops, via: 'escalation_policy', userIds: users },
    'escalated',
    { type: 'escalate_log_entry', lead: `Escalated to level ${level} by ${agent.summary}`, agent, channel },
  );
}

/** Assigns directly to users (no escalation follows); an acknowledged incident is triggered again. */
export async function reassign(
  ctx: StepContext,
  incident: EscalationIncident,
  userIds: readonly string[],
  agent: AgentRef,
  channel: Channel,
): Promise<void> {
  await markTriggered(ctx, incident, agent);
  await assign(
    ctx,
    incident,
    await loadPolicy(ctx.tx, incident.escalation_policy_id),
    { level: incident.escalation_level, loops: incident.escalation_loops, via: 'direct_assignment', userIds },
    'assigned',
    { type: 'assign_log_entry', lead: `Reassigned by ${agent.summary} to`, agent, channel },
  );
}

/** Hands the incident to another escalation policy, from its first level. */
export async function delegate(
  ctx: StepContext,
  incident: EscalationIncident,
  policyId: string,
  agent: AgentRef,
  channel: Channel,
): Promise<void> {
  const policy = await loadPolicy(ctx.tx, policyId);
  if (!policy) throw new AppError('invalidInput', [`Escalation policy ${policyId} not found`]);
  await ctx.tx.raw.run(
    `UPDATE incidents SET escalation_policy_id = ?, escalation_level = 0, escalation_loops = 0, updated_at = ? WHERE id = ?`,
    [policy.id, ctx.at, incident.id],
  );
  Object.assign(incident, { escalation_policy_id: policy.id, escalation_level: 0, escalation_loops: 0 });
  await markTriggered(ctx, incident, agent);
  await logStep(
    ctx,
    incident,
    'delegate_log_entry',
    `Delegated to ${policy.name} by ${agent.summary}.`,
    agent,
    channel,
  );
  await startEscalation(ctx, incident, false);
}
