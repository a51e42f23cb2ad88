import { canRespond, type Actor } from '../auth/actor.js';
import type { Clock } from '../lib/clock.js';
import { AppError } from '../lib/errors.js';
import { longId } from '../lib/ids.js';
import type { Store } from '../store/store.js';
import { incidentViews, type IncidentView } from './incident-reads.js';
import * as incidents from './incident-store.js';
import { insertLogEntry } from './ingest-store.js';
import { acknowledgeIncident, resolveIncident, type AgentRef } from './transitions.js';
import { agentFor, restChannel } from './incident-agent.js';
import { changePriority, changeUrgency, reopenIncident, type PriorityInput } from './incident-changes.js';
import type { StepContext } from '../escalation/assignment.js';
import { loadEscalationIncident } from '../escalation/incident-state.js';
import { delegate, escalateToLevel, reassign, unacknowledge } from '../escalation/manual-steps.js';
import { timersForSnoozed } from '../engine/incident-timers.js';

/** PagerDuty's cap on one bulk update; more answers 413. */
export const MAX_BULK_UPDATES = 250;

/** One requested change of `PUT /incidents[/{id}]`. */
export interface IncidentUpdate {
  /** Incident id or number. */
  id: string;
  status?: 'acknowledged' | 'resolved' | 'triggered';
  title?: string;
  urgency?: 'high' | 'low';
  /** A note on the resolve log entry. */
  resolution?: string;
  /** Escalate (or de-escalate) to this level of the incident's policy. */
  escalation_level?: number;
  /** Delegate to this escalation policy. */
  escalation_policy?: { id: string };
  /** Reassign directly to these users. */
  assignments?: { assignee: { id: string } }[];
  /** Set (or, with null, clear) the priority. */
  priority?: PriorityInput;
}

/** What incident actions need. */
export interface IncidentActionDeps {
  store: Store;
  clock: Clock;
  fallbackEmails: readonly string[];
}

/** Escalation changes of one update: delegate, escalate to a level, reassign, un-acknowledge. */
async function applyEscalation(ctx: StepContext, update: IncidentUpdate, id: string, agent: AgentRef) {
  const state = async () => (await loadEscalationIncident(ctx.tx, id))!;
  if (update.escalation_policy !== undefined)
    await delegate(ctx, await state(), update.escalation_policy.id, agent, restChannel);
  if (update.escalation_level !== undefined)
    await escalateToLevel(ctx, await state(), update.escalation_level, agent, restChannel);
  if (update.assignments !== undefined) {
    const ids = [...new Set(update.assignments.map((a) => a.assignee.id))];
    const live = await ctx.tx.db
      .selectFrom('users')
      .select('id')
      .where('id', 'in', ids)
      .where('deleted_at', 'is', null)
      .execute();
    const missing = ids.filter((u) => !live.some((l) => l.id === u));
    if (missing.length > 0)
      throw new AppError(
        'invalidInput',
        missing.map((u) => `Assignee ${u} is not a user`),
      );
    await reassign(ctx, await state(), ids, agent, restChannel);
  }
  if (update.status === 'triggered')
    await unacknowledge(ctx, await state(), `by ${agent.summary}`, agent, restChannel);
}

/** Applies one update inside the caller's transaction; throws (rolling everything back) on a rule. */
async function applyUpdate(ctx: StepContext, update: IncidentUpdate, agent: AgentRef): Promise<string> {
  const { tx, at } = ctx;
  const found = await incidents.findIncident(tx.db, update.id);
  if (!found) throw new AppError('notFound', [`Incident ${update.id} not found`]); // names which one, for bulk
  await incidents.lockIncident(tx.db, found.id);
  let row = (await incidents.findIncident(tx.db, found.id))!; // re-read under the lock
  const { status } = update;
  const escalates =
    update.escalation_level !== undefined ||
    update.escalation_policy !== undefined ||
    update.assignments !== undefined;
  if (row.status === 'resolved' && (status === 'triggered' || status === 'acknowledged')) {
    await reopenIncident(ctx, row, agent);
    row = (await incidents.findIncident(tx.db, row.id))!;
  } else if (row.status === 'resolved' && (status !== undefined || update.urgency !== undefined || escalates))
    throw new AppError('alreadyResolved', [`Incident ${update.id} is already resolved`]);
  if (update.title !== undefined && update.title !== row.title)
    await incidents.setIncidentTitle(tx.db, row.id, update.title, at);
  if (update.urgency !== undefined && update.urgency !== row.urgency)
    await changeUrgency(ctx, row, update.urgency, agent);
  if (update.priority !== undefined) await changePriority(ctx, row, update.priority, agent);
  if (escalates || (status === 'triggered' && row.status === 'acknowledged'))
    await applyEscalation(ctx, update, row.id, agent);
  if (status === 'acknowledged') {
    // Acknowledging an acknowledged incident changes nothing and is not an error (bulk "ack all" works).
    await acknowledgeIncident(tx, row, agent, restChannel, at);
  } else if (status === 'resolved') {
    await resolveIncident(tx, row, agent, restChannel, at);
    if (update.resolution !== undefined && update.resolution !== '')
      await incidents.setResolveNote(tx.db, row.id, at, update.resolution);
  }
  return row.id;
}

