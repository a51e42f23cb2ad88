import { sql } from 'kysely';
import { AppError, FieldErrors } from '../lib/errors.js';
import { isEmail } from '../users/user.js';
import { blockedForMs, recordFailure } from './lockout.js';
import { hashPassword } from './password.js';
import { checkNewPassword } from './password-policy.js';
import { startSession, type SessionDeps, type StartedSession } from './session-service.js';
import { actorForToken } from './token-store.js';

/** What the first-run form sends. */
export interface SetupInput {
  adminToken: string;
  name: string;
  email: string;
  password: string;
  ip: string;
  userAgent: string | undefined;
}

/** The outcome of a setup attempt that was not refused outright. */
export type SetupResult =
  { kind: 'done'; session: StartedSession } | { kind: 'locked'; retryAfterMs: number };

/** Whether first-run setup is still needed: no live admin has a password yet. */
export async function setupNeeded(deps: SessionDeps): Promise<boolean> {
  const row = await deps.store.db
    .selectFrom('users')
    .select('id')
    .where('role', '=', 'admin')
    .where('deleted_at', 'is', null)
    .where('password_hash', 'is not', null)
    .executeTakeFirst();
  return row === undefined;
}

/**
 * Completes first-run setup: with the admin token printed (or configured) at first start, names the
 * token's admin, sets their email and password and signs them in. Wrong tokens count towards the
 * client address's back-off; once any admin has a password, setup is closed (403).
 */
export async function completeSetup(deps: SessionDeps, input: SetupInput): Promise<SetupResult> {
  if (!(await setupNeeded(deps))) throw new AppError('forbidden', ['Setup is already complete']);
  const ipKey = { kind: 'ip' as const, value: input.ip };
  const blocked = await blockedForMs(deps.store.db, [ipKey], deps.clock.now());
  if (blocked > 0) return { kind: 'locked', retryAfterMs: blocked };
  const actor = await actorForToken(deps.store.db, input.adminToken, deps.clock.now());
  if (!actor || actor.kind !== 'account' || actor.readOnly || actor.userId === null) {
    await recordFailure(deps.store, [ipKey], deps.clock.now());
    throw new AppError('unauthorized', ['admin_token is not the admin token of this installation']);
  }
  const userId = actor.userId;
  const errors = new FieldErrors();
  const name = input.name.trim();
  const email = input.email.trim();
  if (name === '') errors.add('Name cannot be empty');
  if (!isEmail(email)) errors.add('Email is invalid');
  errors.throwIfAny();
  checkNewPassword(input.password);
  const hash = await hashPassword(input.password);
  const at = deps.clock.now().toISOString();
  await deps.store.transaction(async (tx) => {
    await tx.lockKeys([`user-email:${email.toLowerCase()}`]);
    const taken = await tx.db
      .selectFrom('users')
      .select('id')
      .where(sql<boolean>`lower(email) = ${email.toLowerCase()}`)
      .where('id', '<>', userId)
      .executeTakeFirst();
    if (taken) throw new AppError('invalidInput', ['Email has already been taken']);
    // Only while the admin still has no password: of two racing setups, one wins.
    const done = await tx.db
      .updateTable('users')
      .set({ name, email, password_hash: hash, updated_at: at })
      .where('id', '=', userId)
      .where('password_hash', 'is', null)
      .executeTakeFirst();
    if (Number(done.numUpdatedRows) !== 1) throw new AppError('forbidden', ['Setup is already complete']);
  });
  return { kind: 'done', session: await startSession(deps, userId, input.userAgent) };
}
