import { expect } from 'vitest';
import { hashToken } from '../../src/auth/token-store.js';
import { shortId } from '../../src/lib/ids.js';
import { createUser, userToken } from '../harness/people.js';
import type { TestApp } from '../harness/test-app.js';
import { layerBody } from '../schedules/api-fixtures.js';

type Json = Record<string, unknown>;

/** Who acts in a rule row: the admin (account token), a user token per role, a read-only account token. */
export type Who = 'admin' | 'manager' | 'responder' | 'observer' | 'readOnly';
/** Which team the resource acted on belongs to: the actor's own team A, the other team B, or none. */
export type Target = 'own' | 'other' | 'none';

/** Two teams and, for each, a policy, a service with an integration key and a schedule the policy uses. */
export interface AuthFixture {
  t: TestApp;
  users: Record<Exclude<Who, 'readOnly'>, string>;
  teams: Record<'own' | 'other', string>;
  policies: Record<Target, string>;
  schedules: Record<'own' | 'other', string>;
  keys: Record<'own' | 'other', string>;
  /** Request headers of each actor. */
  headers: Record<Who, Record<string, string>>;
  /** `t.api` as someone (account tokens send `From: <admin email>`). */
  as(who: Who, method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, body?: unknown): Promise<number>;
  /** `t.api` as the admin, expecting success; returns the JSON body. */
  admin<T = Json>(method: 'POST' | 'PUT' | 'GET', url: string, body?: unknown): Promise<T>;
}

const ADMIN_EMAIL = 'admin@tocsin.local';
let counter = 0;
/** A unique name for a resource made by a row. */
export const unique = (prefix: string) => `${prefix} ${++counter} ${shortId()}`;

/**
 * Builds the fixture once per backend: manager and responder are members of team A (team roles manager
 * and responder); the observer belongs to no team; `readOnly` is a read-only account token.
 */
export async function buildAuthFixture(t: TestApp): Promise<AuthFixture> {
  const headers: Record<Who, Record<string, string>> = {
    admin: { from: ADMIN_EMAIL },
    readOnly: { authorization: 'Token token=read-only-auth-token-0000', from: ADMIN_EMAIL },
    manager: {},
    responder: {},
    observer: {},
  };
  await t.store.db
    .insertInto('api_tokens')
    .values({
      id: shortId(),
      token_hash: hashToken('read-only-auth-token-0000'),
      description: 'Read-only',
      user_id: null,
      access: 'read_only',
      created_at: t.clock.now().toISOString(),
      last_used_at: null,
      revoked_at: null,
    })
    .execute();
  const admin = async <T = Json>(method: 'POST' | 'PUT' | 'GET', url: string, body?: unknown) => {
    const res = await t.api(method, url, body, headers.admin);
    expect(res.statusCode, `${method} ${url}: ${res.body}`).toBeLessThan(300);
    return (res.body === '' ? {} : res.json()) as T;
  };
  const adminId = (
    await admin<{ users: { id: string; email: string }[] }>('GET', '/api/v2/users')
  ).users.find((u) => u.email === ADMIN_EMAIL)!.id;
  const users = { admin: adminId, manager: '', responder: '', observer: '' };
  for (const role of ['manager', 'responder', 'observer'] as const) {
    users[role] = (await createUser(t, { name: `The ${role}`, role })).id;
    headers[role] = await userToken(t, users[role]);
  }
  const team = async (name: string) =>
    (await admin<{ team: { id: string } }>('POST', '/api/v2/teams', { team: { name } })).team.id;
  const teams = { own: await team('Team A'), other: await team('Team B') };
  await admin('PUT', `/api/v2/teams/${teams.own}/users/${users.manager}`, { role: 'manager' });
  await admin('PUT', `/api/v2/teams/${teams.own}/users/${users.responder}`, { role: 'responder' });
  const schedule = async (name: string) =>
    (
      await admin<{ schedule: { id: string } }>('POST', '/api/v2/schedules', {
        schedule: { name, time_zone: 'UTC', schedule_layers: [layerBody([users.responder])] },
      })
    ).schedule.id;
  const schedules = { own: await schedule('Rota A'), other: await schedule('Rota B') };
  const policy = async (name: string, teamId: string | null, scheduleId: string | null) => {
    const target = scheduleId
      ? { id: scheduleId, type: 'schedule_reference' }
      : { id: users.responder, type: 'user_reference' };
    const body = {
      escalation_policy: {
        name,
        escalation_rules: [{ escalation_delay_in_minutes: 30, targets: [target] }],
        teams: teamId ? [{ id: teamId, type: 'team_reference' }] : [],
      },
    };
    return (await admin<{ escalation_policy: { id: string } }>('POST', '/api/v2/escalation_policies', body))
      .escalation_policy.id;
  };
  const policies = {
    own: await policy('Policy A', teams.own, schedules.own),
    other: await policy('Policy B', teams.other, schedules.other),
    none: await policy('Policy without team', null, null),
  };
  const keyOf = async (policyId: string) => {
    const service = await admin<{ service: { id: string } }>('POST', '/api/v2/services', {
      service: {
        name: unique('Paged'),
        escalation_policy: { id: policyId, type: 'escalation_policy_reference' },
      },
    });
    const integration = await admin<{ integration: { integration_key: string } }>(
      'POST',
      `/api/v2/services/${service.service.id}/integrations`,
      { integration: { type: 'events_api_v2_inbound_integration' } },
    );
    return integration.integration.integration_key;
  };
  const keys = { own: await keyOf(policies.own), other: await keyOf(policies.other) };
  const as: AuthFixture['as'] = async (who, method, url, body) =>
    (await t.api(method, url, body, headers[who])).statusCode;
  return { t, users, teams, policies, schedules, keys, headers, as, admin };
}
