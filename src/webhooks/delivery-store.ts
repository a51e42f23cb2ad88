import type { WriteTx } from '../store/write-task.js';

/** A claimed outbox row with what sending it needs. */
export interface ClaimedDelivery {
  id: string;
  subscription_id: string;
  incident_id: string | null;
  event_type: string;
  body: string;
  attempts: number;
  created_at: string;
  claimed_by: string;
  url: string;
  secret: string;
  custom_headers: string;
}

/**
 * Claims up to `limit` queued webhooks that are due, whose previous claim (if any) has lapsed, whose
 * subscription is active and not temporarily disabled, and that have no earlier queued webhook of the
 * same subscription and incident (ordering: later ones wait behind a failing or in-flight one). Sets
 * the claim and its lease and counts the attempt. On PostgreSQL the candidates are locked with SKIP
 * LOCKED, so nodes claim different rows.
 */
export async function claimDue(
  tx: WriteTx,
  now: string,
  claim: string,
  leaseUntil: string,
  limit: number,
): Promise<ClaimedDelivery[]> {
  const lock = tx.dialect === 'postgres' ? ' FOR UPDATE OF d SKIP LOCKED' : '';
  const claimed = await tx.raw.all<Omit<ClaimedDelivery, 'url' | 'secret' | 'custom_headers'>>(
    `UPDATE webhook_deliveries SET claimed_by = ?, lease_until = ?, attempts = attempts + 1, updated_at = ?
     WHERE id IN (SELECT d.id FROM webhook_deliveries d JOIN webhook_subscriptions s ON s.id = d.subscription_id
       WHERE d.status = 'queued' AND d.next_attempt_at <= ? AND (d.lease_until IS NULL OR d.lease_until < ?)
         AND s.active = 1 AND (s.disabled_until IS NULL OR s.disabled_until <= ?)
         AND NOT EXISTS (SELECT 1 FROM webhook_deliveries e WHERE e.subscription_id = d.subscription_id
           AND e.incident_id = d.incident_id AND e.status = 'queued'
           AND (e.created_at < d.created_at OR (e.created_at = d.created_at AND e.id < d.id)))
       ORDER BY d.next_attempt_at, d.created_at, d.id LIMIT ?${lock})
     RETURNING id, subscription_id, incident_id, event_type, body, attempts, created_at, claimed_by`,
    [claim, leaseUntil, now, now, now, now, limit],
  );
  if (claimed.length === 0) return [];
  const ids = [...new Set(claimed.map((c) => c.subscription_id))];
  const subs = await tx.raw.all<{ id: string; url: string; secret: string; custom_headers: string }>(
    `SELECT id, url, secret, custom_headers FROM webhook_subscriptions WHERE id IN (${ids.map(() => '?').join(', ')})`,
    ids,
  );
  const byId = new Map(subs.map((s) => [s.id, s]));
  return claimed.flatMap((c) => {
    const s = byId.get(c.subscription_id);
    return s
      ? [
          {
            ...c,
            attempts: Number(c.attempts),
            url: s.url,
            secret: s.secret,
            custom_headers: s.custom_headers,
          },
        ]
      : [];
  });
}

/** The outcome of one attempt as stored. */
export interface SettledOutcome {
  status: 'delivered' | 'queued' | 'dropped' | 'failed';
  statusCode: number | null;
  error: string | null;
  nextAttemptAt?: string;
}

/**
 * Writes an attempt's outcome only while its claim holds (fenced by `claimed_by`), and keeps the
 * subscription's count of consecutive drops: a delivery resets it; the third drop disables the
 * subscription until `disableUntil`. Returns false when the claim had lapsed (another node owns it).
 */
export async function settleDelivery(
  tx: WriteTx,
  d: { id: string; subscription_id: string; claimed_by: string },
  outcome: SettledOutcome,
  at: string,
  disableUntil: string,
): Promise<boolean> {
  const changed = await tx.raw.run(
    `UPDATE webhook_deliveries SET status = ?, last_status_code = ?, last_error = ?,
       next_attempt_at = COALESCE(?, next_attempt_at), delivered_at = ?, claimed_by = NULL, lease_until = NULL,
       updated_at = ? WHERE id = ? AND claimed_by = ? AND status = 'queued'`,
    [
      outcome.status,
      outcome.statusCode,
      outcome.error,
      outcome.nextAttemptAt ?? null,
      outcome.status === 'delivered' ? at : null,
      at,
      d.id,
      d.claimed_by,
    ],
  );
  if (changed === 0) return false;
  if (outcome.status === 'delivered')
    await tx.raw.run(`UPDATE webhook_subscriptions SET consecutive_drops = 0 WHERE id = ?`, [
      d.subscription_id,
    ]);
  else if (outcome.status === 'dropped')
    await tx.raw.run(
      `UPDATE webhook_subscriptions SET
         disabled_until = CASE WHEN consecutive_drops + 1 >= 3 THEN ? ELSE disabled_until END,
         consecutive_drops = CASE WHEN consecutive_drops + 1 >= 3 THEN 0 ELSE consecutive_drops + 1 END
       WHERE id = ?`,
      [disableUntil, d.subscription_id],
    );
  return true;
}
