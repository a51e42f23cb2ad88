import { canManageAdmins, type Actor } from './actor.js';
import { AppError } from '../lib/errors.js';
import { blockedForMs, clearFailures, recordFailure } from './lockout.js';
import { hashPassword, verifyPassword } from './password.js';
import { checkNewPassword } from './password-policy.js';
import { signOutEverywhere, type SessionDeps } from './session-service.js';

/** A request to set a password: one's own (with the current one) or, for admins, anyone's. */
export interface PasswordChange {
  /** A user id, or `me`. */
  userId: string;
  currentPassword: string | undefined;
  password: string;
  /** The session the request came through, kept signed in when changing one's own password. */
  keepSessionHash: string | undefined;
}

/** The outcome: done, or the account is in back-off after wrong current passwords. */
export type PasswordChangeResult = { kind: 'changed' } | { kind: 'locked'; retryAfterMs: number };

async function userRow(deps: SessionDeps, id: string) {
  return deps.store.db
    .selectFrom('users')
    .select(['id', 'email', 'password_hash'])
    .where('id', '=', id)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
}

/**
 * Changes a password. One's own needs the current password (wrong ones count towards the account's
 * back-off) and signs out every other session; an admin setting someone else's signs them out everywhere.
 */
export async function changePassword(
  deps: SessionDeps,
  actor: Actor,
  change: PasswordChange,
): Promise<PasswordChangeResult> {
  const self = actor.kind === 'user' && actor.userId !== null;
  const id = change.userId === 'me' && self ? actor.userId! : change.userId;
  const own = self && id === actor.userId;
  if (!own && !canManageAdmins(actor)) throw new AppError('forbidden');
  const user = await userRow(deps, id);
  if (!user) throw new AppError('notFound');
  checkNewPassword(change.password);
  if (own) {
    const key = { kind: 'email' as const, value: user.email };
    const blocked = await blockedForMs(deps.store.db, [key], deps.clock.now());
    if (blocked > 0) return { kind: 'locked', retryAfterMs: blocked };
    const current = change.currentPassword;
    // A user who never had a password (created by an admin) has nothing to confirm.
    if (
      user.password_hash !== null &&
      !(current !== undefined && (await verifyPassword(current, user.password_hash)))
    ) {
      await recordFailure(deps.store, [key], deps.clock.now());
      throw new AppError('invalidInput', ['current_password is incorrect']);
    }
  }
  await setPasswordHash(deps, id, await hashPassword(change.password));
  await signOutEverywhere(deps, id, own ? change.keepSessionHash : undefined);
  await clearFailures(deps.store.db, { kind: 'email', value: user.email });
  return { kind: 'changed' };
}

/** Stores a user's new password hash. */
export async function setPasswordHash(deps: SessionDeps, userId: string, hash: string): Promise<void> {
  const at = deps.clock.now().toISOString();
  await deps.store.db
    .updateTable('users')
    .set({ password_hash: hash, updated_at: at })
    .where('id', '=', userId)
    .execute();
}
