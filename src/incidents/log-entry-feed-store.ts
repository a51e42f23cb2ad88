import type { Kysely } from 'kysely';
import type { Database } from '../store/database.js';

/** What the live feed says of a new log entry: enough for a client to refetch the incident. */
export interface FeedEntry {
  id: string;
  type: string;
  incident_id: string;
  service_id: string;
  created_at: string;
}

/** Log entries with an id above `afterId`, in id (creation) order, at most `limit`. */
export async function logEntriesAfter(
  db: Kysely<Database>,
  afterId: string,
  limit: number,
): Promise<FeedEntry[]> {
  return db
    .selectFrom('log_entries')
    .select(['id', 'type', 'incident_id', 'service_id', 'created_at'])
    .where('id', '>', afterId)
    .orderBy('id')
    .limit(limit)
    .execute();
}

/** The greatest log entry id, or '' when there is none. */
export async function latestLogEntryId(db: Kysely<Database>): Promise<string> {
  const row = await db
    .selectFrom('log_entries')
    .select((eb) => eb.fn.max('id').as('id'))
    .executeTakeFirst();
  return row?.id ?? '';
}
