import { FieldErrors } from '../lib/errors.js';

/** Every v3 event type PagerDuty documents; a subscription may name any of them (notes §4). */
export const WEBHOOK_EVENT_TYPES: readonly string[] = [
  'incident.acknowledged',
  'incident.annotated',
  'incident.conference_bridge.updated',
  'incident.custom_field_values.updated',
  'incident.delegated',
  'incident.escalated',
  'incident.incident_type.changed',
  'incident.priority_updated',
  'incident.reassigned',
  'incident.reopened',
  'incident.resolved',
  'incident.responder.added',
  'incident.responder.replied',
  'incident.role.assigned',
  'incident.service_updated',
  'incident.status_update_published',
  'incident.triggered',
  'incident.unacknowledged',
  'incident.workflow.completed',
  'incident.workflow.started',
  'incident_workflow_instance.created',
  'incident_workflow_instance.completed',
  'service.created',
  'service.deleted',
  'service.updated',
  'pagey.ping',
];

/** What a subscription filters on. */
export type FilterType = 'account_reference' | 'service_reference' | 'team_reference';

const FILTER_TYPES: readonly string[] = ['account_reference', 'service_reference', 'team_reference'];

/** Headers Tocsin sets itself; a custom header may not replace them. */
const RESERVED_HEADERS = new Set([
  'content-type',
  'content-length',
  'host',
  'user-agent',
  'x-pagerduty-signature',
  'x-webhook-id',
  'x-webhook-subscription',
  'transfer-encoding',
  'connection',
]);

/** A custom header sent with every delivery. */
export interface CustomHeader {
  name: string;
  value: string;
}

/** The settings of a subscription a client may set. */
export interface SubscriptionSettings {
  url: string;
  customHeaders: CustomHeader[];
  events: string[];
  filter: { type: FilterType; id: string | null };
  description: string | null;
  active: boolean;
}

type Json = Record<string, unknown>;
const isJson = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

function url(value: unknown, errors: FieldErrors): string | undefined {
  if (typeof value !== 'string' || value.length === 0 || value.length > 2048) {
    errors.add('delivery_method.url must be an http or https URL');
    return undefined;
  }
  try {
    const parsed = new URL(value);
    if (parsed.protocol === 'http:' || parsed.protocol === 'https:') return value;
  } catch {
    // reported below
  }
  errors.add('delivery_method.url must be an http or https URL');
  return undefined;
}

function headers(value: unknown, errors: FieldErrors): CustomHeader[] | undefined {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || value.length > 10) {
    errors.add('delivery_method.custom_headers must be an array of at most 10 {name, value}');
    return undefined;
  }
  const list: CustomHeader[] = [];
  for (const h of value) {
    const name = isJson(h) ? h.name : undefined;
    const text = isJson(h) ? h.value : undefined;
    if (typeof name !== 'string' || !/^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,100}$/.test(name)) {
      errors.add('delivery_method.custom_headers[].name must be a header name');
    } else if (RESERVED_HEADERS.has(name.toLowerCase())) {
      errors.add(`delivery_method.custom_headers may not set ${name}`);
    } else if (typeof text !== 'string' || text.length > 4096 || /[\r\n\0]/.test(text)) {
      errors.add(`delivery_method.custom_headers value of ${name} must be a single-line string`);
    } else list.push({ name, value: text });
  }
  return list;
}

function events(value: unknown, errors: FieldErrors): string[] | undefined {
  if (!Array.isArray(value) || value.length === 0) {
    errors.add('events must be a non-empty array of event types');
    return undefined;
  }
  const unknown = value.filter((e) => typeof e !== 'string' || !WEBHOOK_EVENT_TYPES.includes(e));
  if (unknown.length > 0) {
    errors.add(`events has unknown event types: ${unknown.map(String).join(', ')}`);
    return undefined;
  }
  return [...new Set(value as string[])];
}

function filter(value: unknown, errors: FieldErrors): SubscriptionSettings['filter'] | undefined {
  const type = isJson(value) ? value.type : undefined;
  if (typeof type !== 'string' || !FILTER_TYPES.includes(type)) {
    errors.add('filter.type must be account_reference, service_reference or team_reference');
    return undefined;
  }
  if (type === 'account_reference') return { type, id: null };
  const id = (value as Json).id;
  if (typeof id !== 'string' || id.length === 0) {
    errors.add(`filter.id is required for ${type}`);
    return undefined;
  }
  return { type: type as FilterType, id };
}

/**
 * Validates a create (no `current`) or update body, reporting every problem at once. An update keeps
 * what it leaves out.
 */
export function validateSubscriptionInput(input: Json, current?: SubscriptionSettings): SubscriptionSettings {
  const errors = new FieldErrors();
  const method = input.delivery_method;
  if (current === undefined && !isJson(method)) errors.add('delivery_method is required');
  if (method !== undefined && !isJson(method)) errors.add('delivery_method must be an object');
  const dm = isJson(method) ? method : {};
  if (dm.type !== undefined && dm.type !== 'http_delivery_method')
    errors.add('delivery_method.type must be http_delivery_method');
  if (input.type !== undefined && input.type !== 'webhook_subscription')
    errors.add('type must be webhook_subscription');
  const settings: Partial<SubscriptionSettings> = {
    url: dm.url === undefined && current ? current.url : url(dm.url, errors),
    customHeaders:
      dm.custom_headers === undefined && current ? current.customHeaders : headers(dm.custom_headers, errors),
    events: input.events === undefined && current ? current.events : events(input.events, errors),
    filter: input.filter === undefined && current ? current.filter : filter(input.filter, errors),
    description: current?.description ?? null,
    active: current?.active ?? true,
  };
  if (input.description !== undefined) {
    if (
      input.description !== null &&
      (typeof input.description !== 'string' || input.description.length > 1024)
    )
      errors.add('description must be a string of at most 1024 characters');
    else settings.description = input.description;
  }
  if (input.active !== undefined) {
    if (typeof input.active !== 'boolean') errors.add('active must be a boolean');
    else settings.active = input.active;
  }
  errors.throwIfAny();
  return settings as SubscriptionSettings;
}
