import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hashToken } from '../../src/auth/token-store.js';
import { backends } from '../harness/backends.js';
import { requireOpenApi, validateResponse } from '../harness/openapi.js';
import { createUser } from '../harness/people.js';
import { startTestApp, type TestApp } from '../harness/test-app.js';

type Json = Record<string, unknown>;

const openApi = requireOpenApi();

/** A subscription body with everything PagerDuty's example sets. */
const body = (overrides: Json = {}): Json => ({
  type: 'webhook_subscription',
  delivery_method: {
    type: 'http_delivery_method',
    url: 'https://example.com/receive',
    custom_headers: [{ name: 'X-Api-Key', value: 'hunter2' }],
  },
  description: 'Sends incidents somewhere interesting',
  events: ['incident.triggered', 'incident.resolved'],
  filter: { type: 'account_reference' },
  ...overrides,
});

for (const backend of backends()) {
  describe(backend.name, () => {
    describe('webhook subscriptions API', () => {
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

      const create = async (input: Json = body()) => {
        const res = await t.api('POST', '/api/v2/webhook_subscriptions', { webhook_subscription: input });
        expect(res.statusCode, res.body).toBe(200);
        return res.json<{ webhook_subscription: Json & { id: string; delivery_method: Json } }>()
          .webhook_subscription;
      };
      const errorsOf = async (input: Json) => {
        const res = await t.api('POST', '/api/v2/webhook_subscriptions', { webhook_subscription: input });
        expect(res.statusCode, res.body).toBe(400);
        return res.json<{ error: { code: number; errors: string[] } }>().error.errors;
      };

      it('creates a subscription and returns its secret only then', async () => {
        const sub = await create();
        expect(sub).toMatchObject({
          type: 'webhook_subscription',
          active: true,
          description: 'Sends incidents somewhere interesting',
          events: ['incident.triggered', 'incident.resolved'],
          filter: { type: 'account_reference' },
          delivery_method: {
            type: 'http_delivery_method',
            url: 'https://example.com/receive',
            custom_headers: [{ name: 'X-Api-Key', value: '-- redacted --' }],
            temporarily_disabled: false,
          },
        });
        expect(sub.delivery_method.secret).toMatch(/^[A-Za-z0-9_-]{40,}$/);
        const read = await t.api('GET', `/api/v2/webhook_subscriptions/${sub.id}`);
        expect(read.statusCode).toBe(200);
        const again = read.json<{ webhook_subscription: { delivery_method: Json } }>().webhook_subscription;
        expect(again.delivery_method.secret).toBeNull();
        expect(again.delivery_method.custom_headers).toEqual([
          { name: 'X-Api-Key', value: '-- redacted --' },
        ]);
        const list = await t.api('GET', '/api/v2/webhook_subscriptions?total=true');
        expect(list.json()).toMatchObject({ total: 1, more: false, limit: 25, offset: 0 });
        expect(JSON.stringify(list.json())).not.toContain('hunter2');
        expect(JSON.stringify(list.json())).not.toContain(String(sub.delivery_method.secret));
      });

      it('updates what the body names and keeps the rest', async () => {
        const sub = await create();
        const res = await t.api('PUT', `/api/v2/webhook_subscriptions/${sub.id}`, {
          webhook_subscription: { events: ['incident.acknowledged'], active: false },
        });
        expect(res.statusCode, res.body).toBe(200);
        expect(res.json()).toMatchObject({
          webhook_subscription: {
            events: ['incident.acknowledged'],
            active: false,
            description: 'Sends incidents somewhere interesting',
            delivery_method: { url: 'https://example.com/receive', secret: null },
          },
        });
      });

      it('deletes a subscription', async () => {
        const sub = await create();
        expect((await t.api('DELETE', `/api/v2/webhook_subscriptions/${sub.id}`)).statusCode).toBe(204);
        expect((await t.api('GET', `/api/v2/webhook_subscriptions/${sub.id}`)).statusCode).toBe(404);
        expect((await t.api('DELETE', `/api/v2/webhook_subscriptions/${sub.id}`)).statusCode).toBe(404);
      });

      it('reports every invalid field at once', async () => {
        const errors = await errorsOf({
          delivery_method: {
            type: 'email',
            url: 'ftp://example.com',
            custom_headers: [{ name: 'X-Webhook-Id' }],
          },
          events: ['incident.triggered', 'incident.exploded'],
          filter: { type: 'service_reference' },
          active: 'yes',
        });
        expect(errors).toEqual(
          expect.arrayContaining([
            'delivery_method.type must be http_delivery_method',
            'delivery_method.url must be an http or https URL',
            'delivery_method.custom_headers may not set X-Webhook-Id',
            'events has unknown event types: incident.exploded',
            'filter.id is required for service_reference',
            'active must be a boolean',
          ]),
        );
        expect(await errorsOf({ ...body(), events: [] })).toEqual([
          'events must be a non-empty array of event types',
        ]);
        expect(await errorsOf({ filter: { type: 'account_reference' }, events: ['pagey.ping'] })).toEqual([
          'delivery_method is required',
          'delivery_method.url must be an http or https URL',
        ]);
      });

      it('requires the filter target to exist', async () => {
        expect(await errorsOf(body({ filter: { type: 'service_reference', id: 'PNOPE01' } }))).toEqual([
          'filter.id: service PNOPE01 not found',
        ]);
        expect(await errorsOf(body({ filter: { type: 'team_reference', id: 'PNOPE02' } }))).toEqual([
          'filter.id: team PNOPE02 not found',
        ]);
        const service = await t.api('POST', '/api/v2/services', { service: { name: 'Checkout' } });
        const serviceId = service.json<{ service: { id: string } }>().service.id;
        const sub = await create(body({ filter: { type: 'service_reference', id: serviceId } }));
        expect(sub.filter).toEqual({ id: serviceId, type: 'service_reference' });
      });

      it('lets only admins and managers see or change subscriptions', async () => {
        const sub = await create();
        const responder = await createUser(t, { role: 'responder' });
        const manager = await createUser(t, { role: 'manager' });
        const at = '2026-01-01T00:00:00.000Z';
        const token = (id: string, userId: string | null, access: string, secret: string) =>
          t.store.db
            .insertInto('api_tokens')
            .values({
              id,
              token_hash: hashToken(secret),
              description: id,
              user_id: userId,
              access,
              created_at: at,
              last_used_at: null,
              revoked_at: null,
            })
            .execute();
        await token('PRESP01', responder.id, 'user', 'responder-token-000000');
        await token('PMANA01', manager.id, 'user', 'manager-token-0000000');
        await token('PREAD01', null, 'read_only', 'read-only-token-000000');
        const as = (secret: string) => ({ authorization: `Token token=${secret}` });
        for (const secret of ['responder-token-000000', 'read-only-token-000000']) {
          expect(
            (await t.api('GET', '/api/v2/webhook_subscriptions', undefined, as(secret))).statusCode,
          ).toBe(403);
          const write = await t.api(
            'POST',
            '/api/v2/webhook_subscriptions',
            { webhook_subscription: body() },
            as(secret),
          );
          expect(write.statusCode).toBe(403);
          expect(write.json<{ error: { code: number } }>().error.code).toBe(2010);
          expect(
            (await t.api('POST', `/api/v2/webhook_subscriptions/${sub.id}/ping`, undefined, as(secret)))
              .statusCode,
          ).toBe(403);
        }
        const managed = await t.api(
          'POST',
          '/api/v2/webhook_subscriptions',
          { webhook_subscription: body() },
          as('manager-token-0000000'),
        );
        expect(managed.statusCode, managed.body).toBe(200);
      });

      it('queues a ping and lists it in the delivery log', async () => {
        const sub = await create();
        const ping = await t.api('POST', `/api/v2/webhook_subscriptions/${sub.id}/ping`);
        expect(ping.statusCode).toBe(202);
        const log = await t.api('GET', `/api/v2/webhook_subscriptions/${sub.id}/deliveries`);
        expect(log.statusCode).toBe(200);
        expect(log.json()).toMatchObject({
          deliveries: [
            {
              type: 'webhook_delivery',
              event_type: 'pagey.ping',
              status: 'queued',
              attempts: 0,
              incident: null,
            },
          ],
          more: false,
        });
        expect((await t.api('POST', '/api/v2/webhook_subscriptions/PNOPE00/ping')).statusCode).toBe(404);
      });

      it('enables a subscription again', async () => {
        const sub = await create();
        await t.store.db
          .updateTable('webhook_subscriptions')
          .set({ disabled_until: '2026-01-06T09:00:00.000Z', consecutive_drops: 0 })
          .where('id', '=', sub.id)
          .execute();
        const read = await t.api('GET', `/api/v2/webhook_subscriptions/${sub.id}`);
        expect(read.json()).toMatchObject({
          webhook_subscription: { delivery_method: { temporarily_disabled: true } },
        });
        const res = await t.api('POST', `/api/v2/webhook_subscriptions/${sub.id}/enable`);
        expect(res.statusCode).toBe(200);
        expect(res.json()).toMatchObject({
          webhook_subscription: { delivery_method: { temporarily_disabled: false } },
        });
      });

      it.skipIf(!openApi)('answers in the shapes of PagerDuty’s OpenAPI document', async () => {
        const created = await t.api('POST', '/api/v2/webhook_subscriptions', {
          webhook_subscription: body(),
        });
        expect(validateResponse('rest', '/webhook_subscriptions', 'POST', 200, created.json())).toEqual([]);
        const id = created.json<{ webhook_subscription: { id: string } }>().webhook_subscription.id;
        const list = await t.api('GET', '/api/v2/webhook_subscriptions');
        expect(validateResponse('rest', '/webhook_subscriptions', 'GET', 200, list.json())).toEqual([]);
        const one = await t.api('GET', `/api/v2/webhook_subscriptions/${id}`);
        expect(validateResponse('rest', '/webhook_subscriptions/{id}', 'GET', 200, one.json())).toEqual([]);
        const put = await t.api('PUT', `/api/v2/webhook_subscriptions/${id}`, {
          webhook_subscription: { description: 'Changed' },
        });
        expect(validateResponse('rest', '/webhook_subscriptions/{id}', 'PUT', 200, put.json())).toEqual([]);
        const enabled = await t.api('POST', `/api/v2/webhook_subscriptions/${id}/enable`);
        expect(
          validateResponse('rest', '/webhook_subscriptions/{id}/enable', 'POST', 200, enabled.json()),
        ).toEqual([]);
      });
    });
  });
}
