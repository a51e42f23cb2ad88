import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { backends } from '../harness/backends.js';
import { insertServiceWithIntegration } from '../harness/factories.js';
import {
  advance,
  configureService,
  insertPolicy,
  insertUser,
  notificationsOf,
  triggerAndRun,
} from '../harness/on-call-fixtures.js';
import { startTwilioApp, TOCSIN_NUMBER, type TwilioTestApp } from '../harness/twilio-app.js';

const ALICE = '+15550100';
const BOB = '+15550101';
const MENU = 'Press 4 to acknowledge, 6 to resolve, 5 to escalate, 1 to repeat.';

for (const backend of backends()) {
  describe(backend.name, () => {
    describe('voice notifications through Twilio', () => {
      let h: TwilioTestApp;
      let alice: string;
      let bob: string;
      let key: string;

      beforeEach(async () => {
        h = await startTwilioApp(backend);
        alice = await insertUser(h.t.store, 'Alice', [
          ['high', 0, 'phone'],
          ['high', 10, 'sms'],
        ]);
        bob = await insertUser(h.t.store, 'Bob', [['high', 0, 'phone']]);
        await h.t.store.db
          .updateTable('contact_methods')
          .set({ address: '5550101' })
          .where('user_id', '=', bob)
          .execute();
        const policy = await insertPolicy(h.t.store, [
          { delay: 30, targets: [`user:${alice}`] },
          { delay: 30, targets: [`user:${bob}`] },
        ]);
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

      const call = async (incidentId: string, type = 'phone') =>
        (await notificationsOf(h.t.store, incidentId)).find((n) => n.contact_type === type)!;
      const incident = (id: string) =>
        h.t.store.db
          .selectFrom('incidents')
          .select(['status', 'escalation_level', 'title'])
          .where('id', '=', id)
          .executeTakeFirstOrThrow();
      const entry = async (id: string, type: string) =>
        h.t.store.db
          .selectFrom('log_entries')
          .select(['channel', 'agent', 'summary'])
          .where('incident_id', '=', id)
          .where('type', '=', type)
          .executeTakeFirstOrThrow();
      const aliceCall = () => h.twilio.calls.items.find((c) => c.to === ALICE)!;

      it('calls the assignee and says the incident, then offers the keys', async () => {
        const id = await triggerAndRun(h.t, key);
        const record = await call(id);
        expect(record).toMatchObject({ status: 'sent', channel: 'twilio_voice' });
        expect(aliceCall()).toMatchObject({ from: TOCSIN_NUMBER, sid: record.provider_ref });
        expect(aliceCall().url).toBe(`${h.url}/twilio/voice?notification=${record.id}`);
        expect(aliceCall().statusCallback).toBe(`${h.url}/twilio/status?notification=${record.id}`);
        const twiml = await h.twilio.answerCall(aliceCall().sid);
        expect(twiml.says[0]).toBe(
          'This is Tocsin. Incident 1 on Checkout, high urgency: Disk full on disk.',
        );
        expect(twiml.gather).toMatchObject({ numDigits: 1, says: [MENU] });
        // 1 repeats the message.
        const again = await h.twilio.press(aliceCall().sid, '1');
        expect(again.says[0]).toBe(twiml.says[0]);
        expect((await h.twilio.sendCallStatus(aliceCall().sid, 'completed', 30)).status).toBe(204);
        expect(await call(id)).toMatchObject({ status: 'delivered' });
      });

      it('says "No summary provided" for an incident without a title', async () => {
        const id = await triggerAndRun(h.t, key);
        await h.t.store.db.updateTable('incidents').set({ title: '' }).where('id', '=', id).execute();
        const twiml = await h.twilio.answerCall(aliceCall().sid);
        expect(twiml.says[0]).toContain('high urgency: No summary provided.');
      });

      it('acknowledges with 4, as the person through phone', async () => {
        const id = await triggerAndRun(h.t, key);
        await h.twilio.answerCall(aliceCall().sid);
        const answer = await h.twilio.press(aliceCall().sid, '4');
        expect(answer.says).toEqual(['Incident 1 acknowledged. Goodbye.']);
        expect(answer.hangup).toBe(true);
        expect((await incident(id)).status).toBe('acknowledged');
        const ack = await entry(id, 'acknowledge_log_entry');
        expect(JSON.parse(ack.channel)).toEqual({ type: 'phone' });
        expect(JSON.parse(ack.agent!)).toMatchObject({ id: alice, type: 'user_reference' });
      });

      it('resolves with 6, and answers a second press with the current state', async () => {
        const id = await triggerAndRun(h.t, key);
        await h.twilio.answerCall(aliceCall().sid);
        expect((await h.twilio.press(aliceCall().sid, '6')).says).toEqual(['Incident 1 resolved. Goodbye.']);
        expect((await incident(id)).status).toBe('resolved');
        expect(JSON.parse((await entry(id, 'resolve_log_entry')).channel)).toEqual({ type: 'phone' });
        await h.twilio.answerCall(aliceCall().sid);
        expect((await h.twilio.press(aliceCall().sid, '4')).says).toEqual([
          'Incident 1 is already resolved. Goodbye.',
        ]);
      });

      it('escalates to level 2 with 5, and level 2 is called', async () => {
        const id = await triggerAndRun(h.t, key);
        await h.twilio.answerCall(aliceCall().sid);
        expect((await h.twilio.press(aliceCall().sid, '5')).says).toEqual([
          'Incident 1 escalated to level 2. Goodbye.',
        ]);
        expect(await incident(id)).toMatchObject({ status: 'triggered', escalation_level: 2 });
        const escalated = await entry(id, 'escalate_log_entry');
        expect(JSON.parse(escalated.channel)).toEqual({ type: 'phone' });
        expect(JSON.parse(escalated.agent!)).toMatchObject({ id: alice });
        await h.t.app.engine.runDue();
        expect(h.twilio.calls.items.map((c) => c.to)).toEqual([ALICE, BOB]);
        // At the last level there is nowhere further to go.
        const bobCall = h.twilio.calls.items[1]!;
        await h.twilio.answerCall(bobCall.sid);
        expect((await h.twilio.press(bobCall.sid, '5')).says).toEqual([
          'Incident 1 is at its last escalation level. Goodbye.',
        ]);
      });

      it('calls again with backoff when a call is not answered, busy or failed, then falls back to the next rule', async () => {
        const id = await triggerAndRun(h.t, key);
        const outcomes = ['no-answer', 'busy', 'failed', 'no-answer', 'no-answer'];
        for (const [i, outcome] of outcomes.entries()) {
          const calls = h.twilio.calls.items.filter((c) => c.to === ALICE);
          expect(calls).toHaveLength(i + 1);
          expect((await h.twilio.sendCallStatus(calls[i]!.sid, outcome)).status).toBe(204);
          if (i < outcomes.length - 1) {
            expect(await call(id)).toMatchObject({ status: 'queued', attempts: i + 1 });
            // The next call waits for its backoff (30 s, 1, 2, 5 minutes).
            for (let m = 0; m < 6 && h.twilio.calls.items.length === i + 1; m++) await advance(h.t, 1);
          }
        }
        expect(await call(id)).toMatchObject({ status: 'failed', attempts: 5 });
        await h.t.app.engine.runDue();
        expect(h.twilio.messages.items.map((m) => m.to)).toEqual([ALICE]);
        expect(await call(id, 'sms')).toMatchObject({ status: 'sent' });
        expect(h.twilio.calls.items).toHaveLength(5);
        const log = (
          await h.t.store.db
            .selectFrom('log_entries')
            .select('summary')
            .where('incident_id', '=', id)
            .where('type', '=', 'notify_log_entry')
            .where('summary', 'like', '%by phone%failed%')
            .orderBy('created_at')
            .execute()
        ).map((e) => e.summary);
        expect(log).toHaveLength(5);
        expect(log[0]).toMatch(/failed \(attempt 1 of 5\): Twilio reported it no-answer\. Retrying at /);
        expect(log[1]).toMatch(/failed \(attempt 2 of 5\): Twilio reported it busy\. Retrying at /);
        expect(log[4]).toMatch(/failed: Twilio reported it no-answer\. Falling back to sms\./);
        expect((await incident(id)).status).toBe('triggered');
      });

      it('counts an answered call without a keypress as delivered and does not call again', async () => {
        const id = await triggerAndRun(h.t, key);
        await h.twilio.answerCall(aliceCall().sid);
        expect((await h.twilio.sendCallStatus(aliceCall().sid, 'completed', 20)).status).toBe(204);
        expect(await call(id)).toMatchObject({ status: 'delivered', attempts: 1 });
        await advance(h.t, 5);
        expect(h.twilio.calls.items).toHaveLength(1);
      });

      it('refuses an unsigned TwiML request', async () => {
        const id = await triggerAndRun(h.t, key);
        const res = await fetch(aliceCall().url!, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ CallSid: aliceCall().sid, Digits: '4' }).toString(),
        });
        expect(res.status).toBe(403);
        expect((await incident(id)).status).toBe('triggered');
      });
    });
  });
}
