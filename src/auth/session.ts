import { secretToken } from '../lib/ids.js';
import { hashToken } from './token-store.js';

/** The cookie that carries the session id. */
export const SESSION_COOKIE = 'tocsin_session';

/** The header unsafe cookie-authenticated requests must carry. */
export const CSRF_HEADER = 'x-csrf-token';

/**
 * A session ends after this long without a request (an on-call phone is often idle for days between
 * pages, so a week rather than hours)…
 */
export const IDLE_TIMEOUT_MS = 7 * 24 * 3600_000;

/** …and after this long in any case, active or not. */
export const ABSOLUTE_LIFETIME_MS = 30 * 24 * 3600_000;

/** `last_seen_at` is written at most this often, so reads do not each cost a write. */
export const TOUCH_INTERVAL_MS = 60_000;

/** A new session's secrets: the cookie value (never stored), its hash and the CSRF token. */
export interface NewSessionSecrets {
  cookieValue: string;
  tokenHash: string;
  csrfToken: string;
}

/** Makes the secrets of a new session (256 random bits each). */
export function newSessionSecrets(): NewSessionSecrets {
  const cookieValue = secretToken(32);
  return { cookieValue, tokenHash: hashToken(cookieValue), csrfToken: secretToken(32) };
}

/** Whether a session seen last at `lastSeenAt` and ending at `expiresAt` is still valid at `now`. */
export function sessionAlive(lastSeenAt: string, expiresAt: string, now: Date): boolean {
  const t = now.getTime();
  return t < Date.parse(expiresAt) && t - Date.parse(lastSeenAt) < IDLE_TIMEOUT_MS;
}

/** Whether a request method changes state (and so needs the CSRF header under a cookie). */
export function isUnsafeMethod(method: string): boolean {
  return !['GET', 'HEAD', 'OPTIONS'].includes(method.toUpperCase());
}

/** Cookie attributes of the session cookie; `Secure` when Tocsin is served over https. */
export function sessionCookieOptions(baseUrl: string, maxAgeMs: number) {
  return {
    httpOnly: true,
    sameSite: 'lax' as const,
    path: '/',
    secure: baseUrl.startsWith('https:'),
    maxAge: Math.floor(maxAgeMs / 1000),
  };
}
