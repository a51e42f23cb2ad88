import { insertLogEntry } from '../incidents/ingest-store.js';
import { longId } from '../lib/ids.js';
import type { WriteTx } from '../store/write-task.js';
import {
  queueNotification,
  settleClaimed,
  type ClaimedNotification,
  type MessageContext,
} from './delivery-store.js';
import { insertNotification, USABLE_CONTACT } from './notification-store.js';
import type { SendResult } from './provider.js';
import { SLACK_CHANNEL_POST, SLACK_MESSAGE_UPDATE } from './slack/slack-channel-posts.js';

/** What became of one attempt. */
export type Outcome =
  | { kind: 'sent'; channel: string; result: SendResult; sendId: string }
  | { kind: 'cancel'; message: string }
  | { kind: 'hold'; until: string; message: string }
  | { kind: 'error'; channel: string | null; retryable: boolean; message: string };

/** Attempts per notification before falling back to the user's next contact method. */
export const MAX_ATTEMPTS = 5;
/** Seconds before the next attempt, by attempts made so far (then the last value). */
const BACKOFF_SECONDS = [30, 60, 120, 300];

/** When a notification that failed its `attempts`-th attempt is tried again. */
export function retryAt(attempts: number, at: string): string {
  const wait = BACKOFF_SECONDS[Math.min(Math.max(attempts, 1) - 1, BACKOFF_SECONDS.length - 1)]!;
  return new Date(Date.parse(at) + wait * 1000).toISOString();
}

/** How a contact-method type is named on log entries and channels. */
export const channelNames: Record<string, string> = {
  email_contact_method: 'email',
  sms_contact_method: 'sms',
  phone_contact_method: 'phone',
  push_notification_contact_method: 'push',
  slack_contact_method: 'slack',
  webhook_contact_method: 'webhook',
};

async function log(tx: WriteTx, context: MessageContext, summary: string, channel: object, at: string) {
  const { incident, user } = context;
  if (!incident) return;
  await insertLogEntry(tx, {
    id: longId(),
    type: 'notify_log_entry',
    incidentId: incident.id,
    alertId: null,
    serviceId: incident.service_id,
    at,
    channel: JSON.stringify(channel),
    agent: user ? JSON.stringify({ id: user.id, type: 'user_reference', summary: user.name }) : null,
    summary,
    note: null,
  });
}

/**
 * The user's next way to be reached after a channel failed for good: their next pending notification
 * of this incident on another contact method is brought forward to now; failing that, the first of
 * their rules for the urgency (by delay) on a contact method not yet tried is used now. Returns the
 * channel chosen, or undefined.
 */
export async function fallBack(tx: WriteTx, n: ClaimedNotification, at: string): Promise<string | undefined> {
  const [self] = await tx.raw.all<{
    urgency: string | null;
    dedup_key: string;
    contact_method_id: string | null;
  }>(`SELECT urgency, dedup_key, contact_method_id FROM notifications WHERE id = ?`, [n.id]);
  if (!self?.urgency) return undefined;
  if (n.incident_id !== null) {
    const [next] = await tx.raw.all<{ id: string; type: string }>(
      `SELECT n.id, c.type FROM notifications n JOIN contact_methods c ON c.id = n.contact_method_id
       WHERE n.incident_id = ? AND n.user_id = ? AND n.status = 'pending' AND n.contact_method_id <> ?
       ORDER BY n.due_at, n.id LIMIT 1`,
      [n.incident_id, n.user_id, self.contact_method_id ?? ''],
    );
    if (next && (await queueNotification(tx, next.id, at))) return channelNames[next.type] ?? next.type;
  }
  const root = self.dedup_key.split('|fallback:')[0]!;
  const tried = await tx.raw.all<{ contact_method_id: string }>(
    `SELECT contact_method_id FROM notifications WHERE dedup_key = ? OR dedup_key LIKE ?`,
    [root, `${root}|fallback:%`],
  );
  const options = await tx.raw.all<{ contact_method_id: string; type: string; address: string }>(
    `SELECT r.contact_method_id, c.type, c.address FROM notification_rules r JOIN contact_methods c ON c.id = r.contact_method_id
     WHERE r.user_id = ? AND r.urgency = ? AND ${USABLE_CONTACT}
     ORDER BY r.start_delay_in_minutes, r.id`,
    [n.user_id, self.urgency],
  );
  const next = options.find((o) => !tried.some((t) => t.contact_method_id === o.contact_method_id));
  if (!next) return undefined;
  const id = longId();
  const detail = {
    ...(JSON.parse(n.detail) as Record<string, unknown>),
    contact_type: next.type,
    address: next.address,
  };
  await insertNotification(
    tx,
    {
      id,
      dedupKey: `${root}|fallback:${next.contact_method_id}`,
      incidentId: n.incident_id,
      userId: n.user_id,
      contactMethodId: next.contact_method_id,
      reason: n.reason,
      urgency: self.urgency,
      dueAt: at,
      detail,
    },
    at,
  );
  await queueNotification(tx, id, at);
  return channelNames[next.type] ?? next.type;
}

