import { expect } from 'vitest';
import { shortId, secretToken } from '../../src/lib/ids.js';
import type { StoredLayer } from '../../src/schedules/schedule.js';
import type { Store } from '../../src/store/store.js';
import { insertServiceWithIntegration, triggerBody } from './factories.js';
import type { TestApp } from './test-app.js';

const at = '2026-01-01T00:00:00.000Z';

/** A notification rule of a fixture user: urgency, delay and the contact type it uses. */
export type RuleFixture = [
  urgency: 'high' | 'low',
  delayMinutes: number,
  type: 'email' | 'sms' | 'phone' | 'push',
];

async function insertUserRow(store: Store, name: string, role: string) {
  const id = shortId();
  const email = `${name.toLowerCase().replace(/\W+/g, '.')}.${id.toLowerCase()}@example.com`;
  await store.db
    .insertInto('users')
    .values({
      id,
      name,
      email,
      role,
      time_zone: 'UTC',
      password_hash: null,
      job_title: null,
      color: null,
      description: null,
      ical_token: null,
      created_at: at,
      updated_at: at,
      deleted_at: null,
    })
    .execute();
  return { id, email };
}

/** Inserts a live user with no contact methods or rules (for the APIs that only reference users). */
export async function insertBareUser(store: Store, name: string, role = 'responder'): Promise<string> {
  return (await insertUserRow(store, name, role)).id;
}

/** Inserts a user with email, SMS and phone contact methods and the given rules (default: high email@0 + SMS@1, low email@0). */
export async function insertUser(
  store: Store,
  name: string,
  rules: RuleFixture[] = [
    ['high', 0, 'email'],
    ['high', 1, 'sms'],
    ['low', 0, 'email'],
  ],
  role = 'responder',
): Promise<string> {
  const { id, email } = await insertUserRow(store, name, role);
  const cms: Record<string, string> = {};
  const methods: [RuleFixture[2], string][] = [
    ['email', email],
    ['sms', '5550100'],
    ['phone', '5550100'],
  ];
  // A push device only for users whose rules use one (push is never throttled, unlike SMS and calls).
  if (rules.some(([, , type]) => type === 'push')) methods.push(['push', 'Work laptop']);
  for (const [type, address] of methods) {
    cms[type] = shortId();
    await store.db
      .insertInto('contact_methods')
      .values({
        id: cms[type],
        user_id: id,
        type: type === 'push' ? 'push_notification_contact_method' : `${type}_contact_method`,
        label: 'Work',
        address,
        details: JSON.stringify(
          type === 'email' ? {} : type === 'push' ? { device_type: 'web' } : { country_code: 1 },
        ),
        enabled: 1,
        created_at: at,
        updated_at: at,
        deleted_at: null,
      })
      .execute();
  }
  for (const [urgency, delay, type] of rules)
    await store.db
      .insertInto('notification_rules')
      .values({
        id: shortId(),
        user_id: id,
        urgency,
        start_delay_in_minutes: delay,
        contact_method_id: cms[type]!,
        created_at: at,
        updated_at: at,
      })
      .execute();
  return id;
}

/** A layer of a fixture schedule. */
export type LayerFixture = Omit<StoredLayer, 'id' | 'name'>;

/** A layer rotating through `users` from 2026-01-01, one turn of `turnSeconds` each from `virtualStart`. */
export function rotation(users: string[], turnSeconds = 86_400, virtualStart = at): LayerFixture {
  return {
    start: at,
    end: null,
    rotation_virtual_start: virtualStart,
    rotation_turn_length_seconds: turnSeconds,
    users,
    restrictions: [],
  };
}

/** Inserts a schedule with one layer per entry of `layers` (later ones win); named `Schedule <id>` unless named. */
export async function insertSchedule(
  store: Store,
  layers: LayerFixture[],
  timeZone = 'UTC',
  name?: string,
): Promise<string> {
  const id = shortId();
  await store.db
    .insertInto('schedules')
    .values({
      id,
      name: name ?? `Schedule ${id}`,
      description: null,
      time_zone: timeZone,
      layers: JSON.stringify(layers.map((l, i) => ({ id: shortId(), name: `Layer ${i + 1}`, ...l }))),
      ical_token: secretToken(20),
      created_at: at,
      updated_at: at,
      deleted_at: null,
    })
    .execute();
  return id;
}

/** Inserts a live team and returns its id. */
export async function insertTeam(store: Store, name: string): Promise<string> {
  const id = shortId();
  await store.db
    .insertInto('teams')
    .values({ id, name, description: null, created_at: at, updated_at: at, deleted_at: null })
    .execute();
  return id;
}

