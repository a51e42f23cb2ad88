import type { Kysely, Updateable } from 'kysely';
import type { Database, SchedulesTable, UsersTable } from '../store/database.js';
import { countRows, lowerContains, pageByName } from '../store/name-queries.js';

type Db = Kysely<Database>;

function filtered(db: Db, query: string | undefined) {
  let q = db.selectFrom('schedules').where('deleted_at', 'is', null);
  if (query) q = q.where(lowerContains('name', query));
  return q;
}

/** A page of live schedules sorted by name (callers ask one extra row to tell `more`). */
export async function listScheduleRows(
  db: Db,
  query: string | undefined,
  page: { limit: number; offset: number },
): Promise<SchedulesTable[]> {
  return pageByName(filtered(db, query).selectAll(), page).execute();
}

/** How many live schedules match the query. */
export async function countSchedules(db: Db, query: string | undefined): Promise<number> {
  return countRows(filtered(db, query));
}

/** A live schedule row. */
export async function findScheduleRow(db: Db, id: string): Promise<SchedulesTable | undefined> {
  return db
    .selectFrom('schedules')
    .selectAll()
    .where('id', '=', id)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
}

/** Inserts a schedule row. */
export async function insertSchedule(db: Db, row: SchedulesTable): Promise<void> {
  await db.insertInto('schedules').values(row).execute();
}

/** Updates a live schedule row. */
export async function updateScheduleRow(
  db: Db,
  id: string,
  values: Updateable<SchedulesTable>,
): Promise<void> {
  await db
    .updateTable('schedules')
    .set(values)
    .where('id', '=', id)
    .where('deleted_at', 'is', null)
    .execute();
}

/** Live escalation policies (id, name) whose rules target the schedule. */
export async function policiesTargeting(
  db: Db,
  scheduleIds: string[],
): Promise<{ id: string; name: string; rules: string }[]> {
  if (scheduleIds.length === 0) return [];
  // A LIKE prefilter on the JSON text; callers confirm by parsing the rules.
  return db
    .selectFrom('escalation_policies')
    .select(['id', 'name', 'rules'])
    .where('deleted_at', 'is', null)
    .where((eb) => eb.or(scheduleIds.map((id) => eb('rules', 'like', `%${id}%`))))
    .orderBy('name')
    .execute();
}

/** Users by id, deleted ones included (a deleted user still renders in history). */
export async function usersByIds(db: Db, ids: readonly string[]): Promise<UsersTable[]> {
  if (ids.length === 0) return [];
  return db
    .selectFrom('users')
    .selectAll()
    .where('id', 'in', [...ids])
    .execute();
}
