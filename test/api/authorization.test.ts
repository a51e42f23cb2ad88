import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends } from '../harness/backends.js';
import { triggerBody } from '../harness/factories.js';
import { createUser } from '../harness/people.js';
import { startTestApp } from '../harness/test-app.js';
import { layerBody } from '../schedules/api-fixtures.js';
import {
  buildAuthFixture,
  unique,
  type AuthFixture,
  type Target,
  type Who,
} from './authorization-fixture.js';

type Json = Record<string, unknown>;
const WHO: Who[] = ['admin', 'manager', 'responder', 'observer', 'readOnly'];

/** Expected statuses by role: `ok` where the rule allows, 403 where it denies. */
type Rule = (who: Who, target: Target) => boolean;
/** Configuration: admins; managers on their team's resources and on resources of no team. */
const configure: Rule = (who, target) => who === 'admin' || (who === 'manager' && target !== 'other');
/** Incidents: everyone who may respond, whatever the team. */
const respond: Rule = (who) => who === 'admin' || who === 'manager' || who === 'responder';
/** Users: admins and managers (not team-scoped). */
const people: Rule = (who) => who === 'admin' || who === 'manager';
/** Own settings: everyone but observers and read-only tokens. */
const ownSettings: Rule = (who) => who !== 'observer' && who !== 'readOnly';
/** Overrides for oneself: whoever configures the schedule, or a responder on their team's or no team's. */
const ownOverride: Rule = (who, target) =>
  configure(who, target) || (who === 'responder' && target !== 'other');

interface Row {
  op: string;
  targets: Target[];
  rule: Rule;
  /** The status of an allowed request (per target when it differs). */
  ok: number | ((target: Target) => number);
  run(f: AuthFixture, who: Who, target: Target): Promise<number>;
}

const policyRef = (id: string) => ({ id, type: 'escalation_policy_reference' });

async function service(f: AuthFixture, target: Target): Promise<string> {
  const body = { service: { name: unique('Service'), escalation_policy: policyRef(f.policies[target]) } };
  return (await f.admin<{ service: { id: string } }>('POST', '/api/v2/services', body)).service.id;
}

async function integration(f: AuthFixture, serviceId: string): Promise<string> {
  const url = `/api/v2/services/${serviceId}/integrations`;
  const body = { integration: { type: 'events_api_v2_inbound_integration' } };
  return (await f.admin<{ integration: { id: string } }>('POST', url, body)).integration.id;
}

function policyBody(f: AuthFixture, target: Target): Json {
  const teams = target === 'none' ? [] : [{ id: f.teams[target], type: 'team_reference' }];
  const targets = [{ id: f.users.responder, type: 'user_reference' }];
  return {
    escalation_policy: {
      name: unique('Policy'),
      teams,
      escalation_rules: [{ escalation_delay_in_minutes: 5, targets }],
    },
  };
}

async function schedule(f: AuthFixture, target: Target): Promise<string> {
  if (target !== 'none') return f.schedules[target];
  const body = {
    schedule: { name: unique('Rota'), time_zone: 'UTC', schedule_layers: [layerBody([f.users.responder])] },
  };
  return (await f.admin<{ schedule: { id: string } }>('POST', '/api/v2/schedules', body)).schedule.id;
}

/** The team a team row acts on (those rows have no 'none' target). */
const teamOf = (f: AuthFixture, target: Target) => f.teams[target === 'other' ? 'other' : 'own'];

/** The user an actor acts as (account tokens: the admin user). */
const self = (f: AuthFixture, who: Who) => (who === 'readOnly' ? f.users.admin : f.users[who]);

let day = 0;
function overrideBody(userId: string): Json {
  day++;
  const start = new Date(Date.UTC(2026, 1, 1) + day * 86_400_000).toISOString();
  const end = new Date(Date.UTC(2026, 1, 1) + day * 86_400_000 + 3_600_000).toISOString();
  return { overrides: [{ start, end, user: { id: userId, type: 'user_reference' } }] };
}

async function incident(f: AuthFixture, target: Target): Promise<string> {
  const dedup = unique('incident').replace(/ /g, '-');
  expect((await f.t.send(triggerBody(f.keys[target === 'other' ? 'other' : 'own'], dedup))).statusCode).toBe(
    202,
  );
  const alert = await f.t.store.db
    .selectFrom('alerts')
    .select('incident_id')
    .where('alert_key', '=', dedup)
    .executeTakeFirstOrThrow();
  return alert.incident_id;
}

const status = (s: string) => ({ incident: { type: 'incident_reference', status: s } });
const email = () => `${unique('cm').replace(/ /g, '.')}@example.com`;
const contactMethod = () => ({
  contact_method: { type: 'email_contact_method', address: email(), label: 'Work' },
});
const webhookBody = (f: AuthFixture, target: Target) => ({
  webhook_subscription: {
    type: 'webhook_subscription',
    delivery_method: { type: 'http_delivery_method', url: 'https://example.com/hook' },
    events: ['incident.triggered'],
    filter:
      target === 'none' ? { type: 'account_reference' } : { type: 'team_reference', id: f.teams[target] },
  },
});

