import type { Kysely } from 'kysely';
import { shortId, secretToken } from '../lib/ids.js';
import type { Database } from '../store/database.js';
import { hashToken } from './token-store.js';

/** What the first start created; the secrets are shown once and never stored in clear. */
export interface FirstStart {
  adminEmail: string;
  token: string;
  /** Set when the token was generated (not given in TOCSIN_ADMIN_TOKEN). */
  generated: boolean;
}

/**
 * On the very first start, creates the admin user (without a password) and an account token
 * (TOCSIN_ADMIN_TOKEN, or a random one). The admin then finishes first-run setup with that token (name,
 * email, password: `POST /api/v2/setup`). Runs once per database: later starts return undefined.
 * The `meta` row's primary key makes this safe when two nodes start together.
 */
export async function bootstrapAdmin(
  db: Kysely<Database>,
  adminToken: string | undefined,
  now: Date,
): Promise<FirstStart | undefined> {
  const token = adminToken ?? secretToken(15);
  const at = now.toISOString();
  const adminEmail = 'admin@tocsin.local';
  return db.transaction().execute(async (trx) => {
    const claimed = await trx
      .insertInto('meta')
      .values({ key: 'bootstrapped_at', value: at })
      .onConflict((oc) => oc.column('key').doNothing())
      .executeTakeFirst();
    if (Number(claimed.numInsertedOrUpdatedRows ?? 0n) === 0) return undefined;
    const userId = shortId();
    await trx
      .insertInto('users')
      .values({
        id: userId,
        name: 'Administrator',
        email: adminEmail,
        role: 'admin',
        time_zone: 'UTC',
        password_hash: null,
        created_at: at,
        updated_at: at,
      })
      .execute();
    await trx
      .insertInto('api_tokens')
      .values({
        id: shortId(),
        token_hash: hashToken(token),
        description: 'Admin token (first start)',
        user_id: userId,
        access: 'full',
        created_at: at,
        last_used_at: null,
        revoked_at: null,
      })
      .execute();
    return { adminEmail, token, generated: adminToken === undefined };
  });
}
