import type { Kysely } from 'kysely';
import type { Database, IntegrationsTable } from '../store/database.js';

type Db = Kysely<Database>;

/** What the install page needs of a service. */
export interface InstallServiceRow {
  id: string;
  name: string;
  status: string;
  alert_creation: string;
  escalation_policy_id: string | null;
}

/** Every live service, by name (the install page lists them all). */
export async function installServiceRows(db: Db, ids?: readonly string[]): Promise<InstallServiceRow[]> {
  let q = db
    .selectFrom('services')
    .select(['id', 'name', 'status', 'alert_creation', 'escalation_policy_id'])
    .where('deleted_at', 'is', null);
  if (ids !== undefined) q = q.where('id', 'in', ids.length > 0 ? [...ids] : ['']);
  return q.orderBy('name').orderBy('id').execute();
}

/** An app's live integrations on live services (optionally only on some services), by service name. */
export async function appIntegrationRows(
  db: Db,
  appId: string,
  serviceIds?: readonly string[],
): Promise<(IntegrationsTable & { service_name: string })[]> {
  let q = db
    .selectFrom('integrations as i')
    .innerJoin('services as s', 's.id', 'i.service_id')
    .selectAll('i')
    .select('s.name as service_name')
    .where('i.app_id', '=', appId)
    .where('i.deleted_at', 'is', null)
    .where('s.deleted_at', 'is', null);
  if (serviceIds !== undefined)
    q = q.where('i.service_id', 'in', serviceIds.length > 0 ? [...serviceIds] : ['']);
  return q.orderBy('s.name').orderBy('i.id').execute();
}

/** Inserts an integration made for an app. */
export async function insertAppIntegration(db: Db, row: IntegrationsTable): Promise<void> {
  await db.insertInto('integrations').values(row).execute();
}

/** Soft-deletes every live integration of an app (their keys stop routing); returns how many. */
export async function deleteAppIntegrations(db: Db, appId: string, at: string): Promise<number> {
  const result = await db
    .updateTable('integrations')
    .set({ deleted_at: at, updated_at: at })
    .where('app_id', '=', appId)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}
