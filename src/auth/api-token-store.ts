import type { Kysely } from 'kysely';
import type { ApiTokensTable, Database } from '../store/database.js';

type Db = Kysely<Database>;

/** A token row with its owner's name (null when the owner is gone or there is none). */
export interface ApiTokenRow extends ApiTokensTable {
  owner_name: string | null;
}

function withOwner(db: Db) {
  return db
    .selectFrom('api_tokens as t')
    .leftJoin('users as u', 'u.id', 't.user_id')
    .selectAll('t')
    .select('u.name as owner_name');
}

/** A page of tokens, newest first; only `userId`'s user tokens when given. */
export async function listTokenRows(
  db: Db,
  onlyUserTokensOf: string | undefined,
  page: { limit: number; offset: number },
): Promise<ApiTokenRow[]> {
  let q = withOwner(db);
  if (onlyUserTokensOf !== undefined)
    q = q.where('t.user_id', '=', onlyUserTokensOf).where('t.access', '=', 'user');
  return q.orderBy('t.created_at', 'desc').orderBy('t.id').limit(page.limit).offset(page.offset).execute();
}

/** How many tokens the same filter lists. */
export async function countTokens(db: Db, onlyUserTokensOf: string | undefined): Promise<number> {
  let q = db.selectFrom('api_tokens').select((eb) => eb.fn.countAll<number | string>().as('n'));
  if (onlyUserTokensOf !== undefined)
    q = q.where('user_id', '=', onlyUserTokensOf).where('access', '=', 'user');
  return Number((await q.executeTakeFirst())?.n ?? 0);
}

/** One token with its owner's name. */
export async function findTokenRow(db: Db, id: string): Promise<ApiTokenRow | undefined> {
  return withOwner(db).where('t.id', '=', id).executeTakeFirst();
}

/** Inserts a token row. */
export async function insertToken(db: Db, row: ApiTokensTable): Promise<void> {
  await db.insertInto('api_tokens').values(row).execute();
}

/** Revokes a token (at once: the next request with it is refused); revoking twice keeps the first time. */
export async function revokeToken(db: Db, id: string, at: string): Promise<void> {
  await db
    .updateTable('api_tokens')
    .set({ revoked_at: at })
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .execute();
}
