import { createHmac, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { outcomeOf } from '../../src/webhooks/webhook-dispatcher.js';
import type { ClaimedDelivery } from '../../src/webhooks/delivery-store.js';
import { backends } from '../harness/backends.js';
import { triggerBody } from '../harness/factories.js';
import { requireShared, sharedPath } from '../harness/openapi.js';
import { startTestApp, type TestApp } from '../harness/test-app.js';

type Json = Record<string, unknown>;

/** One request the receiver got. */
interface Received {
  headers: IncomingHttpHeaders;
  raw: string;
  body: { event: Json & { event_type: string; data: Json } };
}

/** A webhook receiver on a local port: records requests and answers the scripted statuses (then 200). */
class Receiver {
  readonly requests: Received[] = [];
  readonly statuses: number[] = [];
  private server: Server | undefined;
  url = '';

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        this.requests.push({ headers: req.headers, raw, body: JSON.parse(raw) as Received['body'] });
        res.statusCode = this.statuses.shift() ?? 200;
        res.end('{}');
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hooks`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }

  /** Event types received, in order. */
  types(): string[] {
    return this.requests.map((r) => r.body.event.event_type);
  }
}

/** Verifies `X-PagerDuty-Signature` as a receiver would: any `v1=` value matching, in constant time. */
function signatureValid(secret: string, r: Received): boolean {
  const expected = Buffer.from(`v1=${createHmac('sha256', secret).update(r.raw).digest('hex')}`);
  const header = String(r.headers['x-pagerduty-signature'] ?? '');
  return header
    .split(',')
    .map((s) => Buffer.from(s.trim()))
    .some((s) => s.length === expected.length && timingSafeEqual(s, expected));
}

/** PagerDuty's webhook event schema in the REST OAS, if it has one (it documents only subscriptions). */
function v3EventSchemaInOas(): boolean {
  const file = sharedPath('reference/pagerduty-openapi', 'REST.openapiv3.json');
  if (!requireShared("PagerDuty's REST OpenAPI document", file)) return false;
  const doc = JSON.parse(readFileSync(file, 'utf8')) as { components: { schemas: Record<string, Json> } };
  const found = Object.values(doc.components.schemas).some((s) => {
    const props = s.properties as Json | undefined;
    return props !== undefined && 'event_type' in props && 'occurred_at' in props;
  });
  if (!found)
    console.warn(
      '[tocsin tests] the REST OAS has no v3 webhook event schema: the envelope is checked against notes §4 only',
    );
  return found;
}

for (const backend of backends()) {
  describe(backend.name, () => {
    describe('outbound webhooks', () => {
      let t: TestApp;
      let receiver: Receiver;
      beforeEach(async () => {
        t = await startTestApp(backend.fresh());
        receiver = new Receiver();
        await receiver.start();
      });
      afterEach(async () => {
        await t.close();
        await receiver.stop();
      });
      afterAll(async () => {
        await backend.cleanup();
      });

      const service = async (name: string) => {
        const res = await t.api('POST', '/api/v2/services', { service: { name } });
        const id = res.json<{ service: { id: string } }>().service.id;
        const integration = await t.api('POST', `/api/v2/services/${id}/integrations`, {
          integration: { type: 'events_api_v2_inbound_integration' },
        });
        const key = integration.json<{ integration: { integration_key: string } }>().integration
          .integration_key;
        return { id, key };
      };
      const subscribe = async (input: Json = {}) => {
        const res = await t.api('POST', '/api/v2/webhook_subscriptions', {
          webhook_subscription: {
            type: 'webhook_subscription',
            delivery_method: {
              type: 'http_delivery_method',
              url: receiver.url,
              custom_headers: [{ name: 'X-Api-Key', value: 'hunter2' }],
            },
            events: ['incident.triggered', 'incident.acknowledged', 'incident.resolved'],
            filter: { type: 'account_reference' },
            ...input,
          },
        });
        expect(res.statusCode, res.body).toBe(200);
        const sub = res.json<{ webhook_subscription: { id: string; delivery_method: { secret: string } } }>()
          .webhook_subscription;
        return { id: sub.id, secret: sub.delivery_method.secret };
      };
      const event = async (key: string, action: string, dedupKey: string) => {
        const body =
          action === 'trigger'
            ? triggerBody(key, dedupKey, { client: 'Prometheus' })
            : { routing_key: key, event_action: action, dedup_key: dedupKey };
        expect((await t.send(body)).statusCode).toBe(202);
      };
      const deliveries = async (subId: string) =>
        (await t.api('GET', `/api/v2/webhook_subscriptions/${subId}/deliveries`)).json<{
          deliveries: (Json & { id: string; status: string; attempts: number })[];
        }>().deliveries;

      it('tells subscribers when a service is created, updated and deleted', async () => {
        await subscribe({ events: ['service.created', 'service.updated', 'service.deleted'] });
        const svc = await service('Billing');
        expect(
          (await t.api('PUT', `/api/v2/services/${svc.id}`, { service: { name: 'Billing API' } })).statusCode,
        ).toBe(200);
        expect((await t.api('DELETE', `/api/v2/services/${svc.id}`)).statusCode).toBe(204);
        await t.app.engine.runDue();
        // Service events are not ordered among themselves (only an incident's events are).
        expect(receiver.types().sort()).toEqual(['service.created', 'service.deleted', 'service.updated']);
        const names = receiver.requests.map(
          (r) =>
            (JSON.parse(r.raw) as { event: { resource_type: string; data: { id: string; name: string } } })
              .event,
        );
        const byType = new Map(
          names.map((e, i) => [receiver.types()[i], [e.resource_type, e.data.id, e.data.name]]),
        );
        expect(byType.get('service.created')).toEqual(['service', svc.id, 'Billing']);
        expect(byType.get('service.updated')).toEqual(['service', svc.id, 'Billing API']);
        expect(byType.get('service.deleted')).toEqual(['service', svc.id, 'Billing API']);
      });

      it('delivers trigger, acknowledge and resolve in order, signed, with PagerDuty’s envelope', async () => {
        const svc = await service('Checkout');
        const sub = await subscribe();
        await event(svc.key, 'trigger', 'disk-1');
        await event(svc.key, 'acknowledge', 'disk-1');
        await event(svc.key, 'resolve', 'disk-1');
        await t.app.engine.runDue();
        expect(receiver.types()).toEqual([
          'incident.triggered',
          'incident.acknowledged',
          'incident.resolved',
        ]);
        const log = await deliveries(sub.id);
        for (const [i, r] of receiver.requests.entries()) {
          expect(signatureValid(sub.secret, r), 'signature').toBe(true);
          expect(r.headers).toMatchObject({
            'content-type': 'application/json',
            'user-agent': 'PagerDuty-Webhook/V3.0',
            'x-webhook-subscription': sub.id,
            'x-api-key': 'hunter2',
          });
          // The log is newest first.
          expect(r.headers['x-webhook-id']).toBe(log[log.length - 1 - i]!.id);
        }
        const [triggered, acknowledged] = receiver.requests;
        const incidentId = String(triggered!.body.event.data.id);
        expect(triggered!.body).toEqual({
          event: {
            id: expect.any(String) as unknown,
            event_type: 'incident.triggered',
            resource_type: 'incident',
            occurred_at: '2026-01-05T09:00:00.000Z',
            agent: expect.objectContaining({
              type: 'events_api_v2_inbound_integration_reference',
            }) as unknown,
            client: { name: 'Prometheus' },
            data: {
              id: incidentId,
              type: 'incident',
              self: `${t.baseUrl}/api/v2/incidents/${incidentId}`,
              html_url: `${t.baseUrl}/incidents/${incidentId}`,
              number: 1,
              status: 'triggered',
              incident_key: null,
              created_at: '2026-01-05T09:00:00.000Z',
              reopened_at: null,
              title: 'Disk full on disk-1',
              service: expect.objectContaining({
                id: svc.id,
                type: 'service_reference',
                summary: 'Checkout',
              }) as unknown,
              assignees: [],
              escalation_policy: null,
              teams: [],
              priority: null,
              urgency: 'high',
              conference_bridge: null,
              resolve_reason: null,
            },
          },
        });
        expect(acknowledged!.body.event.data.status).toBe('acknowledged');
        expect(receiver.requests[2]!.body.event.data.status).toBe('resolved');
        expect(log.map((d) => d.status)).toEqual(['delivered', 'delivered', 'delivered']);
      });

      it('retries a 500 with the same X-Webhook-Id and bytes, holding later webhooks of the incident back', async () => {
        const svc = await service('Checkout');
        await subscribe();
        receiver.statuses.push(500);
        await event(svc.key, 'trigger', 'disk-1');
        await t.app.engine.runDue();
        await event(svc.key, 'acknowledge', 'disk-1');
        await t.app.engine.runDue();
        expect(receiver.types()).toEqual(['incident.triggered']); // the acknowledgement waits its turn
        t.clock.advance(29_000);
        await t.app.engine.runDue();
        expect(receiver.requests).toHaveLength(1);
        t.clock.advance(1_000);
        await t.app.engine.runDue();
        expect(receiver.types()).toEqual([
          'incident.triggered',
          'incident.triggered',
          'incident.acknowledged',
        ]);
        const [first, retry] = receiver.requests;
        expect(retry!.headers['x-webhook-id']).toBe(first!.headers['x-webhook-id']);
        expect(retry!.raw).toBe(first!.raw);
      });

      it('retries when the receiver cannot be reached', async () => {
        const svc = await service('Checkout');
        const sub = await subscribe();
        await t.api('PUT', `/api/v2/webhook_subscriptions/${sub.id}`, {
          webhook_subscription: { delivery_method: { url: 'http://127.0.0.1:1/closed' } },
        });
        await event(svc.key, 'trigger', 'disk-1');
        await t.app.engine.runDue();
        const [d] = await deliveries(sub.id);
        expect(d).toMatchObject({ status: 'queued', attempts: 1, last_status_code: null });
        expect(d!.next_attempt_at).toBe('2026-01-05T09:00:30.000Z');
      });

      it('drops a webhook answered 410 and sends the next one', async () => {
        const svc = await service('Checkout');
        const sub = await subscribe();
        receiver.statuses.push(410);
        await event(svc.key, 'trigger', 'disk-1');
        await event(svc.key, 'acknowledge', 'disk-1');
        await t.app.engine.runDue();
        t.clock.advance(3_600_000);
        await t.app.engine.runDue();
        expect(receiver.types()).toEqual(['incident.triggered', 'incident.acknowledged']);
        const log = await deliveries(sub.id);
        expect(log.map((d) => [d.event_type, d.status, d.last_status_code])).toEqual([
          ['incident.acknowledged', 'delivered', 200],
          ['incident.triggered', 'dropped', 410],
        ]);
      });

      it('disables a subscription for 24 hours after three drops in a row', async () => {
        const svc = await service('Checkout');
        // Only triggers: the incidents' auto-resolve (4 h) falls inside the 24 hours.
        const sub = await subscribe({ events: ['incident.triggered'] });
        receiver.statuses.push(400, 400, 400);
        for (const key of ['a', 'b', 'c']) await event(svc.key, 'trigger', key);
        await t.app.engine.runDue();
        expect(receiver.requests).toHaveLength(3);
        const read = async () =>
          (await t.api('GET', `/api/v2/webhook_subscriptions/${sub.id}`)).json<{
            webhook_subscription: { delivery_method: { temporarily_disabled: boolean } };
          }>().webhook_subscription.delivery_method.temporarily_disabled;
        expect(await read()).toBe(true);
        await event(svc.key, 'trigger', 'd');
        await t.app.engine.runDue();
        expect(receiver.requests).toHaveLength(3); // nothing is sent (or queued) while disabled
        t.clock.advance(24 * 3_600_000);
        expect(await read()).toBe(false);
        await event(svc.key, 'trigger', 'e');
        await t.app.engine.runDue();
        expect(receiver.requests).toHaveLength(4);
      });

      it('sends again at once after /enable', async () => {
        const svc = await service('Checkout');
        const sub = await subscribe();
        receiver.statuses.push(404, 404, 404);
        for (const key of ['a', 'b', 'c']) await event(svc.key, 'trigger', key);
        await t.app.engine.runDue();
        expect((await t.api('POST', `/api/v2/webhook_subscriptions/${sub.id}/enable`)).statusCode).toBe(200);
        await event(svc.key, 'trigger', 'd');
        await t.app.engine.runDue();
        expect(receiver.requests).toHaveLength(4);
      });

      it('sends only the events of the filtered service', async () => {
        const checkout = await service('Checkout');
        const search = await service('Search');
        await subscribe({
          filter: { type: 'service_reference', id: checkout.id },
          events: ['incident.triggered'],
        });
        await event(search.key, 'trigger', 'search-1');
        await event(checkout.key, 'trigger', 'checkout-1');
        await event(checkout.key, 'acknowledge', 'checkout-1');
        await t.app.engine.runDue();
        expect(receiver.types()).toEqual(['incident.triggered']);
        expect(receiver.requests[0]!.body.event.data).toMatchObject({ service: { id: checkout.id } });
      });

      it('sends incident.triggered once per incident, not for re-triggers', async () => {
        const svc = await service('Checkout');
        await subscribe();
        await event(svc.key, 'trigger', 'disk-1');
        await event(svc.key, 'trigger', 'disk-1');
        await t.app.engine.runDue();
        expect(receiver.types()).toEqual(['incident.triggered']);
      });

      it('pings', async () => {
        const sub = await subscribe();
        expect((await t.api('POST', `/api/v2/webhook_subscriptions/${sub.id}/ping`)).statusCode).toBe(202);
        await t.app.engine.runDue();
        expect(receiver.requests).toHaveLength(1);
        const ping = receiver.requests[0]!;
        expect(signatureValid(sub.secret, ping)).toBe(true);
        expect(ping.body.event).toMatchObject({
          event_type: 'pagey.ping',
          resource_type: 'pagey',
          agent: null,
          client: null,
          data: { message: 'Hello from your friend Pagey!', type: 'ping' },
        });
      });

      it('carries every field PagerDuty’s webhook notes list (the OAS has no v3 event schema)', async () => {
        v3EventSchemaInOas();
        const svc = await service('Checkout');
        await subscribe();
        await event(svc.key, 'trigger', 'disk-1');
        await t.app.engine.runDue();
        const e = receiver.requests[0]!.body.event;
        expect(Object.keys(e).sort()).toEqual(
          ['id', 'event_type', 'resource_type', 'occurred_at', 'agent', 'client', 'data'].sort(),
        );
        const fields =
          'id type self html_url number status incident_key created_at reopened_at title service assignees escalation_policy teams priority urgency conference_bridge resolve_reason';
        expect(Object.keys(e.data).sort()).toEqual(fields.split(' ').sort());
      });
    });
  });
}

describe('webhook retry schedule', () => {
  const claimed = (attempts: number): ClaimedDelivery =>
    ({ attempts, created_at: '2026-01-05T09:00:00.000Z' }) as ClaimedDelivery;
  const retry = { kind: 'retry', statusCode: 503, error: 'HTTP 503' } as const;

  it('backs off from 30 s to hourly', () => {
    const at = new Date('2026-01-05T10:00:00.000Z');
    expect(outcomeOf(claimed(1), retry, at).nextAttemptAt).toBe('2026-01-05T10:00:30.000Z');
    expect(outcomeOf(claimed(20), retry, at).nextAttemptAt).toBe('2026-01-05T11:00:00.000Z');
  });

  it('gives up when the next attempt would fall more than 48 hours after the event', () => {
    const late = new Date('2026-01-07T08:30:00.000Z');
    expect(outcomeOf(claimed(30), retry, late)).toMatchObject({ status: 'failed', statusCode: 503 });
  });
});
