import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shortId } from '../../src/lib/ids.js';
import { backends } from '../harness/backends.js';
import { insertServiceWithIntegration } from '../harness/factories.js';
import { insertBareUser, insertPolicy, insertTeam } from '../harness/on-call-fixtures.js';
import { startTestApp, type TestApp } from '../harness/test-app.js';

type Json = Record<string, unknown>;
type Figures = Json & { incidents: number; mean_seconds_to_acknowledge: number | null };

const T0 = Date.parse('2026-03-02T10:00:00.000Z');
const MIN = 60_000;
const iso = (ms: number) => new Date(ms).toISOString();

/** An incident opened at `T0 + openedMin` minutes, acknowledged/resolved so many minutes after opening. */
interface IncidentFixture {
  service: string;
  policy: string | null;
  openedMin: number;
  urgency?: 'high' | 'low';
  ackAfterMin?: number[];
  resolveAfterMin?: number;
}

async function insertIncident(t: TestApp, number: number, f: IncidentFixture): Promise<void> {
  const id = shortId();
  const opened = T0 + f.openedMin * MIN;
  const resolved = f.resolveAfterMin === undefined ? null : iso(opened + f.resolveAfterMin * MIN);
  await t.store.db
    .insertInto('incidents')
    .values({
      id,
      incident_number: number,
      title: `Incident ${number}`,
      service_id: f.service,
      status: resolved ? 'resolved' : f.ackAfterMin ? 'acknowledged' : 'triggered',
      urgency: f.urgency ?? 'high',
      incident_key: null,
      escalation_policy_id: f.policy,
      alerts_triggered: 1,
      alerts_resolved: 0,
      acknowledgements: '[]',
      last_status_change_at: iso(opened),
      last_status_change_by: null,
      resolve_reason: null,
      created_at: iso(opened),
      updated_at: iso(opened),
      resolved_at: resolved,
      escalation_level: 1,
      escalation_loops: 0,
      assigned_via: null,
      assignment_seq: 0,
      priority_id: null,
      conference_bridge: null,
      body_details: null,
    })
    .execute();
  // Every acknowledgement is logged; only the first counts towards the time to acknowledge.
  for (const after of f.ackAfterMin ?? [])
    await t.store.db
      .insertInto('log_entries')
      .values({
        id: shortId(),
        type: 'acknowledge_log_entry',
        incident_id: id,
        alert_id: null,
        service_id: f.service,
        created_at: iso(opened + after * MIN),
        channel: '{"type":"web_ui"}',
        agent: null,
        summary: 'Acknowledged',
        note: null,
      })
      .execute();
}

async function insertNotification(t: TestApp, user: string, channel: string, status: string, min: number) {
  await t.store.db
    .insertInto('notifications')
    .values({
      id: shortId(),
      dedup_key: shortId(),
      incident_id: null,
      user_id: user,
      contact_method_id: null,
      reason: 'assigned',
      urgency: 'high',
      due_at: iso(T0 + min * MIN),
      status,
      channel,
      detail: '{}',
      attempts: 1,
      last_error: null,
      created_at: iso(T0 + min * MIN),
      updated_at: iso(T0 + min * MIN),
      delivered_at: status === 'delivered' ? iso(T0 + min * MIN) : null,
      claimed_by: null,
      lease_until: null,
      next_attempt_at: null,
      provider_ref: null,
    })
    .execute();
}

