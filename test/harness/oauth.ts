import { createHash, randomBytes } from 'node:crypto';
import type { LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import { asBrowser, type Browser } from './accounts.js';
import type { TestApp } from './test-app.js';

type Json = Record<string, unknown>;

/** A registered app as POST /oauth_apps answers it. */
export interface CreatedApp extends Json {
  id: string;
  client_id: string;
  client_secret: string | null;
  redirect_uris: string[];
  scopes: string[];
}

/** Registers an app through the API as the admin. */
export async function registerApp(t: TestApp, input: Json = {}): Promise<CreatedApp> {
  const oauth_app = {
    name: 'Monitor',
    redirect_uris: ['https://monitor.example/callback'],
    scopes: ['read', 'write'],
    ...input,
  };
  const res = await t.api('POST', '/api/v2/oauth_apps', { oauth_app });
  expect(res.statusCode, res.body).toBe(201);
  return res.json<{ oauth_app: CreatedApp }>().oauth_app;
}

/** A PKCE verifier and its S256 challenge. */
export function pkcePair(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

/** Posts the consent answer as the signed-in browser; returns the raw response. */
export function consent(t: TestApp, browser: Browser, body: Json): Promise<LightMyRequestResponse> {
  return asBrowser(t, browser, 'POST', '/api/v2/oauth/authorize', { decision: 'allow', ...body });
}

/** Allows the app and returns the code from the redirect. */
export async function authorizeCode(t: TestApp, browser: Browser, body: Json): Promise<string> {
  const res = await consent(t, browser, body);
  expect(res.statusCode, res.body).toBe(200);
  const url = new URL(res.json<{ redirect_to: string }>().redirect_to);
  const code = url.searchParams.get('code');
  expect(code, url.toString()).toBeTruthy();
  return code!;
}

/** Posts a form to an OAuth endpoint (`/oauth/token` by default). */
export function postForm(
  t: TestApp,
  form: Record<string, string>,
  path = '/oauth/token',
  headers: Record<string, string> = {},
): Promise<LightMyRequestResponse> {
  return t.app.inject({
    method: 'POST',
    url: path,
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    payload: new URLSearchParams(form).toString(),
  });
}

/** A token endpoint answer. */
export interface TokenAnswer {
  access_token: string;
  refresh_token: string;
  token_type: string;
  scope: string;
  expires_in: number;
}

/** A request with `Authorization: Bearer <token>`. */
export function withBearer(
  t: TestApp,
  token: string,
  method: 'GET' | 'POST' | 'PUT' | 'DELETE',
  url: string,
  body?: unknown,
): Promise<LightMyRequestResponse> {
  return t.app.inject({
    method,
    url,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { payload: JSON.stringify(body) }),
  });
}
