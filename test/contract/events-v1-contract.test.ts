import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends } from '../harness/backends.js';
import { insertServiceWithIntegration, alertIdsWithKey } from '../harness/factories.js';
import { expectEventsContract, invalidEvent } from '../harness/events-contract.js';
import { startTestApp, type TestApp } from '../harness/test-app.js';

const V1 = '/generic/2010-04-15/create_event.json';

const expectContract = (response: LightMyRequestResponse) => expectEventsContract('events-v1', V1, response);

const invalid = invalidEvent;

const v1Trigger = (serviceKey: string, incidentKey?: string, extra: Record<string, unknown> = {}) => ({
  service_key: serviceKey,
  event_type: 'trigger',
  ...(incidentKey === undefined ? {} : { incident_key: incidentKey }),
  description: `FAILURE for production/HTTP on ${incidentKey ?? 'srv01'}`,
  client: 'Sample Monitoring Service',
  client_url: 'https://monitoring.example.com',
  details: { 'ping time': '1500ms', 'load avg': 0.75 },
  contexts: [
    { type: 'link', href: 'https://acme.example.com', text: 'Dashboard' },
    { type: 'image', src: 'https://chart.example.com/1.png' },
  ],
  ...extra,
});

for (const backend of backends()) {
  describe(`Events API v1 responses on ${backend.name}`, () => {
    let t: TestApp;
    let key: string;
    let serviceId: string;
    const incidentOf = (incidentKey: string) =>
      t.store.db
        .selectFrom('alerts')
        .innerJoin('incidents', 'incidents.id', 'alerts.incident_id')
        .select(['incidents.status as incident_status', 'alerts.status as alert_status', 'alerts.severity'])
        .where('alerts.alert_key', '=', incidentKey)
        .where('alerts.service_id', '=', serviceId)
        .executeTakeFirst();

    beforeAll(async () => {
      t = await startTestApp(backend.fresh());
      ({ key, serviceId } = await insertServiceWithIntegration(
        t.store,
        {},
        'generic_events_api_inbound_integration',
      ));
    });
    afterAll(async () => {
      await t.close();
      await backend.cleanup();
    });

    it('answers a trigger with 200 (not 202) and the incident key, in the documented shape', async () => {
      const response = await t.send(v1Trigger(key, 'srv01/HTTP'), V1);
      expect(response.statusCode).toBe(200);
      expect(response.json()).toEqual({
        status: 'success',
        message: 'Event processed',
        incident_key: 'srv01/HTTP',
      });
      expectContract(response);
      expect(await incidentOf('srv01/HTTP')).toEqual({
        incident_status: 'triggered',
        alert_status: 'triggered',
        severity: 'error',
      });
    });

    it('generates an incident key for a trigger without one', async () => {
      const response = await t.send(v1Trigger(key), V1);
      expect(response.statusCode).toBe(200);
      expect(response.json<{ incident_key: string }>().incident_key).toMatch(/^[0-9a-f]{32}$/);
      expectContract(response);
    });

    it('acknowledges and resolves by incident key with 200', async () => {
      await t.send(v1Trigger(key, 'srv02/HTTP'), V1);
      const ack = await t.send(
        { service_key: key, event_type: 'acknowledge', incident_key: 'srv02/HTTP' },
        V1,
      );
      expect(ack.statusCode).toBe(200);
      expect(ack.json()).toEqual({
        status: 'success',
        message: 'Event processed',
        incident_key: 'srv02/HTTP',
      });
      expectContract(ack);
      expect(await incidentOf('srv02/HTTP')).toMatchObject({ incident_status: 'acknowledged' });
      const resolve = await t.send(
        { service_key: key, event_type: 'resolve', incident_key: 'srv02/HTTP' },
        V1,
      );
      expect(resolve.statusCode).toBe(200);
      expectContract(resolve);
      expect(await incidentOf('srv02/HTTP')).toMatchObject({
        incident_status: 'resolved',
        alert_status: 'resolved',
      });
    });

    it('rejects a service key of the wrong length with PagerDuty’s v1 message', async () => {
      const response = await t.send(v1Trigger('abc', 'short-key'), V1);
      expect(response.statusCode).toBe(400);
      expect(response.json()).toEqual(invalid(['Service key is the wrong length (should be 32 characters)']));
      expectContract(response);
    });

    it('rejects an unknown event type and an over-long description with PagerDuty’s v1 messages', async () => {
      const type = await t.send({ ...v1Trigger(key, 'bad-type'), event_type: 'page' }, V1);
      expect(type.statusCode).toBe(400);
      expect(type.json()).toEqual(
        invalid(['event_type is invalid (must be one of: trigger acknowledge resolve)']),
      );
      expectContract(type);
      const long = await t.send(v1Trigger(key, 'too-long', { description: 'd'.repeat(1025) }), V1);
      expect(long.statusCode).toBe(400);
      expect(long.json()).toEqual(invalid(['Description is too long (maximum is 1024 characters)']));
      expectContract(long);
    });

    it('rejects an unknown service key with 400', async () => {
      const response = await t.send(v1Trigger('0123456789abcdef0123456789abcdef', 'nobody'), V1);
      expect(response.statusCode).toBe(400);
      expect(response.json()).toMatchObject({ status: 'invalid event', message: 'Event object is invalid' });
      expectContract(response);
    });

    it('answers malformed JSON with the "Unrecognized object" body', async () => {
      const response = await t.send('{"service_key":', V1);
      expect(response.statusCode).toBe(400);
      expect(response.json()).toEqual({
        status: 'Unrecognized object',
        message: 'Event object format is unrecognized',
        errors: ['JSON parse error'],
      });
      expectContract(response);
    });

    it('answers 413 to an event over 512 KB', async () => {
      const response = await t.send(v1Trigger(key, 'big', { details: { blob: 'x'.repeat(513 * 1024) } }), V1);
      expect(response.statusCode).toBe(413);
    });
  });

  describe(`Events API v1 rate limit on ${backend.name}`, () => {
    let t: TestApp;
    let key: string;

    beforeAll(async () => {
      t = await startTestApp(backend.fresh(), { eventsRateLimit: 3 });
      ({ key } = await insertServiceWithIntegration(t.store, {}, 'generic_events_api_inbound_integration'));
    });
    afterAll(async () => {
      await t.close();
      await backend.cleanup();
    });

    it('answers the fourth event within a minute with 403 (v1’s rate-limit status) and Retry-After', async () => {
      for (let i = 1; i <= 3; i++)
        expect((await t.send(v1Trigger(key, `burst-${i}`), V1)).statusCode).toBe(200);
      const response = await t.send(v1Trigger(key, 'burst-4'), V1);
      expect(response.statusCode).toBe(403);
      expect(Number(response.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      expectContract(response);
      expect(await alertIdsWithKey(t.store, 'burst-4')).toEqual([]);
    });
  });
}
