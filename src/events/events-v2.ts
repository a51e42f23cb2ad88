import {
  SEVERITIES,
  type AlertEvent,
  type ChangeEvent,
  type EventAction,
  type ParseResult,
  type Severity,
} from './event.js';
import { isObject, optionalString, parseImages, parseLinks, parseTimestamp } from './fields.js';

const ACTIONS: readonly string[] = ['trigger', 'acknowledge', 'resolve'];

/** Checks the routing key as PagerDuty does: a string of exactly 32 characters. */
export function checkRoutingKey(value: unknown, errors: string[]): string {
  if (typeof value !== 'string' || value.length !== 32) {
    errors.push("Length of 'routing_key' is incorrect (should be 32 characters)");
    return '';
  }
  return value;
}

/** Checks a summary: required, at most 1024 characters (PagerDuty rejects longer ones). */
function checkSummary(value: unknown, name: string, errors: string[]): string {
  if (typeof value !== 'string' || value.trim() === '') {
    errors.push(`'${name}' is missing or blank`);
    return '';
  }
  // The misspelling is PagerDuty's own; senders match on this text.
  if ([...value].length > 1024) errors.push(`'summary' is too long (maiximum is 1024 characters)`);
  return value;
}

function checkDedupKey(value: unknown, action: string, errors: string[]): string | undefined {
  if (value === undefined || value === null || value === '') {
    if (action !== 'trigger' && ACTIONS.includes(action))
      errors.push("'dedup_key' is required for acknowledge and resolve events");
    return undefined;
  }
  if (typeof value !== 'string' && typeof value !== 'number') {
    errors.push("'dedup_key' must be a string");
    return undefined;
  }
  const key = String(value);
  if (key.length > 255) errors.push("'dedup_key' is too long (maximum is 255 characters)");
  return key;
}

function checkPayload(value: unknown, errors: string[]): AlertEvent['payload'] {
  if (!isObject(value)) {
    errors.push("'payload' is missing or not an object");
    return undefined;
  }
  const summary = checkSummary(value.summary, 'payload.summary', errors);
  const source = value.source;
  if (typeof source !== 'string' || source.trim() === '') errors.push("'payload.source' is missing or blank");
  const severity = value.severity;
  if (typeof severity !== 'string' || !(SEVERITIES as readonly string[]).includes(severity)) {
    errors.push(
      "'payload.severity' is invalid (must be one of the following: 'critical', 'warning', 'error' or 'info')",
    );
  }
  const timestamp = optionalString(value.timestamp, 'payload.timestamp', errors);
  return {
    summary,
    source: typeof source === 'string' ? source : '',
    severity: severity as Severity,
    timestamp: parseTimestamp(timestamp),
    component: optionalString(value.component, 'payload.component', errors),
    group: optionalString(value.group, 'payload.group', errors),
    class: optionalString(value.class, 'payload.class', errors),
    customDetails: value.custom_details ?? undefined,
  };
}

/** Validates an Events API v2 body; every problem is reported, in PagerDuty's wording where known. */
export function parseEventV2(body: unknown): ParseResult<AlertEvent> {
  if (!isObject(body)) return { ok: false, errors: ['Event object must be a JSON object'] };
  const errors: string[] = [];
  const routingKey = checkRoutingKey(body.routing_key, errors);
  const action = body.event_action;
  if (typeof action !== 'string' || !ACTIONS.includes(action)) {
    errors.push(
      "'event_action' is invalid (must be one of the following: 'trigger', 'acknowledge' or 'resolve')",
    );
  }
  const actionName = typeof action === 'string' ? action : '';
  const dedupKey = checkDedupKey(body.dedup_key, actionName, errors);
  // Ack and resolve need only the key; a payload on them (Alertmanager sends one) is ignored.
  const payload = actionName === 'trigger' ? checkPayload(body.payload, errors) : undefined;
  const links = parseLinks(body.links, 'links', errors);
  const images = parseImages(body.images, 'images', errors);
  const client = optionalString(body.client, 'client', errors);
  const clientUrl = optionalString(body.client_url, 'client_url', errors);
  if (errors.length > 0) return { ok: false, errors };
  return {
    ok: true,
    event: {
      kind: 'alert',
      via: 'events_api_v2',
      routingKey,
      action: actionName as EventAction,
      dedupKey,
      payload,
      links,
      images,
      client,
      clientUrl,
    },
  };
}

/** Validates a change event body (`/v2/change/enqueue`). */
export function parseChangeEvent(body: unknown): ParseResult<ChangeEvent> {
  if (!isObject(body)) return { ok: false, errors: ['Event object must be a JSON object'] };
  const errors: string[] = [];
  const routingKey = checkRoutingKey(body.routing_key, errors);
  if (routingKey.startsWith('R')) errors.push('Change events cannot be sent to a ruleset routing key');
  const payload = body.payload;
  let summary = '';
  let source: string | undefined;
  let timestamp: string | undefined;
  let customDetails: unknown;
  if (!isObject(payload)) {
    errors.push("'payload' is missing or not an object");
  } else {
    summary = checkSummary(payload.summary, 'payload.summary', errors);
    source = optionalString(payload.source, 'payload.source', errors);
    timestamp = parseTimestamp(optionalString(payload.timestamp, 'payload.timestamp', errors));
    customDetails = payload.custom_details ?? undefined;
  }
  const links = parseLinks(body.links, 'links', errors);
  const images = parseImages(body.images, 'images', errors);
  if (errors.length > 0) return { ok: false, errors };
  return {
    ok: true,
    event: { kind: 'change', routingKey, summary, source, timestamp, customDetails, links, images },
  };
}
