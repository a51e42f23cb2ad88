import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { resetMailer } from '../../src/auth/reset-mailer.js';
import { startSmtpFake, type SmtpFake } from '../fakes/smtp-fake.js';
import { anonymous, asBrowser, setPassword, signIn } from '../harness/accounts.js';
import { backends } from '../harness/backends.js';
import { createUser, type CreatedUser } from '../harness/people.js';
import { startTestApp, type TestApp } from '../harness/test-app.js';

const OLD = 'the old password';
const NEW = 'a brand new password';

for (const backend of backends()) {
  describe(backend.name, () => {
    describe('password reset by email link', () => {
      let t: TestApp;
      let smtp: SmtpFake;
      let rosa: CreatedUser;
      beforeEach(async () => {
        smtp = await startSmtpFake();
        t = await startTestApp(backend.fresh(), {
          config: { smtpUrl: `smtp://127.0.0.1:${smtp.port}`, emailFrom: 'Tocsin <pager@tocsin.test>' },
        });
        rosa = await createUser(t, { name: 'Rosa', email: 'Rosa@Example.com' });
        await setPassword(t, rosa.id, OLD);
      });
      afterEach(async () => {
        await t.close();
        await smtp.stop();
      });
      afterAll(async () => {
        await backend.cleanup();
      });

      const requestLink = async (email: string) => {
        const res = await anonymous(t, 'POST', '/api/v2/password_reset', { email });
        expect(res.statusCode).toBe(202);
        expect(res.body).toBe('');
      };
      const linkFor = async (to: string) => {
        const mail = await smtp.waitFor((m) =>
          m.envelopeTo.some((a) => a.toLowerCase() === to.toLowerCase()),
        );
        const match = /(http:\/\/tocsin\.test\/reset-password\?token=([\w%-]+))/.exec(mail.text ?? '');
        expect(match, mail.text).not.toBeNull();
        return { mail, link: match![1]!, token: decodeURIComponent(match![2]!) };
      };
      const complete = (token: string, password = NEW) =>
        anonymous(t, 'POST', '/api/v2/password_reset/complete', { token, password });

      it('emails a single-use link that sets a new password and signs the user out everywhere', async () => {
        const phone = await signIn(t, 'rosa@example.com', OLD);
        await requestLink('ROSA@example.com');
        const { mail, token } = await linkFor('Rosa@Example.com');
        expect(mail.subject).toBe('[Tocsin] Reset your password');
        expect(mail.envelopeFrom).toBe('pager@tocsin.test');
        const stored = await t.store.db.selectFrom('password_resets').selectAll().execute();
        expect(stored).toHaveLength(1);
        expect(stored[0]!.token_hash).not.toBe(token);
        expect((await complete(token)).statusCode).toBe(204);
        expect((await asBrowser(t, phone, 'GET', '/api/v2/session')).statusCode).toBe(401);
        expect(
          (await anonymous(t, 'POST', '/api/v2/session', { email: 'rosa@example.com', password: OLD }))
            .statusCode,
        ).toBe(401);
        await signIn(t, 'rosa@example.com', NEW);
        const again = await complete(token, 'yet another password');
        expect(again.statusCode).toBe(400);
        expect(again.json()).toEqual({
          error: {
            message: 'Invalid Input Provided',
            code: 2001,
            errors: ['The reset link is invalid, used or expired'],
          },
        });
      });

      it('sends at most one email a minute per user', async () => {
        await requestLink('rosa@example.com');
        await requestLink('rosa@example.com');
        await linkFor('Rosa@Example.com');
        t.clock.advance(59_000);
        await requestLink('rosa@example.com');
        t.clock.advance(1_000);
        await requestLink('rosa@example.com');
        await smtp.waitFor(() => smtp.messages.length === 2);
        expect(await t.store.db.selectFrom('password_resets').selectAll().execute()).toHaveLength(2);
      });

      it('answers 202 for an unknown email and sends nothing', async () => {
        await requestLink('nobody@example.com');
        await requestLink('rosa@example.com');
        await linkFor('Rosa@Example.com');
        expect(smtp.messages).toHaveLength(1);
        expect(await t.store.db.selectFrom('password_resets').selectAll().execute()).toHaveLength(1);
      });

      it('refuses a link after an hour, a made-up token and a short password', async () => {
        await requestLink('rosa@example.com');
        const { token } = await linkFor('Rosa@Example.com');
        const short = await complete(token, 'short');
        expect(short.statusCode).toBe(400);
        expect(short.json<{ error: { errors: string[] } }>().error.errors).toEqual([
          'password must be at least 8 characters',
        ]);
        expect((await complete('made-up-token')).statusCode).toBe(400);
        t.clock.advance(3600_000);
        expect((await complete(token)).statusCode).toBe(400);
        await signIn(t, 'rosa@example.com', OLD);
      });

      it('voids the other open links of the user once one is used', async () => {
        await requestLink('rosa@example.com');
        const first = await linkFor('Rosa@Example.com');
        t.clock.advance(60_000);
        await requestLink('rosa@example.com');
        const second = await smtp.waitFor((m) => m !== first.mail && m.envelopeTo.length > 0);
        const token2 = decodeURIComponent(/token=([\w%-]+)/.exec(second.text ?? '')![1]!);
        expect((await complete(token2)).statusCode).toBe(204);
        expect((await complete(first.token, 'other new password')).statusCode).toBe(400);
      });

      it('clears the account’s sign-in back-off', async () => {
        for (let i = 0; i < 5; i++)
          await anonymous(t, 'POST', '/api/v2/session', { email: 'rosa@example.com', password: 'wrong!' });
        expect(
          (await anonymous(t, 'POST', '/api/v2/session', { email: 'rosa@example.com', password: OLD }))
            .statusCode,
        ).toBe(429);
        await requestLink('rosa@example.com');
        const { token } = await linkFor('Rosa@Example.com');
        expect((await complete(token)).statusCode).toBe(204);
        await signIn(t, 'rosa@example.com', NEW);
      });
    });
  });
}

describe('reset links without email configured', () => {
  it('writes the link to the log', async () => {
    const lines: { fields: Record<string, unknown>; text: string }[] = [];
    const logger = { info: (fields: Record<string, unknown>, text: string) => lines.push({ fields, text }) };
    await resetMailer({}, logger as never)('rosa@example.com', 'http://tocsin.test/reset-password?token=abc');
    expect(lines).toEqual([
      {
        fields: { to: 'rosa@example.com', link: 'http://tocsin.test/reset-password?token=abc' },
        text: 'password reset link (email is not configured): http://tocsin.test/reset-password?token=abc',
      },
    ]);
  });
});
