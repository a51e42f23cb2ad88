import { sql, type Expression, type ExpressionBuilder, type Kysely, type SqlBool } from 'kysely';
import type { Database, IncidentsTable } from '../store/database.js';

/** An incident with the name of its service (for the service reference). */
export interface IncidentRow extends IncidentsTable {
  service_name: string;
}

/** Filters of `GET /incidents`; timestamps are normalized ISO strings, bounds inclusive. */
export interface IncidentFilter {
  statuses?: readonly string[];
  serviceIds?: readonly string[];
  urgencies?: readonly string[];
  incidentKey?: string;
  /** Incidents assigned to any of these users. */
  userIds?: readonly string[];
  /** Incidents whose escalation policy belongs to any of these teams. */
  teamIds?: readonly string[];
  since?: string;
  until?: string;
}

/** One `sort_by` field of `GET /incidents`. */
export interface IncidentSort {
  key: 'created_at' | 'incident_number' | 'resolved_at' | 'urgency';
  direction: 'asc' | 'desc';
}

/** A page of a list: `limit + 1` rows are read so the caller can tell `more`. */
export interface Page {
  limit: number;
  offset: number;
}

/** A user as an agent of REST actions. */
export interface UserRow {
  id: string;
  name: string;
  email: string;
}

function incidentConditions(eb: ExpressionBuilder<Database, 'incidents'>, f: IncidentFilter) {
  const where: Expression<SqlBool>[] = [];
  if (f.statuses?.length) where.push(eb('incidents.status', 'in', [...f.statuses]));
  if (f.serviceIds?.length) where.push(eb('incidents.service_id', 'in', [...f.serviceIds]));
  if (f.urgencies?.length) where.push(eb('incidents.urgency', 'in', [...f.urgencies]));
  if (f.since !== undefined) where.push(eb('incidents.created_at', '>=', f.since));
  if (f.until !== undefined) where.push(eb('incidents.created_at', '<=', f.until));
  if (f.userIds?.length) {
    const assigned = eb
      .selectFrom('incident_assignments')
      .select('incident_assignments.user_id')
      .whereRef('incident_assignments.incident_id', '=', 'incidents.id')
      .where('incident_assignments.user_id', 'in', [...f.userIds]);
    where.push(eb.exists(assigned));
  }
  if (f.teamIds?.length) {
    const ofTeam = eb
      .selectFrom('escalation_policies')
      .select('escalation_policies.id')
      .whereRef('escalation_policies.id', '=', 'incidents.escalation_policy_id')
      .where('escalation_policies.team_id', 'in', [...f.teamIds]);
    where.push(eb.exists(ofTeam));
  }
  const key = f.incidentKey;
  if (key !== undefined) {
    // Incidents with alerts have no incident_key of their own: the key matches their alerts' alert_key.
    const alertWithKey = eb
      .selectFrom('alerts')
      .select('alerts.id')
      .whereRef('alerts.incident_id', '=', 'incidents.id')
      .where('alerts.alert_key', '=', key);
    where.push(eb.or([eb('incidents.incident_key', '=', key), eb.exists(alertWithKey)]));
  }
  return eb.and(where);
}

function incidentsWithService(db: Kysely<Database>) {
  return db
    .selectFrom('incidents')
    .innerJoin('services', 'services.id', 'incidents.service_id')
    .selectAll('incidents')
    .select('services.name as service_name');
}

/** A page of incidents matching the filter, in the given order (ties by incident number). */
export async function listIncidents(
  db: Kysely<Database>,
  filter: IncidentFilter,
  sort: readonly IncidentSort[],
  page: Page,
): Promise<IncidentRow[]> {
  let query = incidentsWithService(db).where((eb) => incidentConditions(eb, filter));
  for (const { key, direction } of sort) {
    if (key === 'urgency') {
      // Ascending urgency goes from low to high.
      query = query.orderBy(sql`CASE WHEN incidents.urgency = 'high' THEN 1 ELSE 0 END`, direction);
    } else {
      // Open incidents have no resolved_at: they come last either way, on both backends.
      query = query.orderBy(`incidents.${key}`, (ob) =>
        (direction === 'asc' ? ob.asc() : ob.desc()).nullsLast(),
      );
    }
  }
  return query
    .orderBy('incidents.incident_number', 'asc')
    .limit(page.limit + 1)
    .offset(page.offset)
    .execute();
}