for (const backend of backends()) {
  describe(backend.name, () => {
    describe('the analytics endpoints', () => {
      let t: TestApp;
      let web: string;
      let db: string;
      let ops: string;
      let ann: string;
      let bob: string;
      const period = `since=${iso(T0)}&until=${iso(T0 + 7 * 24 * 60 * MIN)}`;

      beforeAll(async () => {
        t = await startTestApp(backend.fresh());
        t.clock.set(new Date(T0 + 8 * 24 * 60 * MIN));
        web = (await insertServiceWithIntegration(t.store, { name: 'Web' })).serviceId;
        db = (await insertServiceWithIntegration(t.store, { name: 'Db' })).serviceId;
        ops = await insertTeam(t.store, 'Ops');
        const opsPolicy = await insertPolicy(t.store, [{ delay: 5, targets: [] }], 0, 'Ops policy');
        await t.store.db
          .updateTable('escalation_policies')
          .set({ team_id: ops })
          .where('id', '=', opsPolicy)
          .execute();
        // Web (team Ops): acked after 2 and 4 min (the second ack after 1 min more), resolved after 10 and 30;
        // one low-urgency incident still open. Db (no team): acked after 6, never resolved.
        await insertIncident(t, 1, {
          service: web,
          policy: opsPolicy,
          openedMin: 0,
          ackAfterMin: [2, 3],
          resolveAfterMin: 10,
        });
        await insertIncident(t, 2, {
          service: web,
          policy: opsPolicy,
          openedMin: 60 * 24,
          ackAfterMin: [4],
          resolveAfterMin: 30,
        });
        await insertIncident(t, 3, {
          service: web,
          policy: opsPolicy,
          openedMin: 60 * 24 + 5,
          urgency: 'low',
        });
        await insertIncident(t, 4, { service: db, policy: null, openedMin: 60 * 48, ackAfterMin: [6] });
        // Outside the period: a day before it, and exactly at its (exclusive) end.
        await insertIncident(t, 5, {
          service: db,
          policy: null,
          openedMin: -60 * 24,
          ackAfterMin: [1],
          resolveAfterMin: 1,
        });
        await insertIncident(t, 6, { service: web, policy: opsPolicy, openedMin: 7 * 24 * 60 });

        ann = await insertBareUser(t.store, 'Ann');
        bob = await insertBareUser(t.store, 'Bob');
        await insertNotification(t, ann, 'email', 'delivered', 1);
        await insertNotification(t, ann, 'email', 'delivered', 2);
        await insertNotification(t, ann, 'sms', 'delivered', 3);
        await insertNotification(t, bob, 'email', 'delivered', 4);
        await insertNotification(t, bob, 'sms', 'failed', 5);
        await insertNotification(t, bob, 'email', 'pending', 6);
        await insertNotification(t, bob, 'email', 'delivered', -10);
      });
      afterAll(async () => {
        await t.close();
        await backend.cleanup();
      });

      it('counts incidents and averages the times to first acknowledgement and to resolution', async () => {
        const res = await t.api('GET', `/api/v2/analytics/incidents?${period}`);
        expect(res.statusCode, res.body).toBe(200);
        const body = res.json<Json & { totals: Figures }>();
        expect(body.since).toBe(iso(T0));
        expect(body.totals).toEqual({
          incidents: 4,
          high_urgency: 3,
          low_urgency: 1,
          acknowledged: 3,
          resolved: 2,
          mean_seconds_to_acknowledge: 240, // (2 + 4 + 6) / 3 min
          mean_seconds_to_resolve: 1200, // (10 + 30) / 2 min
        });
      });

      it('breaks the figures down per service and per team, busiest first', async () => {
        const body = (await t.api('GET', `/api/v2/analytics/incidents?${period}`)).json<{
          services: (Figures & { service: Json })[];
          teams: (Figures & { team: Json | null })[];
        }>();
        expect(body.services.map((s) => [s.service.id, s.service.summary, s.incidents])).toEqual([
          [web, 'Web', 3],
          [db, 'Db', 1],
        ]);
        expect(body.services[0]).toMatchObject({
          mean_seconds_to_acknowledge: 180,
          mean_seconds_to_resolve: 1200,
          low_urgency: 1,
        });
        expect(body.services[1]).toMatchObject({
          mean_seconds_to_acknowledge: 360,
          mean_seconds_to_resolve: null,
        });
        expect(body.teams.map((r) => [r.team?.id ?? null, r.incidents])).toEqual([
          [ops, 3],
          [null, 1],
        ]);
        expect(body.teams[0]?.team).toMatchObject({ type: 'team_reference', summary: 'Ops' });
      });

      it('counts incidents per UTC day', async () => {
        const body = (await t.api('GET', `/api/v2/analytics/incidents?${period}`)).json<{ days: Json[] }>();
        expect(body.days).toEqual([
          { date: '2026-03-02', incidents: 1 },
          { date: '2026-03-03', incidents: 2 },
          { date: '2026-03-04', incidents: 1 },
        ]);
      });

      it('defaults to the 30 days before now and answers zeros for an empty period', async () => {
        const all = (await t.api('GET', '/api/v2/analytics/incidents')).json<{
          totals: Figures;
          since: string;
        }>();
        expect(all.since).toBe(iso(T0 + 8 * 24 * 60 * MIN - 30 * 24 * 60 * MIN));
        expect(all.totals.incidents).toBe(6);
        const empty = (
          await t.api(
            'GET',
            '/api/v2/analytics/incidents?since=2025-01-01T00:00:00Z&until=2025-01-02T00:00:00Z',
          )
        ).json<{ totals: Figures; services: Json[] }>();
        expect(empty.totals).toMatchObject({ incidents: 0, mean_seconds_to_acknowledge: null });
        expect(empty.services).toEqual([]);
      });

      it('refuses a reversed, unreadable or longer than a year period', async () => {
        for (const query of [
          `since=${iso(T0)}&until=${iso(T0 - MIN)}`,
          'since=yesterday',
          'since=2024-01-01T00:00:00Z&until=2026-01-01T00:00:00Z',
        ]) {
          const res = await t.api('GET', `/api/v2/analytics/incidents?${query}`);
          expect(res.statusCode, query).toBe(400);
          expect(res.json<{ error: { code: number } }>().error.code).toBe(2001);
        }
      });

      it('counts notifications sent and failed per channel, and sent per person', async () => {
        const res = await t.api('GET', `/api/v2/analytics/notifications?${period}`);
        expect(res.statusCode, res.body).toBe(200);
        const body = res.json<{ channels: Json[]; users: (Json & { user: Json })[] }>();
        expect(body.channels).toEqual([
          { channel: 'email', sent: 3, failed: 0 },
          { channel: 'sms', sent: 1, failed: 1 },
        ]);
        expect(body.users.map((u) => [u.user.id, u.user.summary, u.sent, u.by_channel])).toEqual([
          [ann, 'Ann', 3, { email: 2, sms: 1 }],
          [bob, 'Bob', 1, { email: 1 }],
        ]);
      });

      it('needs authentication', async () => {
        const res = await t.app.inject({ method: 'GET', url: '/api/v2/analytics/incidents' });
        expect(res.statusCode).toBe(401);
      });
    });
  });
}
