import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import { hashPassword } from '../../src/auth/password.js';
import type { TestApp } from './test-app.js';

/** A signed-in browser: its cookie and CSRF token. */
export interface Browser {
  cookie: string;
  csrf: string;
  userId: string;
}

/** Sets a user's password directly in the database (faster than going through the API). */
export async function setPassword(t: TestApp, userId: string, password: string): Promise<void> {
  const hash = await hashPassword(password);
  await t.store.db.updateTable('users').set({ password_hash: hash }).where('id', '=', userId).execute();
}

/** `app.inject` without any token: JSON body, extra headers (a cookie, a CSRF token, …). */
export function anonymous(
  t: TestApp,
  method: InjectOptions['method'],
  url: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<LightMyRequestResponse> {
  return t.app.inject({
    method,
    url,
    headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
    ...(body === undefined ? {} : { payload: JSON.stringify(body) }),
  });
}

/** The `name=value` of the session cookie a response sets. */
export function sessionCookieOf(res: LightMyRequestResponse): string {
  const cookie = res.cookies.find((c) => c.name === 'tocsin_session');
  expect(cookie, 'session cookie').toBeDefined();
  return `tocsin_session=${cookie!.value}`;
}

/** Signs in through `POST /api/v2/session`, expecting success. */
export async function signIn(t: TestApp, email: string, password: string): Promise<Browser> {
  const res = await anonymous(t, 'POST', '/api/v2/session', { email, password });
  expect(res.statusCode, res.body).toBe(201);
  const body = res.json<{ user: { id: string }; csrf_token: string }>();
  return { cookie: sessionCookieOf(res), csrf: body.csrf_token, userId: body.user.id };
}

/** A request as a signed-in browser: the cookie always, the CSRF header unless `csrf: false`. */
export function asBrowser(
  t: TestApp,
  browser: Browser,
  method: InjectOptions['method'],
  url: string,
  body?: unknown,
  options: { csrf?: boolean | string } = {},
): Promise<LightMyRequestResponse> {
  const csrf = options.csrf === undefined || options.csrf === true ? browser.csrf : options.csrf;
  return anonymous(t, method, url, body, {
    cookie: browser.cookie,
    ...(csrf === false ? {} : { 'x-csrf-token': csrf }),
  });
}
