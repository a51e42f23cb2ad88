import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { anonymous, asBrowser, sessionCookieOf } from '../harness/accounts.js';
import { backends } from '../harness/backends.js';
import { ADMIN_TOKEN, startTestApp, type TestApp } from '../harness/test-app.js';

const form = {
  admin_token: ADMIN_TOKEN,
  name: 'Ada Admin',
  email: 'ada@example.com',
  password: 'first admin password',
};

for (const backend of backends()) {
  describe(backend.name, () => {
    describe('first-run setup', () => {
      let t: TestApp;
      beforeEach(async () => {
        t = await startTestApp(backend.fresh());
      });
      afterEach(async () => {
        await t.close();
      });
      afterAll(async () => {
        await backend.cleanup();
      });

      const needed = async () =>
        (await anonymous(t, 'GET', '/api/v2/setup')).json<{ needed: boolean }>().needed;

      it('is needed while the admin has no password, then names the admin and signs them in', async () => {
        expect(await needed()).toBe(true);
        const res = await anonymous(t, 'POST', '/api/v2/setup', form);
        expect(res.statusCode, res.body).toBe(201);
        const body = res.json<{ user: { name: string; email: string; role: string }; csrf_token: string }>();
        expect(body.user).toMatchObject({ name: 'Ada Admin', email: 'ada@example.com', role: 'admin' });
        const browser = { cookie: sessionCookieOf(res), csrf: body.csrf_token, userId: '' };
        expect((await asBrowser(t, browser, 'GET', '/api/v2/session')).statusCode).toBe(200);
        expect(await needed()).toBe(false);
        const signIn = await anonymous(t, 'POST', '/api/v2/session', {
          email: 'ada@example.com',
          password: form.password,
        });
        expect(signIn.statusCode).toBe(201);
      });

      it('runs only once', async () => {
        expect((await anonymous(t, 'POST', '/api/v2/setup', form)).statusCode).toBe(201);
        const again = await anonymous(t, 'POST', '/api/v2/setup', { ...form, email: 'eve@example.com' });
        expect(again.statusCode).toBe(403);
        expect(again.json<{ error: { errors: string[] } }>().error.errors).toEqual([
          'Setup is already complete',
        ]);
      });

      it('needs the admin token, and backs off an address that guesses it', async () => {
        for (let i = 0; i < 20; i++) {
          const res = await anonymous(t, 'POST', '/api/v2/setup', { ...form, admin_token: `guess-${i}` });
          expect(res.statusCode).toBe(401);
        }
        const blocked = await anonymous(t, 'POST', '/api/v2/setup', form);
        expect(blocked.statusCode).toBe(429);
        expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
        expect(await needed()).toBe(true);
      });

      it('checks the name, email and password', async () => {
        const res = await anonymous(t, 'POST', '/api/v2/setup', { ...form, name: ' ', email: 'nope' });
        expect(res.statusCode).toBe(400);
        expect(res.json<{ error: { errors: string[] } }>().error.errors).toEqual([
          'Name cannot be empty',
          'Email is invalid',
        ]);
        const short = await anonymous(t, 'POST', '/api/v2/setup', { ...form, password: 'short' });
        expect(short.statusCode).toBe(400);
        expect(await needed()).toBe(true);
      });
    });
  });
}