/** How many incidents match the filter. */
export async function countIncidents(db: Kysely<Database>, filter: IncidentFilter): Promise<number> {
  const row = await db
    .selectFrom('incidents')
    .select((eb) => eb.fn.countAll().as('n'))
    .where((eb) => incidentConditions(eb, filter))
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

/** One incident by id, or by incident number when the path segment is all digits (up to 9: an int4). */
export async function findIncident(
  db: Kysely<Database>,
  idOrNumber: string,
): Promise<IncidentRow | undefined> {
  const query = incidentsWithService(db);
  return /^\d{1,9}$/.test(idOrNumber)
    ? query.where('incidents.incident_number', '=', Number(idOrNumber)).executeTakeFirst()
    : query.where('incidents.id', '=', idOrNumber).executeTakeFirst();
}

/**
 * Takes the incident's row lock before its state is read (a no-op write: PostgreSQL locks the row until
 * commit, SQLite already has one writer), so concurrent changes to one incident apply one after another.
 */
export async function lockIncident(db: Kysely<Database>, id: string): Promise<void> {
  await db
    .updateTable('incidents')
    .set((eb) => ({ updated_at: eb.ref('updated_at') }))
    .where('id', '=', id)
    .execute();
}

/** Changes an incident's title. */
export async function setIncidentTitle(db: Kysely<Database>, id: string, title: string, at: string) {
  await db.updateTable('incidents').set({ title, updated_at: at }).where('id', '=', id).execute();
}

/** Changes an incident's urgency. */
export async function setIncidentUrgency(db: Kysely<Database>, id: string, urgency: string, at: string) {
  await db.updateTable('incidents').set({ urgency, updated_at: at }).where('id', '=', id).execute();
}

/** Adds the resolution note to the resolve log entry written at `at`. */
export async function setResolveNote(db: Kysely<Database>, incidentId: string, at: string, note: string) {
  await db
    .updateTable('log_entries')
    .set({ note })
    .where('incident_id', '=', incidentId)
    .where('type', '=', 'resolve_log_entry')
    .where('created_at', '=', at)
    .execute();
}

/** The earliest trigger log entry of each incident (or of each alert of one incident, by alert id). */
export async function firstTriggerEntries(
  db: Kysely<Database>,
  by: 'incident_id' | 'alert_id',
  ids: readonly string[],
  incidentId?: string,
): Promise<Map<string, { id: string; summary: string }>> {
  const found = new Map<string, { id: string; summary: string }>();
  if (ids.length === 0) return found;
  const entries =
    incidentId === undefined
      ? db.selectFrom('log_entries')
      : db.selectFrom('log_entries').where('log_entries.incident_id', '=', incidentId);
  const firsts = entries
    .select([`log_entries.${by} as key`, (eb) => eb.fn.min('log_entries.created_at').as('first_at')])
    .where('log_entries.type', '=', 'trigger_log_entry')
    .where(`log_entries.${by}`, 'in', [...ids])
    .groupBy(`log_entries.${by}`)
    .as('f');
  const rows = await entries
    .innerJoin(firsts, (join) =>
      join.onRef(`log_entries.${by}`, '=', 'f.key').onRef('log_entries.created_at', '=', 'f.first_at'),
    )
    .select(['f.key', 'log_entries.id', 'log_entries.summary'])
    .where('log_entries.type', '=', 'trigger_log_entry')
    .orderBy('log_entries.id')
    .execute();
  for (const row of rows) if (row.key !== null && !found.has(row.key)) found.set(row.key, row);
  return found;
}

/** A user by email address, ignoring case (the `From` header). */
export async function findUserByEmail(db: Kysely<Database>, email: string): Promise<UserRow | undefined> {
  return db
    .selectFrom('users')
    .select(['id', 'name', 'email'])
    .where(sql<string>`lower(email)`, '=', email.trim().toLowerCase())
    .executeTakeFirst();
}
