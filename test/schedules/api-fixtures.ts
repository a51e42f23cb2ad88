import { hashToken } from '../../src/auth/token-store.js';
import { shortId } from '../../src/lib/ids.js';
import type { Store } from '../../src/store/store.js';

/** Inserts a live user (the users API belongs to another module) and returns its id. */
export async function insertUser(
  store: Store,
  name: string,
  role: 'admin' | 'manager' | 'responder' | 'observer' = 'responder',
): Promise<string> {
  const id = shortId();
  const at = '2026-01-01T00:00:00.000Z';
  await store.db
    .insertInto('users')
    .values({
      id,
      name,
      email: `${id.toLowerCase()}@example.com`,
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
  return id;
}

/** Gives a user a personal API token and returns the Authorization header acting as that user. */
export async function userAuth(store: Store, userId: string): Promise<Record<string, string>> {
  const token = `user-token-${userId}-0123456789`;
  await store.db
    .insertInto('api_tokens')
    .values({
      id: shortId(),
      token_hash: hashToken(token),
      description: 'User token',
      user_id: userId,
      access: 'user',
      created_at: '2026-01-01T00:00:00.000Z',
      last_used_at: null,
      revoked_at: null,
    })
    .execute();
  return { authorization: `Token token=${token}` };
}

/** Inserts an escalation policy whose one rule targets the schedule. */
export async function insertPolicyTargeting(store: Store, scheduleId: string, name = 'Ops'): Promise<string> {
  const id = shortId();
  const at = '2026-01-01T00:00:00.000Z';
  await store.db
    .insertInto('escalation_policies')
    .values({
      id,
      name,
      description: null,
      num_loops: 0,
      on_call_handoff_notifications: 'if_has_services',
      team_id: null,
      rules: JSON.stringify([
        {
          id: shortId(),
          escalation_delay_in_minutes: 30,
          targets: [{ type: 'schedule_reference', id: scheduleId }],
        },
      ]),
      created_at: at,
      updated_at: at,
      deleted_at: null,
    })
    .execute();
  return id;
}

/** A schedule layer body (PagerDuty shape) for the given users. */
export function layerBody(users: string[], extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    start: '2026-01-01T00:00:00Z',
    rotation_virtual_start: '2026-01-05T09:00:00Z',
    rotation_turn_length_seconds: 86400,
    users: users.map((id) => ({ user: { id, type: 'user_reference' } })),
    ...extra,
  };
}
