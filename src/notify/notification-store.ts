import type { WriteTx } from '../store/write-task.js';

/**
 * SQL condition on a contact method `c` that pages may use: live, enabled and, if its owner added it
 * themself, verified. Every query choosing where to send a page uses it.
 */
export const USABLE_CONTACT = 'c.deleted_at IS NULL AND c.enabled = 1 AND c.unverified = 0';

/** A notification rule with its contact method, as the engine reads it. */
export interface RuleWithContact {
  rule_id: string;
  user_id: string;
  start_delay_in_minutes: number;
  contact_method_id: string;
  contact_type: string;
  address: string;
}

/** The users' notification rules for an urgency whose contact methods are live and enabled. */
export async function rulesFor(
  tx: WriteTx,
  userIds: readonly string[],
  urgency: string,
): Promise<RuleWithContact[]> {
  if (userIds.length === 0) return [];
  const marks = userIds.map(() => '?').join(', ');
  return tx.raw.all<RuleWithContact>(
    `SELECT r.id AS rule_id, r.user_id, r.start_delay_in_minutes, c.id AS contact_method_id, c.type AS contact_type, c.address
     FROM notification_rules r JOIN contact_methods c ON c.id = r.contact_method_id
     JOIN users u ON u.id = r.user_id
     WHERE r.user_id IN (${marks}) AND r.urgency = ? AND ${USABLE_CONTACT}
       AND u.deleted_at IS NULL
     ORDER BY r.user_id, r.start_delay_in_minutes, r.id`,
    [...userIds, urgency],
  );
}

/** A notification record to insert. */
export interface NewNotification {
  id: string;
  dedupKey: string;
  incidentId: string | null;
  userId: string;
  contactMethodId: string | null;
  reason: string;
  urgency: string | null;
  dueAt: string;
  detail: Record<string, unknown>;
}

/** Inserts a pending notification; false when one with the same dedup key exists. */
export async function insertNotification(tx: WriteTx, n: NewNotification, at: string): Promise<boolean> {
  const changed = await tx.raw.run(
    `INSERT INTO notifications (id, dedup_key, incident_id, user_id, contact_method_id, reason, urgency, due_at, status,
       channel, detail, attempts, last_error, created_at, updated_at, delivered_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'pending', NULL, ?, 0, NULL, ?, ?, NULL) ON CONFLICT DO NOTHING`,
    [
      n.id,
      n.dedupKey,
      n.incidentId,
      n.userId,
      n.contactMethodId,
      n.reason,
      n.urgency,
      n.dueAt,
      JSON.stringify(n.detail),
      at,
      at,
    ],
  );
  return changed > 0;
}

/** Cancels an incident's notifications that are still pending; returns how many. */
export function cancelPendingNotifications(tx: WriteTx, incidentId: string, at: string): Promise<number> {
  return tx.raw.run(
    `UPDATE notifications SET status = 'cancelled', updated_at = ? WHERE incident_id = ? AND status = 'pending'`,
    [at, incidentId],
  );
}

/** A pending notification as delivery needs it. */
export interface PendingNotification {
  id: string;
  incident_id: string | null;
  user_id: string;
  contact_method_id: string | null;
  reason: string;
  status: string;
  detail: string;
}

/** Reads one notification. */
export async function findNotification(tx: WriteTx, id: string): Promise<PendingNotification | undefined> {
  const rows = await tx.raw.all<PendingNotification>(
    `SELECT id, incident_id, user_id, contact_method_id, reason, status, detail FROM notifications WHERE id = ?`,
    [id],
  );
  return rows[0];
}

/** Marks a pending notification with its outcome; false when it was no longer pending. */
export async function settleNotification(
  tx: WriteTx,
  id: string,
  outcome: { status: 'delivered' | 'cancelled' | 'failed'; channel: string | null; error?: string },
  at: string,
): Promise<boolean> {
  const changed = await tx.raw.run(
    `UPDATE notifications SET status = ?, channel = ?, last_error = ?, attempts = attempts + 1, updated_at = ?,
       delivered_at = ? WHERE id = ? AND status = 'pending'`,
    [
      outcome.status,
      outcome.channel,
      outcome.error ?? null,
      at,
      outcome.status === 'delivered' ? at : null,
      id,
    ],
  );
  return changed > 0;
}
