import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends } from '../harness/backends.js';
import { requireOpenApi, validateResponse } from '../harness/openapi.js';
import { startTestApp, type TestApp } from '../harness/test-app.js';

// Prints why and skips when ../shared is absent; throws (fails the file) under TOCSIN_CI=1.
const available = requireOpenApi();

type Json = Record<string, unknown>;

/**
 * Fields Tocsin answers with null although the OAS types them as strings: `avatar_url` (Tocsin has no
 * avatars) and `job_title` when none was given (PagerDuty sends null then too). `avatar_url` is checked
 * to be exactly null and left out; a null `job_title` is left out; everything else is still validated.
 */
function withoutKnownNulls(body: Json): Json {
  const copy = structuredClone(body);
  const users = [copy.user, ...(Array.isArray(copy.users) ? (copy.users as unknown[]) : [])].filter(
    (u): u is Json => typeof u === 'object' && u !== null,
  );
  for (const user of users) {
    expect(user.avatar_url).toBeNull();
    delete user.avatar_url;
    if (user.job_title === null) delete user.job_title;
  }
  return copy;
}

for (const backend of backends()) {
  describe.skipIf(!available)(backend.name, () => {
    describe('users and teams contract', () => {
      let t: TestApp;
      let userId: string;
      let teamId: string;

      /** Sends a request and returns the OAS problems of its response. */
      const problems = async (method: 'GET' | 'POST' | 'PUT', url: string, body?: unknown) => {
        const res = await t.api(method, url, body);
        expect(res.statusCode, res.body).toBeLessThan(300);
        const json = withoutKnownNulls(res.json<Json>());
        return { json, problems: validateResponse('rest', url, method, res.statusCode, json) };
      };

      beforeAll(async () => {
        t = await startTestApp(backend.fresh());
      });
      afterAll(async () => {
        await t.close();
        await backend.cleanup();
      });

      it('answers POST /teams and GET/PUT /teams/{id} with the team schemas', async () => {
        const body = { team: { name: 'Contract', description: 'Checked against the OpenAPI document' } };
        const created = await problems('POST', '/api/v2/teams', body);
        expect(created.problems).toEqual([]);
        teamId = (created.json.team as { id: string }).id;
        expect((await problems('GET', `/api/v2/teams/${teamId}`)).problems).toEqual([]);
        const update = { team: { description: 'Updated' } };
        expect((await problems('PUT', `/api/v2/teams/${teamId}`, update)).problems).toEqual([]);
        expect((await problems('GET', '/api/v2/teams?total=true')).problems).toEqual([]);
      });

      it('answers POST, GET and PUT /users/{id}, GET /users and /users/me with the user schemas', async () => {
        const user = {
          name: 'Grace Hopper',
          email: 'grace@example.com',
          time_zone: 'America/New_York',
          role: 'user',
          job_title: 'Rear Admiral',
          description: 'Wrote the first compiler',
        };
        const created = await problems('POST', '/api/v2/users', { user });
        expect(created.problems).toEqual([]);
        userId = (created.json.user as { id: string }).id;
        expect(
          (await t.api('PUT', `/api/v2/teams/${teamId}/users/${userId}`, { role: 'manager' })).statusCode,
        ).toBe(204);
        const got = await problems('GET', `/api/v2/users/${userId}`);
        expect(got.problems).toEqual([]);
        expect((got.json.user as Json).teams).toHaveLength(1);
        const update = { user: { job_title: 'Commodore', time_zone: 'UTC' } };
        expect((await problems('PUT', `/api/v2/users/${userId}`, update)).problems).toEqual([]);
        expect((await problems('GET', '/api/v2/users?total=true')).problems).toEqual([]);
        expect((await problems('GET', '/api/v2/users/me')).problems).toEqual([]);
        expect((await problems('GET', `/api/v2/teams/${teamId}/members`)).problems).toEqual([]);
      });

      it('answers the contact method endpoints with the contact method schemas', async () => {
        const base = `/api/v2/users/${userId}/contact_methods`;
        const bodies = [
          {
            type: 'email_contact_method',
            label: 'Work',
            address: 'grace@navy.example',
            send_short_email: false,
          },
          { type: 'sms_contact_method', label: 'Mobile', address: '5551230000', country_code: 1 },
          { type: 'phone_contact_method', label: 'Desk', address: '2025550100', country_code: 1 },
          {
            type: 'push_notification_contact_method',
            label: 'Pixel',
            address: 'pixel-8',
            device_type: 'android',
          },
        ];
        for (const contact_method of bodies) {
          const created = await problems('POST', base, { contact_method });
          expect(created.problems, contact_method.type).toEqual([]);
          const id = (created.json.contact_method as { id: string }).id;
          expect((await problems('GET', `${base}/${id}`)).problems).toEqual([]);
          const update = { contact_method: { label: 'Renamed' } };
          expect((await problems('PUT', `${base}/${id}`, update)).problems).toEqual([]);
        }
        expect((await problems('GET', base)).problems).toEqual([]);
      });

      it('answers the notification and handoff rule endpoints with their schemas', async () => {
        const rulesUrl = `/api/v2/users/${userId}/notification_rules`;
        const list = await problems('GET', rulesUrl);
        expect(list.problems).toEqual([]);
        const contactMethod = ((list.json.notification_rules as Json[])[0]!.contact_method as Json).id;
        const rule = { start_delay_in_minutes: 5, urgency: 'low', contact_method: { id: contactMethod } };
        const created = await problems('POST', rulesUrl, { notification_rule: rule });
        expect(created.problems).toEqual([]);
        const ruleUrl = `${rulesUrl}/${(created.json.notification_rule as { id: string }).id}`;
        expect((await problems('GET', ruleUrl)).problems).toEqual([]);
        const update = { notification_rule: { start_delay_in_minutes: 7 } };
        expect((await problems('PUT', ruleUrl, update)).problems).toEqual([]);

        const handoffUrl = `/api/v2/users/${userId}/oncall_handoff_notification_rules`;
        const handoff = {
          handoff_type: 'both',
          notify_advance_in_minutes: 60,
          contact_method: { id: contactMethod },
        };
        const made = await problems('POST', handoffUrl, { oncall_handoff_notification_rule: handoff });
        expect(made.problems).toEqual([]);
        const id = (made.json.oncall_handoff_notification_rule as { id: string }).id;
        expect((await problems('GET', `${handoffUrl}/${id}`)).problems).toEqual([]);
        const change = { oncall_handoff_notification_rule: { handoff_type: 'oncall' } };
        expect((await problems('PUT', `${handoffUrl}/${id}`, change)).problems).toEqual([]);
        expect((await problems('GET', handoffUrl)).problems).toEqual([]);
      });
    });
  });
}
