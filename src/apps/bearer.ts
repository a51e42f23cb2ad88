import type { Kysely } from 'kysely';
import type { Actor, Role } from '../auth/actor.js';
import { hashToken } from '../auth/token-store.js';
import type { Database } from '../store/database.js';
import { AppError } from '../lib/errors.js';
import { touchToken } from './oauth-token-store.js';
import { scopeAllows } from './scopes.js';

/** Reads `Authorization: Bearer <token>`; undefined for anything else. */
export function bearerFromHeader(header: string | undefined): string | undefined {
  const match = /^Bearer\s+([^\s]+)\s*$/i.exec(header?.trim() ?? '');
  return match?.[1];
}

/** The actor behind an OAuth access token and the scopes it was granted. */
export interface BearerGrant {
  actor: Actor;
  scopes: string[];
}

const TOUCH_INTERVAL_MS = 60_000;

/**
 * The granting user behind a live access token (not expired, rotated or revoked, its app and user live);
 * undefined otherwise. Records the token's last use at most once a minute.
 */
export async function grantForBearer(
  db: Kysely<Database>,
  token: string,
  now: Date,
): Promise<BearerGrant | undefined> {
  const at = now.toISOString();
  const row = await db
    .selectFrom('oauth_tokens as t')
    .innerJoin('users as u', 'u.id', 't.user_id')
    .innerJoin('oauth_apps as a', 'a.id', 't.app_id')
    .select(['t.id', 't.scope', 't.last_used_at', 't.app_id', 'u.id as user_id', 'u.role', 'u.name'])
    .where('t.access_token_hash', '=', hashToken(token))
    .where('t.revoked_at', 'is', null)
    .where('t.rotated_at', 'is', null)
    .where('t.access_expires_at', '>', at)
    .where('u.deleted_at', 'is', null)
    .where('a.deleted_at', 'is', null)
    .executeTakeFirst();
  if (!row) return undefined;
  if (!row.last_used_at || now.getTime() - Date.parse(row.last_used_at) > TOUCH_INTERVAL_MS)
    await touchToken(db, row.id, at);
  return {
    actor: {
      kind: 'user',
      userId: row.user_id,
      role: row.role as Role,
      readOnly: false,
      summary: row.name,
      via: { type: 'oauth', credentialId: row.app_id },
    },
    scopes: row.scope === '' ? [] : row.scope.split(' '),
  };
}

/**
 * Authenticates `Authorization: Bearer …` for a request under /api/v2: undefined when the header is not a
 * Bearer one; 401 when the token is unknown, expired or revoked; 403 when its scopes do not allow the
 * request (see scopes.ts).
 */
export async function authenticateBearer(
  db: Kysely<Database>,
  header: string | undefined,
  now: Date,
  request: { method: string; url: string },
): Promise<Actor | undefined> {
  const token = bearerFromHeader(header);
  if (token === undefined) return undefined;
  const grant = await grantForBearer(db, token, now);
  if (!grant) throw new AppError('unauthorized');
  if (!scopeAllows(grant.scopes, request.method, request.url))
    throw new AppError('forbidden', [
      `The OAuth token's scopes (${grant.scopes.join(' ')}) do not allow this request`,
    ]);
  return grant.actor;
}
