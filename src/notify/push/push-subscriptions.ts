import type { Store } from '../../store/store.js';
import { FieldErrors } from '../../lib/errors.js';
import type { OutboundMessage } from '../provider.js';
import type { PushSubscriptionJson } from './push-payload.js';

const PUSH = 'push_notification_contact_method';

/** Validates a browser subscription (`PushSubscription.toJSON()`): an https endpoint and both keys. */
export function validateSubscription(input: unknown): PushSubscriptionJson {
  const errors = new FieldErrors();
  const s = (typeof input === 'object' && input !== null ? input : {}) as Record<string, unknown>;
  const keys = (typeof s.keys === 'object' && s.keys !== null ? s.keys : {}) as Record<string, unknown>;
  let endpoint = '';
  try {
    const url = new URL(String(s.endpoint));
    if (url.protocol !== 'https:') throw new Error('not https');
    endpoint = url.href;
  } catch {
    errors.add('subscription.endpoint must be an https URL');
  }
  const key = (name: string, bytes: number) => {
    const value = keys[name];
    const ok =
      typeof value === 'string' &&
      /^[A-Za-z0-9_-]+=*$/.test(value) &&
      Buffer.from(value, 'base64url').length === bytes;
    if (!ok) errors.add(`subscription.keys.${name} must be ${bytes} bytes in base64url`);
    return ok ? value : '';
  };
  const p256dh = key('p256dh', 65);
  const auth = key('auth', 16);
  errors.throwIfAny();
  return { endpoint, keys: { p256dh, auth } };
}

/**
 * Stores a browser's subscription in a push contact method's details and enables the method (a
 * method disabled because its old subscription ended comes back with a new one). False when the
 * user has no such live push method.
 */
export async function saveSubscription(
  store: Store,
  userId: string,
  methodId: string,
  subscription: PushSubscriptionJson,
  at: string,
): Promise<boolean> {
  return store.transaction(async (tx) => {
    const [row] = await tx.raw.all<{ details: string }>(
      `SELECT details FROM contact_methods WHERE id = ? AND user_id = ? AND type = ? AND deleted_at IS NULL`,
      [methodId, userId, PUSH],
    );
    if (!row) return false;
    const details = { ...(JSON.parse(row.details) as object), push_subscription: subscription };
    await tx.raw.run(`UPDATE contact_methods SET details = ?, enabled = 1, updated_at = ? WHERE id = ?`, [
      JSON.stringify(details),
      at,
      methodId,
    ]);
    return true;
  });
}

/** Disables the push contact method a message went to: its subscription is gone (404/410). */
export function disableGoneSubscription(store: Store, now: () => Date) {
  return async (message: OutboundMessage): Promise<void> => {
    const at = now().toISOString();
    await store.transaction((tx) =>
      tx.raw.run(
        `UPDATE contact_methods SET enabled = 0, updated_at = ?
         WHERE user_id = ? AND type = ? AND address = ? AND deleted_at IS NULL`,
        [at, message.user.id, PUSH, message.contact.address],
      ),
    );
  };
}
