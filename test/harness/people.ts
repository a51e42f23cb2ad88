import { expect } from 'vitest';
import type { Role } from '../../src/auth/actor.js';
import { hashToken } from '../../src/auth/token-store.js';
import { shortId } from '../../src/lib/ids.js';
import type { TestApp } from './test-app.js';

type Json = Record<string, unknown>;

/** A user as the REST API presents it (the fields tests use most). */
export interface CreatedUser extends Json {
  id: string;
  email: string;
  name: string;
  role: string;
}

let counter = 0;

/** Creates a user through POST /users (as the admin); defaults give a unique name and email. */
export async function createUser(t: TestApp, input: Json = {}): Promise<CreatedUser> {
  counter++;
  const user = { name: `User ${counter}`, email: `user${counter}.${shortId()}@example.com`, ...input };
  const res = await t.api('POST', '/api/v2/users', { user });
  expect(res.statusCode, res.body).toBe(201);
  return res.json<{ user: CreatedUser }>().user;
}

/** Adds a contact method through the API and returns it (`extra` adds country_code, device_type, …). */
export async function addContactMethod(
  t: TestApp,
  userId: string,
  type: string,
  address: string,
  extra: Json = {},
): Promise<Json & { id: string }> {
  const contact_method = { type, address, label: 'Work', ...extra };
  const res = await t.api('POST', `/api/v2/users/${userId}/contact_methods`, { contact_method });
  expect(res.statusCode, res.body).toBe(201);
  return res.json<{ contact_method: Json & { id: string } }>().contact_method;
}

/** Adds an assignment notification rule through the API and returns it. */
export async function addNotificationRule(
  t: TestApp,
  userId: string,
  contactMethodId: string,
  urgency: 'high' | 'low',
  delay: number,
): Promise<Json & { id: string }> {
  const notification_rule = {
    type: 'assignment_notification_rule',
    start_delay_in_minutes: delay,
    urgency,
    contact_method: { id: contactMethodId, type: 'email_contact_method_reference' },
  };
  const res = await t.api('POST', `/api/v2/users/${userId}/notification_rules`, { notification_rule });
  expect(res.statusCode, res.body).toBe(201);
  return res.json<{ notification_rule: Json & { id: string } }>().notification_rule;
}

/**
 * An API token acting as a user (inserted like bootstrap does); with `role` the user's stored role is
 * set first. Returns headers for `t.api`.
 */
export async function userToken(t: TestApp, userId: string, role?: Role): Promise<Record<string, string>> {
  if (role) await t.store.db.updateTable('users').set({ role }).where('id', '=', userId).execute();
  const token = `user-token-${shortId()}-${shortId()}`;
  await t.store.db
    .insertInto('api_tokens')
    .values({
      id: shortId(),
      token_hash: hashToken(token),
      description: `Token of ${userId}`,
      user_id: userId,
      access: 'user',
      created_at: t.clock.now().toISOString(),
      last_used_at: null,
      revoked_at: null,
    })
    .execute();
  return { authorization: `Token token=${token}` };
}
