import { longId } from '../../lib/ids.js';
import type { WriteTx } from '../../store/write-task.js';
import { queueNotification } from '../delivery-store.js';
import { insertNotification } from '../notification-store.js';

/** The reason of a notification that posts an incident to a Slack channel (no person behind it). */
export const SLACK_CHANNEL_POST = 'slack_channel';
/** The reason of a notification that updates a Slack message already posted (`chat.update`). */
export const SLACK_MESSAGE_UPDATE = 'slack_update';

/** Log entry types whose change a Slack message about the incident shows (status, assignees). */
const SHOWN_CHANGES = new Set([
  'acknowledge_log_entry',
  'unacknowledge_log_entry',
  'resolve_log_entry',
  'assign_log_entry',
  'escalate_log_entry',
  'delegate_log_entry',
  'urgency_change_log_entry',
]);

/** How a change's channel reads after its summary on a Slack message. */
const VIA: Record<string, string> = {
  slack: 'in Slack',
  email: 'by email',
  sms: 'by SMS',
  phone: 'by phone',
  push: 'from a push notification',
  api: 'through the API',
  web: 'in Tocsin',
  web_ui: 'in Tocsin',
};

/**
 * Posts an assigned incident to the Slack channels configured for it: its service's channel (once
 * per incident) and the channel of the escalation level it is assigned at (once per level; skipped
 * when it is the service's channel). Each post is a notification row queued for the dispatcher, and
 * its dedup key makes it exist once however many nodes or steps plan it.
 */
export async function planSlackChannelPosts(
  tx: WriteTx,
  incident: { id: string; seq: number; urgency: string; number: number; title: string; service: string },
  at: string,
): Promise<void> {
  const [row] = await tx.raw.all<{
    service_channel: string | null;
    escalation_level: number;
    assigned_via: string | null;
    rules: string | null;
  }>(
    `SELECT s.slack_channel_id AS service_channel, i.escalation_level, i.assigned_via, p.rules
     FROM incidents i JOIN services s ON s.id = i.service_id
     LEFT JOIN escalation_policies p ON p.id = i.escalation_policy_id WHERE i.id = ?`,
    [incident.id],
  );
  if (!row) return;
  const level = Number(row.escalation_level);
  const rules = row.rules ? (JSON.parse(row.rules) as { slack_channel_id?: string | null }[]) : [];
  const levelChannel =
    row.assigned_via === 'escalation_policy' ? (rules[level - 1]?.slack_channel_id ?? null) : null;
  const posts: [string, string][] = [];
  if (row.service_channel) posts.push([`slack:${incident.id}:service`, row.service_channel]);
  if (levelChannel && levelChannel !== row.service_channel)
    posts.push([`slack:${incident.id}:level:${level}`, levelChannel]);
  for (const [dedupKey, channel] of posts) {
    const id = longId();
    const added = await insertNotification(
      tx,
      {
        id,
        dedupKey,
        incidentId: incident.id,
        userId: '',
        contactMethodId: null,
        reason: SLACK_CHANNEL_POST,
        urgency: incident.urgency,
        dueAt: at,
        detail: {
          incident_number: incident.number,
          title: incident.title,
          service: incident.service,
          contact_type: 'slack_contact_method',
          address: channel,
          seq: incident.seq,
          ...(dedupKey.includes(':level:') && { level }),
        },
      },
      at,
    );
    if (added) await queueNotification(tx, id, at);
  }
}

/**
 * After a change an incident's Slack messages show (acknowledged, resolved, reassigned, escalated…),
 * queues one `chat.update` per message Tocsin posted about it, in the change's transaction: a durable
 * notification row each, sent with the dispatcher's claim, lease and retries. Costs one indexed read
 * when the incident has no Slack message.
 */
export async function queueSlackUpdates(
  tx: WriteTx,
  change: { type: string; incidentId: string; summary: string; channel: string | null },
  at: string,
): Promise<void> {
  if (!SHOWN_CHANGES.has(change.type)) return;
  const messages = await tx.raw.all<{ provider_ref: string; user_id: string; urgency: string | null }>(
    `SELECT provider_ref, MIN(user_id) AS user_id, MIN(urgency) AS urgency FROM notifications
     WHERE incident_id = ? AND channel = 'slack' AND provider_ref IS NOT NULL AND reason <> ?
     GROUP BY provider_ref`,
    [change.incidentId, SLACK_MESSAGE_UPDATE],
  );
  if (messages.length === 0) return;
  let via: string | undefined;
  try {
    via = VIA[(JSON.parse(change.channel ?? '{}') as { type?: string }).type ?? ''];
  } catch {
    via = undefined;
  }
  const note = via ? change.summary.replace(/\.$/, ` ${via}.`) : change.summary;
  for (const m of messages) {
    const id = longId();
    await insertNotification(
      tx,
      {
        id,
        dedupKey: `slack_update:${m.provider_ref}:${id}`,
        incidentId: change.incidentId,
        userId: m.user_id,
        contactMethodId: null,
        reason: SLACK_MESSAGE_UPDATE,
        urgency: m.urgency,
        dueAt: at,
        detail: { contact_type: 'slack_contact_method', address: m.provider_ref, ref: m.provider_ref, note },
      },
      at,
    );
    await queueNotification(tx, id, at);
  }
}

/** Whether a newer update of the same Slack message is queued (this one would only show older news). */
export async function supersededUpdate(
  tx: WriteTx,
  n: { id: string; incident_id: string | null; detail: string },
): Promise<boolean> {
  if (n.incident_id === null) return false;
  const ref = (JSON.parse(n.detail) as { ref?: string }).ref;
  const [self] = await tx.raw.all<{ created_at: string }>(
    `SELECT created_at FROM notifications WHERE id = ?`,
    [n.id],
  );
  if (!self) return false;
  const others = await tx.raw.all<{ id: string; created_at: string; detail: string }>(
    `SELECT id, created_at, detail FROM notifications
     WHERE incident_id = ? AND status = 'queued' AND reason = ? AND id <> ?`,
    [n.incident_id, SLACK_MESSAGE_UPDATE, n.id],
  );
  return others.some(
    (o) =>
      (JSON.parse(o.detail) as { ref?: string }).ref === ref &&
      (o.created_at > self.created_at || (o.created_at === self.created_at && o.id > n.id)),
  );
}
