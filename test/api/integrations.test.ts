import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { backends } from '../harness/backends.js';
import { triggerBody } from '../harness/factories.js';
import { startTestApp, type TestApp } from '../harness/test-app.js';

type Json = Record<string, unknown>;
type Integration = Json & { id: string; integration_key: string; events_url: string };

for (const backend of backends()) {
  describe(backend.name, () => {
    describe('integrations API', () => {
      let t: TestApp;
      let serviceId: string;
      beforeEach(async () => {
        t = await startTestApp(backend.fresh());
        const res = await t.api('POST', '/api/v2/services', { service: { name: 'Web' } });
        serviceId = res.json<{ service: { id: string } }>().service.id;
      });
      afterEach(async () => {
        await t.close();
      });
      afterAll(async () => {
        await backend.cleanup();
      });

      const path = (id?: string) => `/api/v2/services/${serviceId}/integrations${id ? `/${id}` : ''}`;
      const create = async (integration: Json) => {
        const res = await t.api('POST', path(), { integration });
        expect(res.statusCode, res.body).toBe(201);
        return res.json<{ integration: Integration }>().integration;
      };
      const dropped = async (query = '') => {
        const res = await t.api('GET', `/api/v2/services/${serviceId}/dropped_events${query}`);
        expect(res.statusCode, res.body).toBe(200);
        return res.json<Json & { dropped_events: Json[] }>();
      };

      it('creates an Events API v2 integration with a unique 32-hex key', async () => {
        const a = await create({ type: 'events_api_v2_inbound_integration', name: 'Prometheus' });
        t.clock.advance(1_000);
        const b = await create({ type: 'events_api_v2_inbound_integration' });
        expect(a).toEqual({
          id: a.id,
          type: 'events_api_v2_inbound_integration',
          summary: 'Prometheus',
          self: `${t.baseUrl}/api/v2/services/${serviceId}/integrations/${a.id}`,
          html_url: `${t.baseUrl}/services/${serviceId}/integrations/${a.id}`,
          name: 'Prometheus',
          service: {
            id: serviceId,
            type: 'service_reference',
            summary: 'Web',
            self: `${t.baseUrl}/api/v2/services/${serviceId}`,
            html_url: `${t.baseUrl}/services/${serviceId}`,
          },
          created_at: '2026-01-05T09:00:00.000Z',
          integration_key: a.integration_key,
          integration_email: null,
          vendor: null,
          events_url: `${t.baseUrl}/v2/enqueue`,
        });
        expect(a.integration_key).toMatch(/^[0-9a-f]{32}$/);
        expect(b.integration_key).toMatch(/^[0-9a-f]{32}$/);
        expect(b.integration_key).not.toBe(a.integration_key);
        expect(b.name).toBe('Events API V2');
        const service = (await t.api('GET', `/api/v2/services/${serviceId}`)).json<{ service: Json }>()
          .service;
        expect((service.integrations as Json[]).map((i) => i.id)).toEqual([a.id, b.id]);
      });

      it('gives each type the URL its events are posted to', async () => {
        const v1 = await create({ type: 'generic_events_api_inbound_integration' });
        expect(v1.events_url).toBe(`${t.baseUrl}/generic/2010-04-15/create_event.json`);
        const te = await create({ type: 'thousandeyes_webhook_inbound_integration' });
        expect(te.events_url).toBe(`${t.baseUrl}/integration/${te.integration_key}/enqueue`);
        expect(te).not.toHaveProperty('config');
        const json = await create({ type: 'generic_json_webhook_inbound_integration' });
        expect(json.events_url).toBe(`${t.baseUrl}/integration/${json.integration_key}/enqueue`);
        expect(json.config).toMatchObject({ summary_path: 'summary', action_path: 'status' });
      });

      it('gets, renames and deletes an integration; a deleted key is refused', async () => {
        const created = await create({ type: 'events_api_v2_inbound_integration' });
        const got = await t.api('GET', path(created.id));
        expect(got.json()).toEqual({ integration: created });
        const renamed = await t.api('PUT', path(created.id), {
          integration: { type: 'events_api_v2_inbound_integration', name: 'Grafana' },
        });
        expect(renamed.statusCode).toBe(200);
        expect(renamed.json<{ integration: Json }>().integration).toMatchObject({
          name: 'Grafana',
          summary: 'Grafana',
          integration_key: created.integration_key,
        });
        expect((await t.api('DELETE', path(created.id))).statusCode).toBe(204);
        expect((await t.api('GET', path(created.id))).statusCode).toBe(404);
        expect((await t.api('PUT', path(created.id), { integration: { name: 'x' } })).statusCode).toBe(404);
        const service = (await t.api('GET', `/api/v2/services/${serviceId}`)).json<{ service: Json }>()
          .service;
        expect(service.integrations).toEqual([]);
        const refused = await t.send(triggerBody(created.integration_key, 'gone'));
        expect(refused.statusCode).toBe(400);
        expect(refused.json()).toMatchObject({ errors: ['Invalid routing key'] });
      });

      it('answers 404 for an integration of another or unknown service', async () => {
        const created = await create({ type: 'events_api_v2_inbound_integration' });
        const other = await t.api('POST', '/api/v2/services', { service: { name: 'Other' } });
        const otherId = other.json<{ service: { id: string } }>().service.id;
        expect(
          (await t.api('GET', `/api/v2/services/${otherId}/integrations/${created.id}`)).statusCode,
        ).toBe(404);
        const unknown = await t.api('POST', '/api/v2/services/PNOPE00/integrations', {
          integration: { type: 'events_api_v2_inbound_integration' },
        });
        expect(unknown.statusCode).toBe(404);
      });

      it('refuses an unknown type, a type change and an invalid generic JSON config', async () => {
        const unknown = await t.api('POST', path(), { integration: { type: 'nagios_inbound_integration' } });
        expect(unknown.statusCode).toBe(400);
        expect(unknown.json<{ error: { code: number } }>().error.code).toBe(2001);
        const created = await create({ type: 'events_api_v2_inbound_integration' });
        const change = await t.api('PUT', path(created.id), {
          integration: { type: 'generic_events_api_inbound_integration' },
        });
        expect(change.json<{ error: { errors: string[] } }>().error.errors).toEqual([
          'type cannot be changed',
        ]);
        const bad = await t.api('POST', path(), {
          integration: {
            type: 'generic_json_webhook_inbound_integration',
            config: { summary_path: '', severity_path: 'a..b', resolve_values: 'ok' },
          },
        });
        expect(bad.statusCode).toBe(400);
        expect(bad.json<{ error: { errors: string[] } }>().error.errors).toEqual([
          'config.summary_path is required',
          'config.severity_path must be a dot path such as alert.title',
          'config.resolve_values must be a list of strings',
        ]);
      });

      it('changes the field paths of a generic JSON webhook', async () => {
        const created = await create({ type: 'generic_json_webhook_inbound_integration' });
        const res = await t.api('PUT', path(created.id), {
          integration: { config: { summary_path: 'alert.title', dedup_key_path: 'alert.id' } },
        });
        expect(res.statusCode, res.body).toBe(200);
        const config = res.json<{ integration: { config: Json } }>().integration.config;
        expect(config).toMatchObject({ summary_path: 'alert.title', dedup_key_path: 'alert.id' });
        const sent = await t.send(
          { alert: { title: 'Queue stuck', id: 'q-1' } },
          new URL(created.events_url).pathname,
        );
        expect(sent.statusCode, sent.body).toBe(202);
        expect(sent.json()).toMatchObject({ dedup_key: 'q-1' });
      });

      it('opens an incident from an event sent through a new integration', async () => {
        const created = await create({ type: 'events_api_v2_inbound_integration' });
        const sent = await t.send(triggerBody(created.integration_key, 'cpu'));
        expect(sent.statusCode).toBe(202);
        const incidents = await t.store.db.selectFrom('incidents').selectAll().execute();
        expect(incidents).toHaveLength(1);
        expect(incidents[0]).toMatchObject({ service_id: serviceId, status: 'triggered' });
        expect((await dropped()).dropped_events).toEqual([]);
      });

      it('answers 202 to events for a disabled service and logs them as dropped with service_disabled', async () => {
        const created = await create({ type: 'events_api_v2_inbound_integration', name: 'Alertmanager' });
        await t.api('PUT', `/api/v2/services/${serviceId}`, { service: { status: 'disabled' } });
        t.clock.advance(1_000);
        const sent = await t.send(triggerBody(created.integration_key, 'mem'));
        expect(sent.statusCode).toBe(202);
        expect(await t.store.db.selectFrom('incidents').selectAll().execute()).toEqual([]);
        const log = await dropped('?total=true');
        expect(log).toMatchObject({ limit: 25, offset: 0, more: false, total: 1 });
        expect(log.dropped_events).toEqual([
          {
            id: expect.any(String) as unknown,
            type: 'dropped_event',
            received_at: '2026-01-05T09:00:01.000Z',
            reason: 'service_disabled',
            event_action: 'trigger',
            dedup_key: 'mem',
            summary: 'Disk full on mem',
            integration: {
              id: created.id,
              type: 'events_api_v2_inbound_integration_reference',
              summary: 'Alertmanager',
              self: created.self,
              html_url: created.html_url,
            },
            body: expect.objectContaining({ event_action: 'trigger', dedup_key: 'mem' }) as unknown,
          },
        ]);
      });

      it('lists dropped events newest first, pages them and filters them by integration', async () => {
        const a = await create({ type: 'events_api_v2_inbound_integration', name: 'A' });
        const b = await create({ type: 'events_api_v2_inbound_integration', name: 'B' });
        for (const [integration, key] of [
          [a, 'a1'],
          [b, 'b1'],
          [a, 'a2'],
        ] as const) {
          t.clock.advance(1_000);
          await t.send({ routing_key: integration.integration_key, event_action: 'resolve', dedup_key: key });
        }
        const page = await dropped('?limit=2');
        expect(page).toMatchObject({ limit: 2, more: true, total: null });
        expect(page.dropped_events.map((d) => d.dedup_key)).toEqual(['a2', 'b1']);
        expect(page.dropped_events.map((d) => d.reason)).toEqual(['unknown_dedup_key', 'unknown_dedup_key']);
        const onlyA = await dropped(`?integration_ids[]=${a.id}&total=true`);
        expect(onlyA.dropped_events.map((d) => d.dedup_key)).toEqual(['a2', 'a1']);
        expect(onlyA.total).toBe(2);
        const both = await dropped(`?integration_ids[]=${a.id}&integration_ids[]=${b.id}&offset=2`);
        expect(both.dropped_events.map((d) => d.dedup_key)).toEqual(['a1']);
        const unknown = await t.api('GET', '/api/v2/services/PNOPE00/dropped_events');
        expect(unknown.statusCode).toBe(404);
      });
    });
  });
}
