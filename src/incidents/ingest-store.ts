import type { WriteTx as Tx } from '../store/store.js';
import { queueSlackUpdates } from '../notify/slack/slack-channel-posts.js';
import { enqueueIncidentEvent, eventOfLogEntry } from '../webhooks/outbox.js';

/**
 * The ingest hot path's SQL. Plain statements with `?` placeholders, identical on SQLite and PostgreSQL,
 * run as prepared statements through the store's raw seam (docs/decisions.md: "Ingest SQL").
 */

/** The integration and service an event's routing key points at. */
export interface RoutingTarget {
  integration_id: string;
  integration_type: string;
  integration_name: string;
  integration_config: string;
  service_id: string;
  service_name: string;
  service_status: string;
  alert_creation: string;
  incident_urgency_rule: string;
  support_hours: string | null;
  alert_grouping_parameters: string;
  escalation_policy_id: string | null;
  auto_resolve_timeout: number | null;
  /** 1 while a maintenance window runs on the service, else 0. */
  in_maintenance: number;
}

/** An open alert with its incident's state. */
export interface OpenAlert {
  id: string;
  incident_id: string;
  incident_status: string;
  acknowledgements: string;
}

/**
 * Finds a live integration by its key, and whether its service is in maintenance at `now`: one range
 * read of the `(service_id, end_time)` index, inside the batch's transaction (so every node sees a window
 * as soon as it commits), done once per routing key and batch.
 */
export async function findRoutingTarget(
  tx: Tx,
  key: string,
  now: string,
): Promise<RoutingTarget | undefined> {
  const rows = await tx.raw.all<RoutingTarget>(
    `SELECT i.id AS integration_id, i.type AS integration_type, i.name AS integration_name, i.config AS integration_config,
       s.id AS service_id, s.name AS service_name, s.status AS service_status, s.alert_creation, s.incident_urgency_rule,
       s.support_hours, s.alert_grouping_parameters, s.escalation_policy_id, s.auto_resolve_timeout,
       CASE WHEN EXISTS (SELECT 1 FROM maintenance_window_services m
         WHERE m.service_id = s.id AND m.end_time > ? AND m.start_time <= ?) THEN 1 ELSE 0 END AS in_maintenance
     FROM integrations i JOIN services s ON s.id = i.service_id
     WHERE i.integration_key = ? AND i.deleted_at IS NULL AND s.deleted_at IS NULL`,
    [now, now, key],
  );
  return rows[0];
}

/** The open alert for a dedup key on one integration (dedup is scoped to the routing key). */
export async function findOpenAlert(
  tx: Tx,
  integrationId: string,
  alertKey: string,
): Promise<OpenAlert | undefined> {
  const rows = await tx.raw.all<OpenAlert>(
    `SELECT a.id, a.incident_id, i.status AS incident_status, i.acknowledgements
     FROM alerts a JOIN incidents i ON i.id = a.incident_id
     WHERE a.integration_id = ? AND a.alert_key = ? AND a.status = 'triggered'`,
    [integrationId, alertKey],
  );
  return rows[0];
}

/** Whether a resolved alert with this key exists (to name the reason an ack/resolve was dropped). */
export async function hasResolvedAlert(tx: Tx, integrationId: string, alertKey: string): Promise<boolean> {
  const rows = await tx.raw.all(
    `SELECT 1 AS found FROM alerts WHERE integration_id = ? AND alert_key = ? AND status = 'resolved' LIMIT 1`,
    [integrationId, alertKey],
  );
  return rows.length > 0;
}

/** The newest open incident holding one of these grouping keys, recorded at or after `since`. */
export async function findGroupingIncident(
  tx: Tx,
  serviceId: string,
  key: string,
  since: string,
): Promise<{ incident_id: string; created_at: string } | undefined> {
  const rows = await tx.raw.all<{ incident_id: string; created_at: string }>(
    `SELECT g.incident_id, g.created_at FROM incident_group_keys g JOIN incidents i ON i.id = g.incident_id
     WHERE g.service_id = ? AND g.group_key = ? AND g.created_at >= ? AND i.status <> 'resolved'
     ORDER BY g.created_at DESC LIMIT 1`,
    [serviceId, key, since],
  );
  return rows[0];
}

/** Records grouping keys for an incident. */
export async function insertGroupKey(
  tx: Tx,
  incidentId: string,
  serviceId: string,
  key: string,
  at: string,
): Promise<void> {
  await tx.raw.run(
    `INSERT INTO incident_group_keys (incident_id, service_id, group_key, created_at) VALUES (?, ?, ?, ?)`,
    [incidentId, serviceId, key, at],
  );
}

/** A new incident's columns. */
export interface NewIncident {
  id: string;
  number: number;
  title: string;
  serviceId: string;
  urgency: string;
  incidentKey: string | null;
  escalationPolicyId: string | null;
  agent: string;
  at: string;
}

/** Inserts a triggered incident with one triggered alert. */
export async function insertIncident(tx: Tx, i: NewIncident): Promise<void> {
  await tx.raw.run(
    `INSERT INTO incidents (id, incident_number, title, service_id, status, urgency, incident_key, escalation_policy_id,
       alerts_triggered, alerts_resolved, acknowledgements, last_status_change_at, last_status_change_by, resolve_reason,
       created_at, updated_at, resolved_at)
     VALUES (?, ?, ?, ?, 'triggered', ?, ?, ?, 1, 0, '[]', ?, ?, NULL, ?, ?, NULL)`,
    [
      i.id,
      i.number,
      i.title,
      i.serviceId,
      i.urgency,
      i.incidentKey,
      i.escalationPolicyId,
      i.at,
      i.agent,
      i.at,
      i.at,
    ],
  );
}