/** Inserts an override of a schedule. */
export async function insertOverride(
  store: Store,
  scheduleId: string,
  userId: string,
  start: string,
  end: string,
) {
  await store.db
    .insertInto('schedule_overrides')
    .values({
      id: shortId(),
      schedule_id: scheduleId,
      user_id: userId,
      start_at: start,
      end_at: end,
      created_at: at,
    })
    .execute();
}

/** A level of a fixture policy: its delay and targets ('user:<id>' or 'schedule:<id>'). */
export interface LevelFixture {
  delay: number;
  targets: string[];
}

/** Inserts an escalation policy, named `Policy <id>` unless named. */
export async function insertPolicy(
  store: Store,
  levels: LevelFixture[],
  numLoops = 0,
  name?: string,
): Promise<string> {
  const id = shortId();
  await store.db
    .insertInto('escalation_policies')
    .values({
      id,
      name: name ?? `Policy ${id}`,
      description: null,
      num_loops: numLoops,
      on_call_handoff_notifications: 'if_has_services',
      team_id: null,
      rules: JSON.stringify(
        levels.map((l) => ({
          id: shortId(),
          escalation_delay_in_minutes: l.delay,
          targets: l.targets.map((t) => {
            const [kind, target] = t.split(':');
            return { type: `${kind}_reference`, id: target };
          }),
        })),
      ),
      created_at: at,
      updated_at: at,
      deleted_at: null,
    })
    .execute();
  return id;
}

/** Points a service at a policy and sets its timeouts (seconds; null = off). */
export async function configureService(
  store: Store,
  serviceId: string,
  policyId: string | null,
  timeouts: { ack?: number | null; autoResolve?: number | null } = {},
) {
  await store.db
    .updateTable('services')
    .set({
      escalation_policy_id: policyId,
      acknowledgement_timeout: timeouts.ack ?? null,
      auto_resolve_timeout: timeouts.autoResolve ?? null,
    })
    .where('id', '=', serviceId)
    .execute();
}

/**
 * Moves the test clock forward as a running engine would see it: minute by minute (10 minutes at a
 * time past three hours), running every step due at each stop.
 */
export async function advance(t: TestApp, minutes: number): Promise<void> {
  const step = minutes <= 180 ? 1 : 10;
  for (let done = 0; done < minutes; done += step) {
    t.clock.advance(Math.min(step, minutes - done) * 60_000);
    await t.app.engine.runDue();
  }
}

/** An incident's notification records, in due order: `user:type:status`. */
export async function notificationsOf(store: Store, incidentId: string) {
  const rows = await store.db
    .selectFrom('notifications')
    .selectAll()
    .where('incident_id', '=', incidentId)
    .orderBy('due_at')
    .orderBy('created_at')
    .execute();
  return rows.map((r) => ({
    ...r,
    contact_type: (JSON.parse(r.detail) as { contact_type: string }).contact_type.replace(
      '_contact_method',
      '',
    ),
  }));
}

/** An incident's log entry types, oldest first. */
export async function logTypesOf(store: Store, incidentId: string): Promise<string[]> {
  const rows = await store.db
    .selectFrom('log_entries')
    .select(['type', 'id'])
    .where('incident_id', '=', incidentId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  return rows.map((r) => r.type);
}

/** Sends a trigger, runs the engine and returns the incident the alert opened or joined. */
export async function triggerAndRun(
  t: TestApp,
  routingKey: string,
  dedupKey = 'disk',
  payload: Record<string, unknown> = {},
): Promise<string> {
  const res = await t.send(triggerBody(routingKey, dedupKey, { payload }));
  expect(res.statusCode).toBe(202);
  await t.app.engine.runDue();
  const row = await t.store.db
    .selectFrom('alerts')
    .select('incident_id')
    .where('alert_key', '=', dedupKey)
    .executeTakeFirstOrThrow();
  return row.incident_id;
}

/** A service (with an Events API integration) whose policy pages one user at level 1. */
export async function serviceForUser(
  store: Store,
  userId: string,
  name?: string,
): Promise<{ key: string; serviceId: string }> {
  const policy = await insertPolicy(store, [{ delay: 30, targets: [`user:${userId}`] }]);
  const { key, serviceId } = await insertServiceWithIntegration(store, name === undefined ? {} : { name });
  await configureService(store, serviceId, policy);
  return { key, serviceId };
}

/** An incident's status, read from the store. */
export async function incidentStatus(store: Store, id: string): Promise<string> {
  const row = await store.db
    .selectFrom('incidents')
    .select('status')
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
  return row.status;
}
