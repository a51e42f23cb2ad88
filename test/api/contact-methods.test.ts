import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { backends } from '../harness/backends.js';
import { addContactMethod, addNotificationRule, createUser, userToken } from '../harness/people.js';
import { startTestApp, type TestApp } from '../harness/test-app.js';

type Json = Record<string, unknown>;

for (const backend of backends()) {
  describe(backend.name, () => {
    describe('contact methods and notification rules API', () => {
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

      const post = (userId: string, contact_method: Json, headers?: Record<string, string>) =>
        t.api('POST', `/api/v2/users/${userId}/contact_methods`, { contact_method }, headers);
      const errorsOf = (res: { json: <T>() => T }) =>
        res.json<{ error: { errors: string[] } }>().error.errors;
      const rulesOf = async (userId: string) =>
        (await t.api('GET', `/api/v2/users/${userId}/notification_rules`)).json<{
          notification_rules: Json[];
        }>().notification_rules;
      const summary = (rules: Json[]) =>
        rules.map(
          (r) =>
            `${String(r.urgency)} ${String((r.contact_method as Json).type)} @${String(r.start_delay_in_minutes)}`,
        );

      it('adds each type with its own fields', async () => {
        const user = await createUser(t);
        t.clock.advance(1000);
        const email = await addContactMethod(t, user.id, 'email_contact_method', 'pager@example.com', {
          send_short_email: true,
        });
        expect(email).toMatchObject({
          type: 'email_contact_method',
          label: 'Work',
          summary: 'Work',
          address: 'pager@example.com',
          send_short_email: true,
          enabled: true,
          self: `${t.baseUrl}/api/v2/users/${user.id}/contact_methods/${email.id}`,
          html_url: null,
        });
        t.clock.advance(1000);
        const sms = await addContactMethod(t, user.id, 'sms_contact_method', '5551234567', {
          country_code: 1,
        });
        expect(sms).toMatchObject({ country_code: 1, address: '5551234567', blacklisted: false });
        t.clock.advance(1000);
        const push = await addContactMethod(t, user.id, 'push_notification_contact_method', 'Pixel 8', {
          device_type: 'android',
        });
        expect(push).toMatchObject({ device_type: 'android', created_at: '2026-01-05T09:00:03.000Z' });
        t.clock.advance(1000);
        const slack = await addContactMethod(t, user.id, 'slack_contact_method', 'U012AB3CD');
        expect(slack).toMatchObject({ type: 'slack_contact_method', address: 'U012AB3CD' });
        const hook = await addContactMethod(
          t,
          user.id,
          'webhook_contact_method',
          'https://hooks.example.com/p',
        );
        expect(hook.type).toBe('webhook_contact_method');
        const list = (await t.api('GET', `/api/v2/users/${user.id}/contact_methods`)).json<{
          contact_methods: Json[];
        }>().contact_methods;
        expect(list.map((m) => m.label)).toEqual(['Default', 'Work', 'Work', 'Work', 'Work', 'Work']);
      });

      it('reports every problem of a contact method at once', async () => {
        const user = await createUser(t);
        const phone = await post(user.id, {
          type: 'phone_contact_method',
          address: '+1 555-0100',
          country_code: 1000,
        });
        expect(phone.statusCode).toBe(400);
        expect(errorsOf(phone)).toEqual([
          'label cannot be empty',
          'country_code must be a calling code from 1 to 999',
          'address must be 4 to 14 digits, without the country code',
        ]);
        const tooLong = await post(user.id, {
          type: 'sms_contact_method',
          label: 'M',
          address: '12345678901234',
          country_code: 44,
        });
        expect(errorsOf(tooLong)).toEqual([
          'address and country_code are too long together (E.164 allows 15 digits)',
        ]);
        expect(
          errorsOf(
            await post(user.id, {
              type: 'email_contact_method',
              label: 'E',
              address: 'nope',
              send_short_email: 'yes',
            }),
          ),
        ).toEqual(['address must be an email address', 'send_short_email must be true or false']);
        expect(
          errorsOf(
            await post(user.id, { type: 'push_notification_contact_method', label: 'P', address: '' }),
          ),
        ).toEqual(['address cannot be empty', 'device_type must be android, ios or web']);
        expect(
          errorsOf(await post(user.id, { type: 'slack_contact_method', label: 'S', address: '#general' })),
        ).toEqual(['address must be a Slack member ID (U…, W…) or channel ID (C…, G…)']);
        expect(
          errorsOf(
            await post(user.id, { type: 'webhook_contact_method', label: 'W', address: 'ftp://x.example' }),
          ),
        ).toEqual(['address must be an http or https URL']);
        expect(
          errorsOf(await post(user.id, { type: 'fax_contact_method', label: 'F', address: '1' }))[0],
        ).toMatch(/^type must be one of/);
      });

      it("adds the default high-urgency rule with a user's first push, SMS and phone method only", async () => {
        const user = await createUser(t);
        t.clock.advance(1000);
        await addContactMethod(t, user.id, 'push_notification_contact_method', 'Phone app', {
          device_type: 'ios',
        });
        t.clock.advance(1000);
        await addContactMethod(t, user.id, 'sms_contact_method', '5550001', { country_code: 1 });
        t.clock.advance(1000);
        await addContactMethod(t, user.id, 'phone_contact_method', '5550001', { country_code: 1 });
        t.clock.advance(1000);
        await addContactMethod(t, user.id, 'sms_contact_method', '5550002', { country_code: 1 });
        t.clock.advance(1000);
        await addContactMethod(t, user.id, 'slack_contact_method', 'U0000001');
        expect(summary(await rulesOf(user.id))).toEqual([
          'high email_contact_method_reference @0',
          'high push_notification_contact_method_reference @0',
          'high sms_contact_method_reference @1',
          'high phone_contact_method_reference @3',
          'low email_contact_method_reference @0',
        ]);
        const other = await createUser(t);
        const res = await t.api('POST', `/api/v2/users/${other.id}/contact_methods`, {
          contact_method: {
            type: 'phone_contact_method',
            label: 'Cell',
            address: '5550003',
            country_code: 1,
          },
          default_notification_rule: false,
        });
        expect(res.statusCode, res.body).toBe(201);
        expect(await rulesOf(other.id)).toHaveLength(2);
      });

      it('updates a contact method but never its type', async () => {
        const user = await createUser(t);
        const sms = await addContactMethod(t, user.id, 'sms_contact_method', '5550001', { country_code: 1 });
        const url = `/api/v2/users/${user.id}/contact_methods/${sms.id}`;
        const ok = await t.api('PUT', url, {
          contact_method: { label: 'Mobile', country_code: 44, address: '7700900123' },
        });
        expect(ok.statusCode, ok.body).toBe(200);
        expect(ok.json<{ contact_method: Json }>().contact_method).toMatchObject({
          label: 'Mobile',
          country_code: 44,
        });
        const retype = await t.api('PUT', url, { contact_method: { type: 'phone_contact_method' } });
        expect(errorsOf(retype)).toEqual(['type cannot be changed']);
        expect((await t.api('GET', url)).json<{ contact_method: Json }>().contact_method.label).toBe(
          'Mobile',
        );
      });

      it('deletes a contact method with the notification and handoff rules that use it', async () => {
        const user = await createUser(t);
        const sms = await addContactMethod(t, user.id, 'sms_contact_method', '5550001', { country_code: 1 });
        await addNotificationRule(t, user.id, sms.id, 'low', 5);
        const handoff = await t.api('POST', `/api/v2/users/${user.id}/oncall_handoff_notification_rules`, {
          oncall_handoff_notification_rule: {
            handoff_type: 'oncall',
            notify_advance_in_minutes: 60,
            contact_method: { id: sms.id },
          },
        });
        expect(handoff.statusCode, handoff.body).toBe(201);
        expect(await rulesOf(user.id)).toHaveLength(4);
        expect((await t.api('DELETE', `/api/v2/users/${user.id}/contact_methods/${sms.id}`)).statusCode).toBe(
          204,
        );
        expect((await t.api('GET', `/api/v2/users/${user.id}/contact_methods/${sms.id}`)).statusCode).toBe(
          404,
        );
        expect(summary(await rulesOf(user.id))).toEqual([
          'high email_contact_method_reference @0',
          'low email_contact_method_reference @0',
        ]);
        const handoffs = await t.api('GET', `/api/v2/users/${user.id}/oncall_handoff_notification_rules`);
        expect(handoffs.json()).toEqual({ oncall_handoff_notification_rules: [] });
      });

      it('creates, filters, updates and deletes notification rules', async () => {
        const user = await createUser(t);
        const email = ((user.contact_methods as Json[])[0] as { id: string }).id;
        const rule = await addNotificationRule(t, user.id, email, 'high', 10);
        expect(rule).toMatchObject({
          type: 'assignment_notification_rule',
          start_delay_in_minutes: 10,
          urgency: 'high',
          contact_method: { id: email, type: 'email_contact_method_reference', summary: 'Default' },
          self: `${t.baseUrl}/api/v2/users/${user.id}/notification_rules/${rule.id}`,
        });
        const low = (await t.api('GET', `/api/v2/users/${user.id}/notification_rules?urgency=low`)).json<{
          notification_rules: Json[];
        }>();
        expect(low.notification_rules).toHaveLength(1);
        const url = `/api/v2/users/${user.id}/notification_rules/${rule.id}`;
        const put = await t.api('PUT', url, {
          notification_rule: { start_delay_in_minutes: 15, urgency: 'low' },
        });
        expect(put.json<{ notification_rule: Json }>().notification_rule).toMatchObject({
          start_delay_in_minutes: 15,
          urgency: 'low',
        });
        expect((await t.api('DELETE', url)).statusCode).toBe(204);
        expect((await t.api('GET', url)).statusCode).toBe(404);
      });

      it("validates rules: delays, urgency and only the user's own contact methods", async () => {
        const user = await createUser(t);
        const other = await createUser(t);
        const theirs = ((other.contact_methods as Json[])[0] as { id: string }).id;
        const bad = await t.api('POST', `/api/v2/users/${user.id}/notification_rules`, {
          notification_rule: {
            type: 'x',
            start_delay_in_minutes: -1,
            urgency: 'urgent',
            contact_method: { id: theirs },
          },
        });
        expect(errorsOf(bad)).toEqual([
          'type must be assignment_notification_rule',
          'urgency must be high or low',
          'start_delay_in_minutes must be a whole number of minutes from 0 to 1440',
          "contact_method must be one of the user's contact methods",
        ]);
        const handoff = await t.api('POST', `/api/v2/users/${user.id}/oncall_handoff_notification_rules`, {
          oncall_handoff_notification_rule: { handoff_type: 'sometimes', notify_advance_in_minutes: 1.5 },
        });
        expect(errorsOf(handoff)).toEqual([
          'handoff_type must be both, oncall or offcall',
          'notify_advance_in_minutes must be a whole number of minutes from 0 to 10080',
          'contact_method is required',
        ]);
      });

      it('manages handoff rules', async () => {
        const user = await createUser(t);
        const email = ((user.contact_methods as Json[])[0] as { id: string }).id;
        const base = `/api/v2/users/${user.id}/oncall_handoff_notification_rules`;
        const created = await t.api('POST', base, {
          oncall_handoff_notification_rule: { contact_method: { id: email } },
        });
        const rule = created.json<{ oncall_handoff_notification_rule: Json & { id: string } }>()
          .oncall_handoff_notification_rule;
        expect(rule).toMatchObject({
          handoff_type: 'both',
          notify_advance_in_minutes: 0,
          contact_method: { id: email },
        });
        const put = await t.api('PUT', `${base}/${rule.id}`, {
          oncall_handoff_notification_rule: { handoff_type: 'offcall' },
        });
        expect(
          put.json<{ oncall_handoff_notification_rule: Json }>().oncall_handoff_notification_rule
            .handoff_type,
        ).toBe('offcall');
        expect((await t.api('DELETE', `${base}/${rule.id}`)).statusCode).toBe(204);
        expect((await t.api('GET', `${base}/${rule.id}`)).statusCode).toBe(404);
      });

      it("lets a responder change their own contact methods and rules but not another user's", async () => {
        const me = await createUser(t, { role: 'responder' });
        const other = await createUser(t, { role: 'responder' });
        const headers = await userToken(t, me.id);
        const mine = await post(
          me.id,
          { type: 'sms_contact_method', label: 'M', address: '5550001', country_code: 1 },
          headers,
        );
        expect(mine.statusCode, mine.body).toBe(201);
        const cm = mine.json<{ contact_method: { id: string } }>().contact_method.id;
        const rule = await t.api(
          'POST',
          `/api/v2/users/${me.id}/notification_rules`,
          {
            notification_rule: { start_delay_in_minutes: 2, urgency: 'low', contact_method: { id: cm } },
          },
          headers,
        );
        expect(rule.statusCode, rule.body).toBe(201);
        const theirs = await post(
          other.id,
          { type: 'sms_contact_method', label: 'M', address: '5550001', country_code: 1 },
          headers,
        );
        expect(theirs.statusCode).toBe(403);
        const otherCm = ((other.contact_methods as Json[])[0] as { id: string }).id;
        expect(
          (await t.api('DELETE', `/api/v2/users/${other.id}/contact_methods/${otherCm}`, undefined, headers))
            .statusCode,
        ).toBe(403);
        expect(
          (await t.api('GET', `/api/v2/users/${other.id}/contact_methods`, undefined, headers)).statusCode,
        ).toBe(200);
      });

      it('lets observers and read-only tokens only read contact methods', async () => {
        const observer = await createUser(t, { role: 'observer' });
        const headers = await userToken(t, observer.id);
        const own = await post(
          observer.id,
          { type: 'slack_contact_method', label: 'S', address: 'U0000001' },
          headers,
        );
        expect(own.statusCode).toBe(403);
        expect(
          (await t.api('GET', `/api/v2/users/${observer.id}/notification_rules`, undefined, headers))
            .statusCode,
        ).toBe(200);
      });
    });
  });
}
