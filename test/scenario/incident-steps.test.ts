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

type Json = Record<string, unknown>;

for (const backend of backends()) {
  describe(backend.name, () => {
    describe('incident steps the engine carries out', () => {
      let t: TestApp;
      let alice: string;
      let bob: string;
      let carol: string;
      let admin: string;
      let key: string;
      let serviceId: string;
      let policy: string;
      let from: Record<string, string>;

      beforeEach(async () => {
        t = await startTestApp(backend.fresh());
        alice = await insertUser(t.store, 'Alice');
        bob = await insertUser(t.store, 'Bob');
        carol = await insertUser(t.store, 'Carol');
        admin = await insertUser(t.store, 'Ada', undefined, 'admin');
        policy = await insertPolicy(t.store, [
          { delay: 5, targets: [`user:${alice}`, `user:${bob}`] },
          { delay: 5, targets: [`user:${carol}`] },
        ]);
        ({ key, serviceId } = await insertServiceWithIntegration(t.store));
        await configureService(t.store, serviceId, policy, { ack: null, autoResolve: null });
        from = { from: 'admin@tocsin.local' };
      });
      afterEach(async () => {
        await t.close();
      });
      afterAll(async () => {
        await backend.cleanup();
      });

      const trigger = (dedupKey = 'disk', severity = 'critical') =>
        triggerAndRun(t, key, dedupKey, { severity });
      const get = async (id: string) =>
        (await t.api('GET', `/api/v2/incidents/${id}`)).json<{
          incident: Json & { assignments: { assignee: { id: string } }[] };
        }>().incident;
      const assigneeIds = async (id: string) => (await get(id)).assignments.map((a) => a.assignee.id).sort();
      const put = async (id: string, incident: Json) => {
        const res = await t.api(
          'PUT',
          `/api/v2/incidents/${id}`,
          { incident: { type: 'incident_reference', ...incident } },
          from,
        );
        expect(res.statusCode, res.body).toBe(200);
        await t.app.engine.runDue();
        return res.json<{ incident: Json }>().incident;
      };
      const deliveredTo = async (id: string, user: string) =>
        (await notificationsOf(t.store, id)).filter((n) => n.user_id === user && n.status === 'delivered')
          .length;

      it('pages every user of a level and presents the assignments and pending escalation', async () => {
        const id = await trigger();
        expect(await assigneeIds(id)).toEqual([alice, bob].sort());
        const incident = await get(id);
        expect(incident).toMatchObject({
          escalation_level: 1,
          assigned_via: 'escalation_policy',
          escalation_policy: { id: policy, type: 'escalation_policy_reference' },
          pending_actions: [{ type: 'escalate', at: '2026-01-05T09:05:00.000Z' }],
        });
      });

      it('sends one message when two rules reach one contact method at the same minute', async () => {
        const dave = await insertUser(t.store, 'Dave', [
          ['high', 0, 'email'],
          ['high', 0, 'email'],
          ['high', 2, 'email'],
        ]);
        await configureService(
          t.store,
          serviceId,
          await insertPolicy(t.store, [{ delay: 5, targets: [`user:${dave}`] }]),
        );
        const id = await trigger();
        await advance(t, 3);
        expect(await deliveredTo(id, dave)).toBe(2);
      });

      it('skips and logs a level with nobody on call', async () => {
        const empty = await insertSchedule(t.store, []);
        const skipping = await insertPolicy(t.store, [
          { delay: 5, targets: [`schedule:${empty}`] },
          { delay: 5, targets: [`user:${carol}`] },
        ]);
        await configureService(t.store, serviceId, skipping);
        const id = await trigger();
        expect(await assigneeIds(id)).toEqual([carol]);
        const entries = await t.store.db
          .selectFrom('log_entries')
          .select(['type', 'summary'])
          .where('incident_id', '=', id)
          .execute();
        expect(entries.find((e) => e.type === 'assign_log_entry')?.summary).toContain(
          'Skipped level 1: no one on call.',
        );
      });

      it('keeps an incident nobody is on call for, unassigned, and pages the admins', async () => {
        const empty = await insertSchedule(t.store, []);
        await configureService(
          t.store,
          serviceId,
          await insertPolicy(t.store, [{ delay: 5, targets: [`schedule:${empty}`] }]),
        );
        const id = await trigger();
        expect(await assigneeIds(id)).toEqual([]);
        expect(await deliveredTo(id, admin)).toBe(1);
        const notes = await notificationsOf(t.store, id);
        expect(new Set(notes.map((n) => n.reason))).toEqual(new Set(['unassigned_fallback']));
        const entry = await t.store.db
          .selectFrom('log_entries')
          .select('summary')
          .where('incident_id', '=', id)
          .where('type', '=', 'assign_log_entry')
          .executeTakeFirstOrThrow();
        expect(entry.summary).toMatch(/^Unassigned: no one is on call on any level of Policy/);
        // Someone comes on call: the next look assigns them.
        await configureService(t.store, serviceId, policy);
        await t.store.db
          .updateTable('incidents')
          .set({ escalation_policy_id: policy })
          .where('id', '=', id)
          .execute();
        await advance(t, 5);
        expect(await assigneeIds(id)).toEqual([alice, bob].sort());
      });

      it('notifies the first level of a low-urgency incident and never escalates it', async () => {
        await t.store.db
          .updateTable('services')
          .set({ incident_urgency_rule: JSON.stringify({ type: 'constant', urgency: 'severity_based' }) })
          .where('id', '=', serviceId)
          .execute();
        const id = await trigger('low', 'warning');
        expect((await get(id)).urgency).toBe('low');
        await advance(t, 60);
        expect(await assigneeIds(id)).toEqual([alice, bob].sort());
        expect((await notificationsOf(t.store, id)).map((n) => `${n.contact_type}:${n.status}`)).toEqual([
          'email:delivered',
          'email:delivered',
        ]);
      });

      it('escalates an acknowledged incident by hand: it is triggered again and the level is paged', async () => {
        const id = await trigger();
        await put(id, { status: 'acknowledged' });
        const escalated = await put(id, { escalation_level: 2 });
        expect(escalated).toMatchObject({ status: 'triggered', escalation_level: 2 });
        expect(await assigneeIds(id)).toEqual([carol]);
        expect(await deliveredTo(id, carol)).toBe(1);
        expect(await logTypesOf(t.store, id)).toContain('escalate_log_entry');
      });

      it('reassigns directly to a user, who is paged and is not escalated away from', async () => {
        const id = await trigger();
        const reassigned = await put(id, {
          assignments: [{ assignee: { id: carol, type: 'user_reference' } }],
        });
        expect(reassigned).toMatchObject({ assigned_via: 'direct_assignment', pending_actions: [] });
        await advance(t, 60);
        expect(await assigneeIds(id)).toEqual([carol]);
        expect(await deliveredTo(id, carol)).toBe(2);
        // Alice's SMS at 1 minute was cancelled by the reassignment.
        expect(await deliveredTo(id, alice)).toBe(1);
      });

      it('delegates to another policy, which starts from its first level', async () => {
        const other = await insertPolicy(t.store, [{ delay: 5, targets: [`user:${carol}`] }]);
        const id = await trigger();
        const delegated = await put(id, {
          escalation_policy: { id: other, type: 'escalation_policy_reference' },
        });
        expect(delegated).toMatchObject({ escalation_policy: { id: other }, escalation_level: 1 });
        expect(await assigneeIds(id)).toEqual([carol]);
        expect(await logTypesOf(t.store, id)).toContain('delegate_log_entry');
        await advance(t, 5);
        // The old policy's escalation never fires: the new one loops nowhere and exhausts.
        expect(await assigneeIds(id)).toEqual([carol]);
        expect(await logTypesOf(t.store, id)).toContain('exhaust_escalation_path_log_entry');
      });

      it('re-triggers a snoozed incident when the snooze ends and re-notifies its assignees', async () => {
        const id = await trigger();
        await put(id, { status: 'acknowledged' });
        const early = await t.api('POST', `/api/v2/incidents/${id}/snooze`, { duration: 0 }, from);
        expect(early.json()).toMatchObject({ error: { code: 1013 } });
        const snoozed = await t.api('POST', `/api/v2/incidents/${id}/snooze`, { duration: 600 }, from);
        expect(snoozed.statusCode, snoozed.body).toBe(200);
        expect(snoozed.json()).toMatchObject({
          incident: {
            status: 'acknowledged',
            pending_actions: [{ type: 'unacknowledge', at: '2026-01-05T09:10:00.000Z' }],
          },
        });
        await advance(t, 9);
        expect((await get(id)).status).toBe('acknowledged');
        await advance(t, 1);
        expect((await get(id)).status).toBe('triggered');
        expect(await deliveredTo(id, alice)).toBe(2);
        expect(await logTypesOf(t.store, id)).toEqual(
          expect.arrayContaining(['snooze_log_entry', 'unacknowledge_log_entry']),
        );
      });

      it('refuses to snooze an incident that is not acknowledged', async () => {
        const id = await trigger();
        const res = await t.api('POST', `/api/v2/incidents/${id}/snooze`, { duration: 60 }, from);
        expect(res.json()).toMatchObject({ error: { code: 1012, message: 'Incident Not Acknowledged' } });
      });

      it('resolves an incident left open for the auto-resolve timeout', async () => {
        await configureService(t.store, serviceId, policy, { autoResolve: 3600 });
        const id = await trigger();
        await put(id, { status: 'acknowledged' });
        await advance(t, 59);
        expect((await get(id)).status).toBe('acknowledged');
        await advance(t, 1);
        expect((await get(id)).status).toBe('resolved');
        const alert = await t.store.db
          .selectFrom('alerts')
          .select('status')
          .where('incident_id', '=', id)
          .executeTakeFirstOrThrow();
        expect(alert.status).toBe('resolved');
      });

      it('does the current step once after an outage instead of replaying every missed one', async () => {
        const id = await trigger();
        // The engine is down for three hours: escalations were due at 5, 10, … minutes.
        t.clock.advance(3 * 60 * 60_000);
        await t.app.engine.runDue();
        expect(await assigneeIds(id)).toEqual([carol]);
        const escalations = (await logTypesOf(t.store, id)).filter((x) => x === 'escalate_log_entry');
        expect(escalations).toHaveLength(1);
        // The next step is due one delay after the late step, not in the past.
        expect((await get(id)).pending_actions).toEqual([
          { type: 'escalate', at: '2026-01-05T12:05:00.000Z' },
        ]);
      });
    });
  });
}
