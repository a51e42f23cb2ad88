import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { backends } from '../harness/backends.js';
import { triggerBody } from '../harness/factories.js';
import { createUser, userToken } from '../harness/people.js';
import { startTestApp, type TestApp } from '../harness/test-app.js';

type Json = Record<string, unknown>;
type Window = Json & { id: string; start_time: string; end_time: string; services: Json[]; teams: Json[] };

const from = { from: 'admin@tocsin.local' };
const HOUR = 3_600_000;

for (const backend of backends()) {
  describe(backend.name, () => {
    describe('maintenance windows API', () => {
      let t: TestApp;
      let serviceId: string;
      let key: string;

      const at = (ms: number) => new Date(t.clock.now().getTime() + ms).toISOString();
      const createService = async (name: string, policyId?: string) => {
        const service = { name, ...(policyId ? { escalation_policy: { id: policyId } } : {}) };
        const res = await t.api('POST', '/api/v2/services', { service });
        expect(res.statusCode, res.body).toBe(201);
        const id = res.json<{ service: { id: string } }>().service.id;
        const integration = { type: 'events_api_v2_inbound_integration', name: 'Monitoring' };
        const made = await t.api('POST', `/api/v2/services/${id}/integrations`, { integration });
        return {
          id,
          key: made.json<{ integration: { integration_key: string } }>().integration.integration_key,
        };
      };
      /** A team, a policy of that team and a service on the policy; returns the service id. */
      const teamService = async (teamId: string, name: string) => {
        const times = { created_at: at(0), updated_at: at(0), deleted_at: null };
        await t.store.db
          .insertInto('teams')
          .values({ id: teamId, name, description: null, ...times })
          .execute();
        await t.store.db
          .insertInto('escalation_policies')
          .values({
            id: `PEP${teamId}`,
            name: `${name} policy`,
            description: null,
            num_loops: 0,
            on_call_handoff_notifications: 'if_has_services',
            team_id: teamId,
            rules: '[]',
            ...times,
          })
          .execute();
        return (await createService(`${name} service`, `PEP${teamId}`)).id;
      };
      const create = async (window: Json, headers: Record<string, string> = from) => {
        const body = { maintenance_window: { type: 'maintenance_window', ...window } };
        return t.api('POST', '/api/v2/maintenance_windows', body, headers);
      };
      const created = async (window: Json) => {
        const res = await create({ services: [{ id: serviceId, type: 'service_reference' }], ...window });
        expect(res.statusCode, res.body).toBe(201);
        return res.json<{ maintenance_window: Window }>().maintenance_window;
      };
      const list = async (query = '') => {
        const res = await t.api('GET', `/api/v2/maintenance_windows${query}`);
        expect(res.statusCode, res.body).toBe(200);
        return res.json<Json & { maintenance_windows: Window[] }>();
      };
      const serviceStatus = async (id = serviceId) =>
        (await t.api('GET', `/api/v2/services/${id}`)).json<{ service: { status: string } }>().service.status;
      const incidents = () => t.store.db.selectFrom('incidents').selectAll().execute();
      const dropped = async () =>
        (await t.api('GET', `/api/v2/services/${serviceId}/dropped_events`)).json<{
          dropped_events: Json[];
        }>().dropped_events;

      let target: ReturnType<typeof backend.fresh>;
      beforeEach(async () => {
        target = backend.fresh();
        t = await startTestApp(target);
        ({ id: serviceId, key } = await createService('Web'));
      });
      afterEach(async () => {
        await t.close();
      });
      afterAll(async () => {
        await backend.cleanup();
      });

      it('creates a window in PagerDuty’s shape, made by the From user', async () => {
        const window = await created({
          start_time: at(HOUR),
          end_time: at(2 * HOUR),
          description: 'Upgrade',
        });
        expect(window).toEqual({
          id: window.id,
          type: 'maintenance_window',
          summary: 'Upgrade',
          self: `${t.baseUrl}/api/v2/maintenance_windows/${window.id}`,
          html_url: `${t.baseUrl}/maintenance_windows/${window.id}`,
          sequence_number: 1,
          start_time: '2026-01-05T10:00:00.000Z',
          end_time: '2026-01-05T11:00:00.000Z',
          description: 'Upgrade',
          services: [
            {
              id: serviceId,
              type: 'service_reference',
              summary: 'Web',
              self: `${t.baseUrl}/api/v2/services/${serviceId}`,
              html_url: `${t.baseUrl}/services/${serviceId}`,
            },
          ],
          teams: [],
          created_by: expect.objectContaining({
            type: 'user_reference',
            summary: 'Administrator',
          }) as unknown,
        });
        expect((await created({ start_time: at(HOUR), end_time: at(2 * HOUR) })).sequence_number).toBe(2);
        const got = await t.api('GET', `/api/v2/maintenance_windows/${window.id}`);
        expect(got.json<{ maintenance_window: Window }>().maintenance_window).toEqual(window);
      });

      it('needs a From header with an account token, and not with a user token', async () => {
        const body = { services: [{ id: serviceId }], start_time: at(HOUR), end_time: at(2 * HOUR) };
        const missing = await create(body, {});
        expect(missing.statusCode).toBe(400);
        expect(missing.json<{ error: Json }>().error.message).toContain('"From" header');
        const user = await createUser(t, { role: 'manager' });
        const res = await create(body, await userToken(t, user.id, 'manager'));
        expect(res.statusCode, res.body).toBe(201);
        expect(res.json<{ maintenance_window: Window }>().maintenance_window.created_by).toMatchObject({
          id: user.id,
        });
        const otherTeam = await teamService('PTEAMB1', 'Team B');
        const theirs = await create({ ...body, services: [{ id: otherTeam }] }, await userToken(t, user.id));
        expect(theirs.statusCode).toBe(403);
        const observer = await createUser(t);
        expect((await create(body, await userToken(t, observer.id, 'observer'))).statusCode).toBe(403);
      });

      it('starts a window set in the past now, and rejects an end in the past or before the start', async () => {
        const window = await created({ start_time: at(-HOUR), end_time: at(HOUR) });
        expect(window.start_time).toBe(t.clock.now().toISOString());
        const services = [{ id: serviceId }];
        const past = await create({ services, start_time: at(-2 * HOUR), end_time: at(-HOUR) });
        expect(past.statusCode).toBe(400);
        expect(past.json<{ error: Json }>().error).toMatchObject({ code: 2001 });
        const backwards = await create({ services, start_time: at(2 * HOUR), end_time: at(HOUR) });
        expect(backwards.json<{ error: { errors: string[] } }>().error.errors).toEqual([
          'end_time must be after start_time',
        ]);
        const unknown = await create({
          services: [{ id: 'PNOPE00' }],
          start_time: at(0),
          end_time: at(HOUR),
        });
        expect(unknown.json<{ error: { errors: string[] } }>().error.errors).toEqual([
          'Service PNOPE00 not found',
        ]);
        const none = await create({ services: [], start_time: at(0), end_time: at(HOUR) });
        expect(none.statusCode).toBe(400);
      });

      it('drops events while the window runs, shows the service in maintenance, and opens incidents after', async () => {
        await created({ start_time: at(HOUR), end_time: at(2 * HOUR) });
        expect(await serviceStatus()).toBe('active');
        t.clock.advance(HOUR);
        expect(await serviceStatus()).toBe('maintenance');
        const sent = await t.send(triggerBody(key, 'disk'));
        expect(sent.statusCode).toBe(202);
        expect(await incidents()).toEqual([]);
        expect(await t.store.db.selectFrom('alerts').selectAll().execute()).toEqual([]);
        expect(await dropped()).toMatchObject([
          { reason: 'maintenance_window', event_action: 'trigger', dedup_key: 'disk' },
        ]);
        t.clock.advance(HOUR);
        expect(await serviceStatus()).toBe('active');
        expect((await t.send(triggerBody(key, 'disk'))).statusCode).toBe(202);
        expect(await incidents()).toHaveLength(1);
      });

      it('still lets an open alert be resolved from the source during maintenance', async () => {
        await t.send(triggerBody(key, 'cpu'));
        await created({ start_time: at(0), end_time: at(HOUR) });
        expect(await serviceStatus()).toBe('maintenance');
        await t.send({ routing_key: key, event_action: 'resolve', dedup_key: 'cpu' });
        expect((await incidents())[0]).toMatchObject({ status: 'resolved' });
      });

      it('covers only its own services', async () => {
        const other = await createService('Other');
        await created({ start_time: at(0), end_time: at(HOUR) });
        expect(await serviceStatus(other.id)).toBe('active');
        await t.send(triggerBody(other.key, 'x'));
        expect(await incidents()).toHaveLength(1);
      });

      it('filters the list by phase, service, team and text, and pages it', async () => {
        const ops = { id: await teamService('PTEAM01', 'Ops') };
        const past = await created({ start_time: at(0), end_time: at(HOUR), description: 'Old' });
        t.clock.advance(2 * HOUR);
        const ongoing = await created({ start_time: at(0), end_time: at(HOUR), description: 'Now' });
        const res = await create({
          services: [{ id: ops.id }],
          start_time: at(HOUR),
          end_time: at(2 * HOUR),
          description: 'Later for ops',
        });
        const future = res.json<{ maintenance_window: Window }>().maintenance_window;
        expect(future.teams).toMatchObject([{ id: 'PTEAM01', type: 'team_reference', summary: 'Ops' }]);
        const ids = async (q: string) => (await list(q)).maintenance_windows.map((w) => w.id);
        expect(await ids('')).toEqual([past.id, ongoing.id, future.id]);
        expect(await ids('?filter=past')).toEqual([past.id]);
        expect(await ids('?filter=ongoing')).toEqual([ongoing.id]);
        expect(await ids('?filter=future')).toEqual([future.id]);
        expect(await ids('?filter=open')).toEqual([ongoing.id, future.id]);
        expect(await ids(`?service_ids[]=${ops.id}`)).toEqual([future.id]);
        expect(await ids('?team_ids[]=PTEAM01')).toEqual([future.id]);
        expect(await ids('?query=later')).toEqual([future.id]);
        const page = await list('?limit=2&offset=1&total=true');
        expect(page).toMatchObject({ limit: 2, offset: 1, more: false, total: 3 });
        expect(page.maintenance_windows.map((w) => w.id)).toEqual([ongoing.id, future.id]);
        expect((await t.api('GET', '/api/v2/maintenance_windows?filter=soon')).statusCode).toBe(400);
      });

      it('changes a window that has not ended and refuses one that has with 5003', async () => {
        const window = await created({ start_time: at(0), end_time: at(HOUR), description: 'A' });
        const url = `/api/v2/maintenance_windows/${window.id}`;
        const changed = await t.api('PUT', url, {
          maintenance_window: { end_time: at(3 * HOUR), description: 'B' },
        });
        expect(changed.statusCode, changed.body).toBe(200);
        expect(changed.json<{ maintenance_window: Window }>().maintenance_window).toMatchObject({
          start_time: window.start_time,
          end_time: '2026-01-05T12:00:00.000Z',
          description: 'B',
        });
        t.clock.advance(2 * HOUR);
        expect(await serviceStatus()).toBe('maintenance');
        t.clock.advance(HOUR);
        const late = await t.api('PUT', url, { maintenance_window: { end_time: at(HOUR) } });
        expect(late.statusCode).toBe(400);
        expect(late.json<{ error: Json }>().error).toMatchObject({ code: 5003 });
        const gone = await t.api('DELETE', url);
        expect(gone.statusCode).toBe(405);
        expect(gone.json<{ error: Json }>().error).toMatchObject({ code: 5003 });
      });

      it('deletes a future window and ends an ongoing one', async () => {
        const future = await created({ start_time: at(HOUR), end_time: at(2 * HOUR) });
        expect((await t.api('DELETE', `/api/v2/maintenance_windows/${future.id}`)).statusCode).toBe(204);
        expect((await t.api('GET', `/api/v2/maintenance_windows/${future.id}`)).statusCode).toBe(404);
        const ongoing = await created({ start_time: at(0), end_time: at(HOUR) });
        t.clock.advance(60_000);
        expect(await serviceStatus()).toBe('maintenance');
        expect((await t.api('DELETE', `/api/v2/maintenance_windows/${ongoing.id}`)).statusCode).toBe(204);
        const ended = await t.api('GET', `/api/v2/maintenance_windows/${ongoing.id}`);
        expect(ended.json<{ maintenance_window: Window }>().maintenance_window.end_time).toBe(at(0));
        expect(await serviceStatus()).toBe('active');
        await t.send(triggerBody(key, 'back'));
        expect(await incidents()).toHaveLength(1);
      });

      it('writes each change to the audit trail of the services it covers', async () => {
        const window = await created({ start_time: at(HOUR), end_time: at(2 * HOUR), description: 'Audit' });
        const url = `/api/v2/maintenance_windows/${window.id}`;
        await t.api('PUT', url, { maintenance_window: { description: 'Audited' } });
        await t.api('DELETE', url);
        const res = await t.api('GET', `/api/v2/services/${serviceId}/audit/records`);
        expect(res.statusCode, res.body).toBe(200);
        const records = res
          .json<{ records: Json[] }>()
          .records.filter(
            (r) => (r.details as { resource: Json }).resource.type === 'maintenance_window_reference',
          );
        expect(records.map((r) => r.action).sort()).toEqual(['create', 'delete', 'update']);
        expect(records[0]).toMatchObject({ root_resource: { id: serviceId, type: 'service_reference' } });
      });

      // Two nodes share one PostgreSQL database (SQLite allows one process per file).
      it.runIf(backend.name === 'postgres')(
        'drops events on another node as soon as a window is saved',
        async () => {
          const other = await startTestApp(target);
          try {
            expect((await other.send(triggerBody(key, 'before'))).statusCode).toBe(202);
            await created({ start_time: at(0), end_time: at(HOUR) });
            expect((await other.send(triggerBody(key, 'during'))).statusCode).toBe(202);
            expect((await incidents()).map((i) => i.title)).toEqual(['Disk full on before']);
            expect(await dropped()).toMatchObject([{ dedup_key: 'during', reason: 'maintenance_window' }]);
          } finally {
            await other.close();
          }
        },
      );
    });
  });
}
