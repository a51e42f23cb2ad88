import type { Kysely } from 'kysely';
import type { Database, OAuthCodesTable, OAuthTokensTable } from '../store/database.js';

type Db = Kysely<Database>;

/** Inserts an authorization code row. */
export async function insertCode(db: Db, row: OAuthCodesTable): Promise<void> {
  await db.insertInto('oauth_codes').values(row).execute();
}

/** An authorization code row by the hash of the code (used or not). */
export async function findCodeRow(db: Db, codeHash: string): Promise<OAuthCodesTable | undefined> {
  return db.selectFrom('oauth_codes').selectAll().where('code_hash', '=', codeHash).executeTakeFirst();
}

/** Marks a code used; false when it already was (the compare-and-set keeps codes single-use under races). */
export async function useCode(db: Db, id: string, at: string): Promise<boolean> {
  const result = await db
    .updateTable('oauth_codes')
    .set({ used_at: at })
    .where('id', '=', id)
    .where('used_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** Inserts a token pair row. */
export async function insertToken(db: Db, row: OAuthTokensTable): Promise<void> {
  await db.insertInto('oauth_tokens').values(row).execute();
}

/** A token row by the hash of its access token. */
export async function findByAccessHash(db: Db, hash: string): Promise<OAuthTokensTable | undefined> {
  return db.selectFrom('oauth_tokens').selectAll().where('access_token_hash', '=', hash).executeTakeFirst();
}

/** A token row by the hash of its refresh token. */
export async function findByRefreshHash(db: Db, hash: string): Promise<OAuthTokensTable | undefined> {
  return db.selectFrom('oauth_tokens').selectAll().where('refresh_token_hash', '=', hash).executeTakeFirst();
}

/** Marks a pair rotated (its refresh token was exchanged); false when it was already rotated or revoked. */
export async function rotateToken(db: Db, id: string, at: string): Promise<boolean> {
  const result = await db
    .updateTable('oauth_tokens')
    .set({ rotated_at: at })
    .where('id', '=', id)
    .where('rotated_at', 'is', null)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** Revokes every pair of a family (all tokens descended from one authorization code). */
export async function revokeFamily(db: Db, familyId: string, at: string): Promise<void> {
  await db
    .updateTable('oauth_tokens')
    .set({ revoked_at: at })
    .where('family_id', '=', familyId)
    .where('revoked_at', 'is', null)
    .execute();
}

/** Revokes every token of an app (when the app is deleted). */
export async function revokeAppTokens(db: Db, appId: string, at: string): Promise<void> {
  await db
    .updateTable('oauth_tokens')
    .set({ revoked_at: at })
    .where('app_id', '=', appId)
    .where('revoked_at', 'is', null)
    .execute();
}

/** Records a token's last use. */
export async function touchToken(db: Db, id: string, at: string): Promise<void> {
  await db.updateTable('oauth_tokens').set({ last_used_at: at }).where('id', '=', id).execute();
}
