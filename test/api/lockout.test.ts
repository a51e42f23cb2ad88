import pino from 'pino';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/http/build-app.js';
import { anonymous, setPassword } from '../harness/accounts.js';
import { backends } from '../harness/backends.js';
import { createUser, type CreatedUser } from '../harness/people.js';
import { startTestApp, type TestApp } from '../harness/test-app.js';

const PASSWORD = 'the right password';

for (const backend of backends()) {
  describe(backend.name, () => {
    describe('sign-in back-off', () => {
      let t: TestApp;
      let user: CreatedUser;
      beforeEach(async () => {
        t = await startTestApp(backend.fresh());
        user = await createUser(t, { email: 'rosa@example.com' });
        await setPassword(t, user.id, PASSWORD);
      });
      afterEach(async () => {
        await t.close();
      });
      afterAll(async () => {
        await backend.cleanup();
      });

      const attempt = (password: string, email = 'rosa@example.com', remoteAddress = '10.0.0.1') =>
        t.app.inject({
          method: 'POST',
          url: '/api/v2/session',
          remoteAddress,
          headers: { 'content-type': 'application/json' },
          payload: JSON.stringify({ email, password }),
        });
      const fail = async (times: number, email?: string, ip?: string) => {
        for (let i = 0; i < times; i++) expect((await attempt('wrong', email, ip)).statusCode).toBe(401);
      };

      it('answers 429 with Retry-After after 5 failures, even to the right password', async () => {
        await fail(5);
        const blocked = await attempt(PASSWORD);
        expect(blocked.statusCode).toBe(429);
        expect(blocked.headers['retry-after']).toBe('30');
        expect(blocked.json()).toEqual({
          error: {
            message: 'Rate Limit Exceeded',
            code: 2020,
            errors: ['Too many failed sign-ins: try again later'],
          },
        });
        t.clock.advance(20_000);
        expect((await attempt(PASSWORD)).headers['retry-after']).toBe('10');
        t.clock.advance(10_000);
        expect((await attempt(PASSWORD)).statusCode).toBe(201);
      });

      it('doubles the wait with each further failure, up to 15 minutes', async () => {
        await fail(5);
        const waits: string[] = [];
        for (let i = 0; i < 7; i++) {
          t.clock.advance(16 * 60_000); // past any wait, within the hour that keeps the count
          await fail(1);
          waits.push(String((await attempt(PASSWORD)).headers['retry-after']));
        }
        expect(waits).toEqual(['60', '120', '240', '480', '900', '900', '900']);
      });

      it('starts again from zero after a success and after an hour without failures', async () => {
        await fail(4);
        expect((await attempt(PASSWORD)).statusCode).toBe(201);
        await fail(4);
        expect((await attempt(PASSWORD)).statusCode).toBe(201);
        await fail(4);
        t.clock.advance(3600_000);
        await fail(4);
        expect((await attempt(PASSWORD)).statusCode).toBe(201);
      });

      it('backs off per account whatever the address, and counts unknown emails the same', async () => {
        for (let i = 0; i < 5; i++) await fail(1, 'rosa@example.com', `10.0.1.${i}`);
        expect((await attempt(PASSWORD, 'ROSA@example.com', '10.0.2.1')).statusCode).toBe(429);
        await fail(5, 'ghost@example.com', '10.0.3.1');
        expect((await attempt('anything', 'ghost@example.com', '10.0.3.2')).statusCode).toBe(429);
      });

      it('backs off an address after 20 failures across accounts', async () => {
        for (let i = 0; i < 20; i++) await fail(1, `guess${i}@example.com`, '10.9.9.9');
        expect((await attempt(PASSWORD, 'rosa@example.com', '10.9.9.9')).statusCode).toBe(429);
        expect((await attempt(PASSWORD, 'rosa@example.com', '10.9.9.10')).statusCode).toBe(201);
      });

      it('is shared by every node on the database', async () => {
        const other = await buildApp({
          store: t.store,
          clock: t.clock,
          config: { baseUrl: t.baseUrl, eventsRateLimit: 0 },
          logger: pino({ level: 'silent' }),
        });
        try {
          await fail(3);
          for (let i = 0; i < 2; i++) {
            const res = await other.inject({
              method: 'POST',
              url: '/api/v2/session',
              remoteAddress: '10.0.0.2',
              headers: { 'content-type': 'application/json' },
              payload: JSON.stringify({ email: 'rosa@example.com', password: 'wrong' }),
            });
            expect(res.statusCode).toBe(401);
          }
          expect((await attempt(PASSWORD)).statusCode).toBe(429);
        } finally {
          await other.close();
        }
      });

      it('takes as long to refuse an unknown email as a wrong password (both hash)', async () => {
        await attempt('warm-up', 'nobody@example.com', '10.5.0.1');
        const time = async (email: string) => {
          const start = performance.now();
          await attempt('wrong', email, '10.5.0.2');
          return performance.now() - start;
        };
        const known = await time('rosa@example.com');
        const unknown = await time('nobody@example.com');
        // scrypt dominates both; without the dummy hash the unknown email would answer in ~1 ms.
        expect(unknown).toBeGreaterThan(known / 4);
        expect(await anonymous(t, 'GET', '/api/v2/session').then((r) => r.statusCode)).toBe(401);
      });
    });
  });
}
