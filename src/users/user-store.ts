import { sql, type Kysely, type Updateable } from 'kysely';
import type { Database, UsersTable } from '../store/database.js';
import { countRows, lowerContains, pageByName } from '../store/name-queries.js';

type Db = Kysely<Database>;

/** Filters of the user list. */
export interface UserFilter {
  query?: string | undefined;
  teamIds?: string[] | undefined;
}

function filtered(db: Db, filter: UserFilter) {
  let q = db.selectFrom('users').where('deleted_at', 'is', null);
  const text = filter.query;
  if (text) q = q.where((eb) => eb.or([lowerContains('name', text), lowerContains('email', text)]));
  const teams = filter.teamIds;
  if (teams && teams.length > 0) {
    q = q.where('id', 'in', db.selectFrom('team_members').select('user_id').where('team_id', 'in', teams));
  }
  return q;
}

/** A page of live users sorted by name (callers ask one extra row to tell `more`). */
export async function listUserRows(
  db: Db,
  filter: UserFilter,
  page: { limit: number; offset: number },
): Promise<UsersTable[]> {
  return pageByName(filtered(db, filter).selectAll(), page).execute();
}

/** How many live users match the filter. */
export async function countUsers(db: Db, filter: UserFilter): Promise<number> {
  return countRows(filtered(db, filter));
}

/** A live (not deleted) user row. */
export async function findUserRow(db: Db, id: string): Promise<UsersTable | undefined> {
  return db
    .selectFrom('users')
    .selectAll()
    .where('id', '=', id)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
}

/** Whether a live user other than `exceptId` has this email (compared without case). */
export async function emailTaken(db: Db, email: string, exceptId?: string): Promise<boolean> {
  let q = db
    .selectFrom('users')
    .select('id')
    .where(sql<boolean>`lower(email) = ${email.toLowerCase()}`);
  if (exceptId !== undefined) q = q.where('id', '<>', exceptId);
  return (await q.executeTakeFirst()) !== undefined;
}

/** How many live users have the admin role. */
export async function countAdmins(db: Db): Promise<number> {
  const row = await db
    .selectFrom('users')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .where('deleted_at', 'is', null)
    .where('role', '=', 'admin')
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

/** Inserts a user row. */
export async function insertUser(db: Db, row: UsersTable): Promise<void> {
  await db.insertInto('users').values(row).execute();
}

/** Updates a live user row. */
export async function updateUserRow(db: Db, id: string, values: Updateable<UsersTable>): Promise<void> {
  await db.updateTable('users').set(values).where('id', '=', id).where('deleted_at', 'is', null).execute();
}

/**
 * Soft-deletes a user: leaves their teams, loses their rules (nobody pages a deleted user), their user
 * tokens stop working, and their email is freed (kept after a `deleted:<id>:` prefix, so the address can
 * join again and a deleted user never matches a `From` header).
 */
export async function softDeleteUser(db: Db, id: string, email: string, at: string): Promise<void> {
  await db.deleteFrom('team_members').where('user_id', '=', id).execute();
  await db.deleteFrom('notification_rules').where('user_id', '=', id).execute();
  await db.deleteFrom('handoff_notification_rules').where('user_id', '=', id).execute();
  await db
    .updateTable('api_tokens')
    .set({ revoked_at: at })
    .where('user_id', '=', id)
    .where('access', '=', 'user')
    .where('revoked_at', 'is', null)
    .execute();
  await db
    .updateTable('users')
    .set({ deleted_at: at, updated_at: at, email: `deleted:${id}:${email}` })
    .where('id', '=', id)
    .execute();
}
