import { sql, type Kysely } from 'kysely';
import type { Database, SessionsTable } from '../store/database.js';

type Db = Kysely<Database>;

/** A session row with the live user it belongs to. */
export interface SessionWithUser extends SessionsTable {
  name: string;
  role: string;
}

/** Inserts a session row. */
export async function insertSession(db: Db, row: SessionsTable): Promise<void> {
  await db.insertInto('sessions').values(row).execute();
}

/** The session with this token hash, if its user is live (a deleted user's sessions stop at once). */
export async function findSession(db: Db, tokenHash: string): Promise<SessionWithUser | undefined> {
  return db
    .selectFrom('sessions as s')
    .innerJoin('users as u', 'u.id', 's.user_id')
    .selectAll('s')
    .select(['u.name', 'u.role'])
    .where('s.token_hash', '=', tokenHash)
    .where('u.deleted_at', 'is', null)
    .executeTakeFirst();
}

/** Records activity on a session. */
export async function touchSession(db: Db, tokenHash: string, at: string): Promise<void> {
  await db.updateTable('sessions').set({ last_seen_at: at }).where('token_hash', '=', tokenHash).execute();
}

/** Deletes one session. */
export async function deleteSession(db: Db, tokenHash: string): Promise<void> {
  await db.deleteFrom('sessions').where('token_hash', '=', tokenHash).execute();
}

/** Deletes every session of a user except (optionally) one; returns how many ended. */
export async function deleteUserSessions(db: Db, userId: string, exceptHash?: string): Promise<number> {
  let q = db.deleteFrom('sessions').where('user_id', '=', userId);
  if (exceptHash !== undefined) q = q.where('token_hash', '<>', exceptHash);
  const result = await q.executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** Deletes sessions that ended before `before` (housekeeping on sign-in). */
export async function deleteEndedSessions(db: Db, expiredBefore: string, idleBefore: string): Promise<void> {
  await db
    .deleteFrom('sessions')
    .where((eb) => eb.or([eb('expires_at', '<=', expiredBefore), eb('last_seen_at', '<=', idleBefore)]))
    .execute();
}

/** The live user with this email (compared without case), with their password hash. */
export async function findUserByEmailForSignIn(
  db: Db,
  email: string,
): Promise<{ id: string; email: string; password_hash: string | null } | undefined> {
  return db
    .selectFrom('users')
    .select(['id', 'email', 'password_hash'])
    .where(sql<boolean>`lower(email) = ${email.trim().toLowerCase()}`)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
}
