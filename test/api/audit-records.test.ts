import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends } from '../harness/backends.js';
import { addContactMethod, createUser, userToken } from '../harness/people.js';
import { startTestApp, type TestApp } from '../harness/test-app.js';

interface Field {
  name: string;
  before_value?: string | null;
  value?: string | null;
}
interface AuditRecord {
  id: string;
  execution_time: string;
  actors: { id: string; type: string; summary: string }[];
  method: { type: string; truncated_token: string | null };
  root_resource: { id: string; type: string; summary: string };
  action: string;
  details: { resource: { id: string; type: string; summary: string }; fields: Field[] };
}
interface Page {
  records: AuditRecord[];
  limit: number;
  next_cursor: string | null;
}

for (const backend of backends()) {
  describe(backend.name, () => {
    describe('audit records', () => {
      let t: TestApp;
      let policyId: string;
      beforeAll(async () => {
        t = await startTestApp(backend.fresh());
        const target = { id: (await createUser(t, { name: 'On call' })).id, type: 'user_reference' };
        const rules = [{ escalation_delay_in_minutes: 5, targets: [target] }];
        const body = { escalation_policy: { name: 'Audited', escalation_rules: rules } };
        const res = await t.api('POST', '/api/v2/escalation_policies', body);
        expect(res.statusCode, res.body).toBe(201);
        policyId = res.json<{ escalation_policy: { id: string } }>().escalation_policy.id;
      });
      afterAll(async () => {
        await t.close();
        await backend.cleanup();
      });

      const list = async (query = '', headers?: Record<string, string>) => {
        const res = await t.api('GET', `/api/v2/audit/records${query}`, undefined, headers);
        expect(res.statusCode, res.body).toBe(200);
        return res.json<Page>();
      };
      const of = async (path: string) => {
        const res = await t.api('GET', `/api/v2/${path}/audit/records`);
        expect(res.statusCode, res.body).toBe(200);
        return res.json<Page>().records;
      };
      const createService = async (name: string, headers?: Record<string, string>) => {
        const service = { name, escalation_policy: { id: policyId, type: 'escalation_policy_reference' } };
        const res = await t.api('POST', '/api/v2/services', { service }, headers);
        expect(res.statusCode, res.body).toBe(201);
        return res.json<{ service: { id: string } }>().service.id;
      };

      it('records a service being created, updated and deleted, newest first, at the injected time', async () => {
        t.clock.set('2026-01-05T10:00:00.000Z');
        const id = await createService('Checkout');
        t.clock.advance(60_000);
        await t.api('PUT', `/api/v2/services/${id}`, {
          service: { name: 'Checkout API', description: 'Pays' },
        });
        t.clock.advance(60_000);
        expect((await t.api('DELETE', `/api/v2/services/${id}`)).statusCode).toBe(204);
        const records = await of(`services/${id}`);
        expect(records.map((r) => [r.action, r.execution_time])).toEqual([
          ['delete', '2026-01-05T10:02:00.000Z'],
          ['update', '2026-01-05T10:01:00.000Z'],
          ['create', '2026-01-05T10:00:00.000Z'],
        ]);
        const [deleted, updated, created] = records;
        expect(updated!.root_resource).toMatchObject({
          id,
          type: 'service_reference',
          summary: 'Checkout API',
        });
        expect(updated!.details.resource).toMatchObject({ id, type: 'service_reference' });
        expect(updated!.details.fields).toEqual([
          { name: 'name', before_value: 'Checkout', value: 'Checkout API' },
          { name: 'description', before_value: null, value: 'Pays' },
        ]);
        expect(created!.details.fields).toContainEqual({ name: 'name', value: 'Checkout' });
        expect(created!.details.fields).toContainEqual({ name: 'escalation_policy_id', value: policyId });
        expect(deleted!.details.fields).toContainEqual({ name: 'name', before_value: 'Checkout API' });
        // The admin's account token: an API key, by its id and last 4 characters.
        expect(created!.method).toEqual({ type: 'api_token', truncated_token: '6789', description: null });
        expect(created!.actors).toEqual([expect.objectContaining({ type: 'api_key_reference' })]);
      });

      it('names the user behind a user token and redacts integration keys', async () => {
        const mia = await createUser(t, { name: 'Mia', role: 'manager' });
        const asMia = await userToken(t, mia.id);
        const id = await createService('Search', asMia);
        const res = await t.api(
          'POST',
          `/api/v2/services/${id}/integrations`,
          { integration: { type: 'events_api_v2_inbound_integration', name: 'Prometheus' } },
          asMia,
        );
        expect(res.statusCode).toBe(201);
        const [integration] = await of(`services/${id}`);
        expect(integration!.actors).toEqual([
          expect.objectContaining({ id: mia.id, type: 'user_reference', summary: 'Mia' }),
        ]);
        expect(integration!.root_resource).toMatchObject({ id, type: 'service_reference' });
        expect(integration!.details.resource).toMatchObject({
          type: 'integration_reference',
          summary: 'Prometheus',
        });
        expect(integration!.details.fields).toContainEqual({ name: 'integration_key', value: '[redacted]' });
        expect(JSON.stringify(integration)).not.toContain(
          res.json<{ integration: { integration_key: string } }>().integration.integration_key,
        );
      });

      it('records people: users, their contact methods and rules, and team memberships', async () => {
        const ada = await createUser(t, { name: 'Ada' });
        await addContactMethod(t, ada.id, 'sms_contact_method', '5550100', { country_code: 1 });
        const team = await t.api('POST', '/api/v2/teams', { team: { name: 'Audit team' } });
        const teamId = team.json<{ team: { id: string } }>().team.id;
        await t.api('PUT', `/api/v2/teams/${teamId}/users/${ada.id}`, { role: 'responder' });
        await t.api('PUT', `/api/v2/teams/${teamId}/users/${ada.id}`, { role: 'manager' });
        await t.api('DELETE', `/api/v2/teams/${teamId}/users/${ada.id}`);
        const userRecords = await of(`users/${ada.id}`);
        expect(userRecords.map((r) => [r.action, r.details.resource.type])).toEqual([
          ['create', 'sms_contact_method_reference'],
          ['create', 'user_reference'],
        ]);
        expect(userRecords[0]!.details.fields).toContainEqual({ name: 'address', value: '5550100' });
        const teamRecords = await of(`teams/${teamId}`);
        expect(teamRecords.map((r) => [r.action, r.details.resource.id, r.details.fields])).toEqual([
          ['update', ada.id, [{ name: 'team_role', before_value: 'manager', value: null }]],
          ['update', ada.id, [{ name: 'team_role', before_value: 'responder', value: 'manager' }]],
          ['update', ada.id, [{ name: 'team_role', before_value: null, value: 'responder' }]],
          ['create', teamId, [{ name: 'name', value: 'Audit team' }]],
        ]);
      });

      it('records schedules and their overrides, and escalation policies', async () => {
        const ada = await createUser(t, { name: 'Ada Rota' });
        const layer = {
          start: '2026-01-01T00:00:00Z',
          rotation_virtual_start: '2026-01-05T09:00:00Z',
          rotation_turn_length_seconds: 86400,
          users: [{ user: { id: ada.id, type: 'user_reference' } }],
        };
        const made = await t.api('POST', '/api/v2/schedules', {
          schedule: { name: 'Audited rota', time_zone: 'UTC', schedule_layers: [layer] },
        });
        const scheduleId = made.json<{ schedule: { id: string } }>().schedule.id;
        const override = {
          start: '2026-02-01T00:00:00Z',
          end: '2026-02-02T00:00:00Z',
          user: { id: ada.id, type: 'user_reference' },
        };
        await t.api('POST', `/api/v2/schedules/${scheduleId}/overrides`, { overrides: [override] });
        const records = await of(`schedules/${scheduleId}`);
        expect(records.map((r) => [r.action, r.details.resource.type])).toEqual([
          ['create', 'override_reference'],
          ['create', 'schedule_reference'],
        ]);
        expect(JSON.stringify(records)).not.toContain('ical_token');
        await t.api('PUT', `/api/v2/escalation_policies/${policyId}`, {
          escalation_policy: { num_loops: 3 },
        });
        const [policy] = await of(`escalation_policies/${policyId}`);
        expect(policy!.details.fields).toEqual([{ name: 'num_loops', before_value: '0', value: '3' }]);
      });

      it('redacts the secret and custom headers of webhook subscriptions', async () => {
        const res = await t.api('POST', '/api/v2/webhook_subscriptions', {
          webhook_subscription: {
            type: 'webhook_subscription',
            delivery_method: {
              type: 'http_delivery_method',
              url: 'https://example.com/hook',
              custom_headers: [{ name: 'X-Api-Key', value: 'hunter2' }],
            },
            events: ['incident.triggered'],
            filter: { type: 'account_reference' },
          },
        });
        expect(res.statusCode).toBeLessThan(300);
        const { records } = await list('?limit=1');
        expect(records[0]!.root_resource.type).toBe('webhook_subscription_reference');
        expect(records[0]!.details.fields).toContainEqual({ name: 'secret', value: '[redacted]' });
        expect(JSON.stringify(records[0])).not.toContain('hunter2');
      });

      it('records API tokens made and revoked, never their secret', async () => {
        const body = { api_token: { description: 'CI bot', kind: 'account', access: 'read_only' } };
        const made = await t.api('POST', '/api/v2/api_tokens', body);
        expect(made.statusCode, made.body).toBe(201);
        const token = made.json<{ api_token: { id: string; token: string } }>().api_token;
        expect((await t.api('DELETE', `/api/v2/api_tokens/${token.id}`)).statusCode).toBe(204);
        const { records } = await list('?limit=2');
        expect(records.map((r) => [r.action, r.root_resource.type, r.root_resource.id])).toEqual([
          ['delete', 'api_token_reference', token.id],
          ['create', 'api_token_reference', token.id],
        ]);
        expect(records[1]!.details.fields).toContainEqual({ name: 'access', value: 'read_only' });
        expect(JSON.stringify(records)).not.toContain(token.token);
      });

      it('writes nothing when the change fails', async () => {
        const before = (await list('?limit=1000')).records.length;
        const taken = await t.api('POST', '/api/v2/teams', { team: { name: 'Audit team' } });
        expect(taken.statusCode).toBe(400);
        expect((await list('?limit=1000')).records).toHaveLength(before);
      });

      it('pages with a cursor, filters by root resource type, action and time, and checks the window', async () => {
        const all = (await list('?limit=1000')).records;
        expect(all.length).toBeGreaterThan(5);
        const seen: string[] = [];
        let cursor: string | null = '';
        while (cursor !== null) {
          const page: Page = await list(`?limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
          expect(page.limit).toBe(2);
          seen.push(...page.records.map((r) => r.id));
          cursor = page.next_cursor;
        }
        expect(seen).toEqual(all.map((r) => r.id));
        const teams = (await list('?root_resource_types[]=teams&limit=1000')).records;
        expect(teams.length).toBeGreaterThan(0);
        expect(teams.every((r) => r.root_resource.type === 'team_reference')).toBe(true);
        const deletes = (await list('?actions[]=delete&limit=1000')).records;
        expect(deletes.every((r) => r.action === 'delete')).toBe(true);
        const early = await list('?since=2026-01-05T10:00:00Z&until=2026-01-05T10:01:00Z');
        expect(early.records.map((r) => r.action)).toEqual(['create']);
        const wide = await t.api(
          'GET',
          '/api/v2/audit/records?since=2026-01-01T00:00:00Z&until=2026-03-01T00:00:00Z',
        );
        expect(wide.statusCode).toBe(400);
        expect((await t.api('GET', '/api/v2/audit/records?cursor=nonsense')).statusCode).toBe(400);
      });

      it('lets admins read the audit log and nobody else', async () => {
        const manager = await userToken(t, (await createUser(t, { role: 'manager' })).id);
        const denied = await t.api('GET', '/api/v2/audit/records', undefined, manager);
        expect(denied.statusCode).toBe(403);
        expect(denied.json<{ error: { code: number } }>().error.code).toBe(2010);
        expect(
          (await t.api('GET', `/api/v2/services/PNONE00/audit/records`, undefined, manager)).statusCode,
        ).toBe(403);
        const admin = await userToken(t, (await createUser(t, { role: 'admin' })).id);
        expect((await list('', admin)).records.length).toBeGreaterThan(0);
      });
    });
  });
}
