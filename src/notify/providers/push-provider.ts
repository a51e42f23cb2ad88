import type { Agent } from 'node:https';
import webpush from 'web-push';
import { pushPayload, subscriptionOf } from '../push/push-payload.js';
import { ProviderError, type OutboundMessage, type Provider } from '../provider.js';

/** Web Push settings: the VAPID key pair and subject, and optionally the HTTPS agent to use. */
export interface PushSettings {
  publicKey: string;
  privateKey: string;
  subject: string;
  /** The HTTPS agent for requests to push services (tests trust a local service's certificate). */
  agent?: Agent;
  /** Seconds a push service keeps an undelivered message (the phone is off). */
  ttlSeconds?: number;
  timeoutMs?: number;
  /** Called when the push service says the subscription is gone (404/410). */
  onGone?: (message: OutboundMessage) => Promise<void>;
}

/**
 * Web Push (RFC 8030) with VAPID (RFC 8292) and an `aes128gcm`-encrypted JSON payload (RFC 8291),
 * through `web-push`. High-urgency incidents go with `Urgency: high` so a sleeping phone wakes.
 * 404/410 mean the browser unsubscribed: not retried, the contact method is disabled (`onGone`) and
 * the user's next rule is tried. Other 4xx (a refused VAPID key, a payload too large) are not retried
 * either; 429, 5xx, timeouts and connection errors are.
 */
export function pushProvider(settings: PushSettings): Provider {
  const vapidDetails = {
    subject: settings.subject,
    publicKey: settings.publicKey,
    privateKey: settings.privateKey,
  };
  return {
    name: 'web_push',
    send: async (message) => {
      const subscription = subscriptionOf(message.contact.details);
      if (!subscription)
        throw new ProviderError('Web Push: no browser subscription is registered for this device', false);
      const payload = pushPayload(message);
      try {
        const result = await webpush.sendNotification(subscription, JSON.stringify(payload), {
          vapidDetails,
          contentEncoding: 'aes128gcm',
          TTL: settings.ttlSeconds ?? 3600,
          urgency: message.incident?.urgency === 'high' || message.bundle ? 'high' : 'normal',
          timeout: settings.timeoutMs ?? 10_000,
          ...(settings.agent && { agent: settings.agent }),
        });
        const location = result.headers.location;
        return { status: 'delivered', ...(typeof location === 'string' && { providerRef: location }) };
      } catch (error) {
        const status = error instanceof webpush.WebPushError ? error.statusCode : undefined;
        const text = error instanceof Error ? error.message : String(error);
        if (status === 404 || status === 410) {
          await settings.onGone?.(message);
          throw new ProviderError(`Web Push: the subscription is gone (${status}); device disabled`, false);
        }
        const retryable = status === undefined || status === 429 || status >= 500;
        throw new ProviderError(`Web Push: ${status ?? ''} ${text}`.replace('  ', ' '), retryable);
      }
    },
  };
}
