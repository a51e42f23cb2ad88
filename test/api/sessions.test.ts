import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { anonymous, asBrowser, setPassword, signIn, type Browser } from '../harness/accounts.js';
import { backends } from '../harness/backends.js';
import { createUser, type CreatedUser } from '../harness/people.js';
import { startTestApp, type TestApp } from '../harness/test-app.js';

const DAY = 24 * 3600_000;
const PASSWORD = 'correct horse battery';

for (const backend of backends()) {
  describe(backend.name, () => {
    describe('sessions', () => {
      let t: TestApp;
      let user: CreatedUser;
      beforeEach(async () => {
        t = await startTestApp(backend.fresh());
        user = await createUser(t, { name: 'Rosa Responder', email: 'Rosa@Example.com' });
        await setPassword(t, user.id, PASSWORD);
      });
      afterEach(async () => {
        await t.close();
      });
      afterAll(async () => {
        await backend.cleanup();
      });

      const whoAmI = (b: Browser) => asBrowser(t, b, 'GET', '/api/v2/session');

      it('signs in with email and password, setting an HTTP-only session cookie', async () => {
        const res = await anonymous(t, 'POST', '/api/v2/session', {
          email: 'rosa@example.com',
          password: PASSWORD,
        });
        expect(res.statusCode).toBe(201);
        const body = res.json<{ user: CreatedUser; csrf_token: string }>();
        expect(body.user).toMatchObject({ id: user.id, type: 'user', email: 'Rosa@Example.com' });
        expect(body.csrf_token).toMatch(/^[\w-]{40,}$/);
        const cookie = res.cookies.find((c) => c.name === 'tocsin_session')!;
        expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });
        expect(cookie.secure).toBeUndefined();
        expect(cookie.value).toMatch(/^[\w-]{40,}$/);
        const stored = await t.store.db.selectFrom('sessions').selectAll().execute();
        expect(stored).toHaveLength(1);
        expect(stored[0]!.token_hash).not.toContain(cookie.value);
      });

      it('marks the cookie Secure when Tocsin is served over https', async () => {
        const secure = await startTestApp(backend.fresh(), { config: { baseUrl: 'https://tocsin.example' } });
        try {
          const admin = await secure.store.db.selectFrom('users').select('id').executeTakeFirstOrThrow();
          await setPassword(secure, admin.id, PASSWORD);
          const res = await anonymous(secure, 'POST', '/api/v2/session', {
            email: 'admin@tocsin.local',
            password: PASSWORD,
          });
          expect(res.statusCode).toBe(201);
          expect(res.cookies.find((c) => c.name === 'tocsin_session')?.secure).toBe(true);
        } finally {
          await secure.close();
        }
      });

      it('answers 401 with PagerDuty’s error body to a wrong password and to an unknown email', async () => {
        for (const body of [
          { email: 'rosa@example.com', password: 'wrong password' },
          { email: 'nobody@example.com', password: PASSWORD },
        ]) {
          const res = await anonymous(t, 'POST', '/api/v2/session', body);
          expect(res.statusCode).toBe(401);
          expect(res.json()).toEqual({
            error: {
              message: 'Authentication failed',
              code: 2006,
              errors: ['The email or password is incorrect'],
            },
          });
          expect(res.cookies).toEqual([]);
        }
        const invalid = await anonymous(t, 'POST', '/api/v2/session', { email: 'rosa@example.com' });
        expect(invalid.statusCode).toBe(400);
      });

      it('tells the browser who is signed in, and 401 without a valid cookie', async () => {
        const browser = await signIn(t, 'rosa@example.com', PASSWORD);
        const res = await whoAmI(browser);
        expect(res.statusCode).toBe(200);
        expect(res.json()).toMatchObject({ user: { id: user.id }, csrf_token: browser.csrf });
        expect((await anonymous(t, 'GET', '/api/v2/session')).statusCode).toBe(401);
        const forged = await anonymous(t, 'GET', '/api/v2/session', undefined, {
          cookie: 'tocsin_session=forged',
        });
        expect(forged.statusCode).toBe(401);
      });

      it('authenticates every /api/v2 route by the cookie, acting as the signed-in user', async () => {
        const browser = await signIn(t, 'rosa@example.com', PASSWORD);
        const me = await asBrowser(t, browser, 'GET', '/api/v2/users/me', undefined, { csrf: false });
        expect(me.statusCode).toBe(200);
        expect(me.json<{ user: CreatedUser }>().user.id).toBe(user.id);
        const edit = await asBrowser(t, browser, 'PUT', `/api/v2/users/${user.id}`, {
          user: { job_title: 'SRE' },
        });
        expect(edit.statusCode, edit.body).toBe(200);
        // A responder may not create users: the session carries the user's role.
        const create = await asBrowser(t, browser, 'POST', '/api/v2/users', {
          user: { name: 'X', email: 'x@example.com' },
        });
        expect(create.statusCode).toBe(403);
      });

      it('refuses unsafe cookie requests without the right X-CSRF-Token with 403', async () => {
        const browser = await signIn(t, 'rosa@example.com', PASSWORD);
        const body = { user: { job_title: 'Nope' } };
        for (const csrf of [false, 'wrong-token', ''] as const) {
          const res = await asBrowser(t, browser, 'PUT', `/api/v2/users/${user.id}`, body, { csrf });
          expect(res.statusCode).toBe(403);
          expect(res.json<{ error: { code: number; errors: string[] } }>().error).toMatchObject({
            code: 2010,
            errors: ['Missing or wrong X-CSRF-Token header'],
          });
        }
        const other = await signIn(t, 'rosa@example.com', PASSWORD);
        const crossed = await asBrowser(t, browser, 'PUT', `/api/v2/users/${user.id}`, body, {
          csrf: other.csrf,
        });
        expect(crossed.statusCode).toBe(403);
        const row = await t.store.db
          .selectFrom('users')
          .select('job_title')
          .where('id', '=', user.id)
          .executeTakeFirst();
        expect(row?.job_title).toBeNull();
      });

      it('prefers an Authorization header to the cookie, and a bad one is 401 whatever the cookie', async () => {
        const browser = await signIn(t, 'rosa@example.com', PASSWORD);
        const bad = await anonymous(t, 'GET', '/api/v2/users/me', undefined, {
          cookie: browser.cookie,
          authorization: 'Token token=not-a-token',
        });
        expect(bad.statusCode).toBe(401);
        const basic = await anonymous(t, 'GET', '/api/v2/users/me', undefined, {
          cookie: browser.cookie,
          authorization: 'Basic dXNlcjpwYXNz',
        });
        expect(basic.statusCode).toBe(401);
        // A token needs no CSRF header even when a cookie rides along.
        const viaToken = await t.api(
          'PUT',
          `/api/v2/users/${user.id}`,
          { user: { job_title: 'Ok' } },
          {
            cookie: browser.cookie,
          },
        );
        expect(viaToken.statusCode).toBe(200);
      });

      it('signs out one session with DELETE /session, leaving the others', async () => {
        const phone = await signIn(t, 'rosa@example.com', PASSWORD);
        const laptop = await signIn(t, 'rosa@example.com', PASSWORD);
        const out = await asBrowser(t, phone, 'DELETE', '/api/v2/session');
        expect(out.statusCode).toBe(204);
        const cleared = out.cookies.find((c) => c.name === 'tocsin_session');
        expect(cleared?.value).toBe('');
        expect((await whoAmI(phone)).statusCode).toBe(401);
        expect((await whoAmI(laptop)).statusCode).toBe(200);
      });

      it('signs the user out everywhere with DELETE /sessions', async () => {
        const phone = await signIn(t, 'rosa@example.com', PASSWORD);
        const laptop = await signIn(t, 'rosa@example.com', PASSWORD);
        expect((await asBrowser(t, phone, 'DELETE', '/api/v2/sessions')).statusCode).toBe(204);
        expect((await whoAmI(phone)).statusCode).toBe(401);
        expect((await whoAmI(laptop)).statusCode).toBe(401);
        expect(await t.store.db.selectFrom('sessions').selectAll().execute()).toEqual([]);
      });

      it('ends a session idle for 7 days, and any session after 30 days', async () => {
        const idle = await signIn(t, 'rosa@example.com', PASSWORD);
        const busy = await signIn(t, 'rosa@example.com', PASSWORD);
        t.clock.advance(6 * DAY);
        expect((await whoAmI(busy)).statusCode).toBe(200);
        t.clock.advance(DAY + 1000);
        expect((await whoAmI(idle)).statusCode).toBe(401);
        expect((await whoAmI(busy)).statusCode).toBe(200);
        for (const step of [6, 6, 6, 4]) {
          t.clock.advance(step * DAY); // days 13, 19, 25, 29
          expect((await whoAmI(busy)).statusCode).toBe(200);
        }
        t.clock.advance(DAY);
        expect((await whoAmI(busy)).statusCode).toBe(401);
      });

      it('ends the sessions of a deleted user at once', async () => {
        const browser = await signIn(t, 'rosa@example.com', PASSWORD);
        expect((await t.api('DELETE', `/api/v2/users/${user.id}`)).statusCode).toBe(204);
        expect((await whoAmI(browser)).statusCode).toBe(401);
      });
    });
  });
}
