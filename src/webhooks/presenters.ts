import type { WebhookDeliveriesTable } from '../store/database.js';
import { settingsOf } from './subscription-service.js';
import type { SubscriptionRow } from './subscription-store.js';

/** What PagerDuty shows instead of a custom header's value. */
export const REDACTED = '-- redacted --';

/**
 * A subscription as PagerDuty presents it. The secret only when just created; header values never
 * (they are sent on deliveries as they are). `temporarily_disabled` holds until its 24 hours pass.
 */
export function presentSubscription(row: SubscriptionRow, now: Date, options: { withSecret?: boolean } = {}) {
  const s = settingsOf(row);
  return {
    id: row.id,
    type: 'webhook_subscription',
    active: s.active,
    delivery_method: {
      id: row.id,
      type: 'http_delivery_method',
      url: s.url,
      custom_headers: s.customHeaders.map((h) => ({ name: h.name, value: REDACTED })),
      secret: options.withSecret ? row.secret : null,
      temporarily_disabled: row.disabled_until !== null && row.disabled_until > now.toISOString(),
    },
    description: s.description ?? '',
    events: s.events,
    filter: s.filter.id === null ? { type: s.filter.type } : { id: s.filter.id, type: s.filter.type },
  };
}

/** One row of a subscription's delivery log (Tocsin's addition to the API). */
export function presentDelivery(row: WebhookDeliveriesTable) {
  return {
    id: row.id,
    type: 'webhook_delivery',
    event_id: row.event_id,
    event_type: row.event_type,
    incident: row.incident_id === null ? null : { id: row.incident_id, type: 'incident_reference' },
    status: row.status,
    attempts: Number(row.attempts),
    last_status_code: row.last_status_code === null ? null : Number(row.last_status_code),
    last_error: row.last_error,
    created_at: row.created_at,
    next_attempt_at: row.status === 'queued' ? row.next_attempt_at : null,
    delivered_at: row.delivered_at,
  };
}
