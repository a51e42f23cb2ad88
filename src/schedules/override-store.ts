/** Kysely queries of schedule overrides. */
import type { Kysely } from 'kysely';
import type { Database, ScheduleOverridesTable } from '../store/database.js';

type Db = Kysely<Database>;

/** A schedule's overrides that touch [since, until), oldest created first. */
export async function overrideRows(
  db: Db,
  scheduleId: string,
  since: string,
  until: string,
): Promise<ScheduleOverridesTable[]> {
  return db
    .selectFrom('schedule_overrides')
    .selectAll()
    .where('schedule_id', '=', scheduleId)
    .where('end_at', '>', since)
    .where('start_at', '<', until)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

/** One override of a schedule. */
export async function findOverrideRow(
  db: Db,
  scheduleId: string,
  id: string,
): Promise<ScheduleOverridesTable | undefined> {
  return db
    .selectFrom('schedule_overrides')
    .selectAll()
    .where('schedule_id', '=', scheduleId)
    .where('id', '=', id)
    .executeTakeFirst();
}

/** Inserts an override row. */
export async function insertOverride(db: Db, row: ScheduleOverridesTable): Promise<void> {
  await db.insertInto('schedule_overrides').values(row).execute();
}

/** Ends an override early (truncates it at `at`). */
export async function truncateOverride(db: Db, id: string, at: string): Promise<void> {
  await db.updateTable('schedule_overrides').set({ end_at: at }).where('id', '=', id).execute();
}

/** Deletes an override. */
export async function deleteOverrideRow(db: Db, id: string): Promise<void> {
  await db.deleteFrom('schedule_overrides').where('id', '=', id).execute();
}
