import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends } from '../harness/backends.js';
import { triggerBody } from '../harness/factories.js';
import { requireOpenApi, validateResponse } from '../harness/openapi.js';
import { startTestApp, type TestApp } from '../harness/test-app.js';

// Prints why and skips when ../shared is absent; throws (fails the file) under TOCSIN_CI=1.
const available = requireOpenApi();

type Json = Record<string, unknown>;

/**
 * Fields PagerDuty answers with null although the OAS does not mark them nullable: an integration's
 * `vendor` and `integration_email` (null unless it has a vendor or is an email integration) and a
 * service's `last_incident_timestamp` before its first incident. Each is checked to be exactly null and
 * then left out, so that everything else is still validated.
 */
function withoutKnownNulls(body: Json, paths: string[][]): Json {
  const copy = structuredClone(body);
  for (const path of paths) {
    const parent = path.slice(0, -1).reduce<Json>((node, key) => node[key] as Json, copy);
    const key = path[path.length - 1]!;
    if (key in parent) {
      expect(parent[key], path.join('.')).toBeNull();
      delete parent[key];
    }
  }
  return copy;
}

/** A service body that fills every field the OAS types as non-nullable. */
const fullService = {
  name: 'Contract',
  description: 'Checked against the OpenAPI document',
  escalation_policy: { id: 'PEPCONT', type: 'escalation_policy_reference' },
  incident_urgency_rule: {
    type: 'use_support_hours',
    during_support_hours: { type: 'constant', urgency: 'high' },
    outside_support_hours: { type: 'constant', urgency: 'low' },
  },
  support_hours: {
    type: 'fixed_time_per_day',
    time_zone: 'Europe/Paris',
    days_of_week: [1, 2, 3, 4, 5],
    start_time: '09:00:00',
    end_time: '17:00:00',
  },
};

for (const backend of backends()) {
  describe.skipIf(!available)(backend.name, () => {
    describe('services contract', () => {
      let t: TestApp;
      let serviceId: string;

      /** Sends a request and returns the OAS problems of its response (after the known nulls). */
      const problems = async (
        method: 'GET' | 'POST' | 'PUT',
        url: string,
        body?: unknown,
        nulls: string[][] = [],
      ) => {
        const res = await t.api(method, url, body);
        expect(res.statusCode, res.body).toBeLessThan(300);
        const json = withoutKnownNulls(res.json<Json>(), nulls);
        return { json, problems: validateResponse('rest', url, method, res.statusCode, json) };
      };

      beforeAll(async () => {
        t = await startTestApp(backend.fresh());
        // Services may only reference a live escalation policy.
        await t.store.db
          .insertInto('escalation_policies')
          .values({
            id: 'PEPCONT',
            name: 'Contract policy',
            description: null,
            num_loops: 0,
            on_call_handoff_notifications: 'if_has_services',
            team_id: null,
            rules: '[]',
            created_at: '2026-01-01T00:00:00.000Z',
            updated_at: '2026-01-01T00:00:00.000Z',
            deleted_at: null,
          })
          .execute();
      });
      afterAll(async () => {
        await t.close();
        await backend.cleanup();
      });

      it('answers POST /services with the createService response schema', async () => {
        const nulls = [['service', 'last_incident_timestamp']];
        const res = await problems('POST', '/api/v2/services', { service: fullService }, nulls);
        expect(res.problems).toEqual([]);
        serviceId = (res.json.service as { id: string }).id;
      });

      it('answers POST and GET /services/{id}/integrations/{id} with the integration schemas', async () => {
        const nulls = [
          ['integration', 'vendor'],
          ['integration', 'integration_email'],
        ];
        const body = { integration: { type: 'events_api_v2_inbound_integration', name: 'Monitoring' } };
        const created = await problems('POST', `/api/v2/services/${serviceId}/integrations`, body, nulls);
        expect(created.problems).toEqual([]);
        const integration = created.json.integration as { id: string; integration_key: string };
        const url = `/api/v2/services/${serviceId}/integrations/${integration.id}`;
        expect((await problems('GET', url, undefined, nulls)).problems).toEqual([]);
        expect((await t.send(triggerBody(integration.integration_key, 'contract'))).statusCode).toBe(202);
      });

      it('answers GET and PUT /services/{id} with the service schemas', async () => {
        const got = await problems('GET', `/api/v2/services/${serviceId}`);
        expect(got.problems).toEqual([]);
        expect(got.json.service).toMatchObject({
          status: 'critical',
          last_incident_timestamp: expect.any(String) as unknown,
        });
        const update = { service: { description: 'Updated', acknowledgement_timeout: 600 } };
        expect((await problems('PUT', `/api/v2/services/${serviceId}`, update)).problems).toEqual([]);
      });

      it('answers GET /services with the listServices schema', async () => {
        expect((await problems('GET', '/api/v2/services?total=true')).problems).toEqual([]);
        expect((await problems('GET', '/api/v2/services?limit=1&offset=0')).problems).toEqual([]);
      });
    });
  });
}
