import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { twilioSignature } from '../fakes/twilio-signature.js';
import { readTwiml } from '../fakes/twiml.js';
import { backends } from '../harness/backends.js';
import { insertServiceWithIntegration } from '../harness/factories.js';
import {
  advance,
  configureService,
  incidentStatus,
  insertPolicy,
  insertUser,
  notificationsOf,
  triggerAndRun,
} from '../harness/on-call-fixtures.js';
import { startTwilioApp, TOCSIN_NUMBER, type TwilioTestApp } from '../harness/twilio-app.js';

const ALICE = '+15550100';

for (const backend of backends()) {
  describe(backend.name, () => {
    describe('SMS notifications through Twilio', () => {
      let h: TwilioTestApp;
      let alice: string;
      let key: string;

      beforeEach(async () => {
        // Bounded Twilio requests, short enough for the test of a Twilio that never answers.
        h = await startTwilioApp(backend, { providerTimeoutMs: 2_000 });
        alice = await insertUser(h.t.store, 'Alice', [
          ['high', 0, 'sms'],
          ['high', 10, 'phone'],
        ]);
        const policy = await insertPolicy(h.t.store, [{ delay: 30, targets: [`user:${alice}`] }]);
        let serviceId: string;
        ({ key, serviceId } = await insertServiceWithIntegration(h.t.store, { name: 'Checkout' }));
        await configureService(h.t.store, serviceId, policy);
      });
      afterEach(async () => {
        await h.close();
      });
      afterAll(async () => {
        await backend.cleanup();
      });

      const sms = async (incidentId: string) =>
        (await notificationsOf(h.t.store, incidentId)).find((n) => n.contact_type === 'sms')!;
      const reply = async (body: string, from = ALICE) => {
        const res = await h.twilio.receiveSms({ from, to: TOCSIN_NUMBER, body });
        expect(res.status).toBe(200);
        return readTwiml(res.body).messages;
      };
      const status = (id: string) => incidentStatus(h.t.store, id);
      const logEntries = (id: string, type: string) =>
        h.t.store.db
          .selectFrom('log_entries')
          .select(['channel', 'agent', 'summary'])
          .where('incident_id', '=', id)
          .where('type', '=', type)
          .orderBy('created_at')
          .execute();
      const contactEnabled = async (type: string) =>
        (
          await h.t.store.db
            .selectFrom('contact_methods')
            .select('enabled')
            .where('user_id', '=', alice)
            .where('type', '=', type)
            .executeTakeFirstOrThrow()
        ).enabled;

      it('texts the incident with its reply codes and a status callback, then marks it delivered', async () => {
        const id = await triggerAndRun(h.t, key);
        const [message] = h.twilio.messages.items;
        expect(message).toMatchObject({ to: ALICE, from: TOCSIN_NUMBER });
        expect(message!.body).toBe(
          'Tocsin #1: Disk full on disk (Checkout, high). Reply 1a to ack, 1r to resolve',
        );
        const record = await sms(id);
        expect(record).toMatchObject({ status: 'sent', channel: 'twilio_sms', provider_ref: message!.sid });
        expect(message!.statusCallback).toBe(`${h.url}/twilio/status?notification=${record.id}`);
        expect((await h.twilio.sendMessageStatus(message!.sid, 'delivered')).status).toBe(204);
        expect(await sms(id)).toMatchObject({ status: 'delivered' });
      });

      it('acknowledges with "1a" as the person through sms and answers with the state', async () => {
        const id = await triggerAndRun(h.t, key);
        expect(await reply('1a')).toEqual(['Acknowledged #1']);
        expect(await status(id)).toBe('acknowledged');
        const [entry] = await logEntries(id, 'acknowledge_log_entry');
        expect(JSON.parse(entry!.channel)).toEqual({ type: 'sms' });
        expect(JSON.parse(entry!.agent!)).toMatchObject({ id: alice, type: 'user_reference' });
        expect(await reply(" '1 A'  ")).toEqual(['#1 is already acknowledged']);
        expect(await reply('Resolve #1')).toEqual(['Resolved #1']);
        expect(await status(id)).toBe('resolved');
        expect(await reply('1a')).toEqual(['#1 is already resolved']);
        expect(await reply('ack 99')).toEqual(['Tocsin: there is no incident #99']);
      });

      it('answers an incident resolved meanwhile with its current state', async () => {
        const id = await triggerAndRun(h.t, key);
        await h.t.send({ routing_key: key, event_action: 'resolve', dedup_key: 'disk' });
        expect(await reply('1a')).toEqual(['#1 is already resolved']);
        expect(await status(id)).toBe('resolved');
      });

      it('acknowledges all of the person\'s open incidents with "aa" and resolves them with "rr"', async () => {
        const ids = [
          await triggerAndRun(h.t, key, 'disk'),
          await triggerAndRun(h.t, key, 'cpu'),
          await triggerAndRun(h.t, key, 'net'),
        ];
        expect(await reply('AA')).toEqual(['Acknowledged #1, #2, #3']);
        for (const id of ids) expect(await status(id)).toBe('acknowledged');
        expect(await reply('aa')).toEqual([
          'Tocsin: none of your incidents is waiting for an acknowledgement',
        ]);
        expect(await reply('rr')).toEqual(['Resolved #1, #2, #3']);
        for (const id of ids) expect(await status(id)).toBe('resolved');
      });

      it('bundles what waited for the SMS throttle into one message that "aa" answers', async () => {
        for (const dedup of ['a', 'b', 'c', 'd', 'e', 'f', 'g']) await triggerAndRun(h.t, key, dedup);
        expect(h.twilio.messages.items).toHaveLength(5);
        await advance(h.t, 15);
        expect(h.twilio.messages.items).toHaveLength(6);
        expect(h.twilio.messages.items[5]!.body).toBe(
          '2 new incidents: #6 Disk full on f (Checkout); #7 Disk full on g (Checkout). Reply aa to ack all, rr to resolve all',
        );
        expect(await reply('aa')).toEqual(['Acknowledged #1, #2, #3, #4, #5, #6, #7']);
      });

      it('acts with a bare verb on the last incident texted to the number', async () => {
        await triggerAndRun(h.t, key, 'disk');
        h.t.clock.advance(1000);
        const second = await triggerAndRun(h.t, key, 'cpu');
        expect(await reply('ack ')).toEqual(['Acknowledged #2']);
        expect(await status(second)).toBe('acknowledged');
      });

      it('refuses a request without a valid signature and changes nothing', async () => {
        const id = await triggerAndRun(h.t, key);
        const params = { From: ALICE, To: TOCSIN_NUMBER, Body: '1a', AccountSid: h.twilio.accountSid };
        const url = `${h.url}/twilio/sms`;
        const post = (signature: string | undefined) =>
          fetch(url, {
            method: 'POST',
            headers: {
              'content-type': 'application/x-www-form-urlencoded',
              ...(signature === undefined ? {} : { 'x-twilio-signature': signature }),
            },
            body: new URLSearchParams(params).toString(),
          });
        expect((await post(twilioSignature('not-the-token', url, params))).status).toBe(403);
        expect((await post(undefined)).status).toBe(403);
        // Signed for other parameters than those sent.
        expect((await post(twilioSignature(h.twilio.authToken, url, { ...params, Body: 'x' }))).status).toBe(
          403,
        );
        expect(await status(id)).toBe('triggered');
      });

      it('turns SMS off with STOP (calls go on) and on again with START', async () => {
        const id = await triggerAndRun(h.t, key);
        expect(await reply('STOP')).toEqual([]);
        expect(await contactEnabled('sms_contact_method')).toBe(0);
        expect(await contactEnabled('phone_contact_method')).toBe(1);
        // A number whose SMS is off gets silence and acts on nothing.
        expect(await reply('1a')).toEqual([]);
        expect(await status(id)).toBe('triggered');
        // The call due at 10 minutes still rings.
        await advance(h.t, 10);
        expect(h.twilio.calls.items).toHaveLength(1);
        expect(await reply('start')).toEqual([]);
        expect(await contactEnabled('sms_contact_method')).toBe(1);
        expect(await reply('1a')).toEqual(['Acknowledged #1']);
      });

      it('never answers an unknown number, and caps help replies at 5 an hour', async () => {
        await triggerAndRun(h.t, key);
        expect(await reply('1a', '+15550199')).toEqual([]);
        expect(await reply('help', '+15550199')).toEqual([]);
        const answers: string[][] = [];
        for (let i = 0; i < 7; i += 1) answers.push(await reply('what is this?'));
        expect(answers.filter((a) => a.length === 1)).toHaveLength(5);
        expect(answers[0]![0]).toMatch(/^Tocsin: reply 12a to acknowledge/);
        expect(answers.slice(5)).toEqual([[], []]);
        // A reply that acts resets the count.
        expect(await reply('1a')).toEqual(['Acknowledged #1']);
        expect(await reply('nonsense')).toHaveLength(1);
        h.t.clock.advance(3_600_000);
      });

      it('retries a Twilio 500 and texts the page once, with the retry on the log', async () => {
        h.twilio.fail({ status: 500, times: 1 });
        const id = await triggerAndRun(h.t, key);
        expect(await sms(id)).toMatchObject({ status: 'queued', attempts: 1 });
        const [failed] = await logEntries(id, 'notify_log_entry');
        expect(failed!.summary).toMatch(/by sms failed \(attempt 1 of 5\): Twilio 500: .*Retrying at/);
        await advance(h.t, 1);
        expect(await sms(id)).toMatchObject({ status: 'sent', attempts: 2 });
        expect(h.twilio.messages.items).toHaveLength(1);
      });

      const smsFailures = async (id: string) =>
        (await logEntries(id, 'notify_log_entry'))
          .map((e) => e.summary)
          .filter((summary) => /by sms failed \(attempt/.test(summary));

      it('gives up on a Twilio request that never answers after a bounded wait and texts the page once, later', async () => {
        h.twilio.fail({ hang: true, times: 1 });
        const id = await triggerAndRun(h.t, key);
        expect(await sms(id)).toMatchObject({ status: 'queued', attempts: 1 });
        expect(await smsFailures(id)).toEqual([
          expect.stringMatching(/failed \(attempt 1 of 5\): Twilio: .*(timeout|aborted).*Retrying at/i),
        ]);
        await advance(h.t, 1);
        expect(await sms(id)).toMatchObject({ status: 'sent', attempts: 2 });
        expect(h.twilio.messages.items).toHaveLength(1);
      });

      it('keeps retrying while Twilio is down for a minute and texts the page once when it is back', async () => {
        await h.twilio.down();
        const id = await triggerAndRun(h.t, key);
        await advance(h.t, 1);
        expect(await sms(id)).toMatchObject({ status: 'queued', attempts: 2 });
        await h.twilio.up();
        await advance(h.t, 2);
        expect(await sms(id)).toMatchObject({ status: 'sent', attempts: 3 });
        expect(h.twilio.messages.items).toHaveLength(1);
        const failures = await smsFailures(id);
        expect(failures).toHaveLength(2);
        expect(failures[0]).toMatch(/failed \(attempt 1 of 5\): Twilio: fetch failed\. Retrying at/);
        await advance(h.t, 10);
        expect(h.twilio.messages.items).toHaveLength(1);
      });

      it('does not retry a number Twilio refuses (4xx) and falls back to the next rule', async () => {
        await h.t.store.db
          .updateTable('contact_methods')
          .set({ address: '0000' })
          .where('user_id', '=', alice)
          .where('type', '=', 'sms_contact_method')
          .execute();
        const id = await triggerAndRun(h.t, key);
        expect(await sms(id)).toMatchObject({ status: 'failed', attempts: 1 });
        expect(h.twilio.calls.items).toHaveLength(1);
      });

      it('uses the next rule when Twilio reports the SMS failed, without retrying it', async () => {
        const id = await triggerAndRun(h.t, key);
        const [message] = h.twilio.messages.items;
        expect((await h.twilio.sendMessageStatus(message!.sid, 'undelivered', '30003')).status).toBe(204);
        expect(await sms(id)).toMatchObject({ status: 'failed' });
        await h.t.app.engine.runDue();
        expect(h.twilio.calls.items).toHaveLength(1);
        expect(h.twilio.calls.items[0]!.to).toBe(ALICE);
        const entries = await logEntries(id, 'notify_log_entry');
        expect(entries.map((e) => e.summary)).toContainEqual(
          expect.stringMatching(
            /by sms at 5550100 failed: Twilio reported it undelivered \(error 30003\)\. Falling back to phone\./,
          ),
        );
        await advance(h.t, 15);
        expect(h.twilio.messages.items).toHaveLength(1);
        expect(h.twilio.calls.items).toHaveLength(1);
      });
    });
  });
}
