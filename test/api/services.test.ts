import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hashToken } from '../../src/auth/token-store.js';
import { backends } from '../harness/backends.js';
import { triggerBody } from '../harness/factories.js';
import { startTestApp, type TestApp } from '../harness/test-app.js';

type Json = Record<string, unknown>;

/** Inserts an escalation policy directly, for services to reference. */
async function insertPolicy(t: TestApp, id: string, name: string): Promise<void> {
  const at = '2026-01-01T00:00:00.000Z';
  await t.store.db
    .insertInto('escalation_policies')
    .values({
      id,
      name,
      description: null,
      num_loops: 0,
      on_call_handoff_notifications: 'if_has_services',
      team_id: null,
      rules: JSON.stringify([{ id: 'PRULE01', escalation_delay_in_minutes: 30, targets: [] }]),
      created_at: at,
      updated_at: at,
      deleted_at: null,
    })
    .execute();
}

for (const backend of backends()) {
  describe(backend.name, () => {
    describe('services API', () => {
      let t: TestApp;
      beforeEach(async () => {
        t = await startTestApp(backend.fresh());
      });
      afterEach(async () => {
        await t.close();
      });
      afterAll(async () => {
        await backend.cleanup();
      });

      const create = async (service: Json) => {
        const res = await t.api('POST', '/api/v2/services', { service });
        expect(res.statusCode, res.body).toBe(201);
        return res.json<{ service: Json & { id: string } }>().service;
      };
      const addIntegration = async (serviceId: string) => {
        const res = await t.api('POST', `/api/v2/services/${serviceId}/integrations`, {
          integration: { type: 'events_api_v2_inbound_integration' },
        });
        expect(res.statusCode, res.body).toBe(201);
        return res.json<{ integration: { id: string; integration_key: string } }>().integration;
      };

      it('creates a service with PagerDuty defaults', async () => {
        const service = await create({ name: 'Checkout' });
        expect(service).toMatchObject({
          type: 'service',
          name: 'Checkout',
          summary: 'Checkout',
          description: null,
          status: 'active',
          self: `${t.baseUrl}/api/v2/services/${service.id}`,
          html_url: `${t.baseUrl}/services/${service.id}`,
          acknowledgement_timeout: 1800,
          auto_resolve_timeout: 14400,
          alert_creation: 'create_alerts_and_incidents',
          incident_urgency_rule: { type: 'constant', urgency: 'high' },
          support_hours: null,
          alert_grouping_parameters: { type: null },
          escalation_policy: null,
          last_incident_timestamp: null,
          created_at: '2026-01-05T09:00:00.000Z',
          teams: [],
          integrations: [],
          scheduled_actions: [],
          addons: [],
          response_play: null,
        });
        expect(service.alert_grouping_parameters).toEqual({ type: null });
        expect(service.id).toMatch(/^P[0-9A-Z]{6}$/);
      });

      it('gets a service by id and answers 404 for an unknown one', async () => {
        const service = await create({ name: 'Search', description: 'Finds things' });
        const res = await t.api('GET', `/api/v2/services/${service.id}`);
        expect(res.statusCode).toBe(200);
        expect(res.json()).toEqual({ service });
        const missing = await t.api('GET', '/api/v2/services/PNOPE00');
        expect(missing.statusCode).toBe(404);
        expect(missing.json()).toEqual({ error: { message: 'Not Found', code: 2100, errors: [] } });
      });

      it('lists services by name with limit, offset, more and a total only when asked', async () => {
        for (const name of ['Charlie', 'alpha', 'Bravo']) await create({ name });
        const first = (await t.api('GET', '/api/v2/services?limit=2')).json<Json>();
        expect(first).toMatchObject({ limit: 2, offset: 0, more: true, total: null });
        expect((first.services as Json[]).map((s) => s.name)).toEqual(['alpha', 'Bravo']);
        const second = (await t.api('GET', '/api/v2/services?limit=2&offset=2&total=true')).json<Json>();
        expect(second).toMatchObject({ limit: 2, offset: 2, more: false, total: 3 });
        expect((second.services as Json[]).map((s) => s.name)).toEqual(['Charlie']);
        const desc = (await t.api('GET', '/api/v2/services?sort_by=name:desc')).json<Json>();
        expect((desc.services as Json[]).map((s) => s.name)).toEqual(['Charlie', 'Bravo', 'alpha']);
        const deep = await t.api('GET', '/api/v2/services?offset=9990&limit=20');
        expect(deep.statusCode).toBe(400);
      });

      it('filters the list by a name substring, ignoring case and LIKE wildcards', async () => {
        for (const name of ['Payments API', 'payments worker', 'Search', '100% uptime'])
          await create({ name });
        const found = (await t.api('GET', '/api/v2/services?query=PAYMENTS&total=true')).json<Json>();
        expect((found.services as Json[]).map((s) => s.name)).toEqual(['Payments API', 'payments worker']);
        expect(found.total).toBe(2);
        const percent = (await t.api('GET', '/api/v2/services?query=%25')).json<Json>();
        expect((percent.services as Json[]).map((s) => s.name)).toEqual(['100% uptime']);
      });

      it('updates only the fields sent', async () => {
        const service = await create({ name: 'Billing', acknowledgement_timeout: 600 });
        await insertPolicy(t, 'PEP1234', 'Billing on-call');
        t.clock.advance(60_000);
        const res = await t.api('PUT', `/api/v2/services/${service.id}`, {
          service: {
            description: 'Invoices',
            auto_resolve_timeout: null,
            escalation_policy: { id: 'PEP1234', type: 'escalation_policy_reference' },
            alert_grouping_parameters: { type: 'time', config: { timeout: 5 } },
          },
        });
        expect(res.statusCode, res.body).toBe(200);
        expect(res.json<{ service: Json }>().service).toMatchObject({
          name: 'Billing',
          description: 'Invoices',
          acknowledgement_timeout: 600,
          auto_resolve_timeout: null,
          escalation_policy: {
            id: 'PEP1234',
            type: 'escalation_policy_reference',
            summary: 'Billing on-call',
          },
          alert_grouping_parameters: { type: 'time', config: { timeout: 5 } },
          created_at: '2026-01-05T09:00:00.000Z',
          updated_at: '2026-01-05T09:01:00.000Z',
        });
      });

      it('disables and re-enables a service with status', async () => {
        const service = await create({ name: 'Batch' });
        const off = await t.api('PUT', `/api/v2/services/${service.id}`, { service: { status: 'disabled' } });
        expect(off.statusCode, off.body).toBe(200);
        expect(off.json<{ service: Json }>().service.status).toBe('disabled');
        const got = await t.api('GET', `/api/v2/services/${service.id}`);
        expect(got.json<{ service: Json }>().service.status).toBe('disabled');
        const on = await t.api('PUT', `/api/v2/services/${service.id}`, { service: { status: 'active' } });
        expect(on.statusCode, on.body).toBe(200);
        expect(on.json<{ service: Json }>().service.status).toBe('active');
      });

      it('refuses a name another live service has, and frees it when that service is deleted', async () => {
        const first = await create({ name: 'Edge' });
        const other = await create({ name: 'Core' });
        const taken = {
          error: { message: 'Invalid Input Provided', code: 2001, errors: ['Name has already been taken'] },
        };
        const duplicate = await t.api('POST', '/api/v2/services', { service: { name: 'edge' } });
        expect(duplicate.statusCode).toBe(400);
        expect(duplicate.json()).toEqual(taken);
        const rename = await t.api('PUT', `/api/v2/services/${other.id}`, { service: { name: 'Edge' } });
        expect(rename.json()).toEqual(taken);
        expect(
          (await t.api('PUT', `/api/v2/services/${first.id}`, { service: { name: 'Edge' } })).statusCode,
        ).toBe(200);
        expect((await t.api('DELETE', `/api/v2/services/${first.id}`)).statusCode).toBe(204);
        await create({ name: 'Edge' });
      });

      it('reports every invalid field at once', async () => {
        const res = await t.api('POST', '/api/v2/services', {
          service: {
            name: '',
            acknowledgement_timeout: -5,
            status: 'sleeping',
            incident_urgency_rule: { type: 'constant', urgency: 'urgent' },
          },
        });
        expect(res.statusCode).toBe(400);
        const body = res.json<{ error: { code: number; errors: string[] } }>();
        expect(body.error.code).toBe(2001);
        expect(body.error.errors).toEqual(
          expect.arrayContaining([
            'Name cannot be empty',
            'acknowledgement_timeout must be a whole number of seconds or null',
            'status must be active or disabled',
            'incident_urgency_rule.urgency must be high, low or severity_based',
          ]),
        );
        const noWrapper = await t.api('POST', '/api/v2/services', { name: 'Unwrapped' });
        expect(noWrapper.statusCode).toBe(400);
        expect(noWrapper.json<{ error: { code: number } }>().error.code).toBe(2001);
      });

      it('deletes a service: it then answers 404 and its integration key is refused', async () => {
        const service = await create({ name: 'Legacy' });
        const { integration_key: key } = await addIntegration(service.id);
        expect((await t.send(triggerBody(key, 'before'))).statusCode).toBe(202);
        expect((await t.api('DELETE', `/api/v2/services/${service.id}`)).statusCode).toBe(204);
        expect((await t.api('GET', `/api/v2/services/${service.id}`)).statusCode).toBe(404);
        expect((await t.api('DELETE', `/api/v2/services/${service.id}`)).statusCode).toBe(404);
        const list = (await t.api('GET', '/api/v2/services?total=true')).json<Json>();
        expect(list.total).toBe(0);
        const refused = await t.send(triggerBody(key, 'after'));
        expect(refused.statusCode).toBe(400);
        expect(refused.json()).toMatchObject({ status: 'invalid event', errors: ['Invalid routing key'] });
      });

      it('computes status critical while an incident is triggered and warning once it is acknowledged', async () => {
        const service = await create({ name: 'Database' });
        const { integration_key: key, id: integrationId } = await addIntegration(service.id);
        t.clock.advance(5_000);
        expect((await t.send(triggerBody(key, 'disk'))).statusCode).toBe(202);
        const status = async () =>
          (await t.api('GET', `/api/v2/services/${service.id}`)).json<{ service: Json }>().service;
        expect(await status()).toMatchObject({
          status: 'critical',
          last_incident_timestamp: '2026-01-05T09:00:05.000Z',
          integrations: [{ id: integrationId, type: 'events_api_v2_inbound_integration_reference' }],
        });
        await t.send({ routing_key: key, event_action: 'acknowledge', dedup_key: 'disk' });
        expect((await status()).status).toBe('warning');
        await t.send({ routing_key: key, event_action: 'resolve', dedup_key: 'disk' });
        expect((await status()).status).toBe('active');
      });

      it('answers 401 without a token and 403 to a read-only token that tries to write', async () => {
        const none = await t.app.inject({ method: 'GET', url: '/api/v2/services' });
        expect(none.statusCode).toBe(401);
        expect(none.json<{ error: { code: number } }>().error.code).toBe(2006);
        await t.store.db
          .insertInto('api_tokens')
          .values({
            id: 'PREADON',
            token_hash: hashToken('read-only-token-000000'),
            description: 'Read only',
            user_id: null,
            access: 'read_only',
            created_at: '2026-01-01T00:00:00.000Z',
            last_used_at: null,
            revoked_at: null,
          })
          .execute();
        const headers = { authorization: 'Token token=read-only-token-000000' };
        expect((await t.api('GET', '/api/v2/services', undefined, headers)).statusCode).toBe(200);
        const write = await t.api('POST', '/api/v2/services', { service: { name: 'Nope' } }, headers);
        expect(write.statusCode).toBe(403);
        expect(write.json<{ error: { code: number } }>().error.code).toBe(2010);
      });
    });
  });
}
