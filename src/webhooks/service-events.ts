import { randomUUID } from 'node:crypto';
import type { Actor } from '../auth/actor.js';
import { Links } from '../http/rest.js';
import type { WriteTx } from '../store/write-task.js';
import { insertDelivery } from './outbox.js';

/** A service as its webhook events carry it. */
export interface ServiceFacts {
  id: string;
  name: string;
  description: string | null;
  status: string;
  escalation_policy_id: string | null;
}

/**
 * Writes `service.created|updated|deleted` outbox rows for the active subscriptions that want the event
 * (account-wide, or filtered on this service), in the transaction that changed the service.
 */
export async function enqueueServiceEvent(
  tx: WriteTx,
  eventType: 'service.created' | 'service.updated' | 'service.deleted',
  service: ServiceFacts,
  actor: Actor,
  at: string,
): Promise<void> {
  const live = await tx.raw.all<{
    id: string;
    events: string;
    filter_type: string;
    filter_id: string | null;
    disabled_until: string | null;
    base_url: string;
  }>(
    `SELECT id, events, filter_type, filter_id, disabled_until, base_url FROM webhook_subscriptions WHERE active = 1`,
    [],
  );
  const eventId = randomUUID();
  for (const s of live) {
    if (s.disabled_until !== null && s.disabled_until > at) continue;
    if (!(JSON.parse(s.events) as string[]).includes(eventType)) continue;
    if (
      s.filter_type === 'team_reference' ||
      (s.filter_type === 'service_reference' && s.filter_id !== service.id)
    )
      continue;
    const links = new Links(s.base_url);
    const agent =
      actor.userId === null ? null : links.reference('user', 'users', actor.userId, actor.summary);
    const body = JSON.stringify({
      event: {
        id: eventId,
        event_type: eventType,
        resource_type: 'service',
        occurred_at: at,
        agent,
        client: null,
        data: {
          id: service.id,
          type: 'service',
          self: links.self('services', service.id),
          html_url: links.html('services', service.id),
          summary: service.name,
          name: service.name,
          description: service.description,
          status: eventType === 'service.deleted' ? 'disabled' : service.status,
          escalation_policy:
            service.escalation_policy_id === null
              ? null
              : links.reference(
                  'escalation_policy',
                  'escalation_policies',
                  service.escalation_policy_id,
                  service.escalation_policy_id,
                ),
          teams: [],
        },
      },
    });
    await insertDelivery(tx, { subscriptionId: s.id, incidentId: null, eventId, eventType, body }, at);
  }
}
