import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { backends } from '../harness/backends.js';
import { insertServiceWithIntegration } from '../harness/factories.js';
import {
  advance,
  configureService,
  insertPolicy,
  insertSchedule,
  insertUser,
  logTypesOf,
  notificationsOf,
  triggerAndRun,
} from '../harness/on-call-fixtures.js';
import { startTestApp, type TestApp } from '../harness/test-app.js';

const DAY = 86_400;

for (const backend of backends()) {
  describe(backend.name, () => {
    describe('escalation over a two-level policy', () => {
      let t: TestApp;
      let alice: string;
      let bob: string;
      let carol: string;
      let key: string;
      let serviceId: string;

      beforeEach(async () => {
        t = await startTestApp(backend.fresh());
        alice = await insertUser(t.store, 'Alice');
        bob = await insertUser(t.store, 'Bob');
        carol = await insertUser(t.store, 'Carol');
        // Alice holds Monday 5 January (the test clock starts that day at 09:00 UTC), Bob the next day.
        const schedule = await insertSchedule(t.store, [
          {
            start: '2026-01-01T00:00:00Z',
            end: null,
            rotation_virtual_start: '2026-01-05T00:00:00Z',
            rotation_turn_length_seconds: DAY,
            users: [alice, bob],
            restrictions: [],
          },
        ]);
        const policy = await insertPolicy(
          t.store,
          [
            { delay: 10, targets: [`schedule:${schedule}`] },
            { delay: 10, targets: [`user:${carol}`] },
          ],
          1,
        );
        ({ key, serviceId } = await insertServiceWithIntegration(t.store));
        await configureService(t.store, serviceId, policy, { ack: 1800, autoResolve: null });
      });
      afterEach(async () => {
        await t.close();
      });
      afterAll(async () => {
        await backend.cleanup();
      });

      const trigger = () => triggerAndRun(t, key);
      const assignees = async (incidentId: string) =>
        (
          await t.store.db
            .selectFrom('incident_assignments')
            .select('user_id')
            .where('incident_id', '=', incidentId)
            .execute()
        ).map((r) => r.user_id);
      const delivered = async (incidentId: string) =>
        (await notificationsOf(t.store, incidentId))
          .filter((n) => n.status === 'delivered')
          .map(
            (n) => `${n.user_id === alice ? 'alice' : n.user_id === bob ? 'bob' : 'carol'}:${n.contact_type}`,
          );

      it('assigns the on-call user of the first level and notifies them by their rules', async () => {
        const incident = await trigger();
        expect(await assignees(incident)).toEqual([alice]);
        expect(await delivered(incident)).toEqual(['alice:email']);
        await advance(t, 1);
        expect(await delivered(incident)).toEqual(['alice:email', 'alice:sms']);
        expect(await logTypesOf(t.store, incident)).toEqual([
          'trigger_log_entry',
          'assign_log_entry',
          'notify_log_entry',
          'notify_log_entry',
        ]);
      });

      it('escalates after the delay, loops num_loops times and then exhausts the path', async () => {
        const incident = await trigger();
        await advance(t, 9);
        expect(await assignees(incident)).toEqual([alice]);
        await advance(t, 1);
        expect(await assignees(incident)).toEqual([carol]);
        await advance(t, 10);
        expect(await assignees(incident)).toEqual([alice]);
        await advance(t, 10);
        expect(await assignees(incident)).toEqual([carol]);
        await advance(t, 60);
        expect(await assignees(incident)).toEqual([carol]);
        const types = (await logTypesOf(t.store, incident)).filter((x) => x !== 'notify_log_entry');
        expect(types).toEqual([
          'trigger_log_entry',
          'assign_log_entry',
          'escalate_log_entry',
          'repeat_escalation_path_log_entry',
          'escalate_log_entry',
          'escalate_log_entry',
          'exhaust_escalation_path_log_entry',
        ]);
        expect(await delivered(incident)).toEqual([
          'alice:email',
          'alice:sms',
          'carol:email',
          'carol:sms',
          'alice:email',
          'alice:sms',
          'carol:email',
          'carol:sms',
        ]);
      });

      it('stops escalating and cancels pending notifications when acknowledged', async () => {
        const incident = await trigger();
        t.clock.advance(30_000);
        expect(
          (await t.send({ routing_key: key, event_action: 'acknowledge', dedup_key: 'disk' })).statusCode,
        ).toBe(202);
        await advance(t, 29);
        const notes = await notificationsOf(t.store, incident);
        expect(notes.map((n) => `${n.contact_type}:${n.status}`)).toEqual([
          'email:delivered',
          'sms:cancelled',
        ]);
        expect(await assignees(incident)).toEqual([alice]);
        const timers = await t.store.db
          .selectFrom('timers')
          .select('kind')
          .where('incident_id', '=', incident)
          .execute();
        expect(timers.map((r) => r.kind)).toEqual(['ack_timeout']);
      });

      it('returns to triggered after the acknowledgement timeout and resumes escalation', async () => {
        const incident = await trigger();
        await t.send({ routing_key: key, event_action: 'acknowledge', dedup_key: 'disk' });
        await advance(t, 30);
        const row = await t.store.db
          .selectFrom('incidents')
          .select(['status'])
          .where('id', '=', incident)
          .executeTakeFirstOrThrow();
        expect(row.status).toBe('triggered');
        expect(await delivered(incident)).toEqual(['alice:email', 'alice:email']);
        await advance(t, 10);
        expect(await assignees(incident)).toEqual([carol]);
        expect((await logTypesOf(t.store, incident)).filter((x) => x !== 'notify_log_entry')).toEqual([
          'trigger_log_entry',
          'assign_log_entry',
          'acknowledge_log_entry',
          'unacknowledge_log_entry',
          'assign_log_entry',
          'escalate_log_entry',
        ]);
      });

      it('ends every pending step when the source resolves the alert', async () => {
        const incident = await trigger();
        await t.send({ routing_key: key, event_action: 'resolve', dedup_key: 'disk' });
        await advance(t, 120);
        expect(await assignees(incident)).toEqual([]);
        expect((await t.store.db.selectFrom('timers').selectAll().execute()).length).toBe(0);
        expect((await notificationsOf(t.store, incident)).map((n) => n.status)).toEqual([
          'delivered',
          'cancelled',
        ]);
      });
    });
  });
}
