/** Kysely queries of feed tokens. */
import type { Kysely } from 'kysely';
import type { Database, SchedulesTable, UsersTable } from '../store/database.js';

type Db = Kysely<Database>;

/** A user row by feed token (live users only). */
export async function findUserByToken(db: Db, token: string): Promise<UsersTable | undefined> {
  return db
    .selectFrom('users')
    .selectAll()
    .where('ical_token', '=', token)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
}

/** Sets a user's feed token; with `onlyIfNull` it does nothing when one exists (first request races). */
export async function setUserToken(
  db: Db,
  userId: string,
  token: string,
  onlyIfNull: boolean,
): Promise<void> {
  let q = db.updateTable('users').set({ ical_token: token }).where('id', '=', userId);
  if (onlyIfNull) q = q.where('ical_token', 'is', null);
  await q.execute();
}

/** A live schedule row by its feed token. */
export async function findScheduleByToken(db: Db, token: string): Promise<SchedulesTable | undefined> {
  return db
    .selectFrom('schedules')
    .selectAll()
    .where('ical_token', '=', token)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
}

/** Live schedules whose layers name the user or that have an override of the user in the window. */
export async function scheduleRowsOfUser(
  db: Db,
  userId: string,
  since: string,
  until: string,
): Promise<SchedulesTable[]> {
  const overridden = db
    .selectFrom('schedule_overrides')
    .select('schedule_id')
    .where('user_id', '=', userId)
    .where('end_at', '>', since)
    .where('start_at', '<', until);
  return db
    .selectFrom('schedules')
    .selectAll()
    .where('deleted_at', 'is', null)
    .where((eb) => eb.or([eb('layers', 'like', `%"${userId}"%`), eb('id', 'in', overridden)]))
    .orderBy('id')
    .execute();
}
