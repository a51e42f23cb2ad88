import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { anonymous, asBrowser, setPassword, signIn, type Browser } from '../harness/accounts.js';
import { backends } from '../harness/backends.js';
import {
  authorizeCode,
  consent,
  pkcePair,
  postForm,
  registerApp,
  withBearer,
  type CreatedApp,
  type TokenAnswer,
} from '../harness/oauth.js';
import { createUser } from '../harness/people.js';
import { startTestApp, type TestApp } from '../harness/test-app.js';

const PASSWORD = 'correct horse battery';
const CALLBACK = 'https://monitor.example/callback';

for (const backend of backends()) {
  describe(backend.name, () => {
    describe('OAuth apps', () => {
      let t: TestApp;
      let browser: Browser;
      let app: CreatedApp;
      beforeEach(async () => {
        t = await startTestApp(backend.fresh());
        const user = await createUser(t, { name: 'Mia Manager', email: 'mia@example.com', role: 'manager' });
        await setPassword(t, user.id, PASSWORD);
        browser = await signIn(t, 'mia@example.com', PASSWORD);
        app = await registerApp(t);
      });
      afterEach(async () => {
        await t.close();
      });
      afterAll(async () => {
        await backend.cleanup();
      });

      /** Runs the code flow (confidential client with PKCE) and returns the token answer. */
      const tokensFor = async (scope = 'read write', target: CreatedApp = app): Promise<TokenAnswer> => {
        const { verifier, challenge } = pkcePair();
        const code = await authorizeCode(t, browser, {
          client_id: target.client_id,
          redirect_uri: CALLBACK,
          scope,
          code_challenge: challenge,
          code_challenge_method: 'S256',
        });
        const res = await postForm(t, {
          grant_type: 'authorization_code',
          client_id: target.client_id,
          ...(target.client_secret ? { client_secret: target.client_secret } : {}),
          code,
          redirect_uri: CALLBACK,
          code_verifier: verifier,
        });
        expect(res.statusCode, res.body).toBe(200);
        return res.json<TokenAnswer>();
      };

      it('registers an app and shows its client secret only on creation', async () => {
        expect(app).toMatchObject({ type: 'oauth_app', name: 'Monitor', client_type: 'confidential' });
        expect(app.client_secret).toMatch(/^tcs_/);
        const read = await t.api('GET', `/api/v2/oauth_apps/${app.id}`);
        expect(read.statusCode).toBe(200);
        expect(read.json<{ oauth_app: object }>().oauth_app).not.toHaveProperty('client_secret');
        const list = await t.api('GET', '/api/v2/oauth_apps');
        expect(list.json<{ oauth_apps: { id: string }[] }>().oauth_apps.map((a) => a.id)).toEqual([app.id]);
        const put = await t.api('PUT', `/api/v2/oauth_apps/${app.id}`, { oauth_app: { scopes: ['read'] } });
        expect(put.json<{ oauth_app: { scopes: string[] } }>().oauth_app.scopes).toEqual(['read']);
        const stored = await t.store.db.selectFrom('oauth_apps').selectAll().executeTakeFirstOrThrow();
        expect(stored.client_secret_hash).not.toContain(app.client_secret!.slice(4));
      });

      it('lets only admins manage apps and reports every invalid field at once', async () => {
        const res = await asBrowser(t, browser, 'POST', '/api/v2/oauth_apps', { oauth_app: { name: 'X' } });
        expect(res.statusCode).toBe(403);
        const bad = await t.api('POST', '/api/v2/oauth_apps', {
          oauth_app: { name: '', redirect_uris: ['http://evil.example/cb', 'nope'], scopes: ['root'] },
        });
        expect(bad.statusCode).toBe(400);
        expect(bad.json<{ error: { errors: string[] } }>().error.errors).toHaveLength(4);
      });

      it('exchanges a code with its PKCE verifier for bearer tokens that act as the user', async () => {
        const tokens = await tokensFor();
        expect(tokens).toEqual({
          access_token: expect.stringMatching(/^tca_/) as string,
          refresh_token: expect.stringMatching(/^tcr_/) as string,
          token_type: 'bearer',
          scope: 'read write',
          expires_in: 3600,
        });
        const me = await withBearer(t, tokens.access_token, 'GET', '/api/v2/users/me');
        expect(me.statusCode, me.body).toBe(200);
        expect(me.json<{ user: { email: string } }>().user.email).toBe('mia@example.com');
        const row = await t.store.db.selectFrom('oauth_tokens').selectAll().executeTakeFirstOrThrow();
        expect(row.access_token_hash).not.toBe(tokens.access_token);
      });

      it('takes a code once: a second exchange fails and ends the tokens of the first', async () => {
        const { verifier, challenge } = pkcePair();
        const code = await authorizeCode(t, browser, {
          client_id: app.client_id,
          redirect_uri: CALLBACK,
          code_challenge: challenge,
        });
        const form = {
          grant_type: 'authorization_code',
          client_id: app.client_id,
          client_secret: app.client_secret!,
          code,
          redirect_uri: CALLBACK,
          code_verifier: verifier,
        };
        const first = await postForm(t, form);
        expect(first.statusCode).toBe(200);
        const second = await postForm(t, form);
        expect(second.statusCode).toBe(400);
        expect(second.json()).toMatchObject({ error: 'invalid_grant' });
        const token = first.json<TokenAnswer>().access_token;
        expect((await withBearer(t, token, 'GET', '/api/v2/incidents')).statusCode).toBe(401);
      });

      it('lets a code expire after 30 seconds', async () => {
        const code = await authorizeCode(t, browser, { client_id: app.client_id, redirect_uri: CALLBACK });
        t.clock.advance(31_000);
        const res = await postForm(t, {
          grant_type: 'authorization_code',
          client_id: app.client_id,
          client_secret: app.client_secret!,
          code,
          redirect_uri: CALLBACK,
        });
        expect(res.statusCode).toBe(400);
        expect(res.json()).toMatchObject({
          error: 'invalid_grant',
          error_description: expect.stringContaining('expired') as string,
        });
      });

      it('refuses a wrong client secret, redirect URI or verifier', async () => {
        const { verifier, challenge } = pkcePair();
        const base = { grant_type: 'authorization_code', client_id: app.client_id, redirect_uri: CALLBACK };
        const code = await authorizeCode(t, browser, { ...base, code_challenge: challenge });
        const wrongSecret = await postForm(t, {
          ...base,
          code,
          client_secret: 'tcs_wrong',
          code_verifier: verifier,
        });
        expect(wrongSecret.statusCode).toBe(400);
        expect(wrongSecret.json()).toMatchObject({ error: 'invalid_client' });
        const noSecret = await postForm(t, { ...base, code, code_verifier: verifier });
        expect(noSecret.json()).toMatchObject({ error: 'invalid_client' });
        const wrongVerifier = await postForm(t, {
          ...base,
          code,
          client_secret: app.client_secret!,
          code_verifier: pkcePair().verifier,
        });
        expect(wrongVerifier.json()).toMatchObject({ error: 'invalid_grant' });
      });

      it('accepts HTTP Basic client authentication and a narrower scope on refresh', async () => {
        const code = await authorizeCode(t, browser, { client_id: app.client_id, redirect_uri: CALLBACK });
        const basic = Buffer.from(`${app.client_id}:${app.client_secret!}`).toString('base64');
        const headers = { authorization: `Basic ${basic}` };
        const form = { grant_type: 'authorization_code', code, redirect_uri: CALLBACK };
        const res = await postForm(t, form, '/oauth/token', headers);
        expect(res.statusCode, res.body).toBe(200);
        const tokens = res.json<TokenAnswer>();
        const narrower = await postForm(
          t,
          { grant_type: 'refresh_token', refresh_token: tokens.refresh_token, scope: 'read' },
          '/oauth/token',
          headers,
        );
        expect(narrower.json<TokenAnswer>().scope).toBe('read');
        const wider = await postForm(
          t,
          {
            grant_type: 'refresh_token',
            refresh_token: narrower.json<TokenAnswer>().refresh_token,
            scope: 'read write',
          },
          '/oauth/token',
          headers,
        );
        expect(wider.json()).toMatchObject({ error: 'invalid_scope' });
        const same = await postForm(
          t,
          { grant_type: 'refresh_token', refresh_token: narrower.json<TokenAnswer>().refresh_token },
          '/oauth/token',
          headers,
        );
        expect(same.statusCode, 'the refused request left the refresh token usable').toBe(200);
      });

      it('requires S256 PKCE of public clients, which need no secret', async () => {
        const pub = await registerApp(t, { name: 'CLI', client_type: 'public' });
        expect(pub.client_secret).toBeNull();
        const without = await consent(t, browser, { client_id: pub.client_id, redirect_uri: CALLBACK });
        expect(without.statusCode).toBe(400);
        const plain = await consent(t, browser, {
          client_id: pub.client_id,
          redirect_uri: CALLBACK,
          code_challenge: 'a'.repeat(43),
          code_challenge_method: 'plain',
        });
        expect(plain.statusCode).toBe(400);
        const tokens = await tokensFor('read', pub);
        expect(tokens.scope).toBe('read');
        const { challenge } = pkcePair();
        const code = await authorizeCode(t, browser, {
          client_id: pub.client_id,
          redirect_uri: CALLBACK,
          code_challenge: challenge,
        });
        const noVerifier = await postForm(t, {
          grant_type: 'authorization_code',
          client_id: pub.client_id,
          code,
          redirect_uri: CALLBACK,
        });
        expect(noVerifier.statusCode).toBe(400);
      });

      it('rotates refresh tokens and ends the family when a used one comes back', async () => {
        const first = await tokensFor();
        const refresh = (token: string) =>
          postForm(t, {
            grant_type: 'refresh_token',
            client_id: app.client_id,
            client_secret: app.client_secret!,
            refresh_token: token,
          });
        const res = await refresh(first.refresh_token);
        expect(res.statusCode, res.body).toBe(200);
        const second = res.json<TokenAnswer>();
        expect(second.refresh_token).not.toBe(first.refresh_token);
        expect(second.scope).toBe('read write');
        expect((await withBearer(t, first.access_token, 'GET', '/api/v2/incidents')).statusCode).toBe(401);
        expect((await withBearer(t, second.access_token, 'GET', '/api/v2/incidents')).statusCode).toBe(200);
        const reuse = await refresh(first.refresh_token);
        expect(reuse.statusCode).toBe(400);
        expect(reuse.json()).toMatchObject({ error: 'invalid_grant' });
        expect((await withBearer(t, second.access_token, 'GET', '/api/v2/incidents')).statusCode).toBe(401);
        expect((await refresh(second.refresh_token)).statusCode).toBe(400);
      });

      it('revokes a token pair (RFC 7009) and answers 200 for unknown tokens', async () => {
        const tokens = await tokensFor();
        const auth = { client_id: app.client_id, client_secret: app.client_secret! };
        const res = await postForm(t, { ...auth, token: tokens.access_token }, '/oauth/revoke');
        expect(res.statusCode).toBe(200);
        expect((await withBearer(t, tokens.access_token, 'GET', '/api/v2/incidents')).statusCode).toBe(401);
        const refresh = await postForm(t, {
          ...auth,
          grant_type: 'refresh_token',
          refresh_token: tokens.refresh_token,
        });
        expect(refresh.statusCode).toBe(400);
        expect((await postForm(t, { ...auth, token: 'nothing' }, '/oauth/revoke')).statusCode).toBe(200);
        const basic = Buffer.from(`${app.client_id}:wrong`).toString('base64');
        const wrong = await postForm(t, { token: 'x' }, '/oauth/revoke', { authorization: `Basic ${basic}` });
        expect(wrong.statusCode).toBe(401);
        expect(wrong.json()).toMatchObject({ error: 'invalid_client' });
      });

      it('limits a bearer token to its scopes with a 403 PagerDuty error', async () => {
        await registerApp(t, { name: 'Scoped', scopes: ['incidents.read', 'services.write', 'read'] }).then(
          async (scoped) => {
            const incidentsOnly = await tokensFor('incidents.read', scoped);
            expect(
              (await withBearer(t, incidentsOnly.access_token, 'GET', '/api/v2/incidents')).statusCode,
            ).toBe(200);
            const denied = await withBearer(t, incidentsOnly.access_token, 'GET', '/api/v2/services');
            expect(denied.statusCode).toBe(403);
            expect(denied.json()).toMatchObject({ error: { code: 2010, message: 'Access Denied' } });
            const services = await tokensFor('services.write', scoped);
            const created = await withBearer(t, services.access_token, 'POST', '/api/v2/services', {
              service: { name: 'From the app' },
            });
            expect(created.statusCode, created.body).toBe(201);
            expect((await withBearer(t, services.access_token, 'GET', '/api/v2/services')).statusCode).toBe(
              200,
            );
            const readOnly = await tokensFor('read', scoped);
            const write = await withBearer(t, readOnly.access_token, 'POST', '/api/v2/services', {
              service: { name: 'Nope' },
            });
            expect(write.statusCode).toBe(403);
          },
        );
        const all = await tokensFor('read write');
        expect((await withBearer(t, all.access_token, 'GET', '/api/v2/oauth_apps')).statusCode).toBe(403);
        expect((await withBearer(t, all.access_token, 'GET', '/api/v2/nothing-here')).statusCode).toBe(404);
      });

      it('lets access tokens expire after an hour and ends them when the app is deleted', async () => {
        const tokens = await tokensFor();
        t.clock.advance(3_601_000);
        expect((await withBearer(t, tokens.access_token, 'GET', '/api/v2/incidents')).statusCode).toBe(401);
        const fresh = await tokensFor();
        expect((await t.api('DELETE', `/api/v2/oauth_apps/${app.id}`)).statusCode).toBe(204);
        expect((await withBearer(t, fresh.access_token, 'GET', '/api/v2/incidents')).statusCode).toBe(401);
        expect((await t.api('GET', `/api/v2/oauth_apps/${app.id}`)).statusCode).toBe(404);
      });

      it('sends a refusal back as access_denied with the state', async () => {
        const res = await consent(t, browser, {
          client_id: app.client_id,
          redirect_uri: `${CALLBACK}?tenant=7`,
          state: 'xyz',
          decision: 'deny',
        });
        expect(res.statusCode).toBe(400);
        await t.api('PUT', `/api/v2/oauth_apps/${app.id}`, {
          oauth_app: { redirect_uris: [CALLBACK, `${CALLBACK}?tenant=7`] },
        });
        const denied = await consent(t, browser, {
          client_id: app.client_id,
          redirect_uri: `${CALLBACK}?tenant=7`,
          state: 'xyz',
          decision: 'deny',
        });
        const url = new URL(denied.json<{ redirect_to: string }>().redirect_to);
        expect(url.origin + url.pathname).toBe(CALLBACK);
        expect(Object.fromEntries(url.searchParams)).toMatchObject({
          tenant: '7',
          error: 'access_denied',
          state: 'xyz',
        });
        const allowed = new URL(
          (
            await consent(t, browser, { client_id: app.client_id, redirect_uri: CALLBACK, state: 'abc' })
          ).json<{ redirect_to: string }>().redirect_to,
        );
        expect(allowed.searchParams.get('state')).toBe('abc');
      });

      it('checks the consent request: client, exact redirect URI, scopes, and a browser session', async () => {
        const query = (q: Record<string, string>) =>
          `/api/v2/oauth/authorize?${new URLSearchParams(q).toString()}`;
        const ok = await asBrowser(
          t,
          browser,
          'GET',
          query({ client_id: app.client_id, redirect_uri: CALLBACK, response_type: 'code', scope: 'read' }),
        );
        expect(ok.statusCode, ok.body).toBe(200);
        expect(ok.json()).toMatchObject({
          app: { id: app.id, name: 'Monitor' },
          scopes: ['read'],
          redirect_uri: CALLBACK,
        });
        const errors = async (q: Record<string, string>) => {
          const res = await asBrowser(t, browser, 'GET', query({ response_type: 'code', ...q }));
          expect(res.statusCode).toBe(400);
          return res.json<{ error: { errors: string[] } }>().error.errors;
        };
        expect(await errors({ client_id: 'unknown' })).toEqual(['client_id does not name a registered app']);
        expect(
          await errors({ client_id: app.client_id, redirect_uri: `${CALLBACK}/x`, scope: 'admin' }),
        ).toHaveLength(2);
        const byToken = await t.api('POST', '/api/v2/oauth/authorize', {
          client_id: app.client_id,
          redirect_uri: CALLBACK,
          decision: 'allow',
        });
        expect(byToken.statusCode).toBe(403);
        const noCsrf = await asBrowser(
          t,
          browser,
          'POST',
          '/api/v2/oauth/authorize',
          { client_id: app.client_id, redirect_uri: CALLBACK, decision: 'allow' },
          { csrf: false },
        );
        expect(noCsrf.statusCode).toBe(403);
      });

      it('sends a signed-out browser from the authorize page to sign-in and back', async () => {
        const url = `/oauth/authorize?client_id=${app.client_id}&redirect_uri=${encodeURIComponent(CALLBACK)}&response_type=code`;
        const res = await anonymous(t, 'GET', url);
        expect(res.statusCode).toBe(302);
        expect(res.headers.location).toBe(`/login?next=${encodeURIComponent(url)}`);
        const bad = await anonymous(t, 'GET', '/oauth/authorize?client_id=nope&response_type=code');
        expect(bad.statusCode).toBe(400);
        const signedIn = await anonymous(t, 'GET', url, undefined, { cookie: browser.cookie });
        expect(signedIn.statusCode).not.toBe(302);
      });
    });
  });
}
