import type { WriteTx } from '../store/write-task.js';
import type { ClaimedNotification } from './delivery-store.js';

/**
 * Per contact method limits on messages that cost money and wake people: at most `max` in any
 * `windowMinutes`. A storm of incidents waits for the window and is then sent bundled into one message.
 */
export const throttles: Record<string, { max: number; windowMinutes: number }> = {
  sms_contact_method: { max: 5, windowMinutes: 15 },
  phone_contact_method: { max: 3, windowMinutes: 15 },
};

/** How late a notification may be before a newer one on the same contact method replaces it. */
export const STALE_MINUTES = 10;

/** When the contact method may be sent to again, or undefined if it may be now. */
export async function throttledUntil(
  tx: WriteTx,
  contactMethodId: string,
  type: string,
  at: string,
): Promise<string | undefined> {
  const limit = throttles[type];
  if (!limit) return undefined;
  const windowMs = limit.windowMinutes * 60_000;
  const since = new Date(Date.parse(at) - windowMs).toISOString();
  // Notifications sent together as one bundle share their provider_ref: one message, one slot.
  const sent = await tx.raw.all<{ at: string }>(
    `SELECT MIN(delivered_at) AS at FROM notifications WHERE contact_method_id = ? AND status IN ('delivered', 'sent')
       AND delivered_at > ? GROUP BY COALESCE(provider_ref, id) ORDER BY at`,
    [contactMethodId, since],
  );
  if (sent.length < limit.max) return undefined;
  return new Date(Date.parse(sent[sent.length - limit.max]!.at) + windowMs).toISOString();
}

/**
 * Whether a late notification has been overtaken: it is more than STALE_MINUTES past due and a newer
 * notification of the same incident reaches the same contact method (so one current message is sent,
 * not a replay of stale ones).
 */
export async function overtaken(tx: WriteTx, n: ClaimedNotification, at: string): Promise<boolean> {
  if (n.incident_id === null || n.contact_method_id === null) return false;
  if (Date.parse(at) - Date.parse(n.due_at) < STALE_MINUTES * 60_000) return false;
  const [row] = await tx.raw.all<{ n: number }>(
    `SELECT count(*) AS n FROM notifications WHERE incident_id = ? AND user_id = ? AND contact_method_id = ?
       AND due_at > ? AND id <> ? AND status IN ('pending', 'queued', 'delivered', 'sent')`,
    [n.incident_id, n.user_id, n.contact_method_id, n.due_at, n.id],
  );
  return Number(row?.n ?? 0) > 0;
}
