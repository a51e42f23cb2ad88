import type { Kysely } from 'kysely';
import type { Database, WebhookDeliveriesTable, WebhookSubscriptionsTable } from '../store/database.js';

/** A stored subscription. */
export type SubscriptionRow = WebhookSubscriptionsTable;

/** One subscription by id. */
export function findSubscription(db: Kysely<Database>, id: string): Promise<SubscriptionRow | undefined> {
  return db.selectFrom('webhook_subscriptions').selectAll().where('id', '=', id).executeTakeFirst();
}

/** A page of subscriptions, oldest first; `limit` rows are read (callers add one to tell `more`). */
export function listSubscriptions(
  db: Kysely<Database>,
  page: { limit: number; offset: number },
  filter: { type?: string; id?: string },
): Promise<SubscriptionRow[]> {
  let query = db.selectFrom('webhook_subscriptions').selectAll();
  if (filter.type !== undefined) query = query.where('filter_type', '=', filter.type);
  if (filter.id !== undefined) query = query.where('filter_id', '=', filter.id);
  return query.orderBy('created_at').orderBy('id').limit(page.limit).offset(page.offset).execute();
}

/** How many subscriptions exist. */
export async function countSubscriptions(db: Kysely<Database>): Promise<number> {
  const row = await db
    .selectFrom('webhook_subscriptions')
    .select((eb) => eb.fn.countAll().as('n'))
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

/** Stores a new subscription. */
export async function insertSubscription(db: Kysely<Database>, row: SubscriptionRow): Promise<void> {
  await db.insertInto('webhook_subscriptions').values(row).execute();
}

/** Changes a subscription's columns. */
export async function updateSubscription(
  db: Kysely<Database>,
  id: string,
  changes: Partial<SubscriptionRow>,
): Promise<void> {
  await db.updateTable('webhook_subscriptions').set(changes).where('id', '=', id).execute();
}

/** Deletes a subscription with its outbox rows and delivery log. */
export async function deleteSubscription(db: Kysely<Database>, id: string): Promise<void> {
  await db.deleteFrom('webhook_deliveries').where('subscription_id', '=', id).execute();
  await db.deleteFrom('webhook_subscriptions').where('id', '=', id).execute();
}

/** Whether a live service or team with this id exists (a filter's target). */
export async function filterTargetExists(db: Kysely<Database>, type: string, id: string): Promise<boolean> {
  const table = type === 'service_reference' ? 'services' : 'teams';
  const row = await db
    .selectFrom(table)
    .select('id')
    .where('id', '=', id)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
  return row !== undefined;
}

/** A page of a subscription's deliveries, newest first. */
export function listDeliveries(
  db: Kysely<Database>,
  subscriptionId: string,
  page: { limit: number; offset: number },
): Promise<WebhookDeliveriesTable[]> {
  return db
    .selectFrom('webhook_deliveries')
    .selectAll()
    .where('subscription_id', '=', subscriptionId)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(page.limit)
    .offset(page.offset)
    .execute();
}

/** How many deliveries a subscription has. */
export async function countDeliveries(db: Kysely<Database>, subscriptionId: string): Promise<number> {
  const row = await db
    .selectFrom('webhook_deliveries')
    .select((eb) => eb.fn.countAll().as('n'))
    .where('subscription_id', '=', subscriptionId)
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}
