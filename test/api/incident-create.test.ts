import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { backends } from '../harness/backends.js';
import {
  insertPolicy,
  insertUser,
  logTypesOf,
  notificationsOf,
  serviceForUser,
} from '../harness/on-call-fixtures.js';
import { userToken } from '../harness/people.js';
import { startTestApp, type TestApp } from '../harness/test-app.js';

type Json = Record<string, unknown>;
type Incident = Json & { id: string; status: string; incident_number: number };

const from = { from: 'admin@tocsin.local' };

for (const backend of backends()) {
  describe(backend.name, () => {
    describe('POST /incidents, priorities and PUT changes', () => {
      let t: TestApp;
      let userId: string;
      let serviceId: string;

      beforeEach(async () => {
        t = await startTestApp(backend.fresh());
        userId = await insertUser(t.store, 'Rita Ops');
        ({ serviceId } = await serviceForUser(t.store, userId, 'Checkout'));
      });
      afterEach(async () => {
        await t.close();
      });
      afterAll(async () => {
        await backend.cleanup();
      });

      const create = (incident: Json, headers: Record<string, string> = from) =>
        t.api(
          'POST',
          '/api/v2/incidents',
          {
            incident: {
              type: 'incident',
              title: 'Checkout is down',
              service: { id: serviceId, type: 'service_reference' },
              ...incident,
            },
          },
          headers,
        );
      const createOk = async (incident: Json = {}) => {
        const res = await create(incident);
        expect(res.statusCode, res.body).toBe(201);
        return res.json<{ incident: Incident }>().incident;
      };
      const errorOf = (res: { statusCode: number; json<T>(): T }) => ({
        status: res.statusCode,
        ...res.json<{ error: { code: number; message: string; errors: string[] } }>().error,
      });
      const priorities = async () =>
        (await t.api('GET', '/api/v2/priorities')).json<{
          priorities: (Json & { id: string; name: string })[];
        }>().priorities;

      it('lists the default priorities P1 to P5, most urgent first', async () => {
        const res = await t.api('GET', '/api/v2/priorities?total=true');
        expect(res.statusCode).toBe(200);
        const body = res.json<{ priorities: Json[]; total: number; more: boolean }>();
        expect(body.priorities.map((p) => p.name)).toEqual(['P1', 'P2', 'P3', 'P4', 'P5']);
        expect(body).toMatchObject({ total: 5, more: false, limit: 25, offset: 0 });
        expect(body.priorities[0]).toMatchObject({ type: 'priority', summary: 'P1', order: 1 });
      });

      it('opens an incident that escalation assigns and notifies, with its priority, key and body', async () => {
        const [p1] = await priorities();
        const incident = await createOk({
          urgency: 'high',
          priority: { id: p1!.id, type: 'priority_reference' },
          incident_key: 'checkout-down',
          body: { type: 'incident_body', details: 'The load balancer answers 502.' },
          conference_bridge: {
            conference_number: '+1 555 0100',
            conference_url: 'https://meet.example.com/x',
          },
        });
        expect(incident).toMatchObject({
          type: 'incident',
          status: 'triggered',
          title: 'Checkout is down',
          urgency: 'high',
          incident_key: 'checkout-down',
          priority: { id: p1!.id, type: 'priority', name: 'P1' },
          body: { type: 'incident_body', details: 'The load balancer answers 502.' },
          conference_bridge: { conference_number: '+1 555 0100' },
          alert_counts: { all: 0, triggered: 0, resolved: 0 },
          service: { id: serviceId, type: 'service_reference' },
        });
        await t.app.engine.runDue();
        const got = (await t.api('GET', `/api/v2/incidents/${incident.id}`)).json<{ incident: Json }>()
          .incident;
        expect(got).toMatchObject({ assignments: [{ assignee: { id: userId } }], escalation_level: 1 });
        expect(await logTypesOf(t.store, incident.id)).toEqual([
          'trigger_log_entry',
          'assign_log_entry',
          'notify_log_entry',
        ]);
        expect((await notificationsOf(t.store, incident.id)).map((n) => n.contact_type)).toEqual([
          'email',
          'sms',
        ]);
        const pending = got.pending_actions as { type: string }[];
        expect(pending.map((p) => p.type)).toContain('escalate');
      });

      it('refuses a second open incident with the same incident_key on the service, and allows it once resolved', async () => {
        const first = await createOk({ incident_key: 'dup' });
        const again = await create({ incident_key: 'dup' });
        expect(errorOf(again)).toMatchObject({
          status: 400,
          code: 2001,
          errors: ['Open incident with matching dedup key already exists on this service'],
        });
        const res = await t.api(
          'PUT',
          `/api/v2/incidents/${first.id}`,
          { incident: { type: 'incident_reference', status: 'resolved' } },
          from,
        );
        expect(res.statusCode).toBe(200);
        await createOk({ incident_key: 'dup' });
      });

      it('requires the From header with an account token, and a known service', async () => {
        expect(errorOf(await create({}, {}))).toMatchObject({ status: 400, code: 2001 });
        expect(errorOf(await create({}, {})).message).toContain('"From" header');
        expect(errorOf(await create({ service: { id: 'PNOPE00' } }))).toMatchObject({
          status: 400,
          code: 2001,
        });
        expect(errorOf(await create({ title: '' }))).toMatchObject({ status: 400, code: 2001 });
      });

      it('answers 1015 when nobody is on call on any level of the policy', async () => {
        const empty = await insertPolicy(t.store, [{ delay: 5, targets: [] }]);
        const res = await create({ escalation_policy: { id: empty, type: 'escalation_policy_reference' } });
        expect(errorOf(res)).toMatchObject({ status: 400, code: 1015 });
      });

      it('assigns directly without escalating, and opens it acknowledged when the From user assigns only themselves', async () => {
        const direct = await createOk({
          assignments: [{ assignee: { id: userId, type: 'user_reference' } }],
        });
        expect(direct).toMatchObject({
          status: 'triggered',
          assigned_via: 'direct_assignment',
          assignments: [{ assignee: { id: userId } }],
        });
        expect((direct.pending_actions as { type: string }[]).map((p) => p.type)).not.toContain('escalate');
        const admin = await t.store.db
          .selectFrom('users')
          .select('id')
          .where('email', '=', 'admin@tocsin.local')
          .executeTakeFirstOrThrow();
        const self = await createOk({
          assignments: [{ assignee: { id: admin.id, type: 'user_reference' } }],
        });
        expect(self.status).toBe('acknowledged');
        const both = await create({
          assignments: [{ assignee: { id: userId } }],
          escalation_policy: { id: 'X' },
        });
        expect(errorOf(both)).toMatchObject({ status: 400, code: 2001 });
      });

      it('sets, changes by name and clears the priority of an incident', async () => {
        const [, p2, p3] = await priorities();
        const incident = await createOk();
        const put = async (change: Json) => {
          const res = await t.api(
            'PUT',
            `/api/v2/incidents/${incident.id}`,
            { incident: { type: 'incident_reference', ...change } },
            from,
          );
          expect(res.statusCode, res.body).toBe(200);
          return res.json<{ incident: Json }>().incident;
        };
        expect((await put({ priority: { id: p2!.id, type: 'priority_reference' } })).priority).toMatchObject({
          id: p2!.id,
        });
        expect((await put({ priority: { name: 'P3' } })).priority).toMatchObject({ id: p3!.id });
        expect((await put({ priority: null })).priority).toBeNull();
        const bad = await t.api(
          'PUT',
          `/api/v2/incidents/${incident.id}`,
          { incident: { type: 'incident_reference', priority: { id: 'NOPE' } } },
          from,
        );
        expect(errorOf(bad)).toMatchObject({ status: 400, code: 2001 });
      });

      it('stops escalating when the urgency is lowered and resumes with high-urgency rules when raised', async () => {
        const incident = await createOk();
        await t.app.engine.runDue();
        const pending = async () =>
          (await t.api('GET', `/api/v2/incidents/${incident.id}`))
            .json<{ incident: { pending_actions: { type: string }[] } }>()
            .incident.pending_actions.map((p) => p.type);
        expect(await pending()).toContain('escalate');
        const put = (urgency: string) =>
          t.api(
            'PUT',
            `/api/v2/incidents/${incident.id}`,
            { incident: { type: 'incident_reference', urgency } },
            from,
          );
        expect((await put('low')).statusCode).toBe(200);
        expect(await pending()).not.toContain('escalate');
        t.clock.advance(60_000);
        expect((await put('high')).statusCode).toBe(200);
        expect(await pending()).toContain('escalate');
        const types = await logTypesOf(t.store, incident.id);
        expect(types.filter((x) => x === 'urgency_change_log_entry')).toHaveLength(2);
        expect(types.slice(-2)).toEqual(['urgency_change_log_entry', 'assign_log_entry']);
      });
      it('reopens a resolved incident with triggered or acknowledged, assigning it afresh', async () => {
        const incident = await createOk();
        await t.app.engine.runDue();
        const put = (change: Json) =>
          t.api(
            'PUT',
            `/api/v2/incidents/${incident.id}`,
            { incident: { type: 'incident_reference', ...change } },
            from,
          );
        expect((await put({ status: 'resolved' })).statusCode).toBe(200);
        t.clock.advance(60_000);
        const reopened = await put({ status: 'triggered' });
        expect(reopened.statusCode, reopened.body).toBe(200);
        expect(reopened.json<{ incident: Json }>().incident).toMatchObject({
          status: 'triggered',
          resolved_at: null,
          last_status_change_at: '2026-01-05T09:01:00.000Z',
        });
        await t.app.engine.runDue();
        const got = (await t.api('GET', `/api/v2/incidents/${incident.id}`)).json<{ incident: Json }>()
          .incident;
        expect(got).toMatchObject({ assignments: [{ assignee: { id: userId } }], escalation_level: 1 });
        const types = await logTypesOf(t.store, incident.id);
        expect(types.slice(-4, -1)).toEqual(['resolve_log_entry', 'trigger_log_entry', 'assign_log_entry']);
        expect((await put({ status: 'resolved' })).statusCode).toBe(200);
        const acked = await put({ status: 'acknowledged' });
        expect(acked.json<{ incident: Json }>().incident).toMatchObject({
          status: 'acknowledged',
          resolved_at: null,
        });
      });
      it('writes incident.triggered, annotated, priority_updated, resolved and reopened webhooks through the outbox', async () => {
        const events = ['triggered', 'annotated', 'priority_updated', 'resolved', 'reopened'].map(
          (e) => `incident.${e}`,
        );
        const sub = await t.api('POST', '/api/v2/webhook_subscriptions', {
          webhook_subscription: {
            type: 'webhook_subscription',
            delivery_method: { type: 'http_delivery_method', url: 'http://127.0.0.1:9/hooks' },
            events,
            filter: { type: 'account_reference' },
          },
        });
        expect(sub.statusCode, sub.body).toBe(200);
        const incident = await createOk();
        const note = await t.api(
          'POST',
          `/api/v2/incidents/${incident.id}/notes`,
          { note: { content: 'On it.' } },
          from,
        );
        const put = (change: Json) =>
          t.api(
            'PUT',
            `/api/v2/incidents/${incident.id}`,
            { incident: { type: 'incident_reference', ...change } },
            from,
          );
        expect((await put({ priority: { name: 'P1' } })).statusCode).toBe(200);
        expect((await put({ status: 'resolved' })).statusCode).toBe(200);
        expect((await put({ status: 'triggered' })).statusCode).toBe(200);
        const rows = await t.store.db
          .selectFrom('webhook_deliveries')
          .select(['event_type', 'body'])
          .where('incident_id', '=', incident.id)
          .orderBy('created_at')
          .orderBy('id')
          .execute();
        expect(rows.map((r) => r.event_type)).toEqual(events);
        const annotated = JSON.parse(rows[1]!.body) as { event: { data: Json } };
        expect(annotated.event.data).toMatchObject({
          id: note.json<{ note: { id: string } }>().note.id,
          type: 'incident_note',
          content: 'On it.',
        });
      });
      it('opens one incident when two creates with the same incident_key race', async () => {
        const [a, b] = await Promise.all([
          create({ incident_key: 'race' }),
          create({ incident_key: 'race' }),
        ]);
        expect([a.statusCode, b.statusCode].sort()).toEqual([201, 400]);
        const open = await t.api('GET', '/api/v2/incidents?incident_key=race&statuses[]=triggered');
        expect(open.json<{ incidents: Json[] }>().incidents).toHaveLength(1);
      });

      it('answers 403 to an observer creating, annotating or merging, and lets a responder act as themselves', async () => {
        const incident = await createOk();
        const other = await createOk({ title: 'Second' });
        const observer = await userToken(t, await insertUser(t.store, 'Olga Observer'), 'observer');
        expect(errorOf(await create({}, observer))).toMatchObject({ status: 403, code: 2010 });
        const note = { note: { content: 'x' } };
        expect(
          (await t.api('POST', `/api/v2/incidents/${incident.id}/notes`, note, observer)).statusCode,
        ).toBe(403);
        const merge = { source_incidents: [{ id: other.id, type: 'incident_reference' }] };
        expect(
          (await t.api('PUT', `/api/v2/incidents/${incident.id}/merge`, merge, observer)).statusCode,
        ).toBe(403);
        const responder = await userToken(t, userId);
        const res = await t.api('POST', `/api/v2/incidents/${incident.id}/notes`, note, responder);
        expect(res.statusCode, res.body).toBe(200);
        expect(res.json<{ note: Json }>().note).toMatchObject({ user: { id: userId, summary: 'Rita Ops' } });
      });
      it('limits POST /incidents to 300 a minute per user, answering 429 with Retry-After', async () => {
        for (let i = 0; i < 300; i++) expect((await create({ title: `Load ${i}` })).statusCode).toBe(201);
        const limited = await create({ title: 'One too many' });
        expect(errorOf(limited)).toMatchObject({ status: 429, code: 2020, message: 'Rate Limit Exceeded' });
        expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
        expect((await t.api('GET', '/api/v2/incidents?limit=1')).statusCode).toBe(200);
        t.clock.advance(120_000);
        expect((await create({ title: 'Later' })).statusCode).toBe(201);
      }, 60_000);
      it('opens no incident on a service while a maintenance window runs on it', async () => {
        const window = await t.api(
          'POST',
          '/api/v2/maintenance_windows',
          {
            maintenance_window: {
              type: 'maintenance_window',
              start_time: '2026-01-05T08:00:00Z',
              end_time: '2026-01-05T10:00:00Z',
              description: 'Upgrade',
              services: [{ id: serviceId, type: 'service_reference' }],
            },
          },
          from,
        );
        expect(window.statusCode, window.body).toBe(201);
        const res = await create({});
        expect(errorOf(res)).toMatchObject({
          status: 400,
          code: 2001,
          errors: ['Service Checkout is in a maintenance window'],
        });
        t.clock.advance(2 * 60 * 60_000);
        await createOk();
      });
    });
  });
}
