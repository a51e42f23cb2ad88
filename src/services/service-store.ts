import { sql, type Kysely, type Updateable } from 'kysely';
import type { Database, IntegrationsTable, ServicesTable } from '../store/database.js';
import { countRows, lowerContains, pageByName } from '../store/name-queries.js';

type Db = Kysely<Database>;

/** Incident figures of one service, for its computed status and `last_incident_timestamp`. */
export interface IncidentStats {
  triggered: number;
  acknowledged: number;
  lastIncidentAt: string | null;
}

/** Filters of the service list. */
export interface ServiceFilter {
  query?: string | undefined;
  name?: string | undefined;
}

function filtered(db: Db, filter: ServiceFilter) {
  let q = db.selectFrom('services').where('deleted_at', 'is', null);
  if (filter.query) q = q.where(lowerContains('name', filter.query));
  if (filter.name !== undefined) q = q.where('name', '=', filter.name);
  return q;
}

/** A page of live services sorted by name (`limit` rows as asked; callers ask one extra to tell `more`). */
export async function listServiceRows(
  db: Db,
  filter: ServiceFilter,
  page: { limit: number; offset: number; descending: boolean },
): Promise<ServicesTable[]> {
  return pageByName(filtered(db, filter).selectAll(), page).execute();
}

/** How many live services match the filter. */
export async function countServices(db: Db, filter: ServiceFilter): Promise<number> {
  return countRows(filtered(db, filter));
}

/** A live (not deleted) service row. */
export async function findServiceRow(db: Db, id: string): Promise<ServicesTable | undefined> {
  return db
    .selectFrom('services')
    .selectAll()
    .where('id', '=', id)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
}

/** Whether a live service other than `exceptId` already has this name (compared without case). */
export async function serviceNameTaken(db: Db, name: string, exceptId?: string): Promise<boolean> {
  let q = db
    .selectFrom('services')
    .select('id')
    .where('deleted_at', 'is', null)
    .where(sql<boolean>`lower(name) = ${name.toLowerCase()}`);
  if (exceptId !== undefined) q = q.where('id', '<>', exceptId);
  return (await q.executeTakeFirst()) !== undefined;
}

/** Inserts a service row. */
export async function insertService(db: Db, row: ServicesTable): Promise<void> {
  await db.insertInto('services').values(row).execute();
}

/** Updates a live service row. */
export async function updateServiceRow(db: Db, id: string, values: Updateable<ServicesTable>): Promise<void> {
  await db.updateTable('services').set(values).where('id', '=', id).where('deleted_at', 'is', null).execute();
}

/** Soft-deletes a service and its integrations (their keys stop routing). */
export async function softDeleteService(db: Db, id: string, at: string): Promise<void> {
  await db
    .updateTable('integrations')
    .set({ deleted_at: at })
    .where('service_id', '=', id)
    .where('deleted_at', 'is', null)
    .execute();
  await db.updateTable('services').set({ deleted_at: at, updated_at: at }).where('id', '=', id).execute();
}

/** Names of the live escalation policies among `ids`, by id. */
export async function escalationPolicyNames(db: Db, ids: readonly string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .selectFrom('escalation_policies')
    .select(['id', 'name'])
    .where('id', 'in', [...ids])
    .where('deleted_at', 'is', null)
    .execute();
  return new Map(rows.map((r) => [r.id, r.name]));
}

/** Incident figures per service id (services without incidents are absent). */
export async function incidentStats(db: Db, serviceIds: string[]): Promise<Map<string, IncidentStats>> {
  const stats = new Map<string, IncidentStats>();
  if (serviceIds.length === 0) return stats;
  const rows = await db
    .selectFrom('incidents')
    .select((eb) => [
      'service_id',
      'status',
      eb.fn.countAll<number | string>().as('n'),
      eb.fn.max('created_at').as('last'),
    ])
    .where('service_id', 'in', serviceIds)
    .groupBy(['service_id', 'status'])
    .execute();
  for (const row of rows) {
    const s = stats.get(row.service_id) ?? { triggered: 0, acknowledged: 0, lastIncidentAt: null };
    if (row.status === 'triggered') s.triggered += Number(row.n);
    if (row.status === 'acknowledged') s.acknowledged += Number(row.n);
    if (s.lastIncidentAt === null || row.last > s.lastIncidentAt) s.lastIncidentAt = row.last;
    stats.set(row.service_id, s);
  }
  return stats;
}

/** Live integrations of the given services, oldest first. */
export async function integrationRowsOf(db: Db, serviceIds: string[]): Promise<IntegrationsTable[]> {
  if (serviceIds.length === 0) return [];
  return db
    .selectFrom('integrations')
    .selectAll()
    .where('service_id', 'in', serviceIds)
    .where('deleted_at', 'is', null)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

/** A live integration of a live service. */
export async function findIntegrationRow(
  db: Db,
  serviceId: string,
  integrationId: string,
): Promise<IntegrationsTable | undefined> {
  return db
    .selectFrom('integrations')
    .selectAll()
    .where('id', '=', integrationId)
    .where('service_id', '=', serviceId)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
}

/** Inserts an integration row. */
export async function insertIntegration(db: Db, row: IntegrationsTable): Promise<void> {
  await db.insertInto('integrations').values(row).execute();
}

/** Updates an integration row (also used to soft-delete it via `deleted_at`). */
export async function updateIntegrationRow(
  db: Db,
  id: string,
  values: Updateable<IntegrationsTable>,
): Promise<void> {
  await db.updateTable('integrations').set(values).where('id', '=', id).execute();
}
