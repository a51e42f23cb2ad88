import type { OutboundMessage } from '../provider.js';

/** What the service worker receives: the notification's wording, its incident and its action links. */
export interface PushPayload {
  title: string;
  body: string;
  /** Notifications with the same tag replace each other on the device (one per incident). */
  tag: string;
  incident?: { id: string; number: number; url: string };
  actions: { action: 'acknowledge' | 'resolve'; title: string; url: string }[];
}

/**
 * The JSON payload of a push notification. The action URLs are the message's single-use action
 * links: the service worker POSTs one when its button is pressed, without opening the app.
 */
export function pushPayload(m: OutboundMessage): PushPayload {
  const i = m.incident;
  if (!i)
    return {
      title: m.bundle ? `Tocsin: ${m.bundle.length} new incidents` : 'Tocsin',
      body: m.text,
      tag: m.bundle ? 'tocsin-bundle' : `tocsin-${m.notificationId}`,
      actions: [],
    };
  return {
    title: `${m.reason === 'unassigned_fallback' ? 'Unassigned: ' : ''}#${i.number} ${i.title}`,
    body: `${i.service} · ${i.urgency} urgency · ${i.status}`,
    tag: `tocsin-incident-${i.id}`,
    incident: { id: i.id, number: i.number, url: i.url },
    actions: m.actions
      ? [
          { action: 'acknowledge', title: 'Acknowledge', url: m.actions.acknowledgeUrl },
          { action: 'resolve', title: 'Resolve', url: m.actions.resolveUrl },
        ]
      : [],
  };
}

/** A browser's push subscription (`PushSubscription.toJSON()`), as stored in the contact method. */
export interface PushSubscriptionJson {
  endpoint: string;
  keys: { p256dh: string; auth: string };
}

/** Reads a stored subscription from a contact method's details; undefined when none is valid. */
export function subscriptionOf(details: Record<string, unknown>): PushSubscriptionJson | undefined {
  const s = details.push_subscription as Partial<PushSubscriptionJson> | undefined;
  if (!s || typeof s.endpoint !== 'string' || typeof s.keys !== 'object' || s.keys === null) return undefined;
  const { p256dh, auth } = s.keys as Partial<PushSubscriptionJson['keys']>;
  if (typeof p256dh !== 'string' || typeof auth !== 'string') return undefined;
  return { endpoint: s.endpoint, keys: { p256dh, auth } };
}
