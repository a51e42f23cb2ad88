import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends } from '../harness/backends.js';
import { requireOpenApi, validateResponse } from '../harness/openapi.js';
import { createUser, userToken } from '../harness/people.js';
import { startTestApp, type TestApp } from '../harness/test-app.js';

// Prints why and skips when ../shared is absent; throws (fails the file) under TOCSIN_CI=1.
const available = requireOpenApi();

for (const backend of backends()) {
  describe.skipIf(!available)(backend.name, () => {
    describe('audit records contract', () => {
      let t: TestApp;
      const ids: Record<string, string> = {};

      beforeAll(async () => {
        t = await startTestApp(backend.fresh());
        const json = async (
          method: 'POST' | 'PUT',
          url: string,
          body: unknown,
          headers?: Record<string, string>,
        ) => {
          const res = await t.api(method, url, body, headers);
          expect(res.statusCode, res.body).toBeLessThan(300);
          return res.body === '' ? {} : res.json<Record<string, { id: string }>>();
        };
        const ada = await createUser(t, { name: 'Ada' });
        ids.users = ada.id;
        ids.teams = (await json('POST', '/api/v2/teams', { team: { name: 'Core' } })).team!.id;
        await json('PUT', `/api/v2/teams/${ids.teams}/users/${ada.id}`, { role: 'manager' });
        const layer = {
          start: '2026-01-01T00:00:00Z',
          rotation_virtual_start: '2026-01-05T09:00:00Z',
          rotation_turn_length_seconds: 86400,
          users: [{ user: { id: ada.id, type: 'user_reference' } }],
        };
        const schedule = { name: 'Rota', time_zone: 'UTC', schedule_layers: [layer] };
        ids.schedules = (await json('POST', '/api/v2/schedules', { schedule })).schedule!.id;
        const policy = {
          name: 'Core policy',
          teams: [{ id: ids.teams, type: 'team_reference' }],
          escalation_rules: [
            { escalation_delay_in_minutes: 5, targets: [{ id: ids.schedules, type: 'schedule_reference' }] },
          ],
        };
        ids.escalation_policies = (
          await json('POST', '/api/v2/escalation_policies', { escalation_policy: policy })
        ).escalation_policy!.id;
        const asAda = await userToken(t, ada.id, 'manager');
        const service = {
          name: 'API',
          escalation_policy: { id: ids.escalation_policies, type: 'escalation_policy_reference' },
        };
        ids.services = (await json('POST', '/api/v2/services', { service }, asAda)).service!.id;
        await json('PUT', `/api/v2/services/${ids.services}`, { service: { description: 'Serves' } }, asAda);
        await json('POST', `/api/v2/services/${ids.services}/integrations`, {
          integration: { type: 'events_api_v2_inbound_integration' },
        });
      });
      afterAll(async () => {
        await t.close();
        await backend.cleanup();
      });

      const check = async (url: string) => {
        const res = await t.api('GET', url);
        expect(res.statusCode, res.body).toBe(200);
        const body = res.json<{ records: unknown[] }>();
        expect(body.records.length).toBeGreaterThan(0);
        expect(validateResponse('rest', url.split('?')[0]!, 'GET', 200, body)).toEqual([]);
      };

      it('answers GET /audit/records as the OpenAPI document says', async () => {
        await check('/api/v2/audit/records');
        await check('/api/v2/audit/records?limit=1');
      });

      for (const collection of ['services', 'users', 'escalation_policies', 'schedules', 'teams'])
        it(`answers GET /${collection}/{id}/audit/records as the OpenAPI document says`, async () => {
          await check(`/api/v2/${collection}/${ids[collection]}/audit/records`);
        });
    });
  });
}
