import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends } from '../harness/backends.js';
import { triggerBody } from '../harness/factories.js';
import { startTestApp, type TestApp } from '../harness/test-app.js';

type Json = Record<string, unknown>;
type Dropped = Json & { reason: string; dedup_key: string; received_at: string; integration: Json };

const HOUR = 3_600_000;

for (const backend of backends()) {
  describe(backend.name, () => {
    describe('the account-wide dropped-events log', () => {
      let t: TestApp;
      const services: Record<string, { id: string; key: string; v1Key: string }> = {};

      const list = async (query = '') => {
        const res = await t.api('GET', `/api/v2/dropped_events${query}`);
        expect(res.statusCode, res.body).toBe(200);
        return res.json<Json & { dropped_events: Dropped[] }>();
      };
      const keys = async (query = '') => (await list(query)).dropped_events.map((d) => d.dedup_key);
      const sendV1 = (serviceKey: string, incidentKey: string) =>
        t.send(
          {
            service_key: serviceKey,
            event_type: 'trigger',
            description: 'v1 event',
            incident_key: incidentKey,
          },
          '/generic/2010-04-15/create_event.json',
        );

      beforeAll(async () => {
        t = await startTestApp(backend.fresh());
        for (const name of ['Web', 'Db']) {
          const made = await t.api('POST', '/api/v2/services', { service: { name } });
          const id = made.json<{ service: { id: string } }>().service.id;
          const integration = async (type: string) =>
            (await t.api('POST', `/api/v2/services/${id}/integrations`, { integration: { type } })).json<{
              integration: { integration_key: string };
            }>().integration.integration_key;
          services[name] = {
            id,
            key: await integration('events_api_v2_inbound_integration'),
            v1Key: await integration('generic_events_api_inbound_integration'),
          };
        }
        const { Web: web, Db: db } = services as Record<
          'Web' | 'Db',
          { id: string; key: string; v1Key: string }
        >;
        // 09:00 an unknown resolve on Web; 10:00 Db disabled, a v2 and a v1 trigger; 11:00 Web in maintenance.
        await t.send({ routing_key: web.key, event_action: 'resolve', dedup_key: 'web-unknown' });
        t.clock.advance(HOUR);
        await t.api('PUT', `/api/v2/services/${db.id}`, { service: { status: 'disabled' } });
        expect((await t.send(triggerBody(db.key, 'db-disabled'))).statusCode).toBe(202);
        const v1 = await sendV1(db.v1Key, 'db-disabled-v1');
        expect(v1.statusCode).toBe(200);
        expect(v1.json()).toMatchObject({ status: 'success', incident_key: 'db-disabled-v1' });
        t.clock.advance(HOUR);
        const window = {
          start_time: t.clock.now().toISOString(),
          end_time: new Date(t.clock.now().getTime() + HOUR).toISOString(),
          services: [{ id: web.id }],
        };
        const made = await t.api(
          'POST',
          '/api/v2/maintenance_windows',
          { maintenance_window: window },
          { from: 'admin@tocsin.local' },
        );
        expect(made.statusCode, made.body).toBe(201);
        expect((await t.send(triggerBody(web.key, 'web-maintenance'))).statusCode).toBe(202);
        expect((await sendV1(web.v1Key, 'web-maintenance-v1')).statusCode).toBe(200);
      });
      afterAll(async () => {
        await t.close();
        await backend.cleanup();
      });

      it('records what disabled and maintained services were sent, opening no incident', async () => {
        expect(await t.store.db.selectFrom('incidents').selectAll().execute()).toEqual([]);
        const all = await list('?total=true');
        expect(all).toMatchObject({ limit: 25, offset: 0, more: false, total: 5 });
        expect(all.dropped_events.map((d) => [d.dedup_key, d.reason])).toEqual([
          ['web-maintenance-v1', 'maintenance_window'],
          ['web-maintenance', 'maintenance_window'],
          ['db-disabled-v1', 'service_disabled'],
          ['db-disabled', 'service_disabled'],
          ['web-unknown', 'unknown_dedup_key'],
        ]);
        expect(all.dropped_events[1]).toMatchObject({
          type: 'dropped_event',
          received_at: '2026-01-05T11:00:00.000Z',
          event_action: 'trigger',
          integration: { type: 'events_api_v2_inbound_integration_reference' },
        });
      });

      it('filters by service, reason and time, and pages', async () => {
        expect(await keys(`?service_ids[]=${services.Db!.id}`)).toEqual(['db-disabled-v1', 'db-disabled']);
        expect(await keys('?reason=maintenance_window')).toEqual(['web-maintenance-v1', 'web-maintenance']);
        expect(await keys('?reason=unknown_dedup_key&reason=service_disabled')).toEqual([
          'db-disabled-v1',
          'db-disabled',
          'web-unknown',
        ]);
        expect(await keys('?since=2026-01-05T10:00:00Z&until=2026-01-05T11:00:00Z')).toEqual([
          'db-disabled-v1',
          'db-disabled',
        ]);
        const page = await list('?limit=2&offset=2');
        expect(page).toMatchObject({ limit: 2, offset: 2, more: true, total: null });
        expect(page.dropped_events.map((d) => d.dedup_key)).toEqual(['db-disabled-v1', 'db-disabled']);
        const bad = await t.api('GET', '/api/v2/dropped_events?since=yesterday');
        expect(bad.statusCode).toBe(400);
      });

      it('gives a service’s own log the same entries as the account log filtered to it', async () => {
        const own = await t.api('GET', `/api/v2/services/${services.Web!.id}/dropped_events`);
        const mine = own.json<{ dropped_events: Dropped[] }>().dropped_events;
        expect(mine).toEqual((await list(`?service_ids[]=${services.Web!.id}`)).dropped_events);
      });
    });
  });
}
