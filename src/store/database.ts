/**
 * Table types of Tocsin's database, shared by SQLite and PostgreSQL. Timestamps are ISO-8601 UTC strings
 * (they sort as text on both backends) and JSON values are stored as text (see docs/decisions.md).
 */
export interface Database {
  meta: MetaTable;
  counters: CountersTable;
  users: UsersTable;
  api_tokens: ApiTokensTable;
  services: ServicesTable;
  integrations: IntegrationsTable;
  incidents: IncidentsTable;
  alerts: AlertsTable;
  incident_group_keys: IncidentGroupKeysTable;
  log_entries: LogEntriesTable;
  dropped_events: DroppedEventsTable;
  change_events: ChangeEventsTable;
}

/** Key/value facts about this installation (e.g. whether the first start has run). */
export interface MetaTable {
  key: string;
  value: string;
}

/** Named monotonic counters (incident numbers). */
export interface CountersTable {
  name: string;
  value: number;
}

/** People who act in Tocsin. */
export interface UsersTable {
  id: string;
  name: string;
  email: string;
  role: string;
  time_zone: string;
  password_hash: string | null;
  created_at: string;
  updated_at: string;
}

/** API tokens, stored as SHA-256 hashes. */
export interface ApiTokensTable {
  id: string;
  token_hash: string;
  description: string;
  user_id: string | null;
  access: string;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
}

/** Services: where events land and incidents open. */
export interface ServicesTable {
  id: string;
  name: string;
  description: string | null;
  status: string;
  escalation_policy_id: string | null;
  alert_creation: string;
  acknowledgement_timeout: number | null;
  auto_resolve_timeout: number | null;
  incident_urgency_rule: string;
  alert_grouping_parameters: string;
  support_hours: string | null;
  created_at: string;
  updated_at: string;
  deleted_at: string | null;
}

/** Integrations of a service, each with its integration (routing) key. */
export interface IntegrationsTable {
  id: string;
  service_id: string;
  type: string;
  name: string;
  integration_key: string;
  config: string;
  created_at: string;
  updated_at: string;
  deleted_at: string | null;
}

/** Incidents. */
export interface IncidentsTable {
  id: string;
  incident_number: number;
  title: string;
  service_id: string;
  status: string;
  urgency: string;
  incident_key: string | null;
  escalation_policy_id: string | null;
  alerts_triggered: number;
  alerts_resolved: number;
  acknowledgements: string;
  last_status_change_at: string;
  last_status_change_by: string | null;
  resolve_reason: string | null;
  created_at: string;
  updated_at: string;
  resolved_at: string | null;
}

/** Alerts: one per dedup key while open; grouped into incidents. */
export interface AlertsTable {
  id: string;
  incident_id: string;
  service_id: string;
  integration_id: string;
  alert_key: string;
  status: string;
  severity: string;
  summary: string;
  body: string;
  created_at: string;
  updated_at: string;
  resolved_at: string | null;
}

/** Grouping keys of open incidents (content-based and time-window grouping). */
export interface IncidentGroupKeysTable {
  incident_id: string;
  service_id: string;
  group_key: string;
  created_at: string;
}

/** The timeline of incidents, with PagerDuty's log entry types. */
export interface LogEntriesTable {
  id: string;
  type: string;
  incident_id: string;
  alert_id: string | null;
  service_id: string;
  created_at: string;
  channel: string;
  agent: string | null;
  summary: string;
  note: string | null;
}

/** Events PagerDuty would silently drop; Tocsin records them with the reason. */
export interface DroppedEventsTable {
  id: string;
  integration_id: string;
  service_id: string;
  received_at: string;
  reason: string;
  event_action: string;
  dedup_key: string | null;
  summary: string | null;
  body: string;
}

/** Change events (kept, never create incidents). */
export interface ChangeEventsTable {
  id: string;
  integration_id: string;
  service_id: string;
  summary: string;
  source: string | null;
  timestamp: string;
  body: string;
  created_at: string;
}
