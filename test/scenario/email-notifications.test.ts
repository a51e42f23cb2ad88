import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startSmtpFake, type SmtpFake } from '../fakes/smtp-fake.js';
import { backends } from '../harness/backends.js';
import {
  advance,
  incidentStatus,
  insertUser,
  notificationsOf,
  serviceForUser,
  triggerAndRun,
} from '../harness/on-call-fixtures.js';
import { startTestApp, type TestApp } from '../harness/test-app.js';

for (const backend of backends()) {
  describe(backend.name, () => {
    describe('email notifications over SMTP', () => {
      let t: TestApp;
      let smtp: SmtpFake;
      let alice: string;
      let key: string;

      beforeEach(async () => {
        smtp = await startSmtpFake();
        t = await startTestApp(backend.fresh(), {
          config: { smtpUrl: `smtp://127.0.0.1:${smtp.port}`, emailFrom: 'Tocsin <pager@tocsin.test>' },
        });
        alice = await insertUser(t.store, 'Alice');
        ({ key } = await serviceForUser(t.store, alice, 'Checkout'));
      });
      afterEach(async () => {
        await t.close();
        await smtp.stop();
      });
      afterAll(async () => {
        await backend.cleanup();
      });

      const email = async (incidentId: string) =>
        (await notificationsOf(t.store, incidentId)).find((n) => n.contact_type === 'email')!;
      const linkPath = (text: string, label: string) =>
        new RegExp(`${label}:\\s+http://tocsin\\.test(/actions/\\S+)`).exec(text)![1]!;
      const status = (id: string) => incidentStatus(t.store, id);

      it('emails the assignee the incident with links that act once, as them, through email', async () => {
        const id = await triggerAndRun(t, key);
        const mail = await smtp.waitFor((m) => m.envelopeTo.some((to) => to.startsWith('alice.')));
        const record = await email(id);
        expect(record).toMatchObject({ status: 'delivered', channel: 'smtp' });
        expect(mail.messageId).toBe(`<${record.id}@tocsin>`);
        expect(mail.subject).toBe('[Tocsin] #1 Disk full on disk (Checkout, high)');
        expect(mail.text).toContain('Service:  Checkout');
        expect(mail.html).toContain('>Acknowledge</a>');
        const ack = linkPath(mail.text!, 'Acknowledge');
        // A GET (a mail scanner, a link preview) only shows what the link would do.
        const confirm = await t.app.inject({ method: 'GET', url: ack });
        expect(confirm.statusCode).toBe(200);
        expect(confirm.body).toContain('Acknowledge incident #1 Disk full on disk?');
        expect(await status(id)).toBe('triggered');
        const acted = await t.app.inject({ method: 'POST', url: ack });
        expect(acted.statusCode).toBe(200);
        expect(acted.body).toContain('the incident is acknowledged');
        expect(await status(id)).toBe('acknowledged');
        const entry = await t.store.db
          .selectFrom('log_entries')
          .select(['channel', 'agent'])
          .where('incident_id', '=', id)
          .where('type', '=', 'acknowledge_log_entry')
          .executeTakeFirstOrThrow();
        expect(JSON.parse(entry.channel)).toEqual({ type: 'email' });
        expect(JSON.parse(entry.agent!)).toMatchObject({ id: alice, type: 'user_reference' });
        expect((await t.app.inject({ method: 'POST', url: ack })).statusCode).toBe(410);
        // The resolve link still works, and says what it did.
        const resolved = await t.app.inject({ method: 'POST', url: linkPath(mail.text!, 'Resolve') });
        expect(resolved.body).toContain('the incident is resolved');
        expect((await t.app.inject({ method: 'GET', url: '/actions/forged-token' })).statusCode).toBe(404);
      });

      it('answers with the current state when the incident already changed', async () => {
        const id = await triggerAndRun(t, key);
        const mail = await smtp.waitFor(() => true);
        await t.send({ routing_key: key, event_action: 'resolve', dedup_key: 'disk' });
        const res = await t.app.inject({ method: 'POST', url: linkPath(mail.text!, 'Acknowledge') });
        expect(res.body).toContain('The incident is already resolved.');
        expect(await status(id)).toBe('resolved');
      });

      it('retries a temporary SMTP failure with backoff and delivers the message once', async () => {
        smtp.fail({ at: 'data', code: 451, message: 'try later', times: 1 });
        const id = await triggerAndRun(t, key);
        expect(await email(id)).toMatchObject({ status: 'queued', attempts: 1 });
        const summaries = async () =>
          (
            await t.store.db
              .selectFrom('log_entries')
              .select('summary')
              .where('incident_id', '=', id)
              .where('type', '=', 'notify_log_entry')
              .orderBy('created_at')
              .execute()
          ).map((e) => e.summary);
        expect((await summaries())[0]).toMatch(
          /by email failed \(attempt 1 of 5\): SMTP: .*Retrying at 2026-01-05T09:00:30/,
        );
        await advance(t, 1);
        expect(await email(id)).toMatchObject({ status: 'delivered', attempts: 2 });
        expect(smtp.messages).toHaveLength(1);
      });

      it('falls back to the next contact method when the email is refused for good', async () => {
        smtp.fail({ at: 'rcpt', code: 550, message: 'no such mailbox' });
        const id = await triggerAndRun(t, key);
        const notes = await notificationsOf(t.store, id);
        // The SMS rule due at one minute is brought forward to now, not sent twice.
        expect(notes.map((n) => `${n.contact_type}:${n.status}`).sort()).toEqual([
          'email:failed',
          'sms:delivered',
        ]);
        await advance(t, 2);
        expect((await notificationsOf(t.store, id)).filter((n) => n.contact_type === 'sms')).toHaveLength(1);
        const entry = await t.store.db
          .selectFrom('log_entries')
          .select('summary')
          .where('incident_id', '=', id)
          .where('summary', 'like', '%Falling back to sms%')
          .executeTakeFirst();
        expect(entry).toBeDefined();
      });

      it('sends a user a test message through their contact method, and only theirs', async () => {
        const cm = await t.store.db
          .selectFrom('contact_methods')
          .select('id')
          .where('user_id', '=', alice)
          .where('type', '=', 'email_contact_method')
          .executeTakeFirstOrThrow();
        const res = await t.api('POST', `/api/v2/users/${alice}/contact_methods/${cm.id}/test`);
        expect(res.statusCode, res.body).toBe(202);
        await t.app.engine.runDue();
        const mail = await smtp.waitFor(() => true);
        expect(mail.subject).toBe('[Tocsin] This is a test notification from Tocsin.');
        const other = await insertUser(t.store, 'Bob');
        const wrong = await t.api('POST', `/api/v2/users/${other}/contact_methods/${cm.id}/test`);
        expect(wrong.statusCode).toBe(404);
      });

      it('shows admins which provider delivers each channel', async () => {
        const res = await t.api('GET', '/api/v2/settings/notifications');
        expect(res.json()).toMatchObject({
          notification_settings: { providers: { email_contact_method: 'smtp', sms_contact_method: 'log' } },
        });
      });
    });
  });
}
