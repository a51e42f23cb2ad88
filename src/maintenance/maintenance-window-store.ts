import { sql, type Kysely } from 'kysely';
import type { Database, MaintenanceWindowsTable } from '../store/database.js';
import type { PhaseFilter } from './maintenance-window.js';

type Db = Kysely<Database>;

/** Filters of the maintenance window list. */
export interface WindowFilter {
  serviceIds?: readonly string[] | undefined;
  teamIds?: readonly string[] | undefined;
  phase: PhaseFilter;
  query?: string | undefined;
  now: string;
}

function filtered(db: Db, f: WindowFilter) {
  let q = db.selectFrom('maintenance_windows as w');
  if (f.serviceIds?.length)
    q = q.where('w.id', 'in', (eb) =>
      eb
        .selectFrom('maintenance_window_services')
        .select('window_id')
        .where('service_id', 'in', [...f.serviceIds!]),
    );
  if (f.teamIds?.length)
    // A window belongs to the teams of its services, and a service to its escalation policy's team.
    q = q.where('w.id', 'in', (eb) =>
      eb
        .selectFrom('maintenance_window_services as m')
        .innerJoin('services as s', 's.id', 'm.service_id')
        .innerJoin('escalation_policies as p', 'p.id', 's.escalation_policy_id')
        .select('m.window_id')
        .where('p.team_id', 'in', [...f.teamIds!]),
    );
  if (f.phase === 'past') q = q.where('w.end_time', '<=', f.now);
  if (f.phase === 'open') q = q.where('w.end_time', '>', f.now);
  if (f.phase === 'ongoing') q = q.where('w.end_time', '>', f.now).where('w.start_time', '<=', f.now);
  if (f.phase === 'future') q = q.where('w.start_time', '>', f.now);
  if (f.query) {
    const pattern = `%${f.query.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    q = q.where(sql<boolean>`lower(coalesce(w.description, '')) LIKE ${pattern} ESCAPE '\\'`);
  }
  return q;
}

/** A page of windows, by start time then creation order (callers ask one extra row to tell `more`). */
export async function listWindowRows(
  db: Db,
  filter: WindowFilter,
  page: { limit: number; offset: number },
): Promise<MaintenanceWindowsTable[]> {
  return filtered(db, filter)
    .selectAll('w')
    .orderBy('w.start_time')
    .orderBy('w.sequence_number')
    .limit(page.limit)
    .offset(page.offset)
    .execute();
}

/** How many windows match the filter. */
export async function countWindows(db: Db, filter: WindowFilter): Promise<number> {
  const row = await filtered(db, filter)
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

/** One window row. */
export async function findWindowRow(db: Db, id: string): Promise<MaintenanceWindowsTable | undefined> {
  return db.selectFrom('maintenance_windows').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The services of some windows, with their names and their policies' teams (deleted services too). */
export async function windowServices(db: Db, windowIds: readonly string[]) {
  if (windowIds.length === 0) return [];
  return db
    .selectFrom('maintenance_window_services as m')
    .innerJoin('services as s', 's.id', 'm.service_id')
    .leftJoin('escalation_policies as p', 'p.id', 's.escalation_policy_id')
    .leftJoin('teams as t', 't.id', 'p.team_id')
    .select(['m.window_id', 'm.service_id', 's.name', 't.id as team_id', 't.name as team_name'])
    .where('m.window_id', 'in', [...windowIds])
    .orderBy('s.name')
    .orderBy('m.service_id')
    .execute();
}

/** The live services among `ids`. */
export async function liveServiceIds(db: Db, ids: readonly string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await db
    .selectFrom('services')
    .select('id')
    .where('id', 'in', [...ids])
    .where('deleted_at', 'is', null)
    .execute();
  return new Set(rows.map((r) => r.id));
}

/** Names of services by id (deleted ones too). */
export async function serviceNames(db: Db, ids: readonly string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .selectFrom('services')
    .select(['id', 'name'])
    .where('id', 'in', [...ids])
    .execute();
  return new Map(rows.map((r) => [r.id, r.name]));
}

/** Which of these services are inside a running window at `now`. */
export async function servicesInMaintenance(
  db: Db,
  serviceIds: readonly string[],
  now: string,
): Promise<Set<string>> {
  if (serviceIds.length === 0) return new Set();
  const rows = await db
    .selectFrom('maintenance_window_services')
    .select('service_id')
    .distinct()
    .where('service_id', 'in', [...serviceIds])
    .where('end_time', '>', now)
    .where('start_time', '<=', now)
    .execute();
  return new Set(rows.map((r) => r.service_id));
}

/** The next sequence number (call under the sequence lock). */
export async function nextSequenceNumber(db: Db): Promise<number> {
  const row = await db
    .selectFrom('maintenance_windows')
    .select((eb) => eb.fn.max('sequence_number').as('n'))
    .executeTakeFirst();
  return Number(row?.n ?? 0) + 1;
}

/** Writes a window and replaces its service rows (which repeat its times for the ingest check). */
export async function saveWindow(db: Db, row: MaintenanceWindowsTable, serviceIds: readonly string[]) {
  await db
    .insertInto('maintenance_windows')
    .values(row)
    .onConflict((oc) =>
      oc.column('id').doUpdateSet({
        description: row.description,
        start_time: row.start_time,
        end_time: row.end_time,
        updated_at: row.updated_at,
      }),
    )
    .execute();
  await db.deleteFrom('maintenance_window_services').where('window_id', '=', row.id).execute();
  if (serviceIds.length > 0)
    await db
      .insertInto('maintenance_window_services')
      .values(
        serviceIds.map((serviceId) => ({
          window_id: row.id,
          service_id: serviceId,
          start_time: row.start_time,
          end_time: row.end_time,
        })),
      )
      .execute();
}

/** Deletes a window that has not started. */
export async function deleteWindow(db: Db, id: string): Promise<void> {
  await db.deleteFrom('maintenance_window_services').where('window_id', '=', id).execute();
  await db.deleteFrom('maintenance_windows').where('id', '=', id).execute();
}

/** The live user with this email (the `From` header), if any. */
export async function userIdByEmail(db: Db, email: string): Promise<string | undefined> {
  const row = await db
    .selectFrom('users')
    .select('id')
    .where(sql<boolean>`lower(email) = ${email.trim().toLowerCase()}`)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
  return row?.id;
}

/** Names of users by id (for `created_by`). */
export async function userNames(db: Db, ids: readonly string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .selectFrom('users')
    .select(['id', 'name'])
    .where('id', 'in', [...ids])
    .execute();
  return new Map(rows.map((r) => [r.id, r.name]));
}
