import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { backends } from '../harness/backends.js';
import { insertServiceWithIntegration, triggerBody } from '../harness/factories.js';
import { insertTeam, insertUser, logTypesOf, serviceForUser } from '../harness/on-call-fixtures.js';
import { startTestApp, type TestApp } from '../harness/test-app.js';

type Json = Record<string, unknown>;
type Incident = Json & { id: string; status: string; incident_number: number };
type Alert = Json & { id: string; status: string; incident: { id: string } };

const from = { from: 'admin@tocsin.local' };

for (const backend of backends()) {
  describe(backend.name, () => {
    describe('merge, notes and alert updates', () => {
      let t: TestApp;
      let key: string;
      let userId: string;

      beforeEach(async () => {
        t = await startTestApp(backend.fresh());
        userId = await insertUser(t.store, 'Rita Ops');
        ({ key } = await serviceForUser(t.store, userId, 'Checkout'));
      });
      afterEach(async () => {
        await t.close();
      });
      afterAll(async () => {
        await backend.cleanup();
      });

      const trigger = async (dedupKey: string, to = key) => {
        expect((await t.send(triggerBody(to, dedupKey))).statusCode).toBe(202);
        await t.app.engine.runDue();
        const list = await t.api('GET', `/api/v2/incidents?incident_key=${dedupKey}&date_range=all`);
        return list.json<{ incidents: Incident[] }>().incidents[0]!;
      };
      const get = async (id: string) =>
        (await t.api('GET', `/api/v2/incidents/${id}`)).json<{ incident: Incident }>().incident;
      const alertsOf = async (id: string) =>
        (await t.api('GET', `/api/v2/incidents/${id}/alerts`)).json<{ alerts: Alert[] }>().alerts;
      const errorOf = (res: { statusCode: number; json<T>(): T }) => ({
        status: res.statusCode,
        ...res.json<{ error: { code: number; errors: string[] } }>().error,
      });
      const merge = (target: string, sources: string[], headers: Record<string, string> = from) =>
        t.api(
          'PUT',
          `/api/v2/incidents/${target}/merge`,
          { source_incidents: sources.map((id) => ({ id, type: 'incident_reference' })) },
          headers,
        );
      const timersOf = async (id: string) =>
        (await t.store.db.selectFrom('timers').select('kind').where('incident_id', '=', id).execute()).map(
          (r) => r.kind,
        );

      it('moves the sources’ alerts to the target, resolves them as merged and ends their timers', async () => {
        const target = await trigger('m1');
        const a = await trigger('m2');
        const b = await trigger('m3');
        expect(await timersOf(a.id)).toContain('escalate');
        t.clock.advance(60_000);
        const res = await merge(target.id, [a.id, String(b.incident_number)]);
        expect(res.statusCode, res.body).toBe(200);
        expect(res.json()).toEqual({
          incident: {
            id: target.id,
            type: 'incident_reference',
            summary: `[#${target.incident_number}] Disk full on m1`,
            self: `${t.baseUrl}/api/v2/incidents/${target.id}`,
            html_url: `${t.baseUrl}/incidents/${target.id}`,
          },
        });
        expect((await alertsOf(target.id)).map((x) => x.alert_key)).toEqual(['m1', 'm2', 'm3']);
        expect((await get(target.id)).alert_counts).toEqual({ all: 3, triggered: 3, resolved: 0 });
        const source = await get(a.id);
        expect(source).toMatchObject({
          status: 'resolved',
          alert_counts: { all: 0, triggered: 0, resolved: 0 },
          resolve_reason: {
            type: 'merge_resolve_reason',
            incident: { id: target.id, type: 'incident_reference' },
          },
        });
        expect(await timersOf(a.id)).toEqual([]);
        expect(await timersOf(b.id)).toEqual([]);
        const entries = (await t.api('GET', `/api/v2/incidents/${a.id}/log_entries`)).json<{
          log_entries: Json[];
        }>().log_entries;
        expect(entries.at(-1)).toMatchObject({
          type: 'resolve_log_entry',
          summary: `Resolved by Administrator: merged into [#${target.incident_number}] Disk full on m1.`,
        });
        // A resolve event for a moved alert now resolves it on the target.
        const resolve = { routing_key: key, event_action: 'resolve', dedup_key: 'm2' };
        expect((await t.send(resolve)).statusCode).toBe(202);
        expect((await get(target.id)).alert_counts).toEqual({ all: 3, triggered: 2, resolved: 1 });
      });

      it('answers 1019 for an incident already merged, 1001 for a resolved one, and 400 for itself', async () => {
        const target = await trigger('m1');
        const a = await trigger('m2');
        const c = await trigger('m3');
        expect((await merge(target.id, [a.id])).statusCode).toBe(200);
        expect(errorOf(await merge(target.id, [a.id]))).toMatchObject({ status: 400, code: 1019 });
        expect(errorOf(await merge(a.id, [c.id]))).toMatchObject({ status: 400, code: 1019 });
        const put = { incident: { type: 'incident_reference', status: 'resolved' } };
        expect((await t.api('PUT', `/api/v2/incidents/${c.id}`, put, from)).statusCode).toBe(200);
        expect(errorOf(await merge(target.id, [c.id]))).toMatchObject({ status: 400, code: 1001 });
        expect(errorOf(await merge(target.id, [target.id]))).toMatchObject({ status: 400, code: 2001 });
        expect(errorOf(await merge(target.id, ['NOPE']))).toMatchObject({ status: 404 });
        expect(errorOf(await merge(target.id, [a.id], {}))).toMatchObject({ status: 400, code: 2001 });
      });

      it('adds notes with an annotate log entry and lists them oldest first', async () => {
        const incident = await trigger('n1');
        const post = (content: string, headers: Record<string, string> = from) =>
          t.api('POST', `/api/v2/incidents/${incident.id}/notes`, { note: { content } }, headers);
        const res = await post('Rolled back the deploy.');
        expect(res.statusCode, res.body).toBe(200);
        const note = res.json<{ note: Json & { id: string } }>().note;
        expect(note).toMatchObject({
          content: 'Rolled back the deploy.',
          created_at: '2026-01-05T09:00:00.000Z',
          user: { type: 'user_reference', summary: 'Administrator' },
          channel: { type: 'api', summary: 'The API' },
        });
        t.clock.advance(1000);
        expect((await post('Error rate is back to normal.')).statusCode).toBe(200);
        const list = (await t.api('GET', `/api/v2/incidents/${incident.id}/notes`)).json<{ notes: Json[] }>();
        expect(list.notes.map((n) => n.content)).toEqual([
          'Rolled back the deploy.',
          'Error rate is back to normal.',
        ]);
        const entry = (await t.api('GET', `/api/v2/log_entries/${note.id}`)).json<{ log_entry: Json }>()
          .log_entry;
        expect(entry).toMatchObject({ type: 'annotate_log_entry', note: 'Rolled back the deploy.' });
        expect(errorOf(await post('', from))).toMatchObject({ status: 400, code: 2001 });
        expect(errorOf(await post('x', {}))).toMatchObject({ status: 400, code: 2001 });
        expect((await t.api('GET', '/api/v2/incidents/NOPE/notes')).statusCode).toBe(404);
      });

      it('resolves one alert, and resolves the incident with its last open alert', async () => {
        const grouped = await insertServiceWithIntegration(t.store, {
          grouping: { type: 'time', config: { timeout: 0 } },
        });
        const incident = await trigger('g1', grouped.key);
        expect((await t.send(triggerBody(grouped.key, 'g2'))).statusCode).toBe(202);
        const [first, second] = await alertsOf(incident.id);
        const put = (alertId: string, alert: Json) =>
          t.api(
            'PUT',
            `/api/v2/incidents/${incident.id}/alerts/${alertId}`,
            { alert: { type: 'alert', ...alert } },
            from,
          );
        const res = await put(first!.id, { status: 'resolved' });
        expect(res.statusCode, res.body).toBe(200);
        expect(res.json<{ alert: Alert }>().alert).toMatchObject({ id: first!.id, status: 'resolved' });
        expect((await get(incident.id)).status).toBe('triggered');
        expect((await put(second!.id, { status: 'resolved' })).statusCode).toBe(200);
        expect(await get(incident.id)).toMatchObject({
          status: 'resolved',
          alert_counts: { all: 2, resolved: 2 },
        });
        expect(await logTypesOf(t.store, incident.id)).toContain('resolve_log_entry');
        expect(errorOf(await put(first!.id, { status: 'triggered' }))).toMatchObject({ status: 400 });
        expect((await put('NOPE', { status: 'resolved' })).statusCode).toBe(404);
      });

      it('moves an alert to another incident, and resolves the incident it left with nothing open', async () => {
        const a = await trigger('v1');
        const b = await trigger('v2');
        const [alert] = await alertsOf(a.id);
        const res = await t.api(
          'PUT',
          `/api/v2/incidents/${a.id}/alerts/${alert!.id}`,
          { alert: { type: 'alert', incident: { id: b.id, type: 'incident_reference' } } },
          from,
        );
        expect(res.statusCode, res.body).toBe(200);
        expect(res.json<{ alert: Alert }>().alert.incident.id).toBe(b.id);
        expect((await alertsOf(b.id)).map((x) => x.alert_key)).toEqual(['v1', 'v2']);
        expect(await get(a.id)).toMatchObject({ status: 'resolved', alert_counts: { all: 0 } });
        expect((await get(b.id)).alert_counts).toEqual({ all: 2, triggered: 2, resolved: 0 });
      });

      it('updates alerts in bulk, at most 250 at a time', async () => {
        const grouped = await insertServiceWithIntegration(t.store, {
          grouping: { type: 'time', config: { timeout: 0 } },
        });
        const incident = await trigger('b1', grouped.key);
        expect((await t.send(triggerBody(grouped.key, 'b2'))).statusCode).toBe(202);
        const alerts = await alertsOf(incident.id);
        const body = { alerts: alerts.map((x) => ({ id: x.id, type: 'alert', status: 'resolved' })) };
        const res = await t.api('PUT', `/api/v2/incidents/${incident.id}/alerts`, body, from);
        expect(res.statusCode, res.body).toBe(200);
        expect(res.json<{ alerts: Alert[] }>().alerts.map((x) => x.status)).toEqual(['resolved', 'resolved']);
        expect((await get(incident.id)).status).toBe('resolved');
        const many = {
          alerts: Array.from({ length: 251 }, () => ({ id: alerts[0]!.id, status: 'resolved' })),
        };
        expect(
          errorOf(await t.api('PUT', `/api/v2/incidents/${incident.id}/alerts`, many, from)).status,
        ).toBe(413);
      });

      it('lists the overview of log entries without notification entries', async () => {
        const incident = await trigger('o1');
        const all = (await t.api('GET', `/api/v2/incidents/${incident.id}/log_entries`)).json<{
          log_entries: Json[];
        }>();
        expect(all.log_entries.map((e) => e.type)).toContain('notify_log_entry');
        const overview = await t.api('GET', `/api/v2/incidents/${incident.id}/log_entries?is_overview=true`);
        const types = overview.json<{ log_entries: Json[] }>().log_entries.map((e) => e.type);
        expect(types).toEqual(['trigger_log_entry', 'assign_log_entry']);
        const global = await t.api('GET', '/api/v2/log_entries?is_overview=true&include[]=incidents');
        expect(global.statusCode).toBe(200);
      });

      it('filters incidents by user_ids[] and incident_key', async () => {
        const a = await trigger('f1');
        const other = await insertServiceWithIntegration(t.store);
        await trigger('f2', other.key);
        const mine = await t.api('GET', `/api/v2/incidents?user_ids[]=${userId}`);
        expect(mine.json<{ incidents: Incident[] }>().incidents.map((i) => i.id)).toEqual([a.id]);
        const byKey = await t.api('GET', '/api/v2/incidents?incident_key=f2');
        expect(byKey.json<{ incidents: Incident[] }>().incidents).toHaveLength(1);
        expect((await t.api('GET', '/api/v2/incidents?include[]=nonsense')).statusCode).toBe(400);
      });
      it('renders timestamps in time_zone, and refuses an unknown zone', async () => {
        const incident = await trigger('z1');
        const list = await t.api('GET', '/api/v2/incidents?time_zone=America/New_York');
        expect(list.json<{ incidents: Incident[] }>().incidents[0]).toMatchObject({
          id: incident.id,
          created_at: '2026-01-05T04:00:00-05:00',
        });
        const log = await t.api('GET', `/api/v2/incidents/${incident.id}/log_entries?time_zone=Asia/Kolkata`);
        expect(log.json<{ log_entries: Json[] }>().log_entries[0]).toMatchObject({
          created_at: '2026-01-05T14:30:00+05:30',
        });
        expect((await t.api('GET', '/api/v2/incidents?time_zone=Mars/Olympus')).statusCode).toBe(400);
        expect((await t.api('GET', '/api/v2/log_entries?time_zone=Nowhere')).statusCode).toBe(400);
      });
      it('expands services, escalation policies, assignees and first trigger log entries with include[]', async () => {
        const incident = await trigger('i1');
        const query = ['services', 'escalation_policies', 'assignees', 'first_trigger_log_entries']
          .map((i) => `include[]=${i}`)
          .join('&');
        const res = await t.api('GET', `/api/v2/incidents?${query}`);
        expect(res.statusCode, res.body).toBe(200);
        const [got] = res.json<{ incidents: Json[] }>().incidents;
        expect(got).toMatchObject({
          id: incident.id,
          service: {
            type: 'service',
            name: 'Checkout',
            escalation_policy: { type: 'escalation_policy_reference' },
          },
          escalation_policy: {
            type: 'escalation_policy',
            escalation_rules: [{ escalation_delay_in_minutes: 30 }],
          },
          assignments: [{ assignee: { id: userId, type: 'user', name: 'Rita Ops' } }],
          first_trigger_log_entry: {
            type: 'trigger_log_entry',
            channel: { type: expect.any(String) as unknown },
          },
        });
        const plain = (await t.api('GET', '/api/v2/incidents')).json<{ incidents: Json[] }>().incidents[0];
        expect(plain).toMatchObject({ service: { type: 'service_reference' } });
      });
      it('sorts alerts by sort_by, expands one incident with include[], and filters log entries by team_ids[]', async () => {
        const grouped = await insertServiceWithIntegration(t.store, {
          grouping: { type: 'time', config: { timeout: 0 } },
        });
        const incident = await trigger('s1', grouped.key);
        t.clock.advance(1000);
        expect((await t.send(triggerBody(grouped.key, 's2'))).statusCode).toBe(202);
        const sorted = await t.api('GET', `/api/v2/incidents/${incident.id}/alerts?sort_by=created_at:desc`);
        expect(sorted.json<{ alerts: Alert[] }>().alerts.map((a) => a.alert_key)).toEqual(['s2', 's1']);
        expect((await t.api('GET', `/api/v2/incidents/${incident.id}/alerts?sort_by=title`)).statusCode).toBe(
          400,
        );
        const one = await t.api('GET', `/api/v2/incidents/${incident.id}?include[]=services`);
        expect(one.json<{ incident: Json }>().incident).toMatchObject({
          service: { type: 'service' },
          is_mergeable: true,
        });
        const team = await insertTeam(t.store, 'Platform');
        const mine = await trigger('s3');
        const policy = await t.store.db
          .selectFrom('incidents')
          .select('escalation_policy_id')
          .where('id', '=', mine.id)
          .executeTakeFirstOrThrow();
        await t.store.db
          .updateTable('escalation_policies')
          .set({ team_id: team })
          .where('id', '=', policy.escalation_policy_id!)
          .execute();
        const entries = await t.api('GET', `/api/v2/log_entries?team_ids[]=${team}`);
        const ids = new Set(
          entries
            .json<{ log_entries: { incident: { id: string } }[] }>()
            .log_entries.map((e) => e.incident.id),
        );
        expect([...ids]).toEqual([mine.id]);
      });
      it('refuses a merge that would hold more than 1000 alerts', async () => {
        const target = await trigger('c1');
        const source = await trigger('c2');
        // 999 resolved alerts on the target, counted as the incident row counts them.
        await t.store.db
          .updateTable('incidents')
          .set({ alerts_resolved: 999 })
          .where('id', '=', target.id)
          .execute();
        const res = await merge(target.id, [source.id]);
        expect(errorOf(res)).toMatchObject({
          status: 400,
          code: 2001,
          errors: ['A merged incident can hold at most 1000 alerts'],
        });
        expect((await get(source.id)).status).toBe('triggered');
      });
      it('applies two bulk updates naming the same incidents in opposite orders, one after the other', async () => {
        const a = await trigger('r1');
        const b = await trigger('r2');
        const bulk = (ids: string[], status: string) =>
          t.api(
            'PUT',
            '/api/v2/incidents',
            { incidents: ids.map((id) => ({ id, type: 'incident_reference', status })) },
            from,
          );
        const [one, two] = await Promise.all([
          bulk([a.id, b.id], 'acknowledged'),
          bulk([b.id, a.id], 'resolved'),
        ]);
        expect([one.statusCode, two.statusCode]).toEqual([200, 200]);
        // Whichever committed last decides (an acknowledge after the resolve reopens, as PagerDuty does).
        const final = [(await get(a.id)).status, (await get(b.id)).status];
        expect([
          ['resolved', 'resolved'],
          ['acknowledged', 'acknowledged'],
        ]).toContainEqual(final);
      });
    });
  });
}
