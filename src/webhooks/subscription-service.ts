import { randomBytes } from 'node:crypto';
import { canConfigure, type Actor } from '../auth/actor.js';
import type { Clock } from '../lib/clock.js';
import { AppError } from '../lib/errors.js';
import { shortId } from '../lib/ids.js';
import type { Store } from '../store/store.js';
import { pingBody } from './envelope.js';
import { insertDelivery } from './outbox.js';
import * as db from './subscription-store.js';
import { audit, requireScope } from './subscription-access.js';
import {
  validateSubscriptionInput,
  type FilterType,
  type SubscriptionSettings,
} from './webhook-subscription.js';

/** What the subscription rules need. */
export interface SubscriptionDeps {
  store: Store;
  clock: Clock;
  /** The public base URL, recorded with each subscription for links in bodies. */
  baseUrl: string;
}

type Json = Record<string, unknown>;

/** Settings of a stored subscription. */
export function settingsOf(row: db.SubscriptionRow): SubscriptionSettings {
  return {
    url: row.url,
    customHeaders: JSON.parse(row.custom_headers) as SubscriptionSettings['customHeaders'],
    events: JSON.parse(row.events) as string[],
    filter: { type: row.filter_type as FilterType, id: row.filter_id },
    description: row.description,
    active: Number(row.active) === 1,
  };
}

function settingsToRow(s: SubscriptionSettings) {
  return {
    url: s.url,
    custom_headers: JSON.stringify(s.customHeaders),
    events: JSON.stringify(s.events),
    filter_type: s.filter.type,
    filter_id: s.filter.id,
    description: s.description,
    active: s.active ? 1 : 0,
  };
}

// Webhooks carry every incident of their filter to a URL of the configurer's choice: admins and
// managers only, for reads too (a URL may hold a token).
function requireConfigure(actor: Actor): void {
  if (!canConfigure(actor)) throw new AppError('forbidden');
}

async function checkFilter(deps: SubscriptionDeps, s: SubscriptionSettings): Promise<void> {
  if (s.filter.id === null) return;
  if (!(await db.filterTargetExists(deps.store.db, s.filter.type, s.filter.id)))
    throw new AppError('invalidInput', [
      `filter.id: ${s.filter.type === 'service_reference' ? 'service' : 'team'} ${s.filter.id} not found`,
    ]);
}

async function existing(deps: SubscriptionDeps, id: string): Promise<db.SubscriptionRow> {
  const row = await db.findSubscription(deps.store.db, id);
  if (!row) throw new AppError('notFound');
  return row;
}

/** Lists subscriptions; `limit` rows are read (callers add one to tell `more`). */
export async function listSubscriptions(
  deps: SubscriptionDeps,
  actor: Actor,
  page: { limit: number; offset: number; total: boolean },
  filter: { type?: string; id?: string },
): Promise<{ rows: db.SubscriptionRow[]; total: number | null }> {
  requireConfigure(actor);
  const rows = await db.listSubscriptions(deps.store.db, page, filter);
  return { rows, total: page.total ? await db.countSubscriptions(deps.store.db) : null };
}

/** One subscription. */
export async function getSubscription(deps: SubscriptionDeps, actor: Actor, id: string) {
  requireConfigure(actor);
  return existing(deps, id);
}

/** Creates a subscription with a new signing secret (returned only now). */
export async function createSubscription(
  deps: SubscriptionDeps,
  actor: Actor,
  input: Json,
): Promise<db.SubscriptionRow> {
  requireConfigure(actor);
  const settings = validateSubscriptionInput(input);
  await checkFilter(deps, settings);
  await requireScope(deps.store, actor, settings.filter);
  const at = deps.clock.now().toISOString();
  const row: db.SubscriptionRow = {
    id: shortId(),
    ...settingsToRow(settings),
    secret: randomBytes(36).toString('base64url'),
    disabled_until: null,
    consecutive_drops: 0,
    base_url: deps.baseUrl,
    created_at: at,
    updated_at: at,
  };
  await deps.store.transaction(async (tx) => {
    await db.insertSubscription(tx.db, row);
    await audit(tx, actor, at, 'create', null, row);
  });
  return row;
}

/** Changes a subscription; what the body leaves out stays. */
export async function updateSubscription(
  deps: SubscriptionDeps,
  actor: Actor,
  id: string,
  input: Json,
): Promise<db.SubscriptionRow> {
  requireConfigure(actor);
  const current = await existing(deps, id);
  const settings = validateSubscriptionInput(input, settingsOf(current));
  await checkFilter(deps, settings);
  await requireScope(deps.store, actor, settingsOf(current).filter, settings.filter);
  const at = deps.clock.now().toISOString();
  const values = { ...settingsToRow(settings), base_url: deps.baseUrl, updated_at: at };
  await deps.store.transaction(async (tx) => {
    await db.updateSubscription(tx.db, id, values);
    await audit(tx, actor, at, 'update', current, { ...current, ...values });
  });
  return existing(deps, id);
}

/** Deletes a subscription, its pending webhooks and its delivery log. */
export async function deleteSubscription(deps: SubscriptionDeps, actor: Actor, id: string): Promise<void> {
  requireConfigure(actor);
  const current = await existing(deps, id);
  await requireScope(deps.store, actor, settingsOf(current).filter);
  const at = deps.clock.now().toISOString();
  await deps.store.transaction(async (tx) => {
    await db.deleteSubscription(tx.db, id);
    await audit(tx, actor, at, 'delete', current, null);
  });
}

/** Ends a temporary disable (after repeated drops) and clears the drop count. */
export async function enableSubscription(deps: SubscriptionDeps, actor: Actor, id: string) {
  requireConfigure(actor);
  await requireScope(deps.store, actor, settingsOf(await existing(deps, id)).filter);
  const at = deps.clock.now().toISOString();
  await db.updateSubscription(deps.store.db, id, {
    disabled_until: null,
    consecutive_drops: 0,
    updated_at: at,
  });
  return existing(deps, id);
}

/** Queues a `pagey.ping` for the subscription (sent by the dispatcher like any webhook). */
export async function pingSubscription(deps: SubscriptionDeps, actor: Actor, id: string): Promise<void> {
  requireConfigure(actor);
  await existing(deps, id);
  const at = deps.clock.now().toISOString();
  const body = pingBody(at);
  const eventId = (JSON.parse(body) as { event: { id: string } }).event.id;
  await deps.store.transaction((tx) =>
    insertDelivery(tx, { subscriptionId: id, incidentId: null, eventId, eventType: 'pagey.ping', body }, at),
  );
}

/** A page of a subscription's delivery log, newest first. */
export async function listDeliveries(
  deps: SubscriptionDeps,
  actor: Actor,
  id: string,
  page: { limit: number; offset: number; total: boolean },
) {
  requireConfigure(actor);
  await existing(deps, id);
  const rows = await db.listDeliveries(deps.store.db, id, page);
  return { rows, total: page.total ? await db.countDeliveries(deps.store.db, id) : null };
}
