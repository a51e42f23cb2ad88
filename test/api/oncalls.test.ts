import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { backends } from '../harness/backends.js';
import { insertBareUser, insertOverride, insertSchedule, rotation } from '../harness/on-call-fixtures.js';
import { startTestApp, type TestApp } from '../harness/test-app.js';

type Json = Record<string, unknown>;
type Ref = Json & { id: string; summary: string };
interface OnCall {
  escalation_policy: Ref;
  escalation_level: number;
  schedule: Ref | null;
  user: Ref;
  start: string | null;
  end: string | null;
}

for (const backend of backends()) {
  describe(backend.name, () => {
    describe('on-calls API', () => {
      let t: TestApp;
      let alice: string;
      let bob: string;
      let carol: string;
      let primary: string;
      let checkout: string;

      beforeEach(async () => {
        t = await startTestApp(backend.fresh()); // now: Monday 2026-01-05 09:00 UTC
        alice = await insertBareUser(t.store, 'Alice');
        bob = await insertBareUser(t.store, 'Bob');
        carol = await insertBareUser(t.store, 'Carol');
        // One weekly rotation handing off on Mondays at 00:00 UTC.
        const weekly = rotation([alice, bob], 7 * 86_400, '2026-01-05T00:00:00Z');
        primary = await insertSchedule(t.store, [weekly], 'UTC', 'Primary');
        const res = await t.api('POST', '/api/v2/escalation_policies', {
          escalation_policy: {
            name: 'Checkout',
            escalation_rules: [
              { escalation_delay_in_minutes: 30, targets: [{ id: primary, type: 'schedule_reference' }] },
              { escalation_delay_in_minutes: 15, targets: [{ id: carol, type: 'user_reference' }] },
            ],
          },
        });
        expect(res.statusCode, res.body).toBe(201);
        checkout = res.json<{ escalation_policy: { id: string } }>().escalation_policy.id;
      });
      afterEach(async () => {
        await t.close();
      });
      afterAll(async () => {
        await backend.cleanup();
      });

      const oncalls = async (query = '') => {
        const res = await t.api('GET', `/api/v2/oncalls${query}`);
        expect(res.statusCode, res.body).toBe(200);
        return res.json<{ oncalls: OnCall[]; more: boolean; total: number | null }>();
      };
      /** [level, user name, schedule name or null, start, end] per on-call. */
      const rows = async (query = '') =>
        (await oncalls(query)).oncalls.map((o) => [
          o.escalation_level,
          o.user.summary,
          o.schedule?.summary ?? null,
          o.start,
          o.end,
        ]);

      it('lists who is on call now at each level, with the shift of schedule targets', async () => {
        const { oncalls: list } = await oncalls();
        expect(list[0]).toEqual({
          escalation_policy: {
            id: checkout,
            type: 'escalation_policy_reference',
            summary: 'Checkout',
            self: `${t.baseUrl}/api/v2/escalation_policies/${checkout}`,
            html_url: `${t.baseUrl}/escalation_policies/${checkout}`,
          },
          escalation_level: 1,
          schedule: expect.objectContaining({
            id: primary,
            type: 'schedule_reference',
            summary: 'Primary',
          }) as unknown,
          user: expect.objectContaining({ id: alice, type: 'user_reference', summary: 'Alice' }) as unknown,
          start: '2026-01-05T00:00:00+00:00',
          end: '2026-01-12T00:00:00+00:00',
        });
        expect(list[1]).toMatchObject({
          escalation_level: 2,
          schedule: null,
          user: { id: carol },
          start: null,
          end: null,
        });
        expect(list).toHaveLength(2);
      });

      it('lists every shift that overlaps a window crossing a hand-off, sorted by level then start', async () => {
        expect(await rows('?since=2026-01-10T00:00:00Z&until=2026-01-14T00:00:00Z')).toEqual([
          [1, 'Alice', 'Primary', '2026-01-05T00:00:00+00:00', '2026-01-12T00:00:00+00:00'],
          [1, 'Bob', 'Primary', '2026-01-12T00:00:00+00:00', '2026-01-19T00:00:00+00:00'],
          [2, 'Carol', null, null, null],
        ]);
      });

      it('filters by user, escalation policy and schedule', async () => {
        const other = await t.api('POST', '/api/v2/escalation_policies', {
          escalation_policy: {
            name: 'Another',
            escalation_rules: [{ escalation_delay_in_minutes: 5, targets: [{ id: bob, type: 'user' }] }],
          },
        });
        const otherId = other.json<{ escalation_policy: { id: string } }>().escalation_policy.id;
        const window = '?since=2026-01-10T00:00:00Z&until=2026-01-14T00:00:00Z';
        const policies = async (q: string) =>
          (await oncalls(q)).oncalls.map((o) => o.escalation_policy.summary);
        expect(await policies(window)).toEqual(['Another', 'Checkout', 'Checkout', 'Checkout']);
        expect(await rows(`${window}&user_ids[]=${bob}&escalation_policy_ids[]=${checkout}`)).toEqual([
          [1, 'Bob', 'Primary', '2026-01-12T00:00:00+00:00', '2026-01-19T00:00:00+00:00'],
        ]);
        expect(await policies(`${window}&user_ids[]=${bob}`)).toEqual(['Another', 'Checkout']);
        expect(await policies(`${window}&escalation_policy_ids[]=${otherId}`)).toEqual(['Another']);
        expect(await rows(`${window}&schedule_ids[]=${primary}`)).toEqual([
          [1, 'Alice', 'Primary', '2026-01-05T00:00:00+00:00', '2026-01-12T00:00:00+00:00'],
          [1, 'Bob', 'Primary', '2026-01-12T00:00:00+00:00', '2026-01-19T00:00:00+00:00'],
        ]);
      });

      it('keeps only the earliest on-call of each user, policy and level when asked', async () => {
        const window = '?since=2026-01-05T09:00:00Z&until=2026-01-25T00:00:00Z';
        expect((await rows(window)).map((r) => r[1])).toEqual(['Alice', 'Bob', 'Alice', 'Carol']);
        expect(await rows(`${window}&earliest=true`)).toEqual([
          [1, 'Alice', 'Primary', '2026-01-05T00:00:00+00:00', '2026-01-12T00:00:00+00:00'],
          [1, 'Bob', 'Primary', '2026-01-12T00:00:00+00:00', '2026-01-19T00:00:00+00:00'],
          [2, 'Carol', null, null, null],
        ]);
      });

      it('shows an override in place of the rotation', async () => {
        await insertOverride(t.store, primary, carol, '2026-01-05T12:00:00.000Z', '2026-01-05T18:00:00.000Z');
        expect(await rows('?since=2026-01-05T13:00:00Z&schedule_ids[]=' + primary)).toEqual([
          [1, 'Carol', 'Primary', '2026-01-05T12:00:00+00:00', '2026-01-05T18:00:00+00:00'],
        ]);
        expect(await rows(`?schedule_ids[]=${primary}`)).toEqual([
          [1, 'Alice', 'Primary', '2026-01-05T00:00:00+00:00', '2026-01-05T12:00:00+00:00'],
        ]);
      });

      it('renders start and end in the requested time zone', async () => {
        expect(await rows('?time_zone=America/New_York')).toEqual([
          [1, 'Alice', 'Primary', '2026-01-04T19:00:00-05:00', '2026-01-11T19:00:00-05:00'],
          [2, 'Carol', null, null, null],
        ]);
        expect((await rows('?time_zone=Asia/Kolkata'))[0]![3]).toBe('2026-01-05T05:30:00+05:30');
      });

      it('pages with limit, offset, more and a total only when asked', async () => {
        const window = '?since=2026-01-10T00:00:00Z&until=2026-01-14T00:00:00Z';
        expect(await oncalls(`${window}&limit=2`)).toMatchObject({ more: true, total: null });
        const last = await oncalls(`${window}&limit=2&offset=2&total=true`);
        expect(last).toMatchObject({ more: false, total: 3 });
        expect(last.oncalls.map((o) => o.user.summary)).toEqual(['Carol']);
      });

      it('embeds users, schedules and policies when include[] asks for them', async () => {
        const { oncalls: list } = await oncalls(
          '?include[]=users&include[]=schedules&include[]=escalation_policies',
        );
        expect(list[0]).toMatchObject({
          escalation_policy: { id: checkout, type: 'escalation_policy', name: 'Checkout', num_loops: 0 },
          schedule: { id: primary, type: 'schedule', name: 'Primary', time_zone: 'UTC' },
          user: { id: alice, type: 'user', name: 'Alice', time_zone: 'UTC', role: 'responder' },
        });
      });

      it('leaves out deleted users, schedules and policies', async () => {
        const gone = '2026-01-02T00:00:00.000Z';
        await t.store.db.updateTable('users').set({ deleted_at: gone }).where('id', '=', carol).execute();
        expect((await rows()).map((r) => r[1])).toEqual(['Alice']);
        await t.store.db
          .updateTable('schedules')
          .set({ deleted_at: gone })
          .where('id', '=', primary)
          .execute();
        expect(await rows()).toEqual([]);
        await t.store.db.updateTable('users').set({ deleted_at: null }).where('id', '=', carol).execute();
        expect((await rows()).map((r) => r[1])).toEqual(['Carol']);
        await t.store.db
          .updateTable('escalation_policies')
          .set({ deleted_at: gone })
          .where('id', '=', checkout)
          .execute();
        expect(await rows()).toEqual([]);
      });

      it('refuses a window over 90 days, an until before since and an unknown time zone', async () => {
        const errors = async (query: string) => {
          const res = await t.api('GET', `/api/v2/oncalls${query}`);
          expect(res.statusCode).toBe(400);
          return res.json<{ error: { errors: string[] } }>().error.errors;
        };
        expect(await errors('?since=2026-01-05T00:00:00Z&until=2026-04-05T00:00:01Z')).toEqual([
          'The window from since to until cannot be longer than 90 days',
        ]);
        expect((await oncalls('?since=2026-01-05T00:00:00Z&until=2026-04-05T00:00:00Z')).oncalls.length).toBe(
          14,
        );
        expect(
          await errors('?since=2026-01-05T00:00:00Z&until=2026-01-04T00:00:00Z&time_zone=Mars/Olympus'),
        ).toEqual(['until must not be before since', 'time_zone must be an IANA time zone']);
        expect(await errors('?since=yesterday')).toEqual(['since must be an ISO 8601 date-time']);
      });
    });
  });
}
