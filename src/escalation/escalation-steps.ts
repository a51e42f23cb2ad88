import { after, insertTimer } from '../engine/timer.js';
import { planAssignmentNotifications } from '../notify/assignment-notifications.js';
import type { EscalationIncident, LoadedPolicy } from './incident-state.js';
import { fallbackUsers, loadPolicy, writeAssignment } from './incident-state.js';
import { assign, endAssignmentWork, logStep, noticeOf, type StepContext } from './assignment.js';
import { onCallByLevel, type LevelOnCall } from './on-call-resolver.js';

/** How often an unassigned incident looks again for someone on call. */
export const UNASSIGNED_RETRY_SECONDS = 300;

const auto = { type: 'auto' } as const;

/** The first level at or after `from` (0-based) with someone on call, and the empty levels skipped. */
function firstStaffed(levels: LevelOnCall[][], from: number): { index: number; skipped: number[] } {
  const skipped: number[] = [];
  for (let i = from; i < levels.length; i++) {
    if (levels[i]!.length > 0) return { index: i, skipped };
    skipped.push(i + 1);
  }
  return { index: -1, skipped };
}

const skippedNote = (skipped: number[]) =>
  skipped.length === 0
    ? undefined
    : `Skipped level${skipped.length > 1 ? 's' : ''} ${skipped.join(', ')}: no one on call.`;

/**
 * Nobody is on call anywhere (or the service has no policy): PagerDuty would create no incident.
 * Tocsin keeps it, unassigned, logs why, pages the fallback (the admins unless configured) and looks
 * for someone on call again every few minutes, so a page is never lost to a schedule hole.
 */
export async function leaveUnassigned(ctx: StepContext, incident: EscalationIncident, why: string) {
  await endAssignmentWork(ctx, incident.id);
  const seq = await writeAssignment(
    ctx.tx,
    incident.id,
    { level: 0, loops: 0, via: null, userIds: [] },
    ctx.at,
  );
  incident.assignment_seq = seq;
  const fallback = await fallbackUsers(ctx.tx, ctx.fallbackEmails);
  await logStep(
    ctx,
    incident,
    'assign_log_entry',
    `Unassigned: ${why}. Paging the fallback (${fallback.length} user${fallback.length === 1 ? '' : 's'}).`,
    null,
    auto,
  );
  await planAssignmentNotifications(ctx.tx, fallback, noticeOf(incident, seq, 'unassigned_fallback'), ctx.at);
  await scheduleAssignRetry(ctx, incident);
}

async function scheduleAssignRetry(ctx: StepContext, incident: EscalationIncident) {
  await insertTimer(
    ctx.tx,
    {
      kind: 'assign',
      incidentId: incident.id,
      dueAt: after(ctx.at, UNASSIGNED_RETRY_SECONDS),
      payload: { retry: true },
    },
    ctx.at,
  );
}

/** Assigns the first staffed level of the policy from `from`, or leaves the incident unassigned. */
async function assignFirstStaffed(
  ctx: StepContext,
  incident: EscalationIncident,
  policy: LoadedPolicy,
  from: number,
  loops: number,
  reason: string,
  lead: (level: number) => { type: string; lead: string },
  retry = false,
): Promise<boolean> {
  const levels = await onCallByLevel(ctx.tx.db, policy.rules, ctx.at);
  const { index, skipped } = firstStaffed(levels, from);
  if (index === -1) {
    if (retry) await scheduleAssignRetry(ctx, incident);
    else await leaveUnassigned(ctx, incident, `no one is on call on any level of ${policy.name}`);
    return false;
  }
  const users = levels[index]!.map((l) => l.userId);
  await assign(
    ctx,
    incident,
    policy,
    { level: index + 1, loops, via: 'escalation_policy', userIds: users },
    reason,
    { ...lead(index + 1), agent: null, channel: auto, note: skippedNote(skipped) },
  );
  return true;
}

/** The `assign` timer: a new (or unassigned) triggered incident goes to its first staffed level. */
export async function startEscalation(ctx: StepContext, incident: EscalationIncident, retry: boolean) {
  if (incident.status !== 'triggered') return;
  if (retry && incident.assigned_via !== null) return;
  const policy = await loadPolicy(ctx.tx, incident.escalation_policy_id);
  if (!policy) {
    if (!retry) await leaveUnassigned(ctx, incident, 'the service has no escalation policy');
    else await scheduleAssignRetry(ctx, incident);
    return;
  }
  await assignFirstStaffed(
    ctx,
    incident,
    policy,
    0,
    0,
    'assigned',
    (level) => ({ type: 'assign_log_entry', lead: `Assigned at level ${level} of ${policy.name}` }),
    retry,
  );
}

/** The `escalate` timer: no acknowledgement in time, so the next level (or a loop, or the end). */
export async function escalateOnTimer(ctx: StepContext, incident: EscalationIncident, seq: number) {
  if (incident.status !== 'triggered' || incident.assignment_seq !== seq) return;
  const policy = await loadPolicy(ctx.tx, incident.escalation_policy_id);
  if (!policy) return;
  const escalated = (level: number) => ({ type: 'escalate_log_entry', lead: `Escalated to level ${level}` });
  const levels = await onCallByLevel(ctx.tx.db, policy.rules, ctx.at);
  if (firstStaffed(levels, incident.escalation_level).index !== -1) {
    await assignFirstStaffed(
      ctx,
      incident,
      policy,
      incident.escalation_level,
      incident.escalation_loops,
      'escalated',
      escalated,
    );
    return;
  }
  if (incident.escalation_loops < policy.num_loops) {
    const loops = incident.escalation_loops + 1;
    await logStep(
      ctx,
      incident,
      'repeat_escalation_path_log_entry',
      `Repeating the escalation path (loop ${loops} of ${policy.num_loops}).`,
      null,
      auto,
    );
    await assignFirstStaffed(ctx, incident, policy, 0, loops, 'escalated', escalated);
    return;
  }
  await logStep(
    ctx,
    incident,
    'exhaust_escalation_path_log_entry',
    `Escalation path exhausted after ${policy.num_loops + 1} pass${policy.num_loops === 0 ? '' : 'es'}; the incident stays with its assignees.`,
    null,
    auto,
  );
}
