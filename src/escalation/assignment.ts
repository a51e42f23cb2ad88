import { after, assignmentTimers, deleteIncidentTimers, insertTimer } from '../engine/timer.js';
import { insertLogEntry } from '../incidents/ingest-store.js';
import type { AgentRef, Channel } from '../incidents/transitions.js';
import { longId } from '../lib/ids.js';
import { planAssignmentNotifications, type AssignmentNotice } from '../notify/assignment-notifications.js';
import { cancelPendingNotifications } from '../notify/notification-store.js';
import type { Tx } from '../store/store.js';
import type { LoadedPolicy, EscalationIncident, AssignmentTarget } from './incident-state.js';
import { userNames, writeAssignment } from './incident-state.js';

/** What an escalation step needs: the transaction, its instant and the unassigned fallback. */
export interface StepContext {
  tx: Tx;
  at: string;
  /** Emails paged when nobody is on call; empty means every admin. */
  fallbackEmails: readonly string[];
}

/** The timeline entry an assignment writes. */
export interface AssignmentLog {
  type: string;
  /** Text before the assignees' names, e.g. 'Escalated to level 2'. */
  lead: string;
  agent: AgentRef | null;
  channel: Channel;
  /** Extra sentence (skipped levels, …). */
  note?: string;
}

/** Writes one log entry on an incident's timeline. */
export async function logStep(
  ctx: StepContext,
  incident: EscalationIncident,
  type: string,
  summary: string,
  agent: AgentRef | null,
  channel: Channel,
): Promise<void> {
  await insertLogEntry(ctx.tx, {
    id: longId(),
    type,
    incidentId: incident.id,
    alertId: null,
    serviceId: incident.service_id,
    at: ctx.at,
    channel: JSON.stringify(channel),
    agent: agent === null ? null : JSON.stringify(agent),
    summary,
    note: null,
  });
}

/** What an incident's assignment notifications say, for one assignment and reason. */
export function noticeOf(incident: EscalationIncident, seq: number, reason: string): AssignmentNotice {
  return {
    incidentId: incident.id,
    incidentNumber: incident.incident_number,
    title: incident.title,
    serviceName: incident.service_name,
    urgency: incident.urgency,
    seq,
    reason,
  };
}

/** Ends the current assignment's pending work: its timers and its pending notifications. */
export async function endAssignmentWork(ctx: StepContext, incidentId: string): Promise<void> {
  await deleteIncidentTimers(ctx.tx, incidentId, assignmentTimers);
  await cancelPendingNotifications(ctx.tx, incidentId, ctx.at);
}

/**
 * Assigns an incident: ends the previous assignment's work, records the assignees and escalation
 * position, logs it, plans each assignee's notifications (every re-assignment restarts the rules) and,
 * for a high-urgency incident assigned through its policy, the escalation to the next level.
 */
export async function assign(
  ctx: StepContext,
  incident: EscalationIncident,
  policy: LoadedPolicy | undefined,
  target: AssignmentTarget,
  reason: string,
  log: AssignmentLog,
): Promise<void> {
  await endAssignmentWork(ctx, incident.id);
  const seq = await writeAssignment(ctx.tx, incident.id, target, ctx.at);
  Object.assign(incident, {
    escalation_level: target.level,
    escalation_loops: target.loops,
    assigned_via: target.via,
    assignment_seq: seq,
  });
  const names = await userNames(ctx.tx, target.userIds);
  const who = target.userIds.map((u) => names.get(u) ?? u).join(', ');
  const summary = [`${log.lead}: ${who}.`, log.note].filter(Boolean).join(' ');
  await logStep(ctx, incident, log.type, summary, log.agent, log.channel);
  const silent = await planAssignmentNotifications(
    ctx.tx,
    target.userIds,
    noticeOf(incident, seq, reason),
    ctx.at,
  );
  if (silent.length > 0) {
    const list = silent.map((u) => names.get(u) ?? u).join(', ');
    await logStep(
      ctx,
      incident,
      'notify_log_entry',
      `Not notified: ${list} ${silent.length === 1 ? 'has' : 'have'} no notification rule for ${incident.urgency}-urgency incidents.`,
      null,
      { type: 'auto' },
    );
  }
  const rule = policy?.rules[target.level - 1];
  if (target.via === 'escalation_policy' && incident.urgency === 'high' && rule)
    await insertTimer(
      ctx.tx,
      {
        kind: 'escalate',
        incidentId: incident.id,
        dueAt: after(ctx.at, rule.escalation_delay_in_minutes * 60),
        payload: { seq },
      },
      ctx.at,
    );
}
