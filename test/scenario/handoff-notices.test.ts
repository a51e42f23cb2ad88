import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { shortId } from '../../src/lib/ids.js';
import { backends } from '../harness/backends.js';
import { insertServiceWithIntegration } from '../harness/factories.js';
import {
  advance,
  configureService,
  insertOverride,
  insertPolicy,
  insertSchedule,
  insertUser,
} from '../harness/on-call-fixtures.js';
import { startTestApp, type TestApp } from '../harness/test-app.js';

const DAY = 86_400;

for (const backend of backends()) {
  describe(backend.name, () => {
    describe('handoff notices', () => {
      let t: TestApp;
      let alice: string;
      let bob: string;
      let schedule: string;
      let policy: string;

      const addHandoffRule = async (
        userId: string,
        type: 'oncall' | 'offcall' | 'both',
        advanceMinutes: number,
      ) => {
        const cm = await t.store.db
          .selectFrom('contact_methods')
          .select('id')
          .where('user_id', '=', userId)
          .where('type', '=', 'email_contact_method')
          .executeTakeFirstOrThrow();
        await t.store.db
          .insertInto('handoff_notification_rules')
          .values({
            id: shortId(),
            user_id: userId,
            handoff_type: type,
            notify_advance_in_minutes: advanceMinutes,
            contact_method_id: cm.id,
            created_at: '2026-01-01T00:00:00.000Z',
            updated_at: '2026-01-01T00:00:00.000Z',
          })
          .execute();
      };
      const notices = async () =>
        (
          await t.store.db
            .selectFrom('notifications')
            .select(['user_id', 'reason', 'status', 'detail', 'delivered_at'])
            .where('incident_id', 'is', null)
            .orderBy('due_at')
            .execute()
        ).map((n) => ({
          who: n.user_id === alice ? 'alice' : 'bob',
          reason: n.reason,
          status: n.status,
          at: n.delivered_at,
          message: (JSON.parse(n.detail) as { message: string }).message,
        }));

      beforeEach(async () => {
        t = await startTestApp(backend.fresh());
        alice = await insertUser(t.store, 'Alice');
        bob = await insertUser(t.store, 'Bob');
        // Alice holds 5 January (the clock starts at 09:00 UTC); Bob takes over at midnight.
        schedule = await insertSchedule(t.store, [
          {
            start: '2026-01-01T00:00:00Z',
            end: null,
            rotation_virtual_start: '2026-01-05T00:00:00Z',
            rotation_turn_length_seconds: DAY,
            users: [alice, bob],
            restrictions: [],
          },
        ]);
        policy = await insertPolicy(t.store, [{ delay: 5, targets: [`schedule:${schedule}`] }]);
        await addHandoffRule(alice, 'offcall', 60);
        await addHandoffRule(bob, 'oncall', 30);
      });
      afterEach(async () => {
        await t.close();
      });
      afterAll(async () => {
        await backend.cleanup();
      });

      it('tells the outgoing and incoming users ahead of the handoff, by their handoff rules', async () => {
        const { serviceId } = await insertServiceWithIntegration(t.store);
        await configureService(t.store, serviceId, policy);
        await t.app.engine.ensureHandoffPlanner();
        await t.app.engine.runDue();
        await advance(t, 13 * 60 + 59); // 22:59
        expect((await notices()).filter((n) => n.status === 'delivered')).toEqual([]);
        await advance(t, 1); // 23:00
        await advance(t, 30); // 23:30
        expect(await notices()).toEqual([
          {
            who: 'alice',
            reason: 'handoff_offcall',
            status: 'delivered',
            at: '2026-01-05T23:00:00.000Z',
            message: expect.stringContaining('ends at 2026-01-06T00:00:00.000Z') as unknown,
          },
          {
            who: 'bob',
            reason: 'handoff_oncall',
            status: 'delivered',
            at: '2026-01-05T23:30:00.000Z',
            message: expect.stringMatching(
              /on call for .* from 2026-01-06T00:00:00.000Z to 2026-01-07T00:00:00.000Z/,
            ) as unknown,
          },
        ]);
        // Planning again (every hour) never repeats a notice.
        await advance(t, 3 * 60);
        expect(
          (await notices()).filter((n) => n.reason === 'handoff_oncall' && n.at?.startsWith('2026-01-05')),
        ).toHaveLength(1);
      });

      it('sends nothing for a policy without services unless it says always', async () => {
        await t.app.engine.ensureHandoffPlanner();
        await advance(t, 9 * 60); // 18:00
        expect(await notices()).toEqual([]);
        await t.store.db
          .updateTable('escalation_policies')
          .set({ on_call_handoff_notifications: 'always' })
          .execute();
        await advance(t, 60); // the next planning
        expect((await notices()).length).toBeGreaterThan(0);
      });

      it('drops a planned notice when the shift changed before it was due', async () => {
        const { serviceId } = await insertServiceWithIntegration(t.store);
        await configureService(t.store, serviceId, policy);
        await t.app.engine.ensureHandoffPlanner();
        await advance(t, 13 * 60); // 22:00: both notices are planned
        // Alice keeps the next day after all.
        await insertOverride(t.store, schedule, alice, '2026-01-06T00:00:00Z', '2026-01-07T00:00:00Z');
        await advance(t, 90);
        expect((await notices()).map((n) => `${n.who}:${n.reason}:${n.status}`)).toEqual([
          'alice:handoff_offcall:cancelled',
          'bob:handoff_oncall:cancelled',
        ]);
      });
    });
  });
}
