import type { AlertEvent, ChangeEvent, InboundEvent } from '../events/event.js';
import { timersForNewIncident } from '../engine/incident-timers.js';
import { longId } from '../lib/ids.js';
import { groupingPlan, type AlertGroupingParameters } from '../services/grouping.js';
import { urgencyFor, type IncidentUrgencyRule, type SupportHours } from '../services/urgency.js';
import type { WriteTx as Tx } from '../store/store.js';
import { enqueueIncidentEvent } from '../webhooks/outbox.js';
import * as store from './ingest-store.js';
import { agentOf, alertBody, channelOf, generatedKey } from './event-records.js';
import { acknowledgeIncident, resolveIncident } from './transitions.js';

/** Why an accepted event changed nothing (recorded in the dropped-events log). */
export type DropReason =
  'unknown_dedup_key' | 'alert_already_resolved' | 'service_disabled' | 'maintenance_window' | 'webhook_test';

/** What became of one event. */
export type IngestOutcome =
  | { status: 'invalid_routing_key' }
  | {
      status: 'accepted';
      dedupKey: string;
      result:
        | 'incident_created'
        | 'alert_grouped'
        | 'alert_updated'
        | 'acknowledged'
        | 'resolved'
        | 'no_change'
        | 'change_recorded'
        | 'dropped';
      incidentId?: string;
      dropReason?: DropReason;
    };

async function drop(
  tx: Tx,
  target: store.RoutingTarget,
  event: AlertEvent,
  dedupKey: string,
  reason: DropReason,
  at: string,
): Promise<IngestOutcome> {
  await store.insertDroppedEvent(tx, {
    id: longId(),
    integrationId: target.integration_id,
    serviceId: target.service_id,
    at,
    reason,
    action: event.action,
    dedupKey,
    summary: event.payload?.summary ?? null,
    body: JSON.stringify({
      event_action: event.action,
      dedup_key: dedupKey,
      payload: event.payload ?? null,
      via: event.via,
    }),
  });
  return { status: 'accepted', dedupKey, result: 'dropped', dropReason: reason };
}

async function trigger(
  tx: Tx,
  target: store.RoutingTarget,
  event: AlertEvent,
  now: Date,
): Promise<IngestOutcome> {
  const at = now.toISOString();
  const dedupKey = event.dedupKey ?? generatedKey();
  const payload = event.payload!;
  const body = alertBody({ ...event, dedupKey }, at);
  const channel = JSON.stringify(channelOf(event, dedupKey));
  const agent = JSON.stringify(agentOf(target));
  const open = await store.findOpenAlert(tx, target.integration_id, dedupKey);
  if (open) {
    await store.retriggerAlert(tx, open.id, payload.severity, payload.summary, body, at);
    await store.touchIncident(tx, open.incident_id, at);
    await store.insertLogEntry(tx, {
      id: longId(),
      type: 'trigger_log_entry',
      incidentId: open.incident_id,
      alertId: open.id,
      serviceId: target.service_id,
      at,
      channel,
      agent,
      summary: 'Triggered again through the API; the open alert was updated.',
      note: null,
    });
    return { status: 'accepted', dedupKey, result: 'alert_updated', incidentId: open.incident_id };
  }
  if (target.service_status === 'disabled') return drop(tx, target, event, dedupKey, 'service_disabled', at);
  // Notes §3: a service in maintenance creates nothing (no incident, no alert), though the sender gets 202.
  if (Number(target.in_maintenance) === 1) return drop(tx, target, event, dedupKey, 'maintenance_window', at);

  const grouping = JSON.parse(target.alert_grouping_parameters) as AlertGroupingParameters;
  const plan = groupingPlan(grouping, payload, now);
  let incidentId: string | undefined;
  if (plan) {
    let newest: { incident_id: string; created_at: string } | undefined;
    for (const key of plan.keys) {
      const found = await store.findGroupingIncident(tx, target.service_id, key, plan.since ?? '');
      if (found && (!newest || found.created_at > newest.created_at)) newest = found;
    }
    incidentId = newest?.incident_id;
  }
  const grouped = incidentId !== undefined;
  if (incidentId !== undefined) {
    await store.addAlertToIncident(tx, incidentId, at);
  } else {
    incidentId = longId();
    const urgency = urgencyFor(
      JSON.parse(target.incident_urgency_rule) as IncidentUrgencyRule,
      target.support_hours === null ? null : (JSON.parse(target.support_hours) as SupportHours),
      payload.severity,
      now,
    );
    await store.insertIncident(tx, {
      id: incidentId,
      number: await tx.nextIncidentNumber(),
      title: payload.summary,
      serviceId: target.service_id,
      urgency,
      // PagerDuty sets incident_key only on services that create incidents without alerts (pdpyras#44).
      incidentKey: target.alert_creation === 'create_incidents' ? dedupKey : null,
      escalationPolicyId: target.escalation_policy_id,
      agent,
      at,
    });
    await timersForNewIncident(tx, incidentId, target.auto_resolve_timeout, at);
  }
  if (plan && (!grouped || grouping.type === 'content_based')) {
    for (const key of plan.keys) await store.insertGroupKey(tx, incidentId, target.service_id, key, at);
  }
  const alertId = longId();
  await store.insertAlert(tx, {
    id: alertId,
    incidentId,
    serviceId: target.service_id,
    integrationId: target.integration_id,
    alertKey: dedupKey,
    severity: payload.severity,
    summary: payload.summary,
    body,
    at,
  });
  const entry: store.NewLogEntry = {
    id: longId(),
    type: 'trigger_log_entry',
    incidentId,
    alertId,
    serviceId: target.service_id,
    at,
    channel,
    agent,
    summary: grouped
      ? 'Alert triggered through the API and grouped into this incident.'
      : 'Triggered through the API.',
    note: null,
  };
  await store.insertLogEntry(tx, entry);
  // Only the trigger that opens an incident is `incident.triggered` (not re-triggers or grouped alerts).
  if (!grouped) await enqueueIncidentEvent(tx, 'incident.triggered', incidentId, target.service_id, entry);
  return { status: 'accepted', dedupKey, result: grouped ? 'alert_grouped' : 'incident_created', incidentId };
}

