import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startSmtpFake, type SmtpFake } from '../fakes/smtp-fake.js';
import { backends } from '../harness/backends.js';
import { notificationsOf, serviceForUser, triggerAndRun } from '../harness/on-call-fixtures.js';
import { createUser, userToken } from '../harness/people.js';
import { startTestApp, type TestApp } from '../harness/test-app.js';

for (const backend of backends()) {
  describe(backend.name, () => {
    describe('verifying contact methods', () => {
      let t: TestApp;
      let smtp: SmtpFake;
      beforeEach(async () => {
        smtp = await startSmtpFake();
        t = await startTestApp(backend.fresh(), { config: { smtpUrl: `smtp://127.0.0.1:${smtp.port}` } });
      });
      afterEach(async () => {
        await t.close();
        await smtp.stop();
      });
      afterAll(async () => {
        await backend.cleanup();
      });

      it('pages through a method the person added only once they send back the code it carried', async () => {
        const user = await createUser(t, { name: 'Dana' });
        const as = await userToken(t, user.id);
        const added = await t.api(
          'POST',
          `/api/v2/users/${user.id}/contact_methods`,
          {
            contact_method: {
              type: 'email_contact_method',
              address: 'dana.pager@example.com',
              label: 'Pager',
            },
          },
          as,
        );
        expect(added.statusCode, added.body).toBe(201);
        const cmId = added.json<{ contact_method: { id: string } }>().contact_method.id;
        await t.app.engine.runDue();
        const mail = await smtp.waitFor((m) => m.envelopeTo.includes('dana.pager@example.com'));
        const code = /code is (\d{6})/.exec(mail.text!)![1]!;
        // Until verified, an incident pages only the default (admin-made) email, not the new address.
        await t.api('POST', `/api/v2/users/${user.id}/notification_rules`, {
          notification_rule: {
            type: 'assignment_notification_rule',
            start_delay_in_minutes: 0,
            urgency: 'high',
            contact_method: { id: cmId, type: 'email_contact_method_reference' },
          },
        });
        const { key } = await serviceForUser(t.store, user.id);
        const first = await triggerAndRun(t, key, 'one');
        expect((await notificationsOf(t.store, first)).map((n) => n.contact_method_id)).not.toContain(cmId);
        const wrong = await t.api(
          'POST',
          `/api/v2/users/${user.id}/contact_methods/${cmId}/verify`,
          { code: '000000' === code ? '111111' : '000000' },
          as,
        );
        expect(wrong.statusCode).toBe(400);
        const right = await t.api(
          'POST',
          `/api/v2/users/${user.id}/contact_methods/${cmId}/verify`,
          { code },
          as,
        );
        expect(right.statusCode, right.body).toBe(200);
        const second = await triggerAndRun(t, key, 'two');
        expect((await notificationsOf(t.store, second)).map((n) => n.contact_method_id)).toContain(cmId);
      });

      it('lets an admin vouch for a method they add for someone', async () => {
        const user = await createUser(t, { name: 'Eli' });
        const added = await t.api('POST', `/api/v2/users/${user.id}/contact_methods`, {
          contact_method: { type: 'email_contact_method', address: 'eli.pager@example.com', label: 'Pager' },
        });
        const row = await t.store.db
          .selectFrom('contact_methods')
          .select('unverified')
          .where('id', '=', added.json<{ contact_method: { id: string } }>().contact_method.id)
          .executeTakeFirstOrThrow();
        expect(Number(row.unverified)).toBe(0);
      });
    });
  });
}
