import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { backends } from '../harness/backends.js';
import { createUser, userToken } from '../harness/people.js';
import { startTestApp, type TestApp } from '../harness/test-app.js';

type Json = Record<string, unknown>;

for (const backend of backends()) {
  describe(backend.name, () => {
    describe('teams API', () => {
      let t: TestApp;
      beforeEach(async () => {
        t = await startTestApp(backend.fresh());
      });
      afterEach(async () => {
        await t.close();
      });
      afterAll(async () => {
        await backend.cleanup();
      });

      const create = async (team: Json) => {
        const res = await t.api('POST', '/api/v2/teams', { team });
        expect(res.statusCode, res.body).toBe(201);
        return res.json<{ team: Json & { id: string } }>().team;
      };
      const errorsOf = (res: { json: <T>() => T }) =>
        res.json<{ error: { errors: string[] } }>().error.errors;

      it('creates, gets, updates and deletes a team', async () => {
        const team = await create({ name: 'Platform', description: 'Runs the platform' });
        expect(team).toMatchObject({
          type: 'team',
          name: 'Platform',
          summary: 'Platform',
          description: 'Runs the platform',
          default_role: 'manager',
          self: `${t.baseUrl}/api/v2/teams/${team.id}`,
          html_url: `${t.baseUrl}/teams/${team.id}`,
        });
        expect((await t.api('GET', `/api/v2/teams/${team.id}`)).json()).toEqual({ team });
        const put = await t.api('PUT', `/api/v2/teams/${team.id}`, { team: { description: 'Infra' } });
        expect(put.json<{ team: Json }>().team).toMatchObject({ name: 'Platform', description: 'Infra' });
        expect((await t.api('DELETE', `/api/v2/teams/${team.id}`)).statusCode).toBe(204);
        expect((await t.api('GET', `/api/v2/teams/${team.id}`)).statusCode).toBe(404);
      });

      it('refuses an empty or taken name, ignoring case, and frees it on delete', async () => {
        const first = await create({ name: 'SRE' });
        const empty = await t.api('POST', '/api/v2/teams', { team: { name: ' ', description: 5 } });
        expect(errorsOf(empty)).toEqual(['Name cannot be empty', 'description must be a string']);
        expect(errorsOf(await t.api('POST', '/api/v2/teams', { team: { name: 'sre' } }))).toEqual([
          'Name has already been taken',
        ]);
        await t.api('DELETE', `/api/v2/teams/${first.id}`);
        await create({ name: 'sre' });
      });

      it('lists teams by name with pagination and a query', async () => {
        for (const name of ['Web', 'api', 'Mobile']) await create({ name });
        const page = (await t.api('GET', '/api/v2/teams?limit=2&total=true')).json<Json>();
        expect(page).toMatchObject({ limit: 2, offset: 0, more: true, total: 3 });
        expect((page.teams as Json[]).map((x) => x.name)).toEqual(['api', 'Mobile']);
        const found = (await t.api('GET', '/api/v2/teams?query=WE')).json<Json>();
        expect((found.teams as Json[]).map((x) => x.name)).toEqual(['Web']);
      });

      it('adds members with team roles, lists them and shows teams on users', async () => {
        const team = await create({ name: 'Payments' });
        const ann = await createUser(t, { name: 'Ann' });
        const bob = await createUser(t, { name: 'Bob' });
        const put = (userId: string, body?: Json) =>
          t.api('PUT', `/api/v2/teams/${team.id}/users/${userId}`, body);
        expect((await put(bob.id)).statusCode).toBe(204);
        expect((await put(ann.id, { role: 'observer' })).statusCode).toBe(204);
        expect((await put(ann.id, { role: 'manager' })).statusCode).toBe(204);
        expect(errorsOf(await put(ann.id, { role: 'owner' }))).toEqual([
          'role must be manager, responder or observer',
        ]);
        expect((await put('PNOPE00')).statusCode).toBe(404);
        const members = (await t.api('GET', `/api/v2/teams/${team.id}/members`)).json<Json>();
        expect(members).toMatchObject({ limit: 25, offset: 0, more: false, total: null });
        expect(members.members).toEqual([
          {
            user: expect.objectContaining({ id: ann.id, type: 'user_reference', summary: 'Ann' }) as unknown,
            role: 'manager',
          },
          { user: expect.objectContaining({ id: bob.id }) as unknown, role: 'responder' },
        ]);
        const user = (await t.api('GET', `/api/v2/users/${ann.id}`)).json<{ user: Json }>().user;
        expect(user.teams).toEqual([
          {
            id: team.id,
            type: 'team_reference',
            summary: 'Payments',
            self: `${t.baseUrl}/api/v2/teams/${team.id}`,
            html_url: `${t.baseUrl}/teams/${team.id}`,
          },
        ]);
        expect((await t.api('DELETE', `/api/v2/teams/${team.id}/users/${ann.id}`)).statusCode).toBe(204);
        expect((await t.api('DELETE', `/api/v2/teams/${team.id}/users/${ann.id}`)).statusCode).toBe(404);
        expect((await t.api('GET', `/api/v2/users/${ann.id}`)).json<{ user: Json }>().user.teams).toEqual([]);
      });

      it('removes members and the team from users when a team is deleted', async () => {
        const team = await create({ name: 'Data' });
        const user = await createUser(t);
        await t.api('PUT', `/api/v2/teams/${team.id}/users/${user.id}`, { role: 'responder' });
        await t.api('DELETE', `/api/v2/teams/${team.id}`);
        expect((await t.api('GET', `/api/v2/users/${user.id}`)).json<{ user: Json }>().user.teams).toEqual(
          [],
        );
        expect((await t.api('GET', `/api/v2/teams/${team.id}/members`)).statusCode).toBe(404);
      });

      it('lets managers manage their teams, responders and observers only read them', async () => {
        const team = await create({ name: 'Core' });
        const mia = await createUser(t, { role: 'manager' });
        const manager = await userToken(t, mia.id);
        const responder = await createUser(t, { role: 'responder' });
        const responderToken = await userToken(t, responder.id);
        const observer = await userToken(t, (await createUser(t, { role: 'observer' })).id);
        const made = await t.api('POST', '/api/v2/teams', { team: { name: 'M' } }, manager);
        expect(made.statusCode).toBe(201);
        const mine = made.json<{ team: { id: string } }>().team.id;
        const members = await t.api('GET', `/api/v2/teams/${mine}/members`);
        const listed = members.json<{ members: { user: { id: string }; role: string }[] }>().members;
        expect(listed.map((m) => [m.user.id, m.role])).toEqual([[mia.id, 'manager']]);
        const join = `/api/v2/teams/${team.id}/users/${responder.id}`;
        expect((await t.api('PUT', join, { role: 'manager' }, responderToken)).statusCode).toBe(403);
        // Core is not the manager's team: only its members (or an admin) change it.
        expect((await t.api('PUT', join, {}, manager)).statusCode).toBe(403);
        expect((await t.api('PUT', `/api/v2/teams/${team.id}/users/${mia.id}`, {})).statusCode).toBe(204);
        expect((await t.api('PUT', join, {}, manager)).statusCode).toBe(204);
        for (const headers of [responderToken, observer]) {
          expect((await t.api('GET', '/api/v2/teams', undefined, headers)).statusCode).toBe(200);
          expect((await t.api('POST', '/api/v2/teams', { team: { name: 'X' } }, headers)).statusCode).toBe(
            403,
          );
          expect(
            (await t.api('PUT', `/api/v2/teams/${team.id}`, { team: { name: 'Y' } }, headers)).statusCode,
          ).toBe(403);
          expect((await t.api('DELETE', `/api/v2/teams/${team.id}`, undefined, headers)).statusCode).toBe(
            403,
          );
        }
      });
    });
  });
}