/**
 * Acknowledges, resolves, renames or changes the urgency of incidents, all in one transaction: when one
 * update breaks a rule nothing changes. Returns the incidents as they are after the commit.
 */
export async function updateIncidents(
  deps: IncidentActionDeps,
  actor: Actor,
  from: string | undefined,
  updates: readonly IncidentUpdate[],
): Promise<IncidentView[]> {
  if (!canRespond(actor)) throw new AppError('forbidden');
  if (updates.length > MAX_BULK_UPDATES)
    throw new AppError('tooManyItems', [`At most ${MAX_BULK_UPDATES} incidents can be updated at a time`]);
  const agent = await agentFor(deps.store.db, actor, from);
  const at = deps.clock.now().toISOString();
  return deps.store.transaction(async (tx) => {
    // Every incident of a bulk update is locked in id order first: two bulk requests naming the same
    // incidents in another order then wait for each other instead of deadlocking on PostgreSQL.
    const found = await Promise.all(updates.map((u) => incidents.findIncident(tx.db, u.id)));
    const lockIds = [...new Set(found.flatMap((r) => (r ? [r.id] : [])))].sort();
    for (const id of lockIds) await incidents.lockIncident(tx.db, id);
    const ids: string[] = [];
    const ctx: StepContext = { tx, at, fallbackEmails: deps.fallbackEmails };
    for (const update of updates) ids.push(await applyUpdate(ctx, update, agent));
    const rows = [];
    for (const id of ids) rows.push((await incidents.findIncident(tx.db, id))!);
    return incidentViews(tx.db, rows);
  });
}

/** Longest snooze PagerDuty allows: a week. */
const MAX_SNOOZE_SECONDS = 604_800;

/**
 * Snoozes an acknowledged incident: it is triggered again (and its assignees re-notified) when the
 * duration ends, unless it is resolved first. The acknowledgement timeout no longer applies meanwhile.
 */
export async function snoozeIncident(
  deps: IncidentActionDeps,
  actor: Actor,
  from: string | undefined,
  id: string,
  duration: number,
): Promise<IncidentView> {
  if (!canRespond(actor)) throw new AppError('forbidden');
  if (!Number.isInteger(duration) || duration < 1 || duration > MAX_SNOOZE_SECONDS)
    throw new AppError('invalidSnoozeDuration', [`Duration must be from 1 to ${MAX_SNOOZE_SECONDS} seconds`]);
  const agent = await agentFor(deps.store.db, actor, from);
  const at = deps.clock.now().toISOString();
  return deps.store.transaction(async (tx) => {
    const found = await incidents.findIncident(tx.db, id);
    if (!found) throw new AppError('notFound');
    await incidents.lockIncident(tx.db, found.id);
    const row = (await incidents.findIncident(tx.db, found.id))!;
    if (row.status !== 'acknowledged')
      throw new AppError('notAcknowledged', [`Incident ${id} is ${row.status}`]);
    const until = new Date(Date.parse(at) + duration * 1000).toISOString();
    await timersForSnoozed(tx, row.id, until, at);
    await insertLogEntry(tx, {
      id: longId(),
      type: 'snooze_log_entry',
      incidentId: row.id,
      alertId: null,
      serviceId: row.service_id,
      at,
      channel: JSON.stringify({ ...restChannel, duration }),
      agent: JSON.stringify(agent),
      summary: `Snoozed by ${agent.summary} until ${until}.`,
      note: null,
    });
    const [view] = await incidentViews(tx.db, [(await incidents.findIncident(tx.db, row.id))!]);
    return view!;
  });
}