/** Writes an attempt's outcome (only while its claim holds) and its log entry; false if the claim lapsed. */
export async function recordOutcome(
  tx: WriteTx,
  n: ClaimedNotification,
  context: MessageContext,
  outcome: Outcome,
  at: string,
): Promise<boolean> {
  const route = n.reason === SLACK_CHANNEL_POST || n.reason === SLACK_MESSAGE_UPDATE;
  const detail = JSON.parse(n.detail) as { address?: string };
  const who = context.user?.name ?? n.user_id;
  const via = route ? 'slack' : (channelNames[context.contact?.type ?? ''] ?? 'unknown');
  const address = route ? (detail.address ?? null) : (context.contact?.address ?? null);
  // What the log says is being done: a page to a person, or a Slack channel post or message update.
  const doing =
    n.reason === SLACK_CHANNEL_POST
      ? `Posting to Slack channel ${address}`
      : n.reason === SLACK_MESSAGE_UPDATE
        ? `Updating the Slack message ${address}`
        : `Notifying ${who} by ${via}`;
  if (outcome.kind === 'cancel')
    return settleClaimed(tx, n, { status: 'cancelled', channel: null, error: outcome.message }, at);
  if (outcome.kind === 'hold') {
    const held = {
      status: 'queued',
      channel: null,
      nextAttemptAt: outcome.until,
      refundAttempt: true,
    } as const;
    const kept = await settleClaimed(tx, n, held, at);
    if (kept)
      await log(
        tx,
        context,
        `Holding the ${via} to ${who} until ${outcome.until}: ${outcome.message}.`,
        { type: via },
        at,
      );
    return kept;
  }
  if (outcome.kind === 'sent') {
    const { status } = outcome.result;
    // Without a provider id, the message's own id tells one send (maybe a bundle) from another.
    const providerRef = outcome.result.providerRef ?? outcome.sendId;
    const kept = await settleClaimed(tx, n, { status, channel: outcome.channel, providerRef }, at);
    if (kept && n.reason === SLACK_CHANNEL_POST)
      await log(
        tx,
        context,
        `Posted to Slack channel ${address}.`,
        { type: via, notification: { type: via, address, status } },
        at,
      );
    else if (kept && !route)
      await log(
        tx,
        context,
        `Notified ${who} by ${via} at ${address}.`,
        { type: via, notification: { type: via, address, status } },
        at,
      );
    return kept;
  }
  const channel = { type: via, notification: { type: via, address, status: 'failed' } };
  if (outcome.retryable && n.attempts < MAX_ATTEMPTS) {
    const nextAttemptAt = retryAt(n.attempts, at);
    const kept = await settleClaimed(
      tx,
      n,
      { status: 'queued', channel: outcome.channel, error: outcome.message, nextAttemptAt },
      at,
    );
    if (kept)
      await log(
        tx,
        context,
        `${doing} failed (attempt ${n.attempts} of ${MAX_ATTEMPTS}): ${outcome.message}. Retrying at ${nextAttemptAt}.`,
        channel,
        at,
      );
    return kept;
  }
  const kept = await settleClaimed(
    tx,
    n,
    { status: 'failed', channel: outcome.channel, error: outcome.message },
    at,
  );
  if (!kept) return false;
  // A channel post or a message update has no person and so no next rule.
  const next = route ? undefined : await fallBack(tx, n, at);
  const then = route ? '' : next ? ` Falling back to ${next}.` : ' No other contact method to fall back to.';
  await log(tx, context, `${doing} failed: ${outcome.message}.${then}`, channel, at);
  return true;
}
