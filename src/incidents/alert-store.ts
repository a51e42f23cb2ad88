import type { Kysely } from 'kysely';
import type { AlertsTable, Database } from '../store/database.js';
import type { Page } from './incident-store.js';

/** An alert with what its references need. */
export interface AlertRow extends AlertsTable {
  service_name: string;
  integration_type: string;
  integration_name: string;
  incident_number: number;
  incident_title: string;
}

/** Filters of `GET /incidents/{id}/alerts`. */
export interface AlertFilter {
  statuses?: readonly string[];
  alertKey?: string;
}

/** The order of an alert list (`sort_by`): oldest created first unless asked otherwise. */
export interface AlertSort {
  key: 'created_at' | 'resolved_at';
  direction: 'asc' | 'desc';
}

function alertsOf(db: Kysely<Database>, incidentId: string, f: AlertFilter) {
  let query = db
    .selectFrom('alerts')
    .innerJoin('incidents', 'incidents.id', 'alerts.incident_id')
    .where('alerts.incident_id', '=', incidentId);
  if (f.statuses?.length) query = query.where('alerts.status', 'in', [...f.statuses]);
  if (f.alertKey !== undefined) query = query.where('alerts.alert_key', '=', f.alertKey);
  return query;
}

function withAlertRefs(query: ReturnType<typeof alertsOf>) {
  return query
    .innerJoin('services', 'services.id', 'alerts.service_id')
    .innerJoin('integrations', 'integrations.id', 'alerts.integration_id')
    .selectAll('alerts')
    .select([
      'services.name as service_name',
      'integrations.type as integration_type',
      'integrations.name as integration_name',
      'incidents.incident_number',
      'incidents.title as incident_title',
    ]);
}

/** A page of an incident's alerts, oldest first. */
export async function listAlerts(
  db: Kysely<Database>,
  incidentId: string,
  filter: AlertFilter,
  page: Page,
  sort: AlertSort = { key: 'created_at', direction: 'asc' },
): Promise<AlertRow[]> {
  return withAlertRefs(alertsOf(db, incidentId, filter))
    .orderBy(`alerts.${sort.key}`, (ob) => (sort.direction === 'asc' ? ob.asc() : ob.desc()).nullsLast())
    .orderBy('alerts.created_at')
    .orderBy('alerts.id')
    .limit(page.limit + 1)
    .offset(page.offset)
    .execute();
}

/** How many of an incident's alerts match the filter. */
export async function countAlerts(db: Kysely<Database>, incidentId: string, filter: AlertFilter) {
  const row = await alertsOf(db, incidentId, filter)
    .select((eb) => eb.fn.countAll().as('n'))
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

/** One alert of an incident. */
export async function findAlert(db: Kysely<Database>, incidentId: string, alertId: string) {
  return withAlertRefs(alertsOf(db, incidentId, {}))
    .where('alerts.id', '=', alertId)
    .executeTakeFirst();
}
