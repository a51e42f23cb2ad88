import type { Generated } from 'kysely';

/**
 * Table types of Tocsin's database, shared by SQLite and PostgreSQL. Timestamps are ISO-8601 UTC strings
 * (they sort as text on both backends) and JSON values are stored as text (see docs/decisions.md).
 */
export interface Database {
  meta: MetaTable;
  counters: CountersTable;
  users: UsersTable;
  api_tokens: ApiTokensTable;
  sessions: SessionsTable;
  password_resets: PasswordResetsTable;
  auth_failures: AuthFailuresTable;
  services: ServicesTable;
  integrations: IntegrationsTable;
  incidents: IncidentsTable;
  alerts: AlertsTable;
  incident_group_keys: IncidentGroupKeysTable;
  log_entries: LogEntriesTable;
  dropped_events: DroppedEventsTable;
  change_events: ChangeEventsTable;
  teams: TeamsTable;
  team_members: TeamMembersTable;
  contact_methods: ContactMethodsTable;
  notification_rules: NotificationRulesTable;
  handoff_notification_rules: HandoffNotificationRulesTable;
  schedules: SchedulesTable;
  schedule_overrides: ScheduleOverridesTable;
  escalation_policies: EscalationPoliciesTable;
  incident_assignments: IncidentAssignmentsTable;
  timers: TimersTable;
  notifications: NotificationsTable;
  action_tokens: ActionTokensTable;
  webhook_subscriptions: WebhookSubscriptionsTable;
  webhook_deliveries: WebhookDeliveriesTable;
  audit_records: AuditRecordsTable;
  priorities: PrioritiesTable;
  incident_notes: IncidentNotesTable;
  maintenance_windows: MaintenanceWindowsTable;
  maintenance_window_services: MaintenanceWindowServicesTable;
  oauth_apps: OAuthAppsTable;
  oauth_codes: OAuthCodesTable;
  oauth_tokens: OAuthTokensTable;
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
  job_title: string | null;
  color: string | null;
  description: string | null;
  /** Secret of the user's iCalendar feed URL; null until first asked for. */
  ical_token: string | null;
  created_at: string;
  updated_at: string;
  deleted_at: string | null;
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

/** Signed-in browser sessions, stored by the SHA-256 hash of the cookie value. */
export interface SessionsTable {
  token_hash: string;
  user_id: string;
  /** Sent back as `X-CSRF-Token` on unsafe requests; useless without the cookie, so kept in clear. */
  csrf_token: string;
  created_at: string;
  last_seen_at: string;
  /** Absolute end of the session, whatever its activity. */
  expires_at: string;
  user_agent: string | null;
}

/** Password reset tokens (hashed, single use, expiring). */
export interface PasswordResetsTable {
  token_hash: string;
  user_id: string;
  created_at: string;
  expires_at: string;
  used_at: string | null;
}

/** Failed sign-in counters per account (`email:…`) and per client address (`ip:…`). */
export interface AuthFailuresTable {
  key: string;
  failures: number;
  last_failure_at: string;
  locked_until: string | null;
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
  /** Tocsin's addition: the Slack channel incidents of this service are posted to. */
  slack_channel_id: string | null;
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
  /** The registered app this integration was created for by the install flow (null otherwise). */
  app_id?: string | null;
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
  /** 1-based level of the escalation policy the incident is assigned at; 0 before assignment. */
  escalation_level: number;
  /** How many times the escalation path has been repeated. */
  escalation_loops: number;
  /** 'escalation_policy' | 'direct_assignment' | null (not yet assigned, or unassigned). */
  assigned_via: string | null;
  /** Bumped on every (re)assignment; timers carry it so a stale one never acts. */
  assignment_seq: number;
  /** The incident's priority (`priorities.id`), or null. */
  priority_id: string | null;
  /** `{conference_number, conference_url}` as JSON, or null. */
  conference_bridge: string | null;
  /** `body.details` of an incident opened through `POST /incidents`, or null. */
  body_details: string | null;
}

/** Incident priorities (`GET /priorities`); `position` 1 is the most urgent. */
export interface PrioritiesTable {
  id: string;
  name: string;
  description: string;
  color: string;
  position: number;
  created_at: string;
}

/** Notes people add to incidents; `agent` and `channel` are JSON like log entries'. */
export interface IncidentNotesTable {
  id: string;
  incident_id: string;
  user_id: string | null;
  agent: string;
  channel: string;
  content: string;
  created_at: string;
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

/** Teams of users. */
export interface TeamsTable {
  id: string;
  name: string;
  description: string | null;
  created_at: string;
  updated_at: string;
  deleted_at: string | null;
}

/** Membership of a user in a team, with the team role (manager, responder, observer). */
export interface TeamMembersTable {
  team_id: string;
  user_id: string;
  role: string;
  created_at: string;
}

/** How a user can be reached: email, SMS, phone, push, Slack, webhook. */
export interface ContactMethodsTable {
  id: string;
  user_id: string;
  type: string;
  label: string;
  address: string;
  /** JSON: type-specific fields (country_code, send_short_email, device_type, …). */
  details: string;
  /** 1 or 0. */
  enabled: number;
  created_at: string;
  updated_at: string;
  deleted_at: string | null;
  /** 1 while a method the person added for themselves awaits its verification code; pages skip it. */
  unverified: Generated<number>;
  /** SHA-256 of the pending code, with its expiry and the wrong guesses so far. */
  verification_hash: Generated<string | null>;
  verification_expires_at: Generated<string | null>;
  verification_attempts: Generated<number>;
}

/** When a user is told about an assignment: urgency, delay and contact method. */
export interface NotificationRulesTable {
  id: string;
  user_id: string;
  urgency: string;
  start_delay_in_minutes: number;
  contact_method_id: string;
  created_at: string;
  updated_at: string;
}

/** When a user is told that an on-call shift starts or ends. */
export interface HandoffNotificationRulesTable {
  id: string;
  user_id: string;
  /** 'both' | 'oncall' | 'offcall'. */
  handoff_type: string;
  notify_advance_in_minutes: number;
  contact_method_id: string;
  created_at: string;
  updated_at: string;
}

/** On-call schedules; `layers` is JSON (see src/schedules/schedule.ts). */
export interface SchedulesTable {
  id: string;
  name: string;
  description: string | null;
  time_zone: string;
  layers: string;
  /** Secret of the schedule's iCalendar feed URL; rotating it revokes the old URL. */
  ical_token: string;
  created_at: string;
  updated_at: string;
  deleted_at: string | null;
}

/** Overrides of a schedule: the user is on call over [start_at, end_at); the newest wins. */
export interface ScheduleOverridesTable {
  id: string;
  schedule_id: string;
  user_id: string;
  start_at: string;
  end_at: string;
  created_at: string;
}

/** Escalation policies; `rules` is JSON (see src/escalation/escalation-policy.ts). */
export interface EscalationPoliciesTable {
  id: string;
  name: string;
  description: string | null;
  num_loops: number;
  on_call_handoff_notifications: string;
  team_id: string | null;
  rules: string;
  created_at: string;
  updated_at: string;
  deleted_at: string | null;
}

/** Who an open incident is assigned to now. */
export interface IncidentAssignmentsTable {
  incident_id: string;
  user_id: string;
  assigned_at: string;
}

/** The engine's durable timers: each pending step, due at `due_at`, runs exactly once. */
export interface TimersTable {
  id: string;
  /** See src/engine/timer.ts. */
  kind: string;
  incident_id: string | null;
  due_at: string;
  /** JSON: what the step needs (level, assignment sequence, notification id, …). */
  payload: string;
  /** Failed runs so far (a failing step is retried later). */
  attempts: number;
  dedup_key: string | null;
  created_at: string;
}

/** Notification records: who is told, through which contact method, about what, when, and the outcome. */
export interface NotificationsTable {
  id: string;
  /** Makes producing a notification idempotent. */
  dedup_key: string;
  incident_id: string | null;
  user_id: string;
  contact_method_id: string | null;
  /** Why: 'assigned', 'escalated', 'unacknowledged', 'unassigned_fallback', 'handoff_oncall', … */
  reason: string;
  urgency: string | null;
  due_at: string;
  /** 'pending' | 'delivered' | 'cancelled' | 'failed'. */
  status: string;
  /** The channel that delivered it ('log' until real providers exist). */
  channel: string | null;
  /** JSON: what to say (incident title, service, shift times, …). */
  detail: string;
  attempts: number;
  last_error: string | null;
  created_at: string;
  updated_at: string;
  delivered_at: string | null;
  /** The claim of the attempt under way (node and attempt), fencing its outcome. */
  claimed_by: string | null;
  /** When that claim lapses and another node may try. */
  lease_until: string | null;
  /** When a queued notification may be (re)tried. */
  next_attempt_at: string | null;
  /** The provider's id of what it accepted (message SID, SMTP Message-ID, …). */
  provider_ref: string | null;
}

/** Single-use tokens of actions offered in messages (email links, push actions). */
export interface ActionTokensTable {
  id: string;
  incident_id: string;
  user_id: string;
  /** 'acknowledge' | 'resolve'. */
  action: string;
  /** The channel the token was sent through ('email', 'push', …), recorded on the log entry. */
  channel: string;
  expires_at: string;
  used_at: string | null;
  created_at: string;
}

/** Outbound webhook (v3) subscriptions. */
export interface WebhookSubscriptionsTable {
  id: string;
  url: string;
  /** JSON: `[{name, value}]`, sent as they are, redacted on read. */
  custom_headers: string;
  /** The HMAC-SHA256 signing secret (shown once, on create). */
  secret: string;
  /** JSON: the event types delivered. */
  events: string;
  /** 'account_reference' | 'service_reference' | 'team_reference'. */
  filter_type: string;
  filter_id: string | null;
  description: string | null;
  /** 1 or 0. */
  active: number;
  /** Set after 3 consecutive dropped deliveries: no webhooks until then (24 h). */
  disabled_until: string | null;
  consecutive_drops: number;
  /** The public base URL for links in bodies (the writer thread has no configuration). */
  base_url: string;
  created_at: string;
  updated_at: string;
}

/** The webhook outbox and delivery log: one row per event and subscription. */
export interface WebhookDeliveriesTable {
  /** Sent as `X-Webhook-Id`: the same on every retry. */
  id: string;
  subscription_id: string;
  /** Orders deliveries: later ones of one subscription and incident wait behind a queued one. */
  incident_id: string | null;
  event_id: string;
  event_type: string;
  /** The exact bytes sent (serialized when enqueued, so retries are identical). */
  body: string;
  /** 'queued' | 'delivered' | 'dropped' | 'failed'. */
  status: string;
  attempts: number;
  next_attempt_at: string;
  claimed_by: string | null;
  lease_until: string | null;
  last_status_code: number | null;
  last_error: string | null;
  created_at: string;
  updated_at: string;
  delivered_at: string | null;
}

/** The audit log of configuration changes (see src/audit/). */
export interface AuditRecordsTable {
  id: string;
  execution_time: string;
  /** 'user_reference' | 'api_key_reference' | 'app_reference' | null (Tocsin itself). */
  actor_type: string | null;
  actor_id: string | null;
  actor_summary: string | null;
  /** 'api_token' | 'browser' | 'oauth' | 'internal'. */
  method_type: string;
  method_truncated_token: string | null;
  /** The collection of the root resource: 'services', 'users', 'escalation_policies', 'schedules', 'teams', … */
  root_type: string;
  root_id: string;
  root_summary: string;
  /** The changed resource's reference type without `_reference` ('service', 'integration', …). */
  resource_type: string;
  resource_id: string;
  resource_summary: string;
  /** 'create' | 'update' | 'delete'. */
  action: string;
  /** JSON snapshots with secrets redacted; null on create (before) and delete (after). */
  before_json: string | null;
  after_json: string | null;
}

/** Maintenance windows: while one runs, events for its services open no incidents. */
export interface MaintenanceWindowsTable {
  id: string;
  /** The order in which windows were created (1, 2, …). */
  sequence_number: number;
  description: string | null;
  start_time: string;
  end_time: string;
  /** The user who created it (null when made by the account or the system). */
  created_by: string | null;
  created_at: string;
  updated_at: string;
}

/** The services a maintenance window covers, with the window's times repeated for the ingest check. */
export interface MaintenanceWindowServicesTable {
  window_id: string;
  service_id: string;
  start_time: string;
  end_time: string;
}

/** Registered apps (OAuth 2.0 clients); the secret is stored as a SHA-256 hash, null for public clients. */
export interface OAuthAppsTable {
  id: string;
  name: string;
  description: string | null;
  client_id: string;
  client_secret_hash: string | null;
  client_type: string;
  /** JSON array of exact redirect URIs. */
  redirect_uris: string;
  /** JSON array of the scopes the app may ask for. */
  scopes: string;
  created_at: string;
  updated_at: string;
  deleted_at: string | null;
}

/** OAuth authorization codes (hashed; single use, short-lived). */
export interface OAuthCodesTable {
  id: string;
  code_hash: string;
  app_id: string;
  user_id: string;
  redirect_uri: string;
  scope: string;
  code_challenge: string | null;
  code_challenge_method: string | null;
  expires_at: string;
  used_at: string | null;
  created_at: string;
}

/** OAuth access/refresh token pairs (hashed); a family is every pair rotated from one code. */
export interface OAuthTokensTable {
  id: string;
  family_id: string;
  app_id: string;
  user_id: string;
  scope: string;
  access_token_hash: string;
  access_expires_at: string;
  refresh_token_hash: string | null;
  refresh_expires_at: string | null;
  created_at: string;
  last_used_at: string | null;
  rotated_at: string | null;
  revoked_at: string | null;
}
