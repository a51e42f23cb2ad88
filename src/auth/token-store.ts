import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../store/database.js';
import type { Actor, Role } from './actor.js';

/** Tokens are stored as SHA-256 hashes: a leaked database does not leak working tokens. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** Reads `Authorization: Token token=<key>` (PagerDuty's form); returns undefined for anything else. */
export function tokenFromHeader(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const match = /^Token token=("?)([^\s"]+)\1\s*$/i.exec(header.trim());
  return match?.[2];
}

const TOUCH_INTERVAL_MS = 60_000;

/** Finds the actor behind a token, recording its last use (at most once a minute). */
export async function actorForToken(
  db: Kysely<Database>,
  token: string,
  now: Date,
): Promise<Actor | undefined> {
  const row = await db
    .selectFrom('api_tokens as t')
    .leftJoin('users as u', 'u.id', 't.user_id')
    .select(['t.id', 't.access', 't.user_id', 't.last_used_at', 't.description', 'u.role', 'u.name'])
    .where('t.token_hash', '=', hashToken(token))
    .where('t.revoked_at', 'is', null)
    .executeTakeFirst();
  if (!row) return undefined;
  if (!row.last_used_at || now.getTime() - Date.parse(row.last_used_at) > TOUCH_INTERVAL_MS) {
    await db
      .updateTable('api_tokens')
      .set({ last_used_at: now.toISOString() })
      .where('id', '=', row.id)
      .execute();
  }
  const readOnly = row.access === 'read_only';
  // Audit records name the token by id and its last 4 characters, as PagerDuty's `truncated_token`.
  const via = { type: 'api_token' as const, credentialId: row.id, truncatedToken: token.slice(-4) };
  if (row.user_id === null || row.access !== 'user') {
    return { kind: 'account', userId: row.user_id, role: 'admin', readOnly, summary: row.description, via };
  }
  return {
    kind: 'user',
    userId: row.user_id,
    role: (row.role ?? 'observer') as Role,
    readOnly: false,
    summary: row.name ?? 'user',
    via,
  };
}
