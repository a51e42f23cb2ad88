import { createHash, randomInt } from 'node:crypto';
import { longId } from '../lib/ids.js';
import type { WriteTx } from '../store/write-task.js';
import { queueNotification } from './delivery-store.js';
import { insertNotification } from './notification-store.js';

/** How long a verification code works, and how many wrong guesses it survives. */
export const VERIFICATION = { minutes: 15, maxAttempts: 5 } as const;

const hashOf = (contactMethodId: string, code: string) =>
  createHash('sha256').update(`${contactMethodId}:${code}`).digest('hex');

/**
 * Marks a contact method unverified and sends a fresh 6-digit code over it (as a notification, so the
 * real channel carries it). Pages skip the method until the code comes back.
 */
export async function sendVerificationCode(
  tx: WriteTx,
  contactMethod: { id: string; user_id: string; type: string; address: string },
  at: string,
): Promise<void> {
  const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
  const expires = new Date(Date.parse(at) + VERIFICATION.minutes * 60_000).toISOString();
  await tx.raw.run(
    `UPDATE contact_methods SET unverified = 1, verification_hash = ?, verification_expires_at = ?,
       verification_attempts = 0 WHERE id = ?`,
    [hashOf(contactMethod.id, code), expires, contactMethod.id],
  );
  const id = longId();
  await insertNotification(
    tx,
    {
      id,
      dedupKey: `verify:${id}`,
      incidentId: null,
      userId: contactMethod.user_id,
      contactMethodId: contactMethod.id,
      reason: 'verification',
      urgency: null,
      dueAt: at,
      detail: {
        message: `Your Tocsin verification code is ${code}. It expires in ${VERIFICATION.minutes} minutes.`,
        contact_type: contactMethod.type,
        address: contactMethod.address,
      },
    },
    at,
  );
  await queueNotification(tx, id, at);
}

/** What checking a code found. */
export type VerifyResult = 'verified' | 'wrong' | 'expired' | 'not_pending';

/** Checks a code: right and in time → the method is verified; wrong guesses are counted and capped. */
export async function verifyCode(
  tx: WriteTx,
  contactMethodId: string,
  code: string,
  at: string,
): Promise<VerifyResult> {
  const [row] = await tx.raw.all<{
    unverified: number;
    verification_hash: string | null;
    verification_expires_at: string | null;
    verification_attempts: number;
  }>(
    `SELECT unverified, verification_hash, verification_expires_at, verification_attempts FROM contact_methods WHERE id = ?`,
    [contactMethodId],
  );
  if (!row || Number(row.unverified) !== 1 || row.verification_hash === null) return 'not_pending';
  if (
    (row.verification_expires_at ?? '') <= at ||
    Number(row.verification_attempts) >= VERIFICATION.maxAttempts
  )
    return 'expired';
  if (hashOf(contactMethodId, code.trim()) !== row.verification_hash) {
    await tx.raw.run(
      `UPDATE contact_methods SET verification_attempts = verification_attempts + 1 WHERE id = ?`,
      [contactMethodId],
    );
    return 'wrong';
  }
  await tx.raw.run(
    `UPDATE contact_methods SET unverified = 0, verification_hash = NULL, verification_expires_at = NULL,
       verification_attempts = 0 WHERE id = ?`,
    [contactMethodId],
  );
  return 'verified';
}
