import type { Clock } from '../lib/clock.js';
import { AppError } from '../lib/errors.js';
import { secretToken, shortId } from '../lib/ids.js';
import type { Store } from '../store/store.js';
import { canManageAdmins, type Actor } from './actor.js';
import * as tokens from './api-token-store.js';
import { hashToken } from './token-store.js';
import { recordChange } from '../audit/audit-service.js';

/** What the audit log keeps of a token (never its hash). */
const snapshot = (t: { id: string; description: string; user_id: string | null; access: string }) => ({
  id: t.id,
  description: t.description,
  user_id: t.user_id,
  access: t.access,
});

/** What token management needs. */
export interface ApiTokenDeps {
  store: Store;
  clock: Clock;
}

/** What `POST /api_tokens` asks for. */
export interface NewApiToken {
  description: string;
  kind: 'account' | 'user';
  access: 'full' | 'read_only';
}

/** Admins see every token; anyone else only their own user tokens. */
function ownFilter(actor: Actor): string | undefined {
  if (actor.role === 'admin') return undefined;
  if (actor.userId === null) throw new AppError('forbidden');
  return actor.userId;
}

/** Lists the tokens the actor may see (never their secrets). */
export async function listTokens(
  deps: ApiTokenDeps,
  actor: Actor,
  page: { limit: number; offset: number; total: boolean },
): Promise<{ rows: tokens.ApiTokenRow[]; total: number | null }> {
  const only = ownFilter(actor);
  const rows = await tokens.listTokenRows(deps.store.db, only, page);
  const total = page.total ? await tokens.countTokens(deps.store.db, only) : null;
  return { rows, total };
}

/**
 * Creates a token and returns it with its secret, which is never stored or shown again. Account tokens
 * (full or read-only) are for admins; user tokens act as the user making them, who must not be an
 * observer, and only a user (a session or a user token) can make one.
 */
export async function createToken(
  deps: ApiTokenDeps,
  actor: Actor,
  input: NewApiToken,
): Promise<{ row: tokens.ApiTokenRow; secret: string }> {
  if (input.kind === 'account' && !canManageAdmins(actor)) throw new AppError('forbidden');
  if (input.kind === 'user') {
    if (actor.kind !== 'user' || actor.userId === null)
      throw new AppError('invalidInput', [
        'Only a user (signed in, or with a user token) can make a user token',
      ]);
    if (actor.readOnly || actor.role === 'observer') throw new AppError('forbidden');
    if (input.access !== 'full')
      throw new AppError('invalidInput', ['A user token acts with its user’s role: access must be full']);
  }
  const description = input.description.trim();
  if (description === '' || description.length > 200)
    throw new AppError('invalidInput', ['description must be 1 to 200 characters']);
  const secret = secretToken(24);
  const id = shortId();
  const at = deps.clock.now().toISOString();
  const row = {
    id,
    token_hash: hashToken(secret),
    description,
    // An account token is linked to the admin who made it (/users/me answers that admin).
    user_id: actor.userId,
    access: input.kind === 'user' ? 'user' : input.access,
    created_at: at,
    last_used_at: null,
    revoked_at: null,
  };
  await deps.store.transaction(async (tx) => {
    await tokens.insertToken(tx.db, row);
    const root = { type: 'api_tokens' as const, id, summary: description };
    await recordChange(tx, actor, at, { root, action: 'create', before: null, after: snapshot(row) });
  });
  return { row: (await tokens.findTokenRow(deps.store.db, id))!, secret };
}

/** Revokes a token: admins any, others their own user tokens (others' are 404: not theirs to see). */
export async function revokeToken(deps: ApiTokenDeps, actor: Actor, id: string): Promise<void> {
  const row = await tokens.findTokenRow(deps.store.db, id);
  const only = ownFilter(actor);
  if (!row || (only !== undefined && (row.user_id !== only || row.access !== 'user')))
    throw new AppError('notFound');
  const at = deps.clock.now().toISOString();
  await deps.store.transaction(async (tx) => {
    await tokens.revokeToken(tx.db, id, at);
    const root = { type: 'api_tokens' as const, id, summary: row.description };
    await recordChange(tx, actor, at, { root, action: 'delete', before: snapshot(row), after: null });
  });
}
