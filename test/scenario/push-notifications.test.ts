import webpush from 'web-push';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startPushFake, type PushFake, type PushSubscriptionJson } from '../fakes/push-fake.js';
import { backends } from '../harness/backends.js';
import {
  incidentStatus,
  insertBareUser,
  insertUser,
  notificationsOf,
  serviceForUser,
  triggerAndRun,
} from '../harness/on-call-fixtures.js';
import { userToken } from '../harness/people.js';
import { startTestApp, type TestApp } from '../harness/test-app.js';

interface Payload {
  title: string;
  body: string;
  incident: { id: string; number: number; url: string };
  actions: { action: string; title: string; url: string }[];
}

for (const backend of backends()) {
  describe(backend.name, () => {
    describe('push notifications over Web Push', () => {
      const vapid = { ...webpush.generateVAPIDKeys(), subject: 'mailto:oncall@tocsin.test' };
      let t: TestApp;
      let push: PushFake;
      let alice: string;
      let key: string;
      let methodId: string;
      let subscription: PushSubscriptionJson;

      beforeEach(async () => {
        push = await startPushFake();
        t = await startTestApp(backend.fresh(), { config: { vapid, pushAgent: push.agent } });
        // Email first at 5 minutes, SMS at 10; the push method below adds the default push rule at 0.
        alice = await insertUser(t.store, 'Alice', [
          ['high', 5, 'email'],
          ['high', 10, 'sms'],
        ]);
        ({ key } = await serviceForUser(t.store, alice, 'Checkout'));
        const created = await t.api('POST', `/api/v2/users/${alice}/contact_methods`, {
          contact_method: {
            type: 'push_notification_contact_method',
            label: 'Phone',
            address: 'Pixel 8',
            device_type: 'android',
          },
        });
        expect(created.statusCode).toBe(201);
        methodId = created.json<{ contact_method: { id: string } }>().contact_method.id;
        // The web app asks for the key, subscribes the browser, and stores the subscription as Alice.
        const asAlice = await userToken(t, alice);
        const keyRes = await t.api('GET', '/api/v2/push/vapid_public_key', undefined, asAlice);
        expect(keyRes.json()).toEqual({ vapid_public_key: vapid.publicKey });
        subscription = push.createSubscription({ applicationServerKey: vapid.publicKey });
        const stored = await t.api(
          'PUT',
          `/api/v2/users/${alice}/contact_methods/${methodId}/push_subscription`,
          { subscription },
          asAlice,
        );
        expect(stored.statusCode).toBe(200);
        expect(JSON.stringify(stored.json())).not.toContain(subscription.keys.auth);
      });
      afterEach(async () => {
        await t.close();
        await push.stop();
      });
      afterAll(async () => {
        await backend.cleanup();
      });

      const status = (id: string) => incidentStatus(t.store, id);

      it('pushes the page encrypted, with acknowledge and resolve actions that act once through push', async () => {
        const id = await triggerAndRun(t, key);
        const received = await push.received.waitFor(() => true);
        expect(received.endpoint).toBe(subscription.endpoint);
        expect(received.urgency).toBe('high');
        expect(received.ttl).toBeGreaterThan(0);
        expect(received.vapid).toMatchObject({
          subject: 'mailto:oncall@tocsin.test',
          publicKey: vapid.publicKey,
        });
        const payload = received.json as Payload;
        expect(payload).toMatchObject({
          title: '#1 Disk full on disk',
          body: 'Checkout · high urgency · triggered',
          incident: { id, number: 1, url: `http://tocsin.test/incidents/${id}` },
        });
        expect(payload.actions.map((a) => [a.action, a.title])).toEqual([
          ['acknowledge', 'Acknowledge'],
          ['resolve', 'Resolve'],
        ]);
        const record = (await notificationsOf(t.store, id)).find(
          (n) => n.contact_type === 'push_notification',
        );
        expect(record).toMatchObject({ status: 'delivered', channel: 'web_push' });
        // The service worker POSTs the action's link; the app is never opened.
        const ack = new URL(payload.actions[0]!.url).pathname;
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
        expect(JSON.parse(entry.channel)).toEqual({ type: 'push' });
        expect(JSON.parse(entry.agent!)).toMatchObject({ id: alice, type: 'user_reference' });
        expect((await t.app.inject({ method: 'POST', url: ack })).statusCode).toBe(410);
        const notified = await t.store.db
          .selectFrom('log_entries')
          .select('summary')
          .where('incident_id', '=', id)
          .where('type', '=', 'notify_log_entry')
          .execute();
        expect(notified.map((e) => e.summary)).toContain('Notified Alice by push at Pixel 8.');
      });

      it('disables the device when its subscription is gone (410) and falls back to the next rule', async () => {
        push.unsubscribe(subscription.endpoint);
        const id = await triggerAndRun(t, key);
        const notes = await notificationsOf(t.store, id);
        // Not retried: the email due at 5 minutes is brought forward to now.
        expect(notes.map((n) => `${n.contact_type}:${n.status}:${n.attempts}`)).toEqual([
          'push_notification:failed:1',
          'email:delivered:1',
          'sms:pending:0',
        ]);
        expect(push.received.items).toHaveLength(0);
        const method = await t.store.db
          .selectFrom('contact_methods')
          .select('enabled')
          .where('id', '=', methodId)
          .executeTakeFirstOrThrow();
        expect(Number(method.enabled)).toBe(0);
        const entry = await t.store.db
          .selectFrom('log_entries')
          .select('summary')
          .where('incident_id', '=', id)
          .where('summary', 'like', '%by push failed%')
          .executeTakeFirstOrThrow();
        expect(entry.summary).toMatch(/subscription is gone \(410\).*Falling back to email/);
        // A new subscription from the browser enables the device again.
        const again = await t.api(
          'PUT',
          `/api/v2/users/${alice}/contact_methods/${methodId}/push_subscription`,
          { subscription: push.createSubscription() },
        );
        expect(again.statusCode).toBe(200);
        const enabled = await t.store.db
          .selectFrom('contact_methods')
          .select('enabled')
          .where('id', '=', methodId)
          .executeTakeFirstOrThrow();
        expect(Number(enabled.enabled)).toBe(1);
      });

      it('lets only the user themself or people who may edit them store a subscription', async () => {
        const bob = await insertBareUser(t.store, 'Bob');
        const url = `/api/v2/users/${alice}/contact_methods/${methodId}/push_subscription`;
        const asBob = await t.api('PUT', url, { subscription }, await userToken(t, bob));
        expect(asBob.statusCode).toBe(403);
        const bad = await t.api('PUT', url, { subscription: { endpoint: 'http://x', keys: {} } });
        expect(bad.statusCode).toBe(400);
        const email = await t.store.db
          .selectFrom('contact_methods')
          .select('id')
          .where('user_id', '=', alice)
          .where('type', '=', 'email_contact_method')
          .executeTakeFirstOrThrow();
        const notPush = await t.api(
          'PUT',
          `/api/v2/users/${alice}/contact_methods/${email.id}/push_subscription`,
          { subscription },
        );
        expect(notPush.statusCode).toBe(404);
      });

      it('keeps the subscription when the contact method is edited, and serves the service worker', async () => {
        const edited = await t.api('PUT', `/api/v2/users/${alice}/contact_methods/${methodId}`, {
          contact_method: { label: 'Work phone' },
        });
        expect(edited.statusCode).toBe(200);
        await triggerAndRun(t, key);
        expect((await push.received.waitFor(() => true)).endpoint).toBe(subscription.endpoint);
        const sw = await t.app.inject({ method: 'GET', url: '/sw.js' });
        expect(sw.headers['content-type']).toContain('javascript');
        expect(sw.body).toContain("addEventListener('notificationclick'");
        expect(sw.body).toContain("method: 'POST'");
      });
    });
  });
}
