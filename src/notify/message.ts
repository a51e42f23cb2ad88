import type { ClaimedNotification, MessageContext } from './delivery-store.js';
import type { Outcome } from './delivery-outcome.js';
import type { OutboundMessage } from './provider.js';

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
      ...(incident && {
        incident: {
          id: incident.id,
          number: incident.incident_number,
          title: incident.title,
          service: incident.service_name,
          urgency: incident.urgency,
          status: incident.status,
          url: `${baseUrl}/incidents/${incident.id}`,
        },
      }),
      text,
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
