import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { anonymous, asBrowser, setPassword, signIn } from '../harness/accounts.js';
import { backends } from '../harness/backends.js';
import { createUser, userToken, type CreatedUser } from '../harness/people.js';
import { startTestApp, type TestApp } from '../harness/test-app.js';

const OLD = 'the old password';
const NEW = 'the new password';

for (const backend of backends()) {
  describe(backend.name, () => {
    describe('changing passwords', () => {
      let t: TestApp;
      let rosa: CreatedUser;
      beforeEach(async () => {
        t = await startTestApp(backend.fresh());
        rosa = await createUser(t, { name: 'Rosa', email: 'rosa@example.com', role: 'responder' });
        await setPassword(t, rosa.id, OLD);
      });
      afterEach(async () => {
        await t.close();
      });
      afterAll(async () => {
        await backend.cleanup();
      });

      const canSignIn = async (password: string) =>
        (await anonymous(t, 'POST', '/api/v2/session', { email: 'rosa@example.com', password }))
          .statusCode === 201;

      it('changes one’s own password with the current one and signs out the other sessions', async () => {
        const laptop = await signIn(t, 'rosa@example.com', OLD);
        const phone = await signIn(t, 'rosa@example.com', OLD);
        const res = await asBrowser(t, laptop, 'PUT', '/api/v2/users/me/password', {
          current_password: OLD,
          password: NEW,
        });
        expect(res.statusCode, res.body).toBe(204);
        expect((await asBrowser(t, laptop, 'GET', '/api/v2/session')).statusCode).toBe(200);
        expect((await asBrowser(t, phone, 'GET', '/api/v2/session')).statusCode).toBe(401);
        expect(await canSignIn(OLD)).toBe(false);
        expect(await canSignIn(NEW)).toBe(true);
      });

      it('refuses a wrong or missing current password, and backs off after 5', async () => {
        const browser = await signIn(t, 'rosa@example.com', OLD);
        const change = (body: Record<string, unknown>) =>
          asBrowser(t, browser, 'PUT', `/api/v2/users/${rosa.id}/password`, body);
        const missing = await change({ password: NEW });
        expect(missing.statusCode).toBe(400);
        expect(missing.json<{ error: { errors: string[] } }>().error.errors).toEqual([
          'current_password is incorrect',
        ]);
        for (let i = 0; i < 4; i++)
          expect((await change({ current_password: 'nope', password: NEW })).statusCode).toBe(400);
        const blocked = await change({ current_password: OLD, password: NEW });
        expect(blocked.statusCode).toBe(429);
        expect(blocked.headers['retry-after']).toBe('30');
        t.clock.advance(30_000);
        expect((await change({ current_password: OLD, password: NEW })).statusCode).toBe(204);
      });

      it('requires at least 8 characters', async () => {
        const res = await t.api('PUT', `/api/v2/users/${rosa.id}/password`, { password: 'seven77' });
        expect(res.statusCode).toBe(400);
        expect(res.json<{ error: { errors: string[] } }>().error.errors).toEqual([
          'password must be at least 8 characters',
        ]);
        expect(
          (await t.api('PUT', `/api/v2/users/${rosa.id}/password`, { password: 'eight888' })).statusCode,
        ).toBe(204);
      });

      it('lets an admin set anyone’s password, signing them out everywhere', async () => {
        const phone = await signIn(t, 'rosa@example.com', OLD);
        const res = await t.api('PUT', `/api/v2/users/${rosa.id}/password`, { password: NEW });
        expect(res.statusCode, res.body).toBe(204);
        expect((await asBrowser(t, phone, 'GET', '/api/v2/session')).statusCode).toBe(401);
        expect(await canSignIn(NEW)).toBe(true);
      });

      it('refuses to let anyone but an admin set another user’s password', async () => {
        const kim = await createUser(t, { name: 'Kim', role: 'manager' });
        const asKim = await userToken(t, kim.id);
        const res = await t.api('PUT', `/api/v2/users/${rosa.id}/password`, { password: NEW }, asKim);
        expect(res.statusCode).toBe(403);
        const browser = await signIn(t, 'rosa@example.com', OLD);
        const admin = await t.store.db
          .selectFrom('users')
          .select('id')
          .where('role', '=', 'admin')
          .executeTakeFirstOrThrow();
        const up = await asBrowser(t, browser, 'PUT', `/api/v2/users/${admin.id}/password`, {
          password: NEW,
        });
        expect(up.statusCode).toBe(403);
        expect((await t.api('PUT', '/api/v2/users/PNOBODY/password', { password: NEW })).statusCode).toBe(
          404,
        );
        expect(await canSignIn(OLD)).toBe(true);
      });
    });
  });
}
