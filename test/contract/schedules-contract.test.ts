import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends } from '../harness/backends.js';
import { requireOpenApi, validateResponse } from '../harness/openapi.js';
import { startTestApp, type TestApp } from '../harness/test-app.js';
import { insertBareUser } from '../harness/on-call-fixtures.js';
import { layerBody } from '../schedules/api-fixtures.js';

// Prints why and skips when ../shared is absent; throws (fails the file) under TOCSIN_CI=1.
const available = requireOpenApi();

type Json = Record<string, unknown>;

/**
 * Fields answered with null although the OAS types them as strings: a layer's `end` when it has none
 * (PagerDuty sends null too) and, on `/schedules/{id}/users`, the users' `avatar_url` and unset
 * `job_title` (as in the users contract). Each is checked to be exactly null and then left out, so
 * everything else is still validated.
 */
function withoutKnownNulls(body: unknown): unknown {
  const copy = structuredClone(body) as Json;
  const schedules = [copy.schedule, ...((copy.schedules as unknown[] | undefined) ?? [])] as (
    Json | undefined
  )[];
  for (const s of schedules)
    for (const layer of (s?.schedule_layers as Json[] | undefined) ?? [])
      if ('end' in layer) {
        expect(layer.end === null || typeof layer.end === 'string').toBe(true);
        if (layer.end === null) delete layer.end;
      }
  for (const user of (copy.users as Json[] | undefined) ?? [])
    for (const key of ['avatar_url', 'job_title'])
      if (user[key] === null) delete user[key];
      else expect(typeof user[key]).toBe('string');
  return copy;
}

for (const backend of backends()) {
  describe.skipIf(!available)(backend.name, () => {
    describe('schedules contract', () => {
      let t: TestApp;
      let alice: string;
      let scheduleId: string;
      const window = '?since=2026-01-05T00:00:00Z&until=2026-01-12T00:00:00Z';

      /** Sends a request and returns the OAS problems of its response (as `status`, when given). */
      const problems = async (
        method: 'GET' | 'POST' | 'PUT' | 'DELETE',
        url: string,
        body?: unknown,
        status?: number,
      ) => {
        const res = await t.api(method, url, body);
        expect(res.statusCode, res.body).toBeLessThan(300);
        const json = res.body === '' ? undefined : withoutKnownNulls(res.json());
        return {
          json: json as Json,
          problems: validateResponse('rest', url, method, status ?? res.statusCode, json),
        };
      };
      const schedule = () => ({
        name: 'Contract',
        description: 'Checked against the OpenAPI document',
        time_zone: 'America/New_York',
        schedule_layers: [
          layerBody([alice], {
            restrictions: [
              {
                type: 'weekly_restriction',
                start_day_of_week: 5,
                start_time_of_day: '18:00:00',
                duration_seconds: 259200,
              },
            ],
          }),
          layerBody([alice], { end: '2026-06-01T00:00:00Z' }),
        ],
      });

      beforeAll(async () => {
        t = await startTestApp(backend.fresh());
        alice = await insertBareUser(t.store, 'Alice');
      });
      afterAll(async () => {
        await t.close();
        await backend.cleanup();
      });

      it('answers POST /schedules with the createSchedule response schema', async () => {
        const res = await problems('POST', '/api/v2/schedules', { schedule: schedule() });
        expect(res.problems).toEqual([]);
        scheduleId = (res.json.schedule as { id: string }).id;
      });

      it('answers GET and PUT /schedules/{id} with the schedule schemas, rendered', async () => {
        const got = await problems(
          'GET',
          `/api/v2/schedules/${scheduleId}${window}&overflow=true&time_zone=UTC`,
        );
        expect(got.problems).toEqual([]);
        expect((got.json.schedule as Json).final_schedule).toMatchObject({ name: 'Final Schedule' });
        const put = await problems('PUT', `/api/v2/schedules/${scheduleId}`, {
          schedule: { ...schedule(), name: 'Renamed' },
        });
        expect(put.problems).toEqual([]);
      });

      it('answers GET /schedules with the listSchedules schema', async () => {
        expect((await problems('GET', '/api/v2/schedules?total=true')).problems).toEqual([]);
        expect((await problems('GET', '/api/v2/schedules?include[]=schedule_layers')).problems).toEqual([]);
      });

      it('answers POST /schedules/preview and GET /schedules/{id}/users with their schemas', async () => {
        expect(
          (await problems('POST', `/api/v2/schedules/preview${window}`, { schedule: schedule() })).problems,
        ).toEqual([]);
        const users = await problems('GET', `/api/v2/schedules/${scheduleId}/users${window}`);
        expect(users.problems).toEqual([]);
        expect(users.json.users).toHaveLength(1);
      });

      it('answers the overrides endpoints with their schemas', async () => {
        const body = {
          overrides: [
            {
              start: '2026-01-06T00:00:00Z',
              end: '2026-01-07T00:00:00Z',
              user: { id: alice, type: 'user_reference' },
            },
            {
              start: '2026-01-08T00:00:00Z',
              end: '2026-01-07T00:00:00Z',
              user: { id: alice, type: 'user_reference' },
            },
          ],
        };
        const created = await problems('POST', `/api/v2/schedules/${scheduleId}/overrides`, body);
        expect(created.problems).toEqual([]);
        // The OAS documents this list's success as 201 (PagerDuty answers 200): validate the body against it.
        const listed = await problems(
          'GET',
          `/api/v2/schedules/${scheduleId}/overrides${window}`,
          undefined,
          201,
        );
        expect(listed.problems).toEqual([]);
        const id = ((listed.json.overrides as Json[])[0] as { id: string }).id;
        const deleted = await problems('DELETE', `/api/v2/schedules/${scheduleId}/overrides/${id}`);
        expect(deleted.problems).toEqual([]);
      });
    });
  });
}
