import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultGenericJsonConfig, type IntegrationType } from '../../src/services/integration.js';
import { backends } from '../harness/backends.js';
import { insertServiceWithIntegration } from '../harness/factories.js';
import { openApiAvailable, requireShared, sharedPath, validateResponse } from '../harness/openapi.js';
import { startTestApp, type TestApp } from '../harness/test-app.js';

const withFixtures = requireShared('Sender fixtures', sharedPath('fixtures/README.md'));

/** Reads a fixture in place from ../shared/fixtures/. */
function fixture<T = Record<string, unknown>>(name: string): T {
  return JSON.parse(readFileSync(sharedPath('fixtures', name), 'utf8')) as T;
}

interface CapturedRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: Record<string, unknown>;
}

for (const backend of backends()) {
  describe(`inbound senders on ${backend.name}`, () => {
    let t: TestApp;

    const service = (type?: IntegrationType, config: unknown = null) =>
      insertServiceWithIntegration(t.store, {}, type, config);
    const incidents = (serviceId: string) =>
      t.store.db
        .selectFrom('incidents')
        .select(['id', 'status', 'title'])
        .where('service_id', '=', serviceId)
        .orderBy('incident_number')
        .execute();
    const alerts = (serviceId: string) =>
      t.store.db
        .selectFrom('alerts')
        .select(['alert_key', 'status', 'severity', 'summary'])
        .where('service_id', '=', serviceId)
        .orderBy('created_at')
        .execute();
    const postTo = (key: string, body: unknown) => t.send(body, `/integration/${key}/enqueue`);

    beforeAll(async () => {
      t = await startTestApp(backend.fresh());
    });
    afterAll(async () => {
      await t.close();
      await backend.cleanup();
    });

    describe.skipIf(!withFixtures)('Prometheus Alertmanager', () => {
      it('opens an incident under its 64-character dedup key and resolves it with the full-payload resolve', async () => {
        const { key, serviceId } = await service();
        const trigger = fixture<CapturedRequest>('alertmanager/trigger.json');
        const resolve = fixture<CapturedRequest>('alertmanager/resolve.json');
        const dedupKey = trigger.body.dedup_key as string;
        expect(dedupKey).toHaveLength(64);
        const post = (captured: CapturedRequest) =>
          t.app.inject({
            method: captured.method as 'POST',
            url: captured.path,
            headers: captured.headers,
            payload: JSON.stringify({ ...captured.body, routing_key: key }),
          });

        const opened = await post(trigger);
        expect(opened.statusCode).toBe(202);
        expect(opened.json()).toEqual({ status: 'success', message: 'Event processed', dedup_key: dedupKey });
        if (openApiAvailable())
          expect(validateResponse('events-v2', trigger.path, 'POST', 202, opened.json())).toEqual([]);
        expect(await incidents(serviceId)).toMatchObject([
          { status: 'triggered', title: '[FIRING:1] HighLatency web-7 (api critical)' },
        ]);
        expect(await alerts(serviceId)).toMatchObject([
          { alert_key: dedupKey, status: 'triggered', severity: 'critical' },
        ]);

        const resolved = await post(resolve);
        expect(resolved.statusCode).toBe(202);
        expect(resolved.json()).toEqual({
          status: 'success',
          message: 'Event processed',
          dedup_key: dedupKey,
        });
        expect(await incidents(serviceId)).toMatchObject([{ status: 'resolved' }]);
        expect(await alerts(serviceId)).toMatchObject([{ alert_key: dedupKey, status: 'resolved' }]);
      });
    });

    describe.skipIf(!withFixtures)('ThousandEyes webhooks', () => {
      const thousandEyes = () => service('thousandeyes_webhook_inbound_integration');

      it('opens one incident on an alert trigger and resolves it on the clear with the same alertId', async () => {
        const { key, serviceId } = await thousandEyes();
        const opened = await postTo(key, fixture('thousandeyes/alert-trigger.json'));
        expect(opened.statusCode).toBe(202);
        expect(opened.json()).toEqual({ status: 'success', message: 'Event processed', dedup_key: '35541' });
        expect(await incidents(serviceId)).toMatchObject([{ status: 'triggered' }]);
        // A classic notification carries no severity: it pages as error.
        expect(await alerts(serviceId)).toMatchObject([{ alert_key: '35541', severity: 'error' }]);

        const cleared = await postTo(key, fixture('thousandeyes/alert-clear.json'));
        expect(cleared.statusCode).toBe(202);
        expect(cleared.json()).toEqual({ status: 'success', message: 'Event processed', dedup_key: '35541' });
        const all = await incidents(serviceId);
        expect(all).toHaveLength(1);
        expect(all[0]).toMatchObject({ status: 'resolved' });
      });

      it.each([
        ['info', 'warning'],
        ['minor', 'warning'],
        ['major', 'error'],
        ['critical', 'critical'],
      ])('maps ThousandEyes severity %s to %s', async (name, expected) => {
        const { key, serviceId } = await thousandEyes();
        const response = await postTo(key, fixture(`thousandeyes/alert-trigger-severity-${name}.json`));
        expect(response.statusCode).toBe(202);
        expect(await alerts(serviceId)).toMatchObject([{ alert_key: '35541', severity: expected }]);
      });

      it('opens and resolves an agent alert by its agentNotificationId', async () => {
        const { key, serviceId } = await thousandEyes();
        const opened = await postTo(key, fixture('thousandeyes/agent-alert-trigger.json'));
        expect(opened.statusCode).toBe(202);
        const dedupKey = opened.json<{ dedup_key: string }>().dedup_key;
        expect(dedupKey).toContain('5744505');
        expect(await incidents(serviceId)).toMatchObject([{ status: 'triggered' }]);
        const cleared = await postTo(key, fixture('thousandeyes/agent-alert-clear.json'));
        expect(cleared.statusCode).toBe(202);
        expect(cleared.json()).toEqual({
          status: 'success',
          message: 'Event processed',
          dedup_key: dedupKey,
        });
        expect(await incidents(serviceId)).toMatchObject([{ status: 'resolved' }]);
      });

      it('answers WEBHOOK_TEST with 202 and records it among the dropped events, opening nothing', async () => {
        const { key, serviceId, integrationId } = await thousandEyes();
        const response = await postTo(key, fixture('thousandeyes/webhook-test.json'));
        expect(response.statusCode).toBe(202);
        expect(response.json()).toMatchObject({ status: 'success' });
        const dropped = await t.store.db
          .selectFrom('dropped_events')
          .select(['reason', 'integration_id'])
          .where('service_id', '=', serviceId)
          .execute();
        expect(dropped).toEqual([{ reason: 'webhook_test', integration_id: integrationId }]);
        expect(await incidents(serviceId)).toEqual([]);
      });
    });

    describe('the generic JSON webhook', () => {
      it('maps summary, severity, dedup_key and status with the default field paths', async () => {
        const { key, serviceId } = await service(
          'generic_json_webhook_inbound_integration',
          defaultGenericJsonConfig,
        );
        const opened = await postTo(key, {
          summary: 'Queue depth above 10k',
          severity: 'warn',
          dedup_key: 'queue-depth',
          status: 'firing',
          source: 'rabbit-1',
        });
        expect(opened.statusCode).toBe(202);
        expect(opened.json()).toEqual({
          status: 'success',
          message: 'Event processed',
          dedup_key: 'queue-depth',
        });
        expect(await alerts(serviceId)).toEqual([
          {
            alert_key: 'queue-depth',
            status: 'triggered',
            severity: 'warning',
            summary: 'Queue depth above 10k',
          },
        ]);
        expect(await incidents(serviceId)).toMatchObject([
          { status: 'triggered', title: 'Queue depth above 10k' },
        ]);

        const resolved = await postTo(key, { dedup_key: 'queue-depth', status: 'resolved' });
        expect(resolved.statusCode).toBe(202);
        expect(await alerts(serviceId)).toMatchObject([{ alert_key: 'queue-depth', status: 'resolved' }]);
        expect(await incidents(serviceId)).toMatchObject([{ status: 'resolved' }]);
      });

      it('rejects a body without a summary with 400 and an explanation', async () => {
        const { key, serviceId } = await service(
          'generic_json_webhook_inbound_integration',
          defaultGenericJsonConfig,
        );
        const response = await postTo(key, { severity: 'critical' });
        expect(response.statusCode).toBe(400);
        expect(response.json()).toEqual({
          status: 'invalid event',
          message: 'Event object is invalid',
          errors: ["no summary at 'summary'"],
        });
        expect(await incidents(serviceId)).toEqual([]);
      });

      it('rejects a body nested deeper than 100 levels with 400 instead of failing to store it', async () => {
        const { key, serviceId } = await service(
          'generic_json_webhook_inbound_integration',
          defaultGenericJsonConfig,
        );
        const deep = `{"summary":"deep","details":${'['.repeat(5000)}${']'.repeat(5000)}}`;
        const response = await postTo(key, deep);
        expect(response.statusCode).toBe(400);
        expect(response.json()).toMatchObject({ errors: [expect.stringMatching(/nested too deeply/)] });
        expect(await incidents(serviceId)).toEqual([]);
      });

      it('rejects an unknown integration key with 400', async () => {
        const response = await postTo('0123456789abcdef0123456789abcdef', { summary: 'x' });
        expect(response.statusCode).toBe(400);
        expect(response.json()).toMatchObject({ errors: ['Invalid routing key'] });
      });
    });
  });
}
