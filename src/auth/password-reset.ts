import type { Logger } from 'pino';
import { AppError } from '../lib/errors.js';
import { secretToken } from '../lib/ids.js';
import { clearFailures } from './lockout.js';
import { hashPassword } from './password.js';
import { checkNewPassword } from './password-policy.js';
import { setPasswordHash } from './password-service.js';
import type { ResetMailer } from './reset-mailer.js';
import { findUserByEmailForSignIn } from './session-store.js';
import { signOutEverywhere, type SessionDeps } from './session-service.js';
import { hashToken } from './token-store.js';

/** How long a reset link works. */
export const RESET_LIFETIME_MS = 3600_000;

/** At most one reset email per user in this time, so the form cannot be used to flood a mailbox. */
export const RESET_INTERVAL_MS = 60_000;

/** What password resets need beyond sessions. */
export interface ResetDeps extends SessionDeps {
  baseUrl: string;
  mailer: ResetMailer;
  logger: Pick<Logger, 'error'>;
}

/**
 * Starts a reset: when a live user has this email, stores a hashed single-use token and emails the link.
 * The email is sent after the answer (the caller does not wait), so the answer takes as long and says
 * the same whether or not the address is known. A second request within a minute sends nothing.
 */
export async function requestReset(deps: ResetDeps, email: string): Promise<void> {
  const user = await findUserByEmailForSignIn(deps.store.db, email);
  if (!user) return;
  const now = deps.clock.now();
  const recent = await deps.store.db
    .selectFrom('password_resets')
    .select('token_hash')
    .where('user_id', '=', user.id)
    .where('created_at', '>', new Date(now.getTime() - RESET_INTERVAL_MS).toISOString())
    .executeTakeFirst();
  if (recent) return;
  const token = secretToken(32);
  await deps.store.db
    .insertInto('password_resets')
    .values({
      token_hash: hashToken(token),
      user_id: user.id,
      created_at: now.toISOString(),
      expires_at: new Date(now.getTime() + RESET_LIFETIME_MS).toISOString(),
      used_at: null,
    })
    .execute();
  const link = `${deps.baseUrl}/reset-password?token=${encodeURIComponent(token)}`;
  deps.mailer(user.email, link).catch((error: unknown) => {
    deps.logger.error({ err: error, userId: user.id }, 'password reset email failed');
  });
}

const invalidLink = () => new AppError('invalidInput', ['The reset link is invalid, used or expired']);

/**
 * Completes a reset: the token must be unused, unexpired and its user live. Marks it (and every other
 * open link of that user) used, sets the password and signs the user out everywhere.
 */
export async function completeReset(deps: ResetDeps, token: string, password: string): Promise<void> {
  checkNewPassword(password);
  const at = deps.clock.now().toISOString();
  const tokenHash = hashToken(token);
  const found = await deps.store.db
    .selectFrom('password_resets as r')
    .innerJoin('users as u', 'u.id', 'r.user_id')
    .select(['r.user_id', 'r.expires_at', 'u.email'])
    .where('r.token_hash', '=', tokenHash)
    .where('r.used_at', 'is', null)
    .where('u.deleted_at', 'is', null)
    .executeTakeFirst();
  if (!found || found.expires_at <= at) throw invalidLink();
  const hash = await hashPassword(password);
  // Claimed by a conditional update: of two requests racing with one link, exactly one wins.
  const claimed = await deps.store.db
    .updateTable('password_resets')
    .set({ used_at: at })
    .where('token_hash', '=', tokenHash)
    .where('used_at', 'is', null)
    .executeTakeFirst();
  if (Number(claimed.numUpdatedRows) !== 1) throw invalidLink();
  await deps.store.db
    .updateTable('password_resets')
    .set({ used_at: at })
    .where('user_id', '=', found.user_id)
    .where('used_at', 'is', null)
    .execute();
  await setPasswordHash(deps, found.user_id, hash);
  await signOutEverywhere(deps, found.user_id);
  await clearFailures(deps.store.db, { kind: 'email', value: found.email });
}
