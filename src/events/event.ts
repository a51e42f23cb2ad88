/** What an event asks of an alert. */
export type EventAction = 'trigger' | 'acknowledge' | 'resolve';

/** Alert severities, as the Events API v2 spells them. */
export const SEVERITIES = ['critical', 'error', 'warning', 'info'] as const;
/** One alert severity. */
export type Severity = (typeof SEVERITIES)[number];

/** Which wire format or adapter an event arrived through (recorded on the alert and log entries). */
export type EventSource = 'events_api_v2' | 'events_api_v1' | 'thousandeyes' | 'generic_json';

/** A link attached to an alert. */
export interface EventLink {
  href: string;
  text?: string;
}

/** An image attached to an alert. */
export interface EventImage {
  src: string;
  href?: string;
  alt?: string;
}

/** An alert event in one shape, whatever format it came in. */
export interface AlertEvent {
  kind: 'alert';
  via: EventSource;
  routingKey: string;
  action: EventAction;
  /** Absent only on a trigger without a key: a new key is generated. */
  dedupKey: string | undefined;
  /** Present on triggers. */
  payload: AlertPayload | undefined;
  links: EventLink[];
  images: EventImage[];
  client: string | undefined;
  clientUrl: string | undefined;
}

/** The descriptive part of a trigger. */
export interface AlertPayload {
  summary: string;
  source: string;
  severity: Severity;
  /** The sender's own time, or undefined to use the time received. */
  timestamp: string | undefined;
  component: string | undefined;
  group: string | undefined;
  class: string | undefined;
  customDetails: unknown;
}

/** A change event (never opens an incident). */
export interface ChangeEvent {
  kind: 'change';
  routingKey: string;
  summary: string;
  source: string | undefined;
  timestamp: string | undefined;
  customDetails: unknown;
  links: EventLink[];
  images: EventImage[];
}

/** Every event the ingest pipeline takes. */
export type InboundEvent = AlertEvent | ChangeEvent;

/** Parsing an event either yields it or the list of everything wrong with it. */
export type ParseResult<T> = { ok: true; event: T } | { ok: false; errors: string[] };
