import { insertLogEntry } from '../../incidents/ingest-store.js';
import { longId } from '../../lib/ids.js';
import type { WriteTx } from '../../store/write-task.js';
import { channelNames, fallBack, MAX_ATTEMPTS, retryAt } from '../delivery-outcome.js';
import type { ClaimedNotification } from '../delivery-store.js';

/** Twilio's message and call statuses that end a notification: delivered, or failed for good. */
const DELIVERED = new Set(['delivered', 'read', 'completed']);
const FAILED = new Set(['failed', 'undelivered', 'busy', 'no-answer', 'canceled']);
/** Call outcomes that reached nobody: the call is tried again with backoff, like a failed send. */
const CALL_RETRIED = new Set(['busy', 'no-answer', 'failed']);

/**
 * Applies a status callback to a sent notification and to every notification sent with it (a bundle
 * shares its provider reference). Delivered marks them delivered. A call that was busy, not answered
 * or failed reached nobody, so it counts as a failed attempt: queued again with the dispatcher's
 * backoff until MAX_ATTEMPTS, then failed with fallback. A reported SMS failure is final, never
 * retried (the text may have reached the phone and a retry could page twice): each is marked failed,
 * logged on its incident, and the person's next contact method is used, as for a permanent send
 * failure. Other statuses (queued, sent, ringing…) and callbacks naming another message are ignored.
 * Returns how many changed.
 */
export async function applyStatusCallback(
  tx: WriteTx,
  notificationId: string,
  params: Record<string, string>,
  at: string,
): Promise<number> {
  const sid = params.MessageSid ?? params.CallSid;
  const status = params.MessageStatus ?? params.CallStatus ?? '';
  const [self] = await tx.raw.all<{ provider_ref: string | null }>(
    `SELECT provider_ref FROM notifications WHERE id = ?`,
    [notificationId],
  );
  if (!self || !sid || self.provider_ref !== sid) return 0;
  if (DELIVERED.has(status))
    return tx.raw.run(
      `UPDATE notifications SET status = 'delivered', updated_at = ? WHERE provider_ref = ? AND status = 'sent'`,
      [at, sid],
    );
  if (!FAILED.has(status)) return 0;
  const reason = `Twilio reported it ${status}${params.ErrorCode ? ` (error ${params.ErrorCode})` : ''}`;
  const members = await tx.raw.all<ClaimedNotification>(
    `SELECT id, incident_id, user_id, contact_method_id, reason, due_at, detail, attempts, claimed_by
     FROM notifications WHERE provider_ref = ? AND status = 'sent' ORDER BY id`,
    [sid],
  );
  let changed = 0;
  const call = params.CallSid !== undefined && CALL_RETRIED.has(status);
  for (const n of members) {
    if (call && Number(n.attempts) < MAX_ATTEMPTS) {
      const next = retryAt(Number(n.attempts), at);
      const again = await tx.raw.run(
        `UPDATE notifications SET status = 'queued', next_attempt_at = ?, last_error = ?, delivered_at = NULL,
           updated_at = ? WHERE id = ? AND status = 'sent'`,
        [next, reason, at, n.id],
      );
      if (again === 0) continue;
      changed += 1;
      await logFailure(tx, n, reason, { retry: next, attempt: Number(n.attempts) }, at);
      continue;
    }
    const done = await tx.raw.run(
      `UPDATE notifications SET status = 'failed', last_error = ?, updated_at = ? WHERE id = ? AND status = 'sent'`,
      [reason, at, n.id],
    );
    if (done === 0) continue;
    changed += 1;
    const next = await fallBack(tx, n, at);
    await logFailure(tx, n, reason, next, at);
  }
  return changed;
}

async function logFailure(
  tx: WriteTx,
  n: ClaimedNotification,
  reason: string,
  next: string | undefined | { retry: string; attempt: number },
  at: string,
) {
  if (n.incident_id === null) return;
  const [row] = await tx.raw.all<{ service_id: string; name: string | null }>(
    `SELECT i.service_id, u.name FROM incidents i LEFT JOIN users u ON u.id = ? WHERE i.id = ?`,
    [n.user_id, n.incident_id],
  );
  if (!row) return;
  const detail = JSON.parse(n.detail) as { contact_type?: string; address?: string };
  const via = channelNames[detail.contact_type ?? ''] ?? 'unknown';
  const address = detail.address ?? null;
  await insertLogEntry(tx, {
    id: longId(),
    type: 'notify_log_entry',
    incidentId: n.incident_id,
    alertId: null,
    serviceId: row.service_id,
    at,
    channel: JSON.stringify({ type: via, notification: { type: via, address, status: 'failed' } }),
    agent: JSON.stringify({ id: n.user_id, type: 'user_reference', summary: row.name ?? n.user_id }),
    summary:
      typeof next === 'object'
        ? `Notifying ${row.name ?? n.user_id} by ${via} at ${address} failed (attempt ${next.attempt} of ${MAX_ATTEMPTS}): ${reason}. Retrying at ${next.retry}.`
        : `Notifying ${row.name ?? n.user_id} by ${via} at ${address} failed: ${reason}. ${
            next ? `Falling back to ${next}.` : 'No other contact method to fall back to.'
          }`,
    note: null,
  });
}