async function acknowledgeOrResolve(
  tx: Tx,
  target: store.RoutingTarget,
  event: AlertEvent,
  now: Date,
): Promise<IngestOutcome> {
  const at = now.toISOString();
  const dedupKey = event.dedupKey!;
  const open = await store.findOpenAlert(tx, target.integration_id, dedupKey);
  if (!open) {
    const reason = (await store.hasResolvedAlert(tx, target.integration_id, dedupKey))
      ? 'alert_already_resolved'
      : 'unknown_dedup_key';
    return drop(tx, target, event, dedupKey, reason, at);
  }
  const agent = agentOf(target);
  const channel = channelOf(event, dedupKey);
  const incident = {
    id: open.incident_id,
    service_id: target.service_id,
    status: open.incident_status,
    acknowledgements: open.acknowledgements,
  };
  if (event.action === 'acknowledge') {
    const changed = await acknowledgeIncident(tx, incident, agent, channel, at);
    return {
      status: 'accepted',
      dedupKey,
      result: changed ? 'acknowledged' : 'no_change',
      incidentId: open.incident_id,
    };
  }
  const stillTriggered = await store.resolveAlert(tx, open.id, open.incident_id, at);
  if (stillTriggered === undefined || stillTriggered > 0) {
    return { status: 'accepted', dedupKey, result: 'no_change', incidentId: open.incident_id };
  }
  await resolveIncident(tx, incident, agent, channel, at);
  return { status: 'accepted', dedupKey, result: 'resolved', incidentId: open.incident_id };
}

async function recordChange(
  tx: Tx,
  target: store.RoutingTarget,
  event: ChangeEvent,
  now: Date,
): Promise<IngestOutcome> {
  const at = now.toISOString();
  await store.insertChangeEvent(tx, {
    id: longId(),
    integrationId: target.integration_id,
    serviceId: target.service_id,
    summary: event.summary,
    source: event.source ?? null,
    timestamp: event.timestamp ?? at,
    body: JSON.stringify({
      custom_details: event.customDetails ?? null,
      links: event.links,
      images: event.images,
    }),
    at,
  });
  return { status: 'accepted', dedupKey: '', result: 'change_recorded' };
}

/** Lock keys for a batch: one per (integration key, dedup key), so nodes never race on one alert. */
function lockKey(event: InboundEvent): string | undefined {
  return event.kind === 'alert' && event.dedupKey !== undefined
    ? `${event.routingKey}/${event.dedupKey}`
    : undefined;
}

/**
 * Applies a batch of events in one transaction, in arrival order: dedup, grouping, incident and alert
 * state, log entries and the dropped-events log. The caller answers the senders after it commits.
 */
export async function applyEvents(
  tx: Tx,
  events: readonly InboundEvent[],
  now: Date,
): Promise<IngestOutcome[]> {
  await tx.lockKeys(events.map(lockKey).filter((k): k is string => k !== undefined));
  const targets = new Map<string, store.RoutingTarget | undefined>();
  const outcomes: IngestOutcome[] = [];
  for (const event of events) {
    if (!targets.has(event.routingKey))
      targets.set(event.routingKey, await store.findRoutingTarget(tx, event.routingKey, now.toISOString()));
    const target = targets.get(event.routingKey);
    if (!target) outcomes.push({ status: 'invalid_routing_key' });
    else if (event.kind === 'change') outcomes.push(await recordChange(tx, target, event, now));
    else if (event.action === 'trigger') outcomes.push(await trigger(tx, target, event, now));
    else outcomes.push(await acknowledgeOrResolve(tx, target, event, now));
  }
  return outcomes;
}

/** Records an adapter's test delivery (e.g. ThousandEyes' WEBHOOK_TEST) so the user sees it arrived. */
export async function recordTestDelivery(
  tx: Tx,
  routingKey: string,
  body: unknown,
  now: Date,
): Promise<boolean> {
  const target = await store.findRoutingTarget(tx, routingKey, now.toISOString());
  if (!target) return false;
  await store.insertDroppedEvent(tx, {
    id: longId(),
    integrationId: target.integration_id,
    serviceId: target.service_id,
    at: now.toISOString(),
    reason: 'webhook_test',
    action: 'test',
    dedupKey: null,
    summary: 'Test notification',
    body: JSON.stringify(body),
  });
  return true;
}
