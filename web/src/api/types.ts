/** The PagerDuty-shaped objects the web app reads (only the fields it uses). */

/** `{id, type, summary, self, html_url}`. */
export interface Reference {
  id: string;
  type: string;
  summary: string;
  self?: string | null;
  html_url?: string | null;
}

/** A user as `/users` and `/session` present one. */
export interface User {
  id: string;
  type: 'user';
  name: string;
  email: string;
  role: string;
  summary?: string;
}

/** Incident status. */
export type IncidentStatus = 'triggered' | 'acknowledged' | 'resolved';
/** Incident urgency. */
export type Urgency = 'high' | 'low';

/** An incident. */
export interface Incident {
  id: string;
  incident_number: number;
  title: string;
  summary: string;
  status: IncidentStatus;
  urgency: Urgency;
  created_at: string;
  updated_at?: string;
  incident_key: string | null;
  service: Reference;
  assignments: { at: string; assignee: Reference }[];
  acknowledgements: { at: string; acknowledger: Reference }[];
  escalation_policy: Reference | null;
  escalation_level: number;
  last_status_change_at: string;
  resolved_at: string | null;
  teams: Reference[];
  alert_counts: { all: number; triggered: number; resolved: number };
  pending_actions: { type: string; at: string }[];
}

/** A log entry of an incident's timeline. */
export interface LogEntry {
  id: string;
  type: string;
  summary: string;
  created_at: string;
  agent: Reference | null;
  channel: { type?: string; summary?: string; [key: string]: unknown };
  note?: string;
  incident: Reference;
}

/** An alert of an incident, with the event body that made it. */
export interface Alert {
  id: string;
  summary: string;
  created_at: string;
  status: 'triggered' | 'resolved';
  alert_key: string;
  severity: string;
  integration: Reference;
  body: {
    details?: unknown;
    cef_details?: {
      details?: unknown;
      source_origin?: string;
      contexts?: AlertContext[];
      [key: string]: unknown;
    };
    contexts?: AlertContext[];
    [key: string]: unknown;
  };
}

/** A link or image an event carried. */
export interface AlertContext {
  type: 'link' | 'image';
  href?: string;
  src?: string;
  text?: string;
  alt?: string;
}

/** `incident_urgency_rule` of a service. */
export type UrgencyRule =
  | { type: 'constant'; urgency: Urgency | 'severity_based' }
  | {
      type: 'use_support_hours';
      during_support_hours: { type: 'constant'; urgency: Urgency | 'severity_based' };
      outside_support_hours: { type: 'constant'; urgency: Urgency | 'severity_based' };
    };

/** `support_hours` of a service. */
export interface SupportHours {
  type: 'fixed_time_per_day';
  time_zone: string;
  days_of_week: number[];
  start_time: string;
  end_time: string;
}

/** A service. */
export interface Service {
  id: string;
  name: string;
  description: string | null;
  status: 'active' | 'warning' | 'critical' | 'disabled' | 'maintenance';
  auto_resolve_timeout: number | null;
  acknowledgement_timeout: number | null;
  escalation_policy: Reference | null;
  integrations: Reference[];
  incident_urgency_rule: UrgencyRule;
  support_hours: SupportHours | null;
  alert_creation: string;
  alert_grouping_parameters: { type: string | null; config?: Record<string, unknown> | null };
  last_incident_timestamp: string | null;
  teams: Reference[];
}

/** Integration types Tocsin has. */
export type IntegrationType =
  | 'events_api_v2_inbound_integration'
  | 'generic_events_api_inbound_integration'
  | 'thousandeyes_webhook_inbound_integration'
  | 'generic_json_webhook_inbound_integration';

/** An integration of a service, with its key and where events go. */
export interface Integration {
  id: string;
  type: IntegrationType;
  name: string;
  integration_key: string;
  events_url: string;
  created_at: string;
  service: Reference;
}

/** One event Tocsin did not turn into an alert, and why. */
export interface DroppedEvent {
  id: string;
  received_at: string;
  reason: string;
  event_action: string | null;
  dedup_key: string | null;
  summary: string | null;
  integration: Reference;
}

/** An escalation policy (only what the pickers need). */
export interface EscalationPolicy {
  id: string;
  name: string;
  summary?: string;
}

/** A team. */
export interface Team {
  id: string;
  name: string;
  summary?: string;
}

/** A classic list envelope. */
export type ListPage<K extends string, T> = { [key in K]: T[] } & {
  limit: number;
  offset: number;
  more: boolean;
  total: number | null;
};
