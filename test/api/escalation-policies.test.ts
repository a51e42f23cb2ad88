import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { backends } from '../harness/backends.js';
import { insertBareUser, insertSchedule, insertTeam, rotation } from '../harness/on-call-fixtures.js';
import { userToken } from '../harness/people.js';
import { startTestApp, type TestApp } from '../harness/test-app.js';

type Json = Record<string, unknown>;
type Policy = Json & { id: string; escalation_rules: (Json & { id: string; targets: Json[] })[] };

for (const backend of backends()) {
  describe(backend.name, () => {
    describe('escalation policies API', () => {
      let t: TestApp;
      let alice: string;
      let bob: string;
      let schedule: string;
      beforeEach(async () => {
        t = await startTestApp(backend.fresh());
        alice = await insertBareUser(t.store, 'Alice');
        bob = await insertBareUser(t.store, 'Bob');
        schedule = await insertSchedule(t.store, [rotation([alice, bob])], 'UTC', 'Primary');
      });
      afterEach(async () => {
        await t.close();
      });
      afterAll(async () => {
        await backend.cleanup();
      });

      const body = (name: string, extra: Json = {}) => ({
        escalation_policy: {
          type: 'escalation_policy',
          name,
          escalation_rules: [
            { escalation_delay_in_minutes: 30, targets: [{ id: schedule, type: 'schedule_reference' }] },
            { escalation_delay_in_minutes: 15, targets: [{ id: bob, type: 'user' }] },
          ],
          ...extra,
        },
      });
      const create = async (name: string, extra: Json = {}) => {
        const res = await t.api('POST', '/api/v2/escalation_policies', body(name, extra));
        expect(res.statusCode, res.body).toBe(201);
        return res.json<{ escalation_policy: Policy }>().escalation_policy;
      };
      const errorsOf = (res: { json: <T>() => T }) =>
        res.json<{ error: { code: number; errors: string[] } }>().error;

      it('creates a policy with PagerDuty defaults and targets presented as named references', async () => {
        const policy = await create('Checkout on-call', { description: 'Pages checkout' });
        expect(policy).toMatchObject({
          type: 'escalation_policy',
          name: 'Checkout on-call',
          summary: 'Checkout on-call',
          description: 'Pages checkout',
          num_loops: 0,
          on_call_handoff_notifications: 'if_has_services',
          self: `${t.baseUrl}/api/v2/escalation_policies/${policy.id}`,
          html_url: `${t.baseUrl}/escalation_policies/${policy.id}`,
          services: [],
          teams: [],
        });
        expect(policy.id).toMatch(/^P[0-9A-Z]{6}$/);
        const [first, second] = policy.escalation_rules;
        expect(first).toMatchObject({
          escalation_delay_in_minutes: 30,
          escalation_rule_assignment_strategy: 'assign_to_everyone',
          targets: [
            {
              id: schedule,
              type: 'schedule_reference',
              summary: 'Primary',
              self: `${t.baseUrl}/api/v2/schedules/${schedule}`,
            },
          ],
        });
        expect(second!.targets).toEqual([
          expect.objectContaining({ id: bob, type: 'user_reference', summary: 'Bob' }),
        ]);
        expect(first!.id).toMatch(/^P[0-9A-Z]{6}$/);
      });

      it('gets a policy by id and answers 404 for an unknown one', async () => {
        const policy = await create('Search');
        const res = await t.api('GET', `/api/v2/escalation_policies/${policy.id}`);
        expect(res.statusCode).toBe(200);
        expect(res.json()).toEqual({ escalation_policy: policy });
        expect((await t.api('GET', '/api/v2/escalation_policies/PNOPE00')).statusCode).toBe(404);
      });

      it('updates only the fields sent and keeps the ids of rules it is sent back', async () => {
        const policy = await create('Billing');
        const kept = policy.escalation_rules[0]!;
        const res = await t.api('PUT', `/api/v2/escalation_policies/${policy.id}`, {
          escalation_policy: {
            num_loops: 2,
            on_call_handoff_notifications: 'always',
            escalation_rules: [
              { ...kept, escalation_delay_in_minutes: 10 },
              { escalation_delay_in_minutes: 5, targets: [{ id: alice, type: 'user_reference' }] },
            ],
          },
        });
        expect(res.statusCode, res.body).toBe(200);
        const updated = res.json<{ escalation_policy: Policy }>().escalation_policy;
        expect(updated).toMatchObject({
          name: 'Billing',
          num_loops: 2,
          on_call_handoff_notifications: 'always',
        });
        expect(
          updated.escalation_rules.map((r) => [r.id === kept.id, r.escalation_delay_in_minutes]),
        ).toEqual([
          [true, 10],
          [false, 5],
        ]);
        const renamed = await t.api('PUT', `/api/v2/escalation_policies/${policy.id}`, {
          escalation_policy: { name: 'Billing team' },
        });
        expect(renamed.json<{ escalation_policy: Policy }>().escalation_policy.escalation_rules).toHaveLength(
          2,
        );
      });

      it('reports every invalid field at once', async () => {
        const targets = Array.from({ length: 11 }, () => ({ id: alice, type: 'user_reference' }));
        const res = await t.api('POST', '/api/v2/escalation_policies', {
          escalation_policy: {
            name: '',
            num_loops: 10,
            on_call_handoff_notifications: 'never',
            teams: [{ id: 'PTEAM01', type: 'team_reference' }],
            escalation_rules: [
              { escalation_delay_in_minutes: 0, targets: [{ id: 'PNOUSER', type: 'user_reference' }] },
              { escalation_delay_in_minutes: 5, targets },
              { escalation_delay_in_minutes: 5, targets: [{ id: 'PNOSCHD', type: 'schedule' }] },
              { escalation_delay_in_minutes: 5, targets: [{ id: alice, type: 'team_reference' }] },
            ],
          },
        });
        expect(res.statusCode).toBe(400);
        const error = errorsOf(res);
        expect(error.code).toBe(2001);
        expect(error.errors).toEqual([
          'Name cannot be empty',
          'num_loops must be a whole number from 0 to 9',
          'on_call_handoff_notifications must be if_has_services or always',
          'escalation_rules[0].escalation_delay_in_minutes must be a whole number of minutes, at least 1',
          'escalation_rules[1].targets must list 1 to 10 targets',
          'escalation_rules[3].targets[0] must be a reference with an id and type user_reference or schedule_reference',
          'User PNOUSER not found',
          'Schedule PNOSCHD not found',
          'Team PTEAM01 not found',
        ]);
        const empty = await t.api('POST', '/api/v2/escalation_policies', {
          escalation_policy: { name: 'Empty', escalation_rules: [] },
        });
        expect(errorsOf(empty).errors).toEqual(['escalation_rules must list at least one rule']);
      });

      it('refuses a name another live policy has, ignoring case', async () => {
        await create('Ops');
        const res = await t.api('POST', '/api/v2/escalation_policies', body('OPS'));
        expect(res.statusCode).toBe(400);
        expect(errorsOf(res).errors).toEqual(['Name has already been taken']);
      });

      it('refuses deleted users and schedules as targets', async () => {
        const at2 = '2026-01-02T00:00:00.000Z';
        await t.store.db.updateTable('users').set({ deleted_at: at2 }).where('id', '=', bob).execute();
        await t.store.db
          .updateTable('schedules')
          .set({ deleted_at: at2 })
          .where('id', '=', schedule)
          .execute();
        const res = await t.api('POST', '/api/v2/escalation_policies', body('Gone'));
        expect(errorsOf(res).errors).toEqual([`User ${bob} not found`, `Schedule ${schedule} not found`]);
      });

      it('stays editable after one of its targets is deleted, while new targets must be live', async () => {
        const policy = await create('Kept');
        const gone = '2026-01-02T00:00:00.000Z';
        await t.store.db.updateTable('users').set({ deleted_at: gone }).where('id', '=', bob).execute();
        const url = `/api/v2/escalation_policies/${policy.id}`;
        const renamed = await t.api('PUT', url, { escalation_policy: { name: 'Kept too' } });
        expect(renamed.statusCode, renamed.body).toBe(200);
        const rules = renamed.json<{ escalation_policy: Policy }>().escalation_policy.escalation_rules;
        expect(rules[1]!.targets).toEqual([expect.objectContaining({ id: bob, summary: bob })]);
        const added = await t.api('PUT', url, {
          escalation_policy: {
            escalation_rules: [{ escalation_delay_in_minutes: 5, targets: [{ id: bob, type: 'user' }] }],
          },
        });
        expect(added.statusCode).toBe(200);
        const other = await t.api('POST', '/api/v2/escalation_policies', body('Fresh'));
        expect(errorsOf(other).errors).toEqual([`User ${bob} not found`]);
      });

      it('lists the live services that use a policy and refuses to delete it while they do', async () => {
        const policy = await create('Payments');
        const res = await t.api('POST', '/api/v2/services', {
          service: {
            name: 'Payments API',
            escalation_policy: { id: policy.id, type: 'escalation_policy_reference' },
          },
        });
        expect(res.statusCode, res.body).toBe(201);
        const service = res.json<{ service: Json & { id: string } }>().service;
        expect(service.escalation_policy).toMatchObject({ id: policy.id, summary: 'Payments' });
        const got = (await t.api('GET', `/api/v2/escalation_policies/${policy.id}`)).json<{
          escalation_policy: Policy;
        }>();
        expect(got.escalation_policy.services).toEqual([
          expect.objectContaining({ id: service.id, type: 'service_reference', summary: 'Payments API' }),
        ]);
        const refused = await t.api('DELETE', `/api/v2/escalation_policies/${policy.id}`);
        expect(refused.statusCode).toBe(400);
        expect(errorsOf(refused).errors).toEqual(['Escalation policy is in use by services: Payments API']);
        expect((await t.api('DELETE', `/api/v2/services/${service.id}`)).statusCode).toBe(204);
        expect((await t.api('DELETE', `/api/v2/escalation_policies/${policy.id}`)).statusCode).toBe(204);
        expect((await t.api('GET', `/api/v2/escalation_policies/${policy.id}`)).statusCode).toBe(404);
        await create('Payments');
      });

      it('refuses a service that references an unknown policy', async () => {
        const res = await t.api('POST', '/api/v2/services', {
          service: {
            name: 'Orphan',
            escalation_policy: { id: 'PNOPE00', type: 'escalation_policy_reference' },
          },
        });
        expect(res.statusCode).toBe(400);
        expect(errorsOf(res).errors).toEqual(['Escalation policy PNOPE00 not found']);
      });

      it('lists policies by name, filtered by query, user and team, with paging', async () => {
        const team = await insertTeam(t.store, 'SRE');
        await create('Bravo', { teams: [{ id: team, type: 'team_reference' }] });
        await create('alpha', {
          escalation_rules: [{ escalation_delay_in_minutes: 5, targets: [{ id: alice, type: 'user' }] }],
        });
        const carol = await insertBareUser(t.store, 'Carol');
        await create('Charlie', {
          escalation_rules: [{ escalation_delay_in_minutes: 5, targets: [{ id: carol, type: 'user' }] }],
        });
        const names = async (query: string) =>
          (await t.api('GET', `/api/v2/escalation_policies${query}`))
            .json<{ escalation_policies: Policy[] }>()
            .escalation_policies.map((p) => p.name);
        expect(await names('')).toEqual(['alpha', 'Bravo', 'Charlie']);
        expect(await names('?sort_by=name:desc')).toEqual(['Charlie', 'Bravo', 'alpha']);
        expect(await names('?query=RAV')).toEqual(['Bravo']);
        // Alice is a direct target of alpha and a member of Bravo's schedule.
        expect(await names(`?user_ids[]=${alice}`)).toEqual(['alpha', 'Bravo']);
        expect(await names(`?user_ids[]=${carol}&user_ids[]=${bob}`)).toEqual(['Bravo', 'Charlie']);
        expect(await names(`?team_ids[]=${team}`)).toEqual(['Bravo']);
        const page = (
          await t.api('GET', '/api/v2/escalation_policies?limit=2&offset=1&total=true')
        ).json<Json>();
        expect(page).toMatchObject({ limit: 2, offset: 1, more: false, total: 3 });
        const team2 = await t.api('GET', `/api/v2/escalation_policies?team_ids[]=${team}`);
        expect(team2.json<{ escalation_policies: Policy[] }>().escalation_policies[0]!.teams).toEqual([
          expect.objectContaining({ id: team, type: 'team_reference', summary: 'SRE' }),
        ]);
      });

      it('lets every user read but only admins and managers configure', async () => {
        const policy = await create('Readable');
        const responder = await userToken(t, alice);
        const manager = await userToken(t, await insertBareUser(t.store, 'Manny', 'manager'));
        const url = `/api/v2/escalation_policies/${policy.id}`;
        expect((await t.api('GET', url, undefined, responder)).statusCode).toBe(200);
        expect((await t.api('GET', '/api/v2/escalation_policies', undefined, responder)).statusCode).toBe(
          200,
        );
        const denied = await t.api('POST', '/api/v2/escalation_policies', body('Nope'), responder);
        expect(denied.statusCode).toBe(403);
        expect(errorsOf(denied).code).toBe(2010);
        expect((await t.api('PUT', url, { escalation_policy: { name: 'X' } }, responder)).statusCode).toBe(
          403,
        );
        expect((await t.api('DELETE', url, undefined, responder)).statusCode).toBe(403);
        expect((await t.api('PUT', url, { escalation_policy: { num_loops: 1 } }, manager)).statusCode).toBe(
          200,
        );
      });
    });
  });
}
