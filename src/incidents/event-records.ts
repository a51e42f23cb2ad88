import { randomBytes } from 'node:crypto';
import type { AlertEvent } from '../events/event.js';
import type { RoutingTarget } from './ingest-store.js';
import type { AgentRef, Channel } from './transitions.js';

// What ingest stores about an event: the alert body, the log entries' channel and agent.

/** A generated dedup key for a trigger that has none: 32 hex characters, as PagerDuty returns. */
export function generatedKey(): string {
  return randomBytes(16).toString('hex');
}

/** The integration an event came through, as the agent of its log entries. */
export function agentOf(target: RoutingTarget): AgentRef {
  return {
    id: target.integration_id,
    type: `${target.integration_type}_reference`,
    summary: target.integration_name,
  };
}

/** The `channel` of an event's log entries: `api`, with what the event said. */
export function channelOf(event: AlertEvent, dedupKey: string): Channel {
  const channel: Channel = { type: 'api', via: event.via, incident_key: dedupKey };
  if (event.payload) {
    channel.summary = event.payload.summary;
    channel.details = event.payload.customDetails ?? null;
  }
  if (event.client !== undefined) channel.client = event.client;
  if (event.clientUrl !== undefined) channel.client_url = event.clientUrl;
  return channel;
}

/** The stored alert body: what PagerDuty shows as the alert's `body` (its CEF-like details). */
export function alertBody(event: AlertEvent, at: string): string {
  const p = event.payload;
  return JSON.stringify({
    type: 'alert_body',
    contexts: [
      ...event.links.map((l) => ({ type: 'link', ...l })),
      ...event.images.map((i) => ({ type: 'image', ...i })),
    ],
    details: p?.customDetails ?? null,
    cef_details: {
      summary: p?.summary,
      source_origin: p?.source,
      severity: p?.severity,
      event_class: p?.class ?? null,
      source_component: p?.component ?? null,
      service_group: p?.group ?? null,
      client: event.client ?? null,
      client_url: event.clientUrl ?? null,
      creation_time: p?.timestamp ?? at,
      contexts: [...event.links, ...event.images],
      details: p?.customDetails ?? null,
      dedup_key: event.dedupKey ?? null,
    },
    via: event.via,
  });
}
