import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { backends } from '../harness/backends.js';
import { createUser, userToken } from '../harness/people.js';
import { startTestApp, type TestApp } from '../harness/test-app.js';

type Json = Record<string, unknown>;

for (const backend of backends()) {
  describe(backend.name, () => {
    describe('users API', () => {
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

      const errorsOf = (res: { json: <T>() => T }) =>
        res.json<{ error: { errors: string[] } }>().error.errors;

      it('creates a user with a default email contact method and notification rules', async () => {
        const user = await createUser(t, {
          name: 'Ada Lovelace',
          email: 'Ada@Example.com',
          job_title: 'SRE',
        });
        expect(user).toMatchObject({
          type: 'user',
          name: 'Ada Lovelace',
          summary: 'Ada Lovelace',
          email: 'Ada@Example.com',
          time_zone: 'UTC',
          role: 'limited_user',
          job_title: 'SRE',
          description: null,
          avatar_url: null,
          teams: [],
          self: `${t.baseUrl}/api/v2/users/${user.id}`,
          html_url: `${t.baseUrl}/users/${user.id}`,
        });
        expect(typeof user.color).toBe('string');
        const methods = user.contact_methods as Json[];
        expect(methods).toEqual([
          expect.objectContaining({ type: 'email_contact_method_reference', summary: 'Default' }),
        ]);
        const rules = (await t.api('GET', `/api/v2/users/${user.id}/notification_rules`)).json<{
          notification_rules: Json[];
        }>().notification_rules;
        expect(rules.map((r) => [r.urgency, r.start_delay_in_minutes])).toEqual([
          ['high', 0],
          ['low', 0],
        ]);
        expect(user.notification_rules as Json[]).toHaveLength(2);
      });

      it('reports every invalid field at once', async () => {
        const res = await t.api('POST', '/api/v2/users', {
          user: { name: '', email: 'not-an-email', time_zone: 'Mars/Olympus', role: 'emperor', job_title: 7 },
        });
        expect(res.statusCode).toBe(400);
        expect(errorsOf(res)).toEqual([
          'Name cannot be empty',
          'Email is invalid',
          'Time zone must be an IANA time zone such as Europe/Paris',
          expect.stringMatching(/^Role must be one of admin, owner, user, manager, limited_user/) as unknown,
          'job_title must be a string',
        ]);
      });

      it('refuses an email another user has, ignoring case', async () => {
        const first = await createUser(t, { email: 'sam@example.com' });
        const dup = await t.api('POST', '/api/v2/users', {
          user: { name: 'Sam 2', email: 'SAM@example.com' },
        });
        expect(dup.statusCode).toBe(400);
        expect(dup.json()).toEqual({
          error: { message: 'Invalid Input Provided', code: 2001, errors: ['Email has already been taken'] },
        });
        const other = await createUser(t, { email: 'kim@example.com' });
        const rename = await t.api('PUT', `/api/v2/users/${other.id}`, {
          user: { email: 'Sam@Example.com' },
        });
        expect(errorsOf(rename)).toEqual(['Email has already been taken']);
        expect((await t.api('DELETE', `/api/v2/users/${first.id}`)).statusCode).toBe(204);
        await createUser(t, { email: 'sam@example.com' });
      });

      it('accepts PagerDuty and Tocsin role names and presents PagerDuty API roles', async () => {
        const cases: [string, string][] = [
          ['owner', 'admin'],
          ['admin', 'admin'],
          ['user', 'user'],
          ['manager', 'user'],
          ['limited_user', 'limited_user'],
          ['responder', 'limited_user'],
          ['restricted_access', 'limited_user'],
          ['observer', 'observer'],
          ['read_only_user', 'observer'],
          ['read_only_limited_user', 'observer'],
        ];
        for (const [given, shown] of cases)
          expect((await createUser(t, { role: given })).role, given).toBe(shown);
        const stored = await t.store.db
          .selectFrom('users')
          .select('role')
          .where('email', 'like', 'user%')
          .execute();
        expect(new Set(stored.map((r) => r.role))).toEqual(
          new Set(['admin', 'manager', 'responder', 'observer']),
        );
      });

      it('gets a user by id, the token owner at /users/me, and 404 for an unknown id', async () => {
        const user = await createUser(t, { time_zone: 'Europe/Paris' });
        const got = await t.api('GET', `/api/v2/users/${user.id}`);
        expect(got.json()).toEqual({ user });
        const me = (await t.api('GET', '/api/v2/users/me')).json<{ user: Json }>().user;
        expect(me).toMatchObject({ email: 'admin@tocsin.local', role: 'admin' });
        const headers = await userToken(t, user.id);
        const mine = (await t.api('GET', '/api/v2/users/me', undefined, headers)).json<{ user: Json }>().user;
        expect(mine.id).toBe(user.id);
        expect((await t.api('GET', '/api/v2/users/PNOPE00')).statusCode).toBe(404);
      });

      it('shows the calendar feed URLs to the user themself, and to managers who ask, once the feed exists', async () => {
        const ada = await createUser(t, { name: 'Ada' });
        const grace = await createUser(t, { name: 'Grace' });
        const own = await userToken(t, ada.id);
        const other = await userToken(t, grace.id);
        const manager = await userToken(t, (await createUser(t, { name: 'Mia' })).id, 'manager');
        const fields = async (url: string, headers: Record<string, string>) => {
          const res = await t.api('GET', url, undefined, headers);
          expect(res.statusCode, res.body).toBe(200);
          const user = res.json<{ user: Json }>().user;
          return [user.http_cal_url, user.web_cal_url];
        };
        // No feed token yet: a read does not make one.
        expect(await fields('/api/v2/users/me', own)).toEqual([undefined, undefined]);
        const feed = await t.api('GET', `/api/v2/users/${ada.id}/calendar_feed`, undefined, own);
        const urls = feed.json<{ calendar_feed: { http_cal_url: string; web_cal_url: string } }>()
          .calendar_feed;
        const shown = [urls.http_cal_url, urls.web_cal_url];
        expect(await fields('/api/v2/users/me', own)).toEqual(shown);
        expect(await fields(`/api/v2/users/${ada.id}`, own)).toEqual(shown);
        expect(await fields(`/api/v2/users/${ada.id}?include[]=calendar_urls`, manager)).toEqual(shown);
        expect(await fields(`/api/v2/users/${ada.id}`, manager)).toEqual([undefined, undefined]);
        expect(await fields(`/api/v2/users/${ada.id}?include[]=calendar_urls`, other)).toEqual([
          undefined,
          undefined,
        ]);
        const listed = (await t.api('GET', '/api/v2/users', undefined, own)).json<{ users: Json[] }>().users;
        expect(listed.every((u) => !('http_cal_url' in u))).toBe(true);
      });

      it('updates only the fields sent', async () => {
        const user = await createUser(t, { name: 'Lin', job_title: 'Dev' });
        t.clock.advance(60_000);
        const res = await t.api('PUT', `/api/v2/users/${user.id}`, {
          user: { time_zone: 'America/New_York', description: 'On call weekends', color: 'red' },
        });
        expect(res.statusCode, res.body).toBe(200);
        expect(res.json<{ user: Json }>().user).toMatchObject({
          name: 'Lin',
          job_title: 'Dev',
          time_zone: 'America/New_York',
          description: 'On call weekends',
          color: 'red',
        });
      });

      it('lists users by name with pagination, a query on name or email, and a team filter', async () => {
        for (const name of ['Charlie', 'alice', 'Bob'])
          await createUser(t, { name, email: `${name}@corp.example` });
        const first = (await t.api('GET', '/api/v2/users?limit=2')).json<Json>();
        expect(first).toMatchObject({ limit: 2, offset: 0, more: true, total: null });
        expect((first.users as Json[]).map((u) => u.name)).toEqual(['Administrator', 'alice']);
        const rest = (await t.api('GET', '/api/v2/users?limit=2&offset=2&total=true')).json<Json>();
        expect(rest).toMatchObject({ more: false, total: 4 });
        expect((rest.users as Json[]).map((u) => u.name)).toEqual(['Bob', 'Charlie']);
        const byEmail = (await t.api('GET', '/api/v2/users?query=CORP.EX')).json<Json>();
        expect((byEmail.users as Json[]).map((u) => u.name)).toEqual(['alice', 'Bob', 'Charlie']);
        const team = (await t.api('POST', '/api/v2/teams', { team: { name: 'Ops' } })).json<{ team: Json }>()
          .team;
        const bob = (rest.users as Json[])[0]!;
        await t.api('PUT', `/api/v2/teams/${String(team.id)}/users/${String(bob.id)}`, {});
        const inTeam = (await t.api('GET', `/api/v2/users?team_ids[]=${String(team.id)}`)).json<Json>();
        expect((inTeam.users as Json[]).map((u) => u.name)).toEqual(['Bob']);
      });

      it('soft-deletes a user: 404 afterwards, out of lists and teams, token revoked', async () => {
        const user = await createUser(t);
        const headers = await userToken(t, user.id);
        const team = (await t.api('POST', '/api/v2/teams', { team: { name: 'Web' } })).json<{ team: Json }>()
          .team;
        await t.api('PUT', `/api/v2/teams/${String(team.id)}/users/${user.id}`, { role: 'manager' });
        expect((await t.api('DELETE', `/api/v2/users/${user.id}`)).statusCode).toBe(204);
        expect((await t.api('GET', `/api/v2/users/${user.id}`)).statusCode).toBe(404);
        expect((await t.api('DELETE', `/api/v2/users/${user.id}`)).statusCode).toBe(404);
        const list = (await t.api('GET', '/api/v2/users')).json<{ users: Json[] }>().users;
        expect(list.map((u) => u.id)).not.toContain(user.id);
        const members = (await t.api('GET', `/api/v2/teams/${String(team.id)}/members`)).json<{
          members: Json[];
        }>();
        expect(members.members).toEqual([]);
        expect((await t.api('GET', '/api/v2/users/me', undefined, headers)).statusCode).toBe(401);
        const row = await t.store.db
          .selectFrom('users')
          .select('deleted_at')
          .where('id', '=', user.id)
          .executeTakeFirst();
        expect(row?.deleted_at).toBe('2026-01-05T09:00:00.000Z');
      });

      it('never deletes or demotes the last admin', async () => {
        const me = (await t.api('GET', '/api/v2/users/me')).json<{ user: { id: string } }>().user;
        const demote = await t.api('PUT', `/api/v2/users/${me.id}`, { user: { role: 'user' } });
        expect(errorsOf(demote)).toEqual(['The last admin cannot be deleted or demoted']);
        expect(errorsOf(await t.api('DELETE', `/api/v2/users/${me.id}`))).toEqual([
          'The last admin cannot be deleted or demoted',
        ]);
        await createUser(t, { role: 'admin' });
        expect((await t.api('DELETE', `/api/v2/users/${me.id}`)).statusCode).toBe(204);
      });
      it('lets a responder edit their own profile but not their role, and nobody else', async () => {
        const me = await createUser(t, { role: 'responder' });
        const other = await createUser(t, { role: 'responder' });
        const headers = await userToken(t, me.id);
        const own = await t.api(
          'PUT',
          `/api/v2/users/${me.id}`,
          { user: { job_title: 'SRE', role: 'limited_user' } },
          headers,
        );
        expect(own.statusCode, own.body).toBe(200);
        expect(own.json<{ user: Json }>().user.job_title).toBe('SRE');
        const promote = await t.api('PUT', `/api/v2/users/${me.id}`, { user: { role: 'user' } }, headers);
        expect(promote.statusCode).toBe(403);
        const theirs = await t.api('PUT', `/api/v2/users/${other.id}`, { user: { name: 'X' } }, headers);
        expect(theirs.statusCode).toBe(403);
        expect(
          (await t.api('POST', '/api/v2/users', { user: { name: 'N', email: 'n@example.com' } }, headers))
            .statusCode,
        ).toBe(403);
        expect((await t.api('DELETE', `/api/v2/users/${other.id}`, undefined, headers)).statusCode).toBe(403);
        expect((await t.api('GET', `/api/v2/users/${other.id}`, undefined, headers)).statusCode).toBe(200);
      });

      it('lets observers only read, even their own profile', async () => {
        const observer = await createUser(t, { role: 'observer' });
        const headers = await userToken(t, observer.id);
        expect((await t.api('GET', '/api/v2/users', undefined, headers)).statusCode).toBe(200);
        const edit = await t.api('PUT', `/api/v2/users/${observer.id}`, { user: { name: 'Me' } }, headers);
        expect(edit.statusCode).toBe(403);
        expect(edit.json<{ error: { code: number } }>().error.code).toBe(2010);
      });

      it('lets managers manage users but not create, promote, change or delete admins', async () => {
        const manager = await createUser(t, { role: 'manager' });
        const admin = await createUser(t, { role: 'admin' });
        const headers = await userToken(t, manager.id);
        const user = { name: 'New', email: 'new@example.com' };
        const created = await t.api('POST', '/api/v2/users', { user }, headers);
        expect(created.statusCode, created.body).toBe(201);
        const id = created.json<{ user: { id: string } }>().user.id;
        expect(
          (await t.api('PUT', `/api/v2/users/${id}`, { user: { role: 'observer' } }, headers)).statusCode,
        ).toBe(200);
        const adminBody = { user: { name: 'Boss', email: 'boss@example.com', role: 'admin' } };
        expect((await t.api('POST', '/api/v2/users', adminBody, headers)).statusCode).toBe(403);
        expect(
          (await t.api('PUT', `/api/v2/users/${id}`, { user: { role: 'owner' } }, headers)).statusCode,
        ).toBe(403);
        expect(
          (await t.api('PUT', `/api/v2/users/${admin.id}`, { user: { name: 'Y' } }, headers)).statusCode,
        ).toBe(403);
        expect((await t.api('DELETE', `/api/v2/users/${admin.id}`, undefined, headers)).statusCode).toBe(403);
        expect((await t.api('DELETE', `/api/v2/users/${id}`, undefined, headers)).statusCode).toBe(204);
      });
    });
  });
}
