import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends } from '../harness/backends.js';
import { insertServiceWithIntegration, triggerBody, alertIdsWithKey } from '../harness/factories.js';
import { expectEventsContract, invalidEvent } from '../harness/events-contract.js';
import { startTestApp, type TestApp } from '../harness/test-app.js';

const expectContract = (path: '/v2/enqueue' | '/v2/change/enqueue', response: LightMyRequestResponse) =>
  expectEventsContract('events-v2', path, response);

const invalid = invalidEvent;

for (const backend of backends()) {
  describe(`Events API v2 responses on ${backend.name}`, () => {
    let t: TestApp;
    let key: string;

    beforeAll(async () => {
      t = await startTestApp(backend.fresh());
      ({ key } = await insertServiceWithIntegration(t.store));
    });
    afterAll(async () => {
      await t.close();
      await backend.cleanup();
    });

    it('answers a trigger with 202 and the dedup key, in the documented shape', async () => {
      const response = await t.send(triggerBody(key, 'contract-1'));
      expect(response.statusCode).toBe(202);
      expect(response.json()).toEqual({
        status: 'success',
        message: 'Event processed',
        dedup_key: 'contract-1',
      });
      expectContract('/v2/enqueue', response);
    });

    it('generates and returns a 32-character dedup key for a trigger without one', async () => {
      const response = await t.send(triggerBody(key));
      expect(response.statusCode).toBe(202);
      const body = response.json<{ dedup_key: string }>();
      expect(body.dedup_key).toMatch(/^[0-9a-f]{32}$/);
      expect(body).toEqual({ status: 'success', message: 'Event processed', dedup_key: body.dedup_key });
      expectContract('/v2/enqueue', response);
    });

    it('answers acknowledge and resolve with the same 202 shape', async () => {
      await t.send(triggerBody(key, 'contract-ack'));
      for (const action of ['acknowledge', 'resolve']) {
        const response = await t.send({ routing_key: key, event_action: action, dedup_key: 'contract-ack' });
        expect(response.statusCode).toBe(202);
        expect(response.json()).toEqual({
          status: 'success',
          message: 'Event processed',
          dedup_key: 'contract-ack',
        });
        expectContract('/v2/enqueue', response);
      }
    });

    it('rejects a routing key of the wrong length with PagerDuty’s message', async () => {
      const response = await t.send(triggerBody('too-short'));
      expect(response.statusCode).toBe(400);
      expect(response.json()).toEqual(
        invalid(["Length of 'routing_key' is incorrect (should be 32 characters)"]),
      );
      expectContract('/v2/enqueue', response);
    });

    it('accepts a 1024-character summary and rejects a 1025-character one with PagerDuty’s (misspelled) message', async () => {
      const ok = await t.send(triggerBody(key, 'long-ok', { payload: { summary: 'x'.repeat(1024) } }));
      expect(ok.statusCode).toBe(202);
      const response = await t.send(triggerBody(key, 'long-bad', { payload: { summary: 'x'.repeat(1025) } }));
      expect(response.statusCode).toBe(400);
      expect(response.json()).toEqual(invalid(["'summary' is too long (maiximum is 1024 characters)"]));
      expectContract('/v2/enqueue', response);
    });

    it('treats severity case-sensitively', async () => {
      for (const severity of ['Critical', 'ERROR', 'warn', 'high']) {
        const response = await t.send(triggerBody(key, `sev-${severity}`, { payload: { severity } }));
        expect(response.statusCode).toBe(400);
        expect(response.json()).toEqual(
          invalid([
            "'payload.severity' is invalid (must be one of the following: 'critical', 'warning', 'error' or 'info')",
          ]),
        );
        expectContract('/v2/enqueue', response);
      }
      for (const severity of ['critical', 'error', 'warning', 'info']) {
        const response = await t.send(triggerBody(key, `sev-${severity}`, { payload: { severity } }));
        expect(response.statusCode).toBe(202);
      }
    });

    it('answers malformed JSON with PagerDuty’s "Unrecognized object" body', async () => {
      const response = await t.send('{"routing_key": "abc", ');
      expect(response.statusCode).toBe(400);
      expect(response.json()).toEqual({
        status: 'Unrecognized object',
        message: 'Event object format is unrecognized',
        errors: ['JSON parse error'],
      });
      expectContract('/v2/enqueue', response);
    });

    it('rejects a body that is not sent as JSON with 400', async () => {
      const response = await t.app.inject({
        method: 'POST',
        url: '/v2/enqueue',
        headers: { 'content-type': 'text/plain' },
        payload: JSON.stringify(triggerBody(key, 'text-plain')),
      });
      expect(response.statusCode).toBe(400);
      expect(response.json()).toMatchObject({ status: 'Unrecognized object' });
      expectContract('/v2/enqueue', response);
      const form = await t.app.inject({
        method: 'POST',
        url: '/v2/enqueue',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: 'routing_key=x',
      });
      expect(form.statusCode).toBe(400);
    });

    it('answers 413 to an event over 512 KB and does not store it', async () => {
      const body = triggerBody(key, 'too-big', {
        payload: { custom_details: { blob: 'x'.repeat(513 * 1024) } },
      });
      const response = await t.send(body);
      expect(response.statusCode).toBe(413);
      expect(response.json()).toMatchObject({ status: 'invalid event', message: 'Event object is invalid' });
      expect(await alertIdsWithKey(t.store, 'too-big')).toEqual([]);
    });

    it('rejects an event nested deeper than 100 levels with 400 instead of failing to store it', async () => {
      // Built as text: JSON.stringify itself overflows the stack on the deepest of these.
      const nested = (levels: number, dedupKey: string) =>
        JSON.stringify(triggerBody(key, dedupKey, { payload: { custom_details: '@' } })).replace(
          '"@"',
          '['.repeat(levels) + '"bottom"' + ']'.repeat(levels),
        );
      // The body, its payload and custom_details hold 2 + n levels.
      const deepest = await t.send(nested(98, 'depth-100'));
      expect(deepest.statusCode).toBe(202);
      for (const levels of [99, 5000]) {
        const response = await t.send(nested(levels, `depth-${levels}`));
        expect(response.statusCode).toBe(400);
        expect(response.json()).toEqual(
          invalid(['Event object is nested too deeply (maximum depth is 100)']),
        );
        expectContract('/v2/enqueue', response);
      }
    });

    it('accepts and resolves a dedup key containing a NUL character', async () => {
      const opened = await t.send(triggerBody(key, 'nul\u0000key'));
      expect(opened.statusCode).toBe(202);
      const resolved = await t.send({ routing_key: key, event_action: 'resolve', dedup_key: 'nul\u0000key' });
      expect(resolved.statusCode).toBe(202);
      // The store keeps NUL as U+FFFD on both backends.
      const alerts = await t.store.db
        .selectFrom('alerts')
        .select('status')
        .where('alert_key', '=', 'nul\uFFFDkey')
        .execute();
      expect(alerts).toEqual([{ status: 'resolved' }]);
    });

    it('rejects an unknown routing key with 400 "Invalid routing key"', async () => {
      const response = await t.send(triggerBody('0123456789abcdef0123456789abcdef', 'nobody'));
      expect(response.statusCode).toBe(400);
      expect(response.json()).toEqual(invalid(['Invalid routing key']));
      expectContract('/v2/enqueue', response);
    });

    it('answers a change event with 202 in the documented shape', async () => {
      const response = await t.send(
        {
          routing_key: key,
          payload: { summary: 'Build 220 deployed', source: 'ci', custom_details: { build: 220 } },
          links: [{ href: 'https://ci.example.com/220', text: 'Build' }],
        },
        '/v2/change/enqueue',
      );
      expect(response.statusCode).toBe(202);
      expect(response.json()).toEqual({ status: 'success', message: 'Change event processed' });
      expectContract('/v2/change/enqueue', response);
    });

    it('rejects invalid change events with 400 in the invalid-event shape', async () => {
      const badKey = await t.send({ routing_key: 'x', payload: { summary: 'deploy' } }, '/v2/change/enqueue');
      expect(badKey.statusCode).toBe(400);
      expect(badKey.json()).toEqual(
        invalid(["Length of 'routing_key' is incorrect (should be 32 characters)"]),
      );
      expectContract('/v2/change/enqueue', badKey);
      const tooLong = await t.send(
        { routing_key: key, payload: { summary: 'y'.repeat(1025) } },
        '/v2/change/enqueue',
      );
      expect(tooLong.statusCode).toBe(400);
      expect(tooLong.json()).toEqual(invalid(["'summary' is too long (maiximum is 1024 characters)"]));
      expectContract('/v2/change/enqueue', tooLong);
      const malformed = await t.send('not json', '/v2/change/enqueue');
      expect(malformed.statusCode).toBe(400);
      expect(malformed.json()).toMatchObject({ status: 'Unrecognized object', errors: ['JSON parse error'] });
      expectContract('/v2/change/enqueue', malformed);
    });
  });

  describe(`Events API v2 rate limit on ${backend.name}`, () => {
    let t: TestApp;
    let key: string;
    let otherKey: string;

    beforeAll(async () => {
      t = await startTestApp(backend.fresh(), { eventsRateLimit: 3 });
      ({ key } = await insertServiceWithIntegration(t.store));
      ({ key: otherKey } = await insertServiceWithIntegration(t.store));
    });
    afterAll(async () => {
      await t.close();
      await backend.cleanup();
    });

    it('answers the fourth event within a minute for one routing key with 429 and Retry-After, and does not ingest it', async () => {
      for (let i = 1; i <= 3; i++)
        expect((await t.send(triggerBody(key, `burst-${i}`))).statusCode).toBe(202);
      const response = await t.send(triggerBody(key, 'burst-4'));
      expect(response.statusCode).toBe(429);
      expect(Number(response.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      expect(Number(response.headers['retry-after'])).toBeLessThanOrEqual(60);
      expectContract('/v2/enqueue', response);
      expect(await alertIdsWithKey(t.store, 'burst-4')).toEqual([]);
      // Another routing key has its own window.
      expect((await t.send(triggerBody(otherKey, 'other-1'))).statusCode).toBe(202);
    });

    it('accepts events for the key again once the window has passed', async () => {
      t.clock.advance(2 * 60_000);
      expect((await t.send(triggerBody(key, 'burst-5'))).statusCode).toBe(202);
    });
  });
}