/** Counts one more triggered alert on an incident. */
export async function addAlertToIncident(tx: Tx, incidentId: string, at: string): Promise<void> {
  await tx.raw.run(
    `UPDATE incidents SET alerts_triggered = alerts_triggered + 1, updated_at = ? WHERE id = ?`,
    [at, incidentId],
  );
}

/** A new alert's columns. */
export interface NewAlert {
  id: string;
  incidentId: string;
  serviceId: string;
  integrationId: string;
  alertKey: string;
  severity: string;
  summary: string;
  body: string;
  at: string;
}

/** Inserts a triggered alert. */
export async function insertAlert(tx: Tx, a: NewAlert): Promise<void> {
  await tx.raw.run(
    `INSERT INTO alerts (id, incident_id, service_id, integration_id, alert_key, status, severity, summary, body, created_at, updated_at, resolved_at)
     VALUES (?, ?, ?, ?, ?, 'triggered', ?, ?, ?, ?, ?, NULL)`,
    [a.id, a.incidentId, a.serviceId, a.integrationId, a.alertKey, a.severity, a.summary, a.body, a.at, a.at],
  );
}

/** Replaces an open alert's description on a repeated trigger (the incident's title stays). */
export async function retriggerAlert(
  tx: Tx,
  alertId: string,
  severity: string,
  summary: string,
  body: string,
  at: string,
): Promise<void> {
  await tx.raw.run(`UPDATE alerts SET severity = ?, summary = ?, body = ?, updated_at = ? WHERE id = ?`, [
    severity,
    summary,
    body,
    at,
    alertId,
  ]);
}

/**
 * Marks an open alert resolved and returns how many alerts of its incident are still triggered, or
 * undefined when the alert was no longer open (a concurrent resolve committed first).
 */
export async function resolveAlert(
  tx: Tx,
  alertId: string,
  incidentId: string,
  at: string,
): Promise<number | undefined> {
  const changed = await tx.raw.run(
    `UPDATE alerts SET status = 'resolved', resolved_at = ?, updated_at = ? WHERE id = ? AND status = 'triggered'`,
    [at, at, alertId],
  );
  if (changed === 0) return undefined;
  const rows = await tx.raw.all<{ alerts_triggered: number }>(
    `UPDATE incidents SET alerts_triggered = alerts_triggered - 1, alerts_resolved = alerts_resolved + 1, updated_at = ?
     WHERE id = ? RETURNING alerts_triggered`,
    [at, incidentId],
  );
  return Number(rows[0]?.alerts_triggered ?? 0);
}

/** Touches an incident's `updated_at`. */
export async function touchIncident(tx: Tx, incidentId: string, at: string): Promise<void> {
  await tx.raw.run(`UPDATE incidents SET updated_at = ? WHERE id = ?`, [at, incidentId]);
}

/** A new log entry's columns. */
export interface NewLogEntry {
  id: string;
  type: string;
  incidentId: string;
  alertId: string | null;
  serviceId: string;
  at: string;
  channel: string;
  agent: string | null;
  summary: string;
  note: string | null;
}

/**
 * Appends to an incident's timeline and, in the same transaction, writes the outbound webhook rows of
 * the change it records (the outbox: docs/decisions.md, "Outbound webhooks").
 */
export async function insertLogEntry(tx: Tx, e: NewLogEntry): Promise<void> {
  await tx.raw.run(
    `INSERT INTO log_entries (id, type, incident_id, alert_id, service_id, created_at, channel, agent, summary, note)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    [e.id, e.type, e.incidentId, e.alertId, e.serviceId, e.at, e.channel, e.agent, e.summary, e.note],
  );
  const event = eventOfLogEntry(e.type, e.agent);
  if (event !== undefined) await enqueueIncidentEvent(tx, event, e.incidentId, e.serviceId, e);
  // The incident's Slack messages show the change too: their updates are queued in this transaction.
  await queueSlackUpdates(tx, e, e.at);
}

/** A dropped event's columns. */
export interface DroppedEvent {
  id: string;
  integrationId: string;
  serviceId: string;
  at: string;
  reason: string;
  action: string;
  dedupKey: string | null;
  summary: string | null;
  body: string;
}

/** Records an event that was answered but not applied, with the reason. */
export async function insertDroppedEvent(tx: Tx, d: DroppedEvent): Promise<void> {
  await tx.raw.run(
    `INSERT INTO dropped_events (id, integration_id, service_id, received_at, reason, event_action, dedup_key, summary, body)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    [d.id, d.integrationId, d.serviceId, d.at, d.reason, d.action, d.dedupKey, d.summary, d.body],
  );
}

/** Records a change event. */
export async function insertChangeEvent(
  tx: Tx,
  c: {
    id: string;
    integrationId: string;
    serviceId: string;
    summary: string;
    source: string | null;
    timestamp: string;
    body: string;
    at: string;
  },
): Promise<void> {
  await tx.raw.run(
    `INSERT INTO change_events (id, integration_id, service_id, summary, source, timestamp, body, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    [c.id, c.integrationId, c.serviceId, c.summary, c.source, c.timestamp, c.body, c.at],
  );
}
