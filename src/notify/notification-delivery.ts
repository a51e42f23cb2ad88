import type { StepContext } from '../escalation/assignment.js';
import { logStep } from '../escalation/assignment.js';
import type { EscalationIncident } from '../escalation/incident-state.js';
import { userNames } from '../escalation/incident-state.js';
import { findNotification, settleNotification } from './notification-store.js';

/** How a contact-method type is named on a notify log entry's channel. */
const channelNames: Record<string, string> = {
  email_contact_method: 'email',
  sms_contact_method: 'sms',
  phone_contact_method: 'phone',
  push_notification_contact_method: 'push_notification',
  slack_contact_method: 'slack',
  webhook_contact_method: 'webhook',
};

/**
 * Produces a due notification. Until real providers exist (the notifications issue) the built-in
 * "log" channel delivers it: the record is marked delivered and the incident's timeline says who was
 * notified how. A notification whose incident is no longer triggered, or whose assignment has been
 * replaced, is cancelled instead.
 */
export async function produceNotification(
  ctx: StepContext,
  notificationId: string,
  seq: number | undefined,
  incident: EscalationIncident | undefined,
): Promise<void> {
  const n = await findNotification(ctx.tx, notificationId);
  if (!n || n.status !== 'pending') return;
  if (
    incident &&
    (incident.status !== 'triggered' || (seq !== undefined && seq !== incident.assignment_seq))
  ) {
    await settleNotification(ctx.tx, n.id, { status: 'cancelled', channel: null }, ctx.at);
    return;
  }
  await settleNotification(ctx.tx, n.id, { status: 'delivered', channel: 'log' }, ctx.at);
  if (!incident) return;
  const detail = JSON.parse(n.detail) as { contact_type?: string; address?: string };
  const name = (await userNames(ctx.tx, [n.user_id])).get(n.user_id) ?? n.user_id;
  const via = channelNames[detail.contact_type ?? ''] ?? detail.contact_type ?? 'unknown';
  await logStep(
    ctx,
    incident,
    'notify_log_entry',
    `Notified ${name} by ${via} at ${detail.address ?? 'an unknown address'}.`,
    { id: n.user_id, type: 'user_reference', summary: name },
    { type: via, notification: { type: via, address: detail.address ?? null, status: 'delivered' } },
  );
}
