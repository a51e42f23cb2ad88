import { randomUUID } from 'node:crypto';
import { longId } from '../lib/ids.js';
import type { WriteTx } from '../store/write-task.js';
import { incidentEventBody, incidentFacts, type EventSource } from './envelope.js';

/** Bodies larger than this are dropped (and logged as dropped) instead of sent (notes §4). */
export const MAX_BODY_BYTES = 256 * 1024;

/** Log entry types and the webhook event each one is (trigger is enqueued by ingest itself). */
const EVENT_OF_LOG_ENTRY: Record<string, string> = {
  acknowledge_log_entry: 'incident.acknowledged',
  unacknowledge_log_entry: 'incident.unacknowledged',
  resolve_log_entry: 'incident.resolved',
  escalate_log_entry: 'incident.escalated',
  delegate_log_entry: 'incident.delegated',
  annotate_log_entry: 'incident.annotated',
};

/**
 * The event a log entry is, if any. `trigger_log_entry` is not mapped: alert re-triggers and grouped
 * alerts write one too, so ingest enqueues `incident.triggered` only when it opens an incident. An
 * `assign_log_entry` is a reassignment only when someone did it (initial assignment, re-notifying and
 * the engine's own assignments have no agent; a delegation logs `delegated`).
 */
export function eventOfLogEntry(type: string, agent: string | null): string | undefined {
  if (type === 'assign_log_entry') return agent === null ? undefined : 'incident.reassigned';
  return EVENT_OF_LOG_ENTRY[type];
}

interface LiveSubscription {
  id: string;
  events: string;
  filter_type: string;
  filter_id: string | null;
  disabled_until: string | null;
  base_url: string;
}

/** Inserts one outbox row (dropped at once when its body is too large to send). */
export async function insertDelivery(
  tx: WriteTx,
  d: { subscriptionId: string; incidentId: string | null; eventId: string; eventType: string; body: string },
  at: string,
): Promise<string> {
  const id = longId();
  const tooLarge = Buffer.byteLength(d.body) > MAX_BODY_BYTES;
  await tx.raw.run(
    `INSERT INTO webhook_deliveries (id, subscription_id, incident_id, event_id, event_type, body, status, attempts,
       next_attempt_at, claimed_by, lease_until, last_status_code, last_error, created_at, updated_at, delivered_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, 0, ?, NULL, NULL, NULL, ?, ?, ?, NULL)`,
    [
      id,
      d.subscriptionId,
      d.incidentId,
      d.eventId,
      d.eventType,
      d.body,
      tooLarge ? 'dropped' : 'queued',
      at,
      tooLarge ? `Body of ${Buffer.byteLength(d.body)} bytes is over the 256 KB limit` : null,
      at,
      at,
    ],
  );
  return id;
}

/**
 * Writes one outbox row per active subscription that wants this incident event, in the caller's
 * transaction (the one that changed the incident and wrote its log entry). With no subscriptions the
 * cost is one indexed lookup; the incident is read only when some subscription matches.
 */
export async function enqueueIncidentEvent(
  tx: WriteTx,
  eventType: string,
  incidentId: string,
  serviceId: string,
  source: EventSource,
): Promise<void> {
  const live = await tx.raw.all<LiveSubscription>(
    `SELECT id, events, filter_type, filter_id, disabled_until, base_url FROM webhook_subscriptions WHERE active = 1`,
    [],
  );
  if (live.length === 0) return;
  const wanted = live.filter(
    (s) =>
      (s.disabled_until === null || s.disabled_until <= source.at) &&
      (JSON.parse(s.events) as string[]).includes(eventType) &&
      (s.filter_type !== 'service_reference' || s.filter_id === serviceId),
  );
  if (wanted.length === 0) return;
  const facts = await incidentFacts(tx, incidentId);
  if (!facts) return;
  const eventId = randomUUID();
  const bodies = new Map<string, string>();
  for (const s of wanted) {
    // A team filter matches incidents whose escalation policy belongs to the team (services have no team).
    if (s.filter_type === 'team_reference' && s.filter_id !== facts.team_id) continue;
    let body = bodies.get(s.base_url);
    if (body === undefined) {
      body = incidentEventBody(s.base_url, eventId, eventType, facts, source);
      bodies.set(s.base_url, body);
    }
    await insertDelivery(tx, { subscriptionId: s.id, incidentId, eventId, eventType, body }, source.at);
  }
}
