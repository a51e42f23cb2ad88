import type { Actor, Role } from './actor.js';
import type { Clock } from '../lib/clock.js';
import { AppError } from '../lib/errors.js';
import type { Store } from '../store/store.js';
import { blockedForMs, clearFailures, recordFailure, type FailureKey } from './lockout.js';
import { hashPassword, verifyPassword } from './password.js';
import {
  ABSOLUTE_LIFETIME_MS,
  IDLE_TIMEOUT_MS,
  newSessionSecrets,
  sessionAlive,
  TOUCH_INTERVAL_MS,
} from './session.js';
import * as sessions from './session-store.js';
import { hashToken } from './token-store.js';

/** What the session rules need. */
export interface SessionDeps {
  store: Store;
  clock: Clock;
}

/** A session just made: the cookie value is only ever in this answer and the browser. */
export interface StartedSession {
  userId: string;
  cookieValue: string;
  csrfToken: string;
}

/** A valid session behind a request. */
export interface ActiveSession {
  tokenHash: string;
  userId: string;
  csrfToken: string;
  actor: Actor;
}

/** The outcome of a sign-in attempt that did not fail on credentials. */
export type SignInResult =
  { kind: 'signed_in'; session: StartedSession } | { kind: 'locked'; retryAfterMs: number };

// Unknown emails are still checked against a hash, so an answer takes as long whether or not the
// account exists (made once, on first use).
let dummyHash: Promise<string> | undefined;
const dummy = () => (dummyHash ??= hashPassword('tocsin-dummy-password-for-timing'));

/** Starts a session for a user (sign-in, first-run setup). */
export async function startSession(
  deps: SessionDeps,
  userId: string,
  userAgent: string | undefined,
): Promise<StartedSession> {
  const now = deps.clock.now();
  const at = now.toISOString();
  const secrets = newSessionSecrets();
  await sessions.deleteEndedSessions(
    deps.store.db,
    at,
    new Date(now.getTime() - IDLE_TIMEOUT_MS).toISOString(),
  );
  await sessions.insertSession(deps.store.db, {
    token_hash: secrets.tokenHash,
    user_id: userId,
    csrf_token: secrets.csrfToken,
    created_at: at,
    last_seen_at: at,
    expires_at: new Date(now.getTime() + ABSOLUTE_LIFETIME_MS).toISOString(),
    user_agent: userAgent?.slice(0, 300) ?? null,
  });
  return { userId, cookieValue: secrets.cookieValue, csrfToken: secrets.csrfToken };
}

/**
 * Signs in by email and password. Blocked accounts and addresses answer `locked` without checking the
 * password; a wrong password or unknown email counts a failure against both and throws 401.
 */
export async function signIn(
  deps: SessionDeps,
  input: { email: string; password: string; ip: string; userAgent: string | undefined },
): Promise<SignInResult> {
  const keys: FailureKey[] = [
    { kind: 'email', value: input.email },
    { kind: 'ip', value: input.ip },
  ];
  const blocked = await blockedForMs(deps.store.db, keys, deps.clock.now());
  if (blocked > 0) return { kind: 'locked', retryAfterMs: blocked };
  const user = await sessions.findUserByEmailForSignIn(deps.store.db, input.email);
  const ok = await verifyPassword(input.password, user?.password_hash ?? (await dummy()));
  if (!user || !user.password_hash || !ok) {
    await recordFailure(deps.store, keys, deps.clock.now());
    throw new AppError('unauthorized', ['The email or password is incorrect']);
  }
  await clearFailures(deps.store.db, keys[0]!);
  return { kind: 'signed_in', session: await startSession(deps, user.id, input.userAgent) };
}

/** The valid session a cookie value names (recording activity at most once a minute), if any. */
export async function activeSession(
  deps: SessionDeps,
  cookieValue: string | undefined,
): Promise<ActiveSession | undefined> {
  if (!cookieValue) return undefined;
  const tokenHash = hashToken(cookieValue);
  const row = await sessions.findSession(deps.store.db, tokenHash);
  const now = deps.clock.now();
  if (!row || !sessionAlive(row.last_seen_at, row.expires_at, now)) return undefined;
  if (now.getTime() - Date.parse(row.last_seen_at) > TOUCH_INTERVAL_MS)
    await sessions.touchSession(deps.store.db, tokenHash, now.toISOString());
  const actor: Actor = {
    kind: 'user',
    userId: row.user_id,
    role: row.role as Role,
    readOnly: false,
    summary: row.name,
    via: { type: 'browser' },
  };
  return { tokenHash, userId: row.user_id, csrfToken: row.csrf_token, actor };
}

/** Ends one session. */
export async function signOut(deps: SessionDeps, tokenHash: string): Promise<void> {
  await sessions.deleteSession(deps.store.db, tokenHash);
}

/** Ends every session of a user, except `keepHash` when given (a password change keeps its own). */
export async function signOutEverywhere(
  deps: SessionDeps,
  userId: string,
  keepHash?: string,
): Promise<number> {
  return sessions.deleteUserSessions(deps.store.db, userId, keepHash);
}