const BOTH: Target[] = ['own', 'other'];
const ALL: Target[] = ['own', 'other', 'none'];

/** Each rule: role × operation × own team / other team / no team → expected status. */
const rows: Row[] = [
  {
    op: 'create a service',
    targets: ALL,
    rule: configure,
    ok: 201,
    run: (f, who, target) =>
      f.as(who, 'POST', '/api/v2/services', {
        service: { name: unique('New'), escalation_policy: policyRef(f.policies[target]) },
      }),
  },
  {
    op: 'update a service',
    targets: ALL,
    rule: configure,
    ok: 200,
    run: async (f, who, target) =>
      f.as(who, 'PUT', `/api/v2/services/${await service(f, target)}`, {
        service: { description: 'changed' },
      }),
  },
  {
    op: 'move a service to another team',
    targets: ['own'],
    rule: (who) => who === 'admin',
    ok: 200,
    run: async (f, who) =>
      f.as(who, 'PUT', `/api/v2/services/${await service(f, 'own')}`, {
        service: { escalation_policy: policyRef(f.policies.other) },
      }),
  },
  {
    op: 'delete a service',
    targets: ALL,
    rule: configure,
    ok: 204,
    run: async (f, who, target) => f.as(who, 'DELETE', `/api/v2/services/${await service(f, target)}`),
  },
  {
    op: 'create an integration',
    targets: ALL,
    rule: configure,
    ok: 201,
    run: async (f, who, target) =>
      f.as(who, 'POST', `/api/v2/services/${await service(f, target)}/integrations`, {
        integration: { type: 'generic_events_api_inbound_integration' },
      }),
  },
  {
    op: 'delete an integration',
    targets: ALL,
    rule: configure,
    ok: 204,
    run: async (f, who, target) => {
      const id = await service(f, target);
      return f.as(who, 'DELETE', `/api/v2/services/${id}/integrations/${await integration(f, id)}`);
    },
  },
  {
    op: 'create an escalation policy',
    targets: ALL,
    rule: configure,
    ok: 201,
    run: (f, who, target) => f.as(who, 'POST', '/api/v2/escalation_policies', policyBody(f, target)),
  },
  {
    op: 'update an escalation policy',
    targets: ALL,
    rule: configure,
    ok: 200,
    run: async (f, who, target) => {
      const p = await f.admin<{ escalation_policy: { id: string } }>(
        'POST',
        '/api/v2/escalation_policies',
        policyBody(f, target),
      );
      return f.as(who, 'PUT', `/api/v2/escalation_policies/${p.escalation_policy.id}`, {
        escalation_policy: { num_loops: 2 },
      });
    },
  },
  {
    op: 'delete an escalation policy',
    targets: ALL,
    rule: configure,
    ok: 204,
    run: async (f, who, target) => {
      const p = await f.admin<{ escalation_policy: { id: string } }>(
        'POST',
        '/api/v2/escalation_policies',
        policyBody(f, target),
      );
      return f.as(who, 'DELETE', `/api/v2/escalation_policies/${p.escalation_policy.id}`);
    },
  },
  {
    op: 'create a schedule',
    targets: ['none'],
    rule: configure,
    ok: 201,
    run: (f, who) =>
      f.as(who, 'POST', '/api/v2/schedules', {
        schedule: {
          name: unique('Rota'),
          time_zone: 'UTC',
          schedule_layers: [layerBody([f.users.responder])],
        },
      }),
  },
  {
    op: 'update a schedule',
    targets: ALL,
    rule: configure,
    ok: 200,
    run: async (f, who, target) =>
      f.as(who, 'PUT', `/api/v2/schedules/${await schedule(f, target)}`, {
        schedule: { description: 'changed' },
      }),
  },
  // A schedule its team's policy uses cannot be deleted (400): allowed actors get past authorization only.
  {
    op: 'delete a schedule',
    targets: ALL,
    rule: configure,
    ok: (target) => (target === 'none' ? 204 : 400),
    run: async (f, who, target) => f.as(who, 'DELETE', `/api/v2/schedules/${await schedule(f, target)}`),
  },
  {
    op: "rotate a schedule's calendar feed",
    targets: ALL,
    rule: configure,
    ok: 200,
    run: async (f, who, target) =>
      f.as(who, 'POST', `/api/v2/schedules/${await schedule(f, target)}/calendar_feed/rotate`),
  },
  {
    op: 'create an override for oneself',
    targets: ALL,
    rule: ownOverride,
    ok: 201,
    run: async (f, who, target) =>
      f.as(
        who,
        'POST',
        `/api/v2/schedules/${await schedule(f, target)}/overrides`,
        overrideBody(self(f, who)),
      ),
  },
  {
    op: 'create an override for someone else',
    targets: ALL,
    rule: configure,
    ok: 201,
    run: async (f, who, target) =>
      f.as(
        who,
        'POST',
        `/api/v2/schedules/${await schedule(f, target)}/overrides`,
        overrideBody(f.users.observer === self(f, who) ? f.users.manager : f.users.observer),
      ),
  },
  {
    op: 'delete an override of oneself',
    targets: ALL,
    rule: ownOverride,
    ok: 204,
    run: async (f, who, target) => {
      const id = await schedule(f, target);
      const [made] = await f.admin<{ override: { id: string } }[]>(
        'POST',
        `/api/v2/schedules/${id}/overrides`,
        overrideBody(self(f, who)),
      );
      return f.as(who, 'DELETE', `/api/v2/schedules/${id}/overrides/${made!.override.id}`);
    },
  },
  {
    op: 'create a user',
    targets: ['none'],
    rule: people,
    ok: 201,
    run: (f, who) => f.as(who, 'POST', '/api/v2/users', { user: { name: unique('Person'), email: email() } }),
  },
  {
    op: 'update another user',
    targets: ['none'],
    rule: people,
    ok: 200,
    run: async (f, who) =>
      f.as(who, 'PUT', `/api/v2/users/${(await createUser(f.t)).id}`, { user: { job_title: 'SRE' } }),
  },
  {
    op: 'create a team',
    targets: ['none'],
    rule: people,
    ok: 201,
    run: (f, who) => f.as(who, 'POST', '/api/v2/teams', { team: { name: unique('Team') } }),
  },
  {
    op: 'update a team',
    targets: BOTH,
    rule: configure,
    ok: 200,
    run: (f, who, target) =>
      f.as(who, 'PUT', `/api/v2/teams/${teamOf(f, target)}`, { team: { description: unique('About') } }),
  },
  {
    op: 'add a team member',
    targets: BOTH,
    rule: configure,
    ok: 204,
    run: async (f, who, target) =>
      f.as(who, 'PUT', `/api/v2/teams/${teamOf(f, target)}/users/${(await createUser(f.t)).id}`, {
        role: 'observer',
      }),
  },
  {
    op: 'add a contact method for oneself',
    targets: ['none'],
    rule: ownSettings,
    ok: 201,
    run: (f, who) => f.as(who, 'POST', `/api/v2/users/${self(f, who)}/contact_methods`, contactMethod()),
  },
  {
    op: 'add a contact method for someone else',
    targets: ['none'],
    rule: people,
    ok: 201,
    run: async (f, who) =>
      f.as(who, 'POST', `/api/v2/users/${(await createUser(f.t)).id}/contact_methods`, contactMethod()),
  },
  {
    op: 'acknowledge an incident',
    targets: BOTH,
    rule: respond,
    ok: 200,
    run: async (f, who, target) =>
      f.as(who, 'PUT', `/api/v2/incidents/${await incident(f, target)}`, status('acknowledged')),
  },
  {
    op: 'resolve an incident',
    targets: BOTH,
    rule: respond,
    ok: 200,
    run: async (f, who, target) =>
      f.as(who, 'PUT', `/api/v2/incidents/${await incident(f, target)}`, status('resolved')),
  },
  {
    op: 'add a note to an incident',
    targets: BOTH,
    rule: respond,
    ok: 200,
    run: async (f, who, target) =>
      f.as(who, 'POST', `/api/v2/incidents/${await incident(f, target)}/notes`, {
        note: { content: 'Looking' },
      }),
  },
  {
    op: 'create a webhook subscription',
    targets: ALL,
    rule: configure,
    ok: 200,
    run: (f, who, target) => f.as(who, 'POST', '/api/v2/webhook_subscriptions', webhookBody(f, target)),
  },
];

for (const backend of backends()) {
  describe(backend.name, () => {
    describe('authorization', () => {
      let f: AuthFixture;
      beforeAll(async () => {
        f = await buildAuthFixture(await startTestApp(backend.fresh()));
      });
      afterAll(async () => {
        await f.t.close();
        await backend.cleanup();
      });

      for (const row of rows)
        for (const target of row.targets)
          it(`decides who may ${row.op} (${target === 'none' ? 'no team' : `${target} team`})`, async () => {
            const expected: Record<string, number> = {};
            const actual: Record<string, number> = {};
            for (const who of WHO) {
              const ok = typeof row.ok === 'number' ? row.ok : row.ok(target);
              expected[who] = row.rule(who, target) ? ok : 403;
              actual[who] = await row.run(f, who, target);
            }
            expect(actual).toEqual(expected);
          });

      it("answers a denied action with PagerDuty's error body", async () => {
        const res = await f.t.api(
          'POST',
          '/api/v2/escalation_policies',
          policyBody(f, 'other'),
          f.headers.manager,
        );
        expect(res.statusCode).toBe(403);
        expect(res.json()).toEqual({ error: { code: 2010, message: 'Access Denied', errors: [] } });
      });
    });
  });
}
