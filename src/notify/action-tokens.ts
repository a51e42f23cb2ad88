import { createHmac, randomBytes } from 'node:crypto';
import type { WriteTx } from '../store/write-task.js';

/** How long an action link in a message works. */
export const ACTION_TOKEN_HOURS = 12;

/** The installation's secret for action tokens, made on first use (in `meta`). */
export async function actionSecret(tx: WriteTx): Promise<string> {
  await tx.raw.run(`INSERT INTO meta (key, value) VALUES ('action_secret', ?) ON CONFLICT DO NOTHING`, [
    randomBytes(32).toString('base64url'),
  ]);
  const [row] = await tx.raw.all<{ value: string }>(`SELECT value FROM meta WHERE key = 'action_secret'`, []);
  return row!.value;
}

/** An action a message offers on its incident. */
export interface ActionGrant {
  notificationId: string;
  incidentId: string;
  userId: string;
  action: 'acknowledge' | 'resolve';
  channel: string;
}

/**
 * The token of an action link: an HMAC of the notification and the action under the installation's
 * secret, so it cannot be guessed or forged, and a retried message carries the same links. It is
 * stored with its expiry, and using it marks it used (single use).
 */
export async function grantAction(
  tx: WriteTx,
  secret: string,
  grant: ActionGrant,
  at: string,
): Promise<string> {
  const token = createHmac('sha256', secret)
    .update(`${grant.notificationId}:${grant.action}`)
    .digest('base64url')
    .slice(0, 32);
  const expires = new Date(Date.parse(at) + ACTION_TOKEN_HOURS * 3_600_000).toISOString();
  await tx.raw.run(
    `INSERT INTO action_tokens (id, incident_id, user_id, action, channel, expires_at, used_at, created_at)
     VALUES (?, ?, ?, ?, ?, ?, NULL, ?) ON CONFLICT DO NOTHING`,
    [token, grant.incidentId, grant.userId, grant.action, grant.channel, expires, at],
  );
  return token;
}

/** A stored action token. */
export interface ActionTokenRow {
  id: string;
  incident_id: string;
  user_id: string;
  action: string;
  channel: string;
  expires_at: string;
  used_at: string | null;
}

/** Reads a token. */
export async function findActionToken(tx: WriteTx, token: string): Promise<ActionTokenRow | undefined> {
  const [row] = await tx.raw.all<ActionTokenRow>(
    `SELECT id, incident_id, user_id, action, channel, expires_at, used_at FROM action_tokens WHERE id = ?`,
    [token],
  );
  return row;
}

/** Uses a token once: false when it is unknown, used or expired. */
export async function useActionToken(tx: WriteTx, token: string, at: string): Promise<boolean> {
  const changed = await tx.raw.run(
    `UPDATE action_tokens SET used_at = ? WHERE id = ? AND used_at IS NULL AND expires_at > ?`,
    [at, token, at],
  );
  return changed > 0;
}
