import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { backends } from '../harness/backends.js';
import { startTestApp, type TestApp } from '../harness/test-app.js';
import { insertBareUser, insertPolicy } from '../harness/on-call-fixtures.js';
import { userToken } from '../harness/people.js';
import { layerBody } from '../schedules/api-fixtures.js';

type Json = Record<string, unknown>;
interface Entry {
  start: string;
  end: string;
  user: { id: string; summary: string; type: string };
}
interface Sub {
  rendered_schedule_entries: Entry[];
  rendered_coverage_percentage: number;
  rendered_gaps?: { start: string; end: string }[];
}
interface Presented {
  id: string;
  schedule_layers: (Json & Sub & { id: string })[];
  final_schedule: Sub;
  overrides_subschedule: Sub;
}

for (const backend of backends()) {
  describe(backend.name, () => {
    describe('schedules API', () => {
      let t: TestApp;
      let alice: string;
      let bob: string;
      let carol: string;
      beforeEach(async () => {
        t = await startTestApp(backend.fresh());
        alice = await insertBareUser(t.store, 'Alice');
        bob = await insertBareUser(t.store, 'Bob');
        carol = await insertBareUser(t.store, 'Carol');
      });
      afterEach(async () => {
        await t.close();
      });
      afterAll(async () => {
        await backend.cleanup();
      });

      const names = () =>
        new Map([
          [alice, 'Alice'],
          [bob, 'Bob'],
          [carol, 'Carol'],
        ]);
      /** Entries as "<name> <start> <end>" lines. */
      const lines = (sub: Sub) =>
        sub.rendered_schedule_entries.map(
          (e) => `${names().get(e.user.id) ?? e.user.id} ${e.start} ${e.end}`,
        );
      const create = async (schedule: Json) => {
        const res = await t.api('POST', '/api/v2/schedules', { schedule });
        expect(res.statusCode, res.body).toBe(201);
        return res.json<{ schedule: Presented }>().schedule;
      };
      const get = async (id: string, query = '') => {
        const res = await t.api('GET', `/api/v2/schedules/${id}${query}`);
        expect(res.statusCode, res.body).toBe(200);
        return res.json<{ schedule: Presented }>().schedule;
      };
      const q = (params: Record<string, string>) => `?${new URLSearchParams(params).toString()}`;

      it('creates a schedule and reads it back with its layers in the order they were sent', async () => {
        const created = await create({
          name: 'Primary',
          time_zone: 'Europe/London',
          description: 'Front line',
          schedule_layers: [layerBody([alice, bob], { name: 'Base' }), layerBody([carol])],
        });
        expect(created.id).toMatch(/^P[0-9A-Z]{6}$/);
        expect(created).toMatchObject({
          type: 'schedule',
          name: 'Primary',
          summary: 'Primary',
          description: 'Front line',
          time_zone: 'Europe/London',
          self: `${t.baseUrl}/api/v2/schedules/${created.id}`,
          html_url: `${t.baseUrl}/schedules/${created.id}`,
          escalation_policies: [],
          teams: [],
        });
        const layers = created.schedule_layers;
        expect(layers.map((l) => l.name)).toEqual(['Base', 'Layer 2']);
        expect(layers[0]).toMatchObject({
          start: '2026-01-01T00:00:00+00:00',
          end: null,
          rotation_virtual_start: '2026-01-05T09:00:00+00:00',
          rotation_turn_length_seconds: 86400,
          restrictions: [],
          users: [{ user: { id: alice, type: 'user_reference', summary: 'Alice' } }, { user: { id: bob } }],
        });
        expect(created).toHaveProperty(
          'http_cal_url',
          expect.stringMatching(/^http:\/\/tocsin\.test\/calendars\/schedules\/.+\.ics$/),
        );
        expect(created).toHaveProperty(
          'web_cal_url',
          expect.stringMatching(/^webcal:\/\/tocsin\.test\/calendars\/schedules\//),
        );
        const again = await get(created.id);
        expect(again.schedule_layers.map((l) => l.id)).toEqual(layers.map((l) => l.id));
      });

      it('reports every invalid field at once', async () => {
        const res = await t.api('POST', '/api/v2/schedules', {
          schedule: {
            name: '',
            time_zone: 'Mars/Olympus',
            schedule_layers: [
              layerBody([alice, 'PNOBODY'], {
                rotation_turn_length_seconds: 0,
                end: '2025-01-01T00:00:00Z',
                restrictions: [
                  { type: 'weekly_restriction', start_time_of_day: '25:00:00', duration_seconds: 3600 },
                  { type: 'daily_restriction', start_time_of_day: '09:00', duration_seconds: 90000 },
                ],
              }),
            ],
          },
        });
        expect(res.statusCode).toBe(400);
        const errors = res.json<{ error: { code: number; errors: string[] } }>().error.errors;
        expect(errors).toEqual([
          'Name cannot be empty',
          'time_zone must be an IANA time zone such as Europe/London',
          'schedule_layers[0].end must be after its start',
          'schedule_layers[0].rotation_turn_length_seconds must be a whole number of seconds, at least 1',
          'schedule_layers[0].restrictions[0].start_time_of_day must be a time of day as HH:mm:ss',
          'schedule_layers[0].restrictions[0].start_day_of_week must be 1 (Monday) to 7 (Sunday) for a weekly restriction',
          'schedule_layers[0].restrictions[1].start_time_of_day must be a time of day as HH:mm:ss',
          'schedule_layers[0].restrictions[1].duration_seconds must be a whole number from 1 to 86400',
          'User PNOBODY not found',
        ]);
      });

      it('lists schedules by name with a query, pagination and no final schedule', async () => {
        for (const name of ['Charlie', 'alpha', 'Bravo'])
          await create({ name, time_zone: 'UTC', schedule_layers: [layerBody([alice])] });
        const first = (await t.api('GET', '/api/v2/schedules?limit=2&total=true')).json<Json>();
        expect(first).toMatchObject({ limit: 2, offset: 0, more: true, total: 3 });
        const listed = first.schedules as Json[];
        expect(listed.map((s) => s.name)).toEqual(['alpha', 'Bravo']);
        expect(listed[0]).not.toHaveProperty('final_schedule');
        expect(listed[0]).not.toHaveProperty('schedule_layers');
        const found = (await t.api('GET', '/api/v2/schedules?query=RAV')).json<{ schedules: Json[] }>();
        expect(found.schedules.map((s) => s.name)).toEqual(['Bravo']);
        const withLayers = (await t.api('GET', '/api/v2/schedules?include[]=schedule_layers')).json<{
          schedules: Json[];
        }>();
        expect(withLayers.schedules[0]).toHaveProperty('schedule_layers');
      });

      it('updates a schedule, keeping the ids of the layers it names and giving new layers new ids', async () => {
        const s = await create({ name: 'Ops', time_zone: 'UTC', schedule_layers: [layerBody([alice])] });
        const kept = s.schedule_layers[0]!.id;
        const res = await t.api('PUT', `/api/v2/schedules/${s.id}`, {
          schedule: {
            name: 'Ops 2',
            schedule_layers: [layerBody([bob], { id: kept }), layerBody([carol], { id: 'PUNKNOW' })],
          },
        });
        expect(res.statusCode, res.body).toBe(200);
        const updated = res.json<{ schedule: Presented & { name: string; time_zone: string } }>().schedule;
        expect(updated.name).toBe('Ops 2');
        expect(updated.time_zone).toBe('UTC');
        expect(updated.schedule_layers[0]!.id).toBe(kept);
        expect(updated.schedule_layers[1]!.id).not.toBe('PUNKNOW');
        expect(
          (await t.api('PUT', '/api/v2/schedules/PNOPE00', { schedule: { name: 'x' } })).statusCode,
        ).toBe(404);
      });

      it('lets responders read schedules but not change them', async () => {
        const s = await create({ name: 'Ops', time_zone: 'UTC', schedule_layers: [layerBody([alice])] });
        const headers = await userToken(t, alice);
        expect((await t.api('GET', `/api/v2/schedules/${s.id}`, undefined, headers)).statusCode).toBe(200);
        const write = await t.api('POST', '/api/v2/schedules', { schedule: { name: 'x' } }, headers);
        expect(write.statusCode).toBe(403);
        expect((await t.api('DELETE', `/api/v2/schedules/${s.id}`, undefined, headers)).statusCode).toBe(403);
        const manager = await userToken(t, await insertBareUser(t.store, 'Mia', 'manager'));
        const ok = await t.api('PUT', `/api/v2/schedules/${s.id}`, { schedule: { name: 'Ops!' } }, manager);
        expect(ok.statusCode).toBe(200);
      });

      it('renders two weeks from now by default and refuses windows over 90 days', async () => {
        const s = await create({
          name: 'Daily',
          time_zone: 'UTC',
          schedule_layers: [layerBody([alice, bob])],
        });
        const rendered = await get(s.id);
        expect(rendered.final_schedule.rendered_schedule_entries[0]!.start).toBe('2026-01-05T09:00:00+00:00');
        expect(rendered.final_schedule.rendered_schedule_entries.at(-1)!.end).toBe(
          '2026-01-19T09:00:00+00:00',
        );
        expect(rendered.final_schedule.rendered_coverage_percentage).toBe(100);
        const long = await t.api(
          'GET',
          `/api/v2/schedules/${s.id}${q({ since: '2026-01-01T00:00:00Z', until: '2026-05-01T00:00:00Z' })}`,
        );
        expect(long.statusCode).toBe(400);
        const backwards = await t.api(
          'GET',
          `/api/v2/schedules/${s.id}${q({ since: '2026-02-01T00:00:00Z', until: '2026-01-01T00:00:00Z' })}`,
        );
        expect(backwards.json<{ error: { errors: string[] } }>().error.errors).toEqual([
          'until must be after since',
        ]);
        const zone = await t.api('GET', `/api/v2/schedules/${s.id}?time_zone=Nowhere/Else`);
        expect(zone.statusCode).toBe(400);
      });

      it('keeps a daily 09:00 New York hand-off across the spring-forward week, in any presented zone', async () => {
        const s = await create({
          name: 'NY',
          time_zone: 'America/New_York',
          schedule_layers: [layerBody([alice, bob], { rotation_virtual_start: '2026-03-01T09:00:00-05:00' })],
        });
        const window = { since: '2026-03-07T00:00:00-05:00', until: '2026-03-10T00:00:00-04:00' };
        const ny = await get(s.id, q(window));
        expect(lines(ny.final_schedule)).toEqual([
          'Bob 2026-03-07T00:00:00-05:00 2026-03-07T09:00:00-05:00',
          'Alice 2026-03-07T09:00:00-05:00 2026-03-08T09:00:00-04:00',
          'Bob 2026-03-08T09:00:00-04:00 2026-03-09T09:00:00-04:00',
          'Alice 2026-03-09T09:00:00-04:00 2026-03-10T00:00:00-04:00',
        ]);
        const utc = await get(s.id, q({ ...window, time_zone: 'UTC' }));
        expect(lines(utc.final_schedule)[1]).toBe(
          'Alice 2026-03-07T14:00:00+00:00 2026-03-08T13:00:00+00:00',
        );
        const over = await get(s.id, q({ ...window, overflow: 'true' }));
        expect(lines(over.final_schedule)[0]).toBe('Bob 2026-03-06T09:00:00-05:00 2026-03-07T09:00:00-05:00');
        expect(lines(over.final_schedule).at(-1)).toBe(
          'Alice 2026-03-09T09:00:00-04:00 2026-03-10T09:00:00-04:00',
        );
      });

      it('renders restrictions that cross midnight and the end of the week, with coverage and gaps', async () => {
        const s = await create({
          name: 'Nights',
          time_zone: 'Europe/London',
          schedule_layers: [
            layerBody([alice], {
              rotation_turn_length_seconds: 604800,
              restrictions: [
                {
                  type: 'weekly_restriction',
                  start_day_of_week: 7,
                  start_time_of_day: '20:00:00',
                  duration_seconds: 43200,
                },
                { type: 'daily_restriction', start_time_of_day: '22:00:00', duration_seconds: 28800 },
              ],
            }),
          ],
        });
        const rendered = await get(s.id, q({ since: '2026-01-09T00:00:00Z', until: '2026-01-13T00:00:00Z' }));
        expect(lines(rendered.final_schedule)).toEqual([
          'Alice 2026-01-09T00:00:00+00:00 2026-01-09T06:00:00+00:00',
          'Alice 2026-01-09T22:00:00+00:00 2026-01-10T06:00:00+00:00',
          'Alice 2026-01-10T22:00:00+00:00 2026-01-11T06:00:00+00:00',
          'Alice 2026-01-11T20:00:00+00:00 2026-01-12T08:00:00+00:00',
          'Alice 2026-01-12T22:00:00+00:00 2026-01-13T00:00:00+00:00',
        ]);
        expect(rendered.final_schedule.rendered_gaps).toEqual([
          { start: '2026-01-09T06:00:00+00:00', end: '2026-01-09T22:00:00+00:00' },
          { start: '2026-01-10T06:00:00+00:00', end: '2026-01-10T22:00:00+00:00' },
          { start: '2026-01-11T06:00:00+00:00', end: '2026-01-11T20:00:00+00:00' },
          { start: '2026-01-12T08:00:00+00:00', end: '2026-01-12T22:00:00+00:00' },
        ]);
        // 6 + 8 + 8 + 12 + 2 = 36 of 96 hours.
        expect(rendered.final_schedule.rendered_coverage_percentage).toBe(37.5);
        expect(rendered.schedule_layers[0]!.rendered_coverage_percentage).toBe(37.5);
      });

      it('lets a later layer win and the newest overlapping override win over every layer', async () => {
        const s = await create({
          name: 'Layered',
          time_zone: 'UTC',
          schedule_layers: [
            layerBody([alice]),
            layerBody([bob], {
              restrictions: [
                { type: 'daily_restriction', start_time_of_day: '09:00:00', duration_seconds: 28800 },
              ],
            }),
          ],
        });
        const post = async (overrides: Json[]) => {
          const res = await t.api('POST', `/api/v2/schedules/${s.id}/overrides`, { overrides });
          expect(res.statusCode, res.body).toBe(201);
          return res.json<{ status: number; errors?: string[]; override: Json }[]>();
        };
        const ref = (id: string) => ({ id, type: 'user_reference' });
        const first = await post([
          { start: '2026-01-06T10:00:00Z', end: '2026-01-06T14:00:00Z', user: ref(carol) },
          { start: '2026-01-06T12:00:00Z', end: '2026-01-06T12:00:00Z', user: ref(carol) },
        ]);
        expect(first.map((r) => r.status)).toEqual([201, 400]);
        expect(first[1]!.errors).toEqual(['Override must end after its start']);
        await post([
          { start: '2026-01-06T11:00:00', end: '2026-01-06T12:00:00', user: ref(alice), time_zone: 'UTC' },
        ]);
        const window = q({ since: '2026-01-06T00:00:00Z', until: '2026-01-07T00:00:00Z' });
        const rendered = await get(s.id, window);
        expect(lines(rendered.final_schedule)).toEqual([
          'Alice 2026-01-06T00:00:00+00:00 2026-01-06T09:00:00+00:00',
          'Bob 2026-01-06T09:00:00+00:00 2026-01-06T10:00:00+00:00',
          'Carol 2026-01-06T10:00:00+00:00 2026-01-06T11:00:00+00:00',
          'Alice 2026-01-06T11:00:00+00:00 2026-01-06T12:00:00+00:00',
          'Carol 2026-01-06T12:00:00+00:00 2026-01-06T14:00:00+00:00',
          'Bob 2026-01-06T14:00:00+00:00 2026-01-06T17:00:00+00:00',
          'Alice 2026-01-06T17:00:00+00:00 2026-01-07T00:00:00+00:00',
        ]);
        expect(rendered.overrides_subschedule.rendered_coverage_percentage).toBe(16.67);
        const users = (await t.api('GET', `/api/v2/schedules/${s.id}/users${window}`)).json<{
          users: Json[];
        }>();
        expect(users.users.map((u) => u.name)).toEqual(['Alice', 'Bob', 'Carol']);
        expect(users.users[0]).toMatchObject({
          type: 'user',
          id: alice,
          email: expect.any(String) as unknown,
        });
        const listed = (await t.api('GET', `/api/v2/schedules/${s.id}/overrides${window}`)).json<{
          overrides: Json[];
        }>();
        expect(listed.overrides.map((o) => (o.user as Json).id)).toEqual([carol, alice]);
      });

      it('ends an overflowing entry where an override just past the window begins', async () => {
        const s = await create({ name: 'Edge', time_zone: 'UTC', schedule_layers: [layerBody([alice])] });
        await t.api('POST', `/api/v2/schedules/${s.id}/overrides`, {
          overrides: [{ start: '2026-01-06T15:00:00Z', end: '2026-01-06T16:00:00Z', user: { id: bob } }],
        });
        const window = { since: '2026-01-06T10:00:00Z', until: '2026-01-06T11:00:00Z', overflow: 'true' };
        const rendered = await get(s.id, q(window));
        expect(lines(rendered.final_schedule)).toEqual([
          'Alice 2026-01-06T09:00:00+00:00 2026-01-06T15:00:00+00:00',
        ]);
        expect(rendered.overrides_subschedule.rendered_schedule_entries).toEqual([]);
      });

      it('deletes a future override and truncates one in progress', async () => {
        const s = await create({ name: 'O', time_zone: 'UTC', schedule_layers: [layerBody([alice])] });
        const res = await t.api('POST', `/api/v2/schedules/${s.id}/overrides`, {
          overrides: [
            { start: '2026-01-05T08:00:00Z', end: '2026-01-05T12:00:00Z', user: { id: bob } },
            { start: '2026-01-08T08:00:00Z', end: '2026-01-08T12:00:00Z', user: { id: bob } },
          ],
        });
        const [now, later] = res.json<{ override: { id: string } }[]>().map((r) => r.override.id);
        const truncated = await t.api('DELETE', `/api/v2/schedules/${s.id}/overrides/${now}`);
        expect(truncated.statusCode).toBe(200);
        expect(truncated.json()).toMatchObject({ override: { id: now, end: '2026-01-05T09:00:00+00:00' } });
        expect((await t.api('DELETE', `/api/v2/schedules/${s.id}/overrides/${later}`)).statusCode).toBe(204);
        expect((await t.api('DELETE', `/api/v2/schedules/${s.id}/overrides/${later}`)).statusCode).toBe(404);
        const window = q({ since: '2026-01-01T00:00:00Z', until: '2026-01-10T00:00:00Z' });
        const left = (await t.api('GET', `/api/v2/schedules/${s.id}/overrides${window}`)).json<{
          overrides: Json[];
        }>();
        expect(left.overrides).toEqual([
          expect.objectContaining({ id: now, start: '2026-01-05T08:00:00+00:00' }),
        ]);
      });

      it('previews a schedule without saving it', async () => {
        const res = await t.api(
          'POST',
          `/api/v2/schedules/preview${q({ since: '2026-01-05T00:00:00Z', until: '2026-01-06T00:00:00Z' })}`,
          {
            schedule: { name: 'Draft', time_zone: 'UTC', schedule_layers: [layerBody([alice, bob])] },
          },
        );
        expect(res.statusCode, res.body).toBe(200);
        const preview = res.json<{ schedule: Presented }>().schedule;
        expect(preview).not.toHaveProperty('id');
        expect(lines(preview.final_schedule)).toEqual([
          'Bob 2026-01-05T00:00:00+00:00 2026-01-05T09:00:00+00:00',
          'Alice 2026-01-05T09:00:00+00:00 2026-01-06T00:00:00+00:00',
        ]);
        expect((await t.api('GET', '/api/v2/schedules?total=true')).json<Json>().total).toBe(0);
      });

      it('still renders a deleted user by id and name', async () => {
        const s = await create({ name: 'Gone', time_zone: 'UTC', schedule_layers: [layerBody([alice])] });
        await t.store.db
          .updateTable('users')
          .set({ deleted_at: '2026-01-05T00:00:00.000Z' })
          .where('id', '=', alice)
          .execute();
        const rendered = await get(s.id);
        expect(rendered.final_schedule.rendered_schedule_entries[0]!.user).toMatchObject({
          id: alice,
          summary: 'Alice',
        });
      });

      it('refuses to delete a schedule an escalation policy targets, then deletes it softly', async () => {
        const s = await create({ name: 'Used', time_zone: 'UTC', schedule_layers: [layerBody([alice])] });
        const policy = await insertPolicy(
          t.store,
          [{ delay: 30, targets: [`schedule:${s.id}`] }],
          0,
          'Checkout',
        );
        const listed = await get(s.id);
        expect(listed).toMatchObject({
          escalation_policies: [{ id: policy, type: 'escalation_policy_reference', summary: 'Checkout' }],
        });
        const refused = await t.api('DELETE', `/api/v2/schedules/${s.id}`);
        expect(refused.statusCode).toBe(400);
        expect(refused.json<{ error: { errors: string[] } }>().error.errors[0]).toContain(policy);
        await t.store.db
          .updateTable('escalation_policies')
          .set({ deleted_at: '2026-01-05T00:00:00.000Z' })
          .execute();
        expect((await t.api('DELETE', `/api/v2/schedules/${s.id}`)).statusCode).toBe(204);
        expect((await t.api('GET', `/api/v2/schedules/${s.id}`)).statusCode).toBe(404);
        const row = await t.store.db
          .selectFrom('schedules')
          .select('deleted_at')
          .where('id', '=', s.id)
          .executeTakeFirst();
        expect(row?.deleted_at).toBe('2026-01-05T09:00:00.000Z');
      });
    });
  });
}
