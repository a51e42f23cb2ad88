import type { Kysely } from 'kysely';
import { AppError } from '../lib/errors.js';
import type { Database } from '../store/database.js';
import * as alerts from './alert-store.js';
import * as incidents from './incident-store.js';
import * as logEntries from './log-entry-store.js';
import type { FirstTrigger } from './presenters.js';
import { escalationViews, type EscalationView } from './incident-escalation-reads.js';
import { prioritiesById } from '../priorities/priority-store.js';
import type { PrioritiesTable } from '../store/database.js';

/** An incident with its first trigger log entry: what the presenter needs. */
export interface IncidentView {
  row: incidents.IncidentRow;
  firstTrigger: FirstTrigger;
  escalation: EscalationView;
  priority: PrioritiesTable | undefined;
}

/** An alert with its first trigger log entry. */
export interface AlertView {
  row: alerts.AlertRow;
  firstTrigger: FirstTrigger;
}

/** Rows of one page (up to limit+1) and the total when it was asked for. */
export interface Listed<T> {
  items: T[];
  total: number | null;
}

/** Adds the first trigger log entries to incident rows (one query for the page). */
export async function incidentViews(
  db: Kysely<Database>,
  rows: incidents.IncidentRow[],
): Promise<IncidentView[]> {
  const firsts = await incidents.firstTriggerEntries(
    db,
    'incident_id',
    rows.map((r) => r.id),
  );
  const escalation = await escalationViews(db, rows);
  const priorities = await prioritiesById(
    db,
    rows.map((r) => r.priority_id).filter((p): p is string => p !== null),
  );
  return rows.map((row) => ({
    row,
    firstTrigger: firsts.get(row.id),
    escalation: escalation.get(row.id)!,
    priority: row.priority_id === null ? undefined : priorities.get(row.priority_id),
  }));
}

/** A page of incidents. */
export async function listIncidents(
  db: Kysely<Database>,
  filter: incidents.IncidentFilter,
  sort: readonly incidents.IncidentSort[],
  page: incidents.Page & { total: boolean },
): Promise<Listed<IncidentView>> {
  const rows = await incidents.listIncidents(db, filter, sort, page);
  const total = page.total ? await incidents.countIncidents(db, filter) : null;
  return { items: await incidentViews(db, rows), total };
}

/** One incident by id or number; 404 when there is none. */
export async function getIncident(db: Kysely<Database>, idOrNumber: string): Promise<IncidentView> {
  const row = await incidents.findIncident(db, idOrNumber);
  if (!row) throw new AppError('notFound');
  const [view] = await incidentViews(db, [row]);
  return view!;
}

async function alertViews(db: Kysely<Database>, incidentId: string, rows: alerts.AlertRow[]) {
  const ids = rows.map((r) => r.id);
  const firsts = await incidents.firstTriggerEntries(db, 'alert_id', ids, incidentId);
  return rows.map((row) => ({ row, firstTrigger: firsts.get(row.id) }));
}

/** A page of an incident's alerts. */
export async function listAlerts(
  db: Kysely<Database>,
  idOrNumber: string,
  filter: alerts.AlertFilter,
  page: incidents.Page & { total: boolean },
  sort?: alerts.AlertSort,
): Promise<Listed<AlertView>> {
  const { row: incident } = await getIncident(db, idOrNumber);
  const rows = await alerts.listAlerts(db, incident.id, filter, page, sort);
  const total = page.total ? await alerts.countAlerts(db, incident.id, filter) : null;
  return { items: await alertViews(db, incident.id, rows), total };
}

/** One alert of an incident; 404 when either is missing. */
export async function getAlert(
  db: Kysely<Database>,
  idOrNumber: string,
  alertId: string,
): Promise<AlertView> {
  const { row: incident } = await getIncident(db, idOrNumber);
  const row = await alerts.findAlert(db, incident.id, alertId);
  if (!row) throw new AppError('notFound');
  const [view] = await alertViews(db, incident.id, [row]);
  return view!;
}

/** A page of log entries, of one incident (given by id or number) or of all. */
export async function listLogEntries(
  db: Kysely<Database>,
  filter: Omit<logEntries.LogEntryFilter, 'incidentId'> & { incident?: string },
  page: incidents.Page & { total: boolean },
): Promise<Listed<logEntries.LogEntryRow>> {
  const { incident, ...range } = filter;
  const incidentId = incident === undefined ? undefined : (await getIncident(db, incident)).row.id;
  const scoped = incidentId === undefined ? range : { ...range, incidentId };
  const items = await logEntries.listLogEntries(db, scoped, page);
  const total = page.total ? await logEntries.countLogEntries(db, scoped) : null;
  return { items, total };
}

/** One log entry; 404 when there is none. */
export async function getLogEntry(db: Kysely<Database>, id: string): Promise<logEntries.LogEntryRow> {
  const row = await logEntries.findLogEntry(db, id);
  if (!row) throw new AppError('notFound');
  return row;
}
