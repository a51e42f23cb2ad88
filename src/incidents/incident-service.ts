import type { Kysely } from 'kysely';
import { canRespond, type Actor } from '../auth/actor.js';
import type { Clock } from '../lib/clock.js';
import { AppError } from '../lib/errors.js';
import { longId } from '../lib/ids.js';
import type { Database } from '../store/database.js';
import type { Store, Tx } from '../store/store.js';
import { incidentViews, type IncidentView } from './incident-reads.js';
import * as incidents from './incident-store.js';
import { insertLogEntry } from './ingest-store.js';
import { acknowledgeIncident, resolveIncident, type AgentRef, type Channel } from './transitions.js';

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
}

// REST actions are logged with channel type "api": PagerDuty's timeline says "through the API" for them.
const restChannel: Channel = { type: 'api' };

/**
 * The user a REST action is done as. A user token acts as its user; an account token must name a user
 * in `From` (PagerDuty requires it), who then becomes the agent of the log entries.
 */
async function agentFor(db: Kysely<Database>, actor: Actor, from: string | undefined): Promise<AgentRef> {
  if (actor.kind === 'user' && actor.userId !== null)
    return { id: actor.userId, type: 'user_reference', summary: actor.summary };
  if (from === undefined || from.trim() === '') throw new AppError('fromHeaderMissing');
  const user = await incidents.findUserByEmail(db, from);
  if (!user) throw new AppError('invalidInput', [`The "From" header names no user: ${from}`]);
  return { id: user.id, type: 'user_reference', summary: user.name };
}

async function changeUrgency(
  tx: Tx,
  row: incidents.IncidentRow,
  urgency: string,
  agent: AgentRef,
  at: string,
): Promise<void> {
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
}

/** Applies one update inside the caller's transaction; throws (rolling everything back) on a rule. */
async function applyUpdate(tx: Tx, update: IncidentUpdate, agent: AgentRef, at: string): Promise<string> {
  const found = await incidents.findIncident(tx.db, update.id);
  if (!found) throw new AppError('notFound', [`Incident ${update.id} not found`]); // names which one, for bulk
  await incidents.lockIncident(tx.db, found.id);
  const row = (await incidents.findIncident(tx.db, found.id))!; // re-read under the lock
  const { status } = update;
  if (status === 'triggered' && row.status !== 'triggered')
    throw new AppError('invalidStatus', [
      `Incident ${update.id}: reopening or unacknowledging is not supported`,
    ]);
  if (row.status === 'resolved' && (status !== undefined || update.urgency !== undefined))
    throw new AppError('alreadyResolved', [`Incident ${update.id} is already resolved`]);
  if (update.title !== undefined && update.title !== row.title)
    await incidents.setIncidentTitle(tx.db, row.id, update.title, at);
  if (update.urgency !== undefined && update.urgency !== row.urgency)
    await changeUrgency(tx, row, update.urgency, agent, at);
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
  deps: { store: Store; clock: Clock },
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
    const ids: string[] = [];
    for (const update of updates) ids.push(await applyUpdate(tx, update, agent, at));
    const rows = [];
    for (const id of ids) rows.push((await incidents.findIncident(tx.db, id))!);
    return incidentViews(tx.db, rows);
  });
}
