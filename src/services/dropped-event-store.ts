import type { Kysely } from 'kysely';
import type { Database, DroppedEventsTable } from '../store/database.js';

type Db = Kysely<Database>;

/** A dropped event with its integration's name and type (for the reference). */
export type DroppedEventRow = DroppedEventsTable & { integration_name: string; integration_type: string };

/** Filters of the dropped-events log (a service's, or the account's). */
export interface DroppedEventFilter {
  serviceIds?: readonly string[] | undefined;
  integrationIds?: readonly string[] | undefined;
  reasons?: readonly string[] | undefined;
  /** Received at or after (ISO-8601 UTC). */
  since?: string | undefined;
  /** Received before (ISO-8601 UTC). */
  until?: string | undefined;
}

function filtered(db: Db, f: DroppedEventFilter) {
  let q = db.selectFrom('dropped_events as d');
  if (f.serviceIds?.length) q = q.where('d.service_id', 'in', [...f.serviceIds]);
  if (f.integrationIds?.length) q = q.where('d.integration_id', 'in', [...f.integrationIds]);
  if (f.reasons?.length) q = q.where('d.reason', 'in', [...f.reasons]);
  if (f.since !== undefined) q = q.where('d.received_at', '>=', f.since);
  if (f.until !== undefined) q = q.where('d.received_at', '<', f.until);
  return q;
}

/** A page of dropped events, newest first (callers ask one extra row to tell `more`). */
export async function listDroppedEventRows(
  db: Db,
  filter: DroppedEventFilter,
  page: { limit: number; offset: number },
): Promise<DroppedEventRow[]> {
  return filtered(db, filter)
    .innerJoin('integrations as i', 'i.id', 'd.integration_id')
    .selectAll('d')
    .select(['i.name as integration_name', 'i.type as integration_type'])
    .orderBy('d.received_at', 'desc')
    .orderBy('d.id', 'desc')
    .limit(page.limit)
    .offset(page.offset)
    .execute();
}

/** How many dropped events match the filter. */
export async function countDroppedEvents(db: Db, filter: DroppedEventFilter): Promise<number> {
  const row = await filtered(db, filter)
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}
