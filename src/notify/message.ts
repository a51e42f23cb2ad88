import type { ClaimedNotification, MessageContext } from './delivery-store.js';
import type { Outcome } from './delivery-outcome.js';
import type { OutboundMessage } from './provider.js';
import { SLACK_CHANNEL_POST, SLACK_MESSAGE_UPDATE } from './slack/slack-channel-posts.js';

/** Words an incident notification: number, title, service and urgency, on one line. */
export function incidentLine(i: {
  incident_number: number;
  title: string;
  service_name: string;
  urgency: string;
}) {
  return `[#${i.incident_number}] ${i.title} (${i.service_name}, ${i.urgency} urgency)`;
}

/**
 * The message for a claimed notification, or why it is not sent: its incident is no longer
 * triggered or was reassigned (cancelled), or its contact method is gone or disabled (failed, so the
 * user's next rule is tried).
 */
export function buildMessage(
  n: ClaimedNotification,
  context: MessageContext,
  baseUrl: string,
): { message: OutboundMessage } | { skip: Outcome } {
  const detail = JSON.parse(n.detail) as { seq?: number; message?: string };
  const { contact, user, incident } = context;
  if (n.reason === SLACK_CHANNEL_POST || n.reason === SLACK_MESSAGE_UPDATE)
    return slackRouteMessage(n, context, baseUrl);
  if (n.incident_id !== null) {
    if (!incident || incident.status !== 'triggered')
      return { skip: { kind: 'cancel', message: `the incident is ${incident?.status ?? 'gone'}` } };
    if (detail.seq !== undefined && detail.seq !== incident.assignment_seq)
      return { skip: { kind: 'cancel', message: 'the incident was reassigned' } };
  }
  if (!user) return { skip: { kind: 'cancel', message: 'the user is gone' } };
  if (!contact || contact.deleted_at !== null || Number(contact.enabled) !== 1)
    return {
      skip: {
        kind: 'error',
        channel: null,
        retryable: false,
        message: 'the contact method is disabled or deleted',
      },
    };
  const prefix = n.reason === 'unassigned_fallback' ? 'Unassigned incident: ' : '';
  const text = incident ? prefix + incidentLine(incident) : (detail.message ?? 'Tocsin notification');
  return {
    message: {
      notificationId: n.id,
      idempotencyKey: `${n.id}@tocsin`,
      reason: n.reason,
      contact: {
        type: contact.type,
        address: contact.address,
        details: JSON.parse(contact.details) as Record<string, unknown>,
      },
      user,
      ...(incident && { incident: incidentOf(incident, baseUrl) }),
      text,
    },
  };
}

function incidentOf(incident: NonNullable<MessageContext['incident']>, baseUrl: string) {
  return {
    id: incident.id,
    number: incident.incident_number,
    title: incident.title,
    service: incident.service_name,
    urgency: incident.urgency,
    status: incident.status,
    url: `${baseUrl}/incidents/${incident.id}`,
  };
}

/**
 * A post to a Slack channel configured for the incident's service or level (no person: cancelled like
 * a page once the incident moved on), or an update of a Slack message already posted (always sent,
 * showing the incident as it is now, with the note of the change that queued it).
 */
function slackRouteMessage(
  n: ClaimedNotification,
  context: MessageContext,
  baseUrl: string,
): { message: OutboundMessage } | { skip: Outcome } {
  const detail = JSON.parse(n.detail) as { seq?: number; address?: string; ref?: string; note?: string };
  const { incident } = context;
  if (!incident) return { skip: { kind: 'cancel', message: 'the incident is gone' } };
  const update = n.reason === SLACK_MESSAGE_UPDATE;
  if (!update && incident.status !== 'triggered')
    return { skip: { kind: 'cancel', message: `the incident is ${incident.status}` } };
  if (!update && detail.seq !== undefined && detail.seq !== incident.assignment_seq)
    return { skip: { kind: 'cancel', message: 'the incident was reassigned' } };
  const address = detail.ref?.split(':')[0] ?? detail.address ?? '';
  return {
    message: {
      notificationId: n.id,
      idempotencyKey: `${n.id}@tocsin`,
      reason: n.reason,
      contact: { type: 'slack_contact_method', address, details: {} },
      user: context.user ?? { id: '', name: `Slack channel ${address}`, email: '' },
      incident: incidentOf(incident, baseUrl),
      text: incidentLine(incident),
      ...(update && detail.ref && { update: { ref: detail.ref, ...(detail.note && { note: detail.note }) } }),
    },
  };
}

/** One message for several incident notifications to the same contact method (a throttled storm). */
export function bundleMessage(messages: readonly OutboundMessage[]): OutboundMessage {
  const first = messages[0]!;
  const bundle = messages.map((m) => ({
    id: m.incident!.id,
    number: m.incident!.number,
    title: m.incident!.title,
    service: m.incident!.service,
  }));
  return {
    ...first,
    idempotencyKey: `${messages.map((m) => m.notificationId).join('+')}@tocsin`,
    incident: undefined,
    actions: undefined,
    bundle,
    text: `${bundle.length} new incidents: ${bundle.map((b) => `#${b.number} ${b.title} (${b.service})`).join('; ')}`,
  };
}
