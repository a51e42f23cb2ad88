import type { WriteTx } from '../store/write-task.js';

/** A claimed notification with what its message needs. */
export interface ClaimedNotification {
  id: string;
  incident_id: string | null;
  user_id: string;
  contact_method_id: string | null;
  reason: string;
  due_at: string;
  detail: string;
  attempts: number;
  claimed_by: string;
}

/**
 * Claims up to `limit` queued notifications whose next attempt is due and whose previous claim (if
 * any) has lapsed: sets the claim and its lease and counts the attempt, in one statement. On
 * PostgreSQL the candidates are locked with SKIP LOCKED, so nodes claim different rows.
 */
export function claimQueued(
  tx: WriteTx,
  now: string,
  claim: string,
  leaseUntil: string,
  limit: number,
): Promise<ClaimedNotification[]> {
  const lock = tx.dialect === 'postgres' ? ' FOR UPDATE SKIP LOCKED' : '';
  return tx.raw.all<ClaimedNotification>(
    `UPDATE notifications SET claimed_by = ?, lease_until = ?, attempts = attempts + 1, updated_at = ?
     WHERE id IN (SELECT id FROM notifications WHERE status = 'queued' AND next_attempt_at <= ?
       AND (lease_until IS NULL OR lease_until < ?) ORDER BY next_attempt_at, id LIMIT ?${lock})
     RETURNING id, incident_id, user_id, contact_method_id, reason, due_at, detail, attempts, claimed_by`,
    [claim, leaseUntil, now, now, now, limit],
  );
}

/** Queues a pending notification for delivery now (its step is due); false if it was not pending. */
export async function queueNotification(tx: WriteTx, id: string, at: string): Promise<boolean> {
  const changed = await tx.raw.run(
    `UPDATE notifications SET status = 'queued', next_attempt_at = ?, updated_at = ? WHERE id = ? AND status = 'pending'`,
    [at, at, id],
  );
  return changed > 0;
}

/** The outcome of an attempt, written only while the claim still holds (fenced by `claimed_by`). */
export async function settleClaimed(
  tx: WriteTx,
  n: { id: string; claimed_by: string },
  outcome: {
    status: 'delivered' | 'sent' | 'queued' | 'failed' | 'cancelled';
    channel: string | null;
    providerRef?: string;
    error?: string;
    nextAttemptAt?: string;
    /** A held (throttled) attempt does not count as one. */
    refundAttempt?: boolean;
  },
  at: string,
): Promise<boolean> {
  const changed = await tx.raw.run(
    `UPDATE notifications SET status = ?, channel = ?, provider_ref = COALESCE(?, provider_ref), last_error = ?,
       next_attempt_at = COALESCE(?, next_attempt_at), delivered_at = ?, claimed_by = NULL, lease_until = NULL,
       attempts = attempts - ?, updated_at = ? WHERE id = ? AND claimed_by = ? AND status = 'queued'`,
    [
      outcome.status,
      outcome.channel,
      outcome.providerRef ?? null,
      outcome.error ?? null,
      outcome.nextAttemptAt ?? null,
      outcome.status === 'delivered' || outcome.status === 'sent' ? at : null,
      outcome.refundAttempt ? 1 : 0,
      at,
      n.id,
      n.claimed_by,
    ],
  );
  return changed > 0;
}

/** What a message about a notification is built from. */
export interface MessageContext {
  contact:
    | { type: string; address: string; details: string; enabled: number; deleted_at: string | null }
    | undefined;
  user: { id: string; name: string; email: string } | undefined;
  incident:
    | {
        id: string;
        incident_number: number;
        title: string;
        service_id: string;
        service_name: string;
        urgency: string;
        status: string;
        assignment_seq: number;
      }
    | undefined;
}

/** Reads the contact method, user and incident of a notification. */
export async function messageContext(tx: WriteTx, n: ClaimedNotification): Promise<MessageContext> {
  const [contact] = n.contact_method_id
    ? await tx.raw.all<NonNullable<MessageContext['contact']>>(
        `SELECT type, address, details, enabled, deleted_at FROM contact_methods WHERE id = ?`,
        [n.contact_method_id],
      )
    : [];
  const [user] = await tx.raw.all<NonNullable<MessageContext['user']>>(
    `SELECT id, name, email FROM users WHERE id = ?`,
    [n.user_id],
  );
  const [incident] = n.incident_id
    ? await tx.raw.all<NonNullable<MessageContext['incident']>>(
        `SELECT i.id, i.incident_number, i.title, i.service_id, s.name AS service_name, i.urgency, i.status, i.assignment_seq
         FROM incidents i JOIN services s ON s.id = i.service_id WHERE i.id = ?`,
        [n.incident_id],
      )
    : [];
  return {
    contact,
    user,
    incident: incident && {
      ...incident,
      incident_number: Number(incident.incident_number),
      assignment_seq: Number(incident.assignment_seq),
    },
  };
}
