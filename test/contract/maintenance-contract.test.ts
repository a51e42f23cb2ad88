import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends } from '../harness/backends.js';
import { requireOpenApi, validateResponse } from '../harness/openapi.js';
import { startTestApp, type TestApp } from '../harness/test-app.js';

// Prints why and skips when ../shared is absent; throws (fails the file) under TOCSIN_CI=1.
const available = requireOpenApi();

type Json = Record<string, unknown>;
const HOUR = 3_600_000;

for (const backend of backends()) {
  describe.skipIf(!available)(backend.name, () => {
    describe('maintenance windows and abilities contract', () => {
      let t: TestApp;
      let serviceId: string;
      let windowId: string;

      /** Sends a request and returns its status, body and OAS problems. */
      const check = async (method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, body?: unknown) => {
        const res = await t.api(method, url, body, { from: 'admin@tocsin.local' });
        const json = res.body === '' ? undefined : res.json<Json>();
        return {
          status: res.statusCode,
          json,
          problems: validateResponse('rest', url, method, res.statusCode, json),
        };
      };
      const at = (ms: number) => new Date(t.clock.now().getTime() + ms).toISOString();

      beforeAll(async () => {
        t = await startTestApp(backend.fresh());
        const res = await t.api('POST', '/api/v2/services', { service: { name: 'Contract' } });
        serviceId = res.json<{ service: { id: string } }>().service.id;
      });
      afterAll(async () => {
        await t.close();
        await backend.cleanup();
      });

      it('answers POST /maintenance_windows with the createMaintenanceWindow schema', async () => {
        const maintenance_window = {
          type: 'maintenance_window',
          start_time: at(HOUR),
          end_time: at(2 * HOUR),
          description: 'Contract',
          services: [{ id: serviceId, type: 'service_reference' }],
        };
        const res = await check('POST', '/api/v2/maintenance_windows', { maintenance_window });
        expect(res.status).toBe(201);
        expect(res.problems).toEqual([]);
        windowId = (res.json!.maintenance_window as { id: string }).id;
      });

      it('answers GET, PUT and the list with their schemas', async () => {
        const one = await check('GET', `/api/v2/maintenance_windows/${windowId}`);
        expect([one.status, one.problems]).toEqual([200, []]);
        const body = { maintenance_window: { type: 'maintenance_window', end_time: at(3 * HOUR) } };
        const put = await check('PUT', `/api/v2/maintenance_windows/${windowId}`, body);
        expect([put.status, put.problems]).toEqual([200, []]);
        const list = await check('GET', '/api/v2/maintenance_windows?total=true');
        expect([list.status, list.problems]).toEqual([200, []]);
        expect(list.json).toMatchObject({ total: 1, more: false });
      });

      it('answers errors with the documented error schemas', async () => {
        const missing = await check('GET', '/api/v2/maintenance_windows/PNOPE00');
        expect([missing.status, missing.problems]).toEqual([404, []]);
        const bad = await check('POST', '/api/v2/maintenance_windows', {
          maintenance_window: { services: [] },
        });
        expect([bad.status, bad.problems]).toEqual([400, []]);
        t.clock.advance(4 * HOUR);
        const ended = await check('PUT', `/api/v2/maintenance_windows/${windowId}`, {
          maintenance_window: { description: 'late' },
        });
        expect([ended.status, ended.problems]).toEqual([400, []]);
        const removed = await check('DELETE', `/api/v2/maintenance_windows/${windowId}`);
        // The OAS documents 405 without a body schema for an ended window.
        expect([removed.status, removed.problems]).toEqual([405, []]);
      });

      it('answers the abilities endpoints with their schemas', async () => {
        const list = await check('GET', '/api/v2/abilities');
        expect([list.status, list.problems]).toEqual([200, []]);
        expect(list.json!.abilities).toContain('teams');
        const has = await check('GET', '/api/v2/abilities/teams');
        expect([has.status, has.problems]).toEqual([204, []]);
        const lacks = await check('GET', '/api/v2/abilities/sso');
        expect([lacks.status, lacks.problems]).toEqual([402, []]);
        const unknown = await check('GET', '/api/v2/abilities/flying');
        expect([unknown.status, unknown.problems]).toEqual([404, []]);
      });
    });
  });
}
