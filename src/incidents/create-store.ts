import type { Kysely } from 'kysely';
import type { Database } from '../store/database.js';

/** What `POST /incidents` reads of a live service. */
export interface ServiceForCreate {
  id: string;
  name: string;
  status: string;
  escalation_policy_id: string | null;
  incident_urgency_rule: string;
  support_hours: string | null;
  auto_resolve_timeout: number | null;
}

/** A live service by id. */
export async function findServiceForCreate(
  db: Kysely<Database>,
  id: string,
): Promise<ServiceForCreate | undefined> {
  return db
    .selectFrom('services')
    .select([
      'id',
      'name',
      'status',
      'escalation_policy_id',
      'incident_urgency_rule',
      'support_hours',
      'auto_resolve_timeout',
    ])
    .where('id', '=', id)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
}

/** Whether an open incident of the service has this `incident_key` (PagerDuty refuses a second one). */
export async function findOpenIncidentWithKey(
  db: Kysely<Database>,
  serviceId: string,
  key: string,
): Promise<boolean> {
  const row = await db
    .selectFrom('incidents')
    .select('id')
    .where('service_id', '=', serviceId)
    .where('incident_key', '=', key)
    .where('status', '<>', 'resolved')
    .executeTakeFirst();
  return row !== undefined;
}

/** The ids among these that are live users. */
export async function liveUserIds(db: Kysely<Database>, ids: readonly string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await db
    .selectFrom('users')
    .select('id')
    .where('id', 'in', [...ids])
    .where('deleted_at', 'is', null)
    .execute();
  return new Set(rows.map((r) => r.id));
}

/** Whether a maintenance window runs on the service at `at` (the same range test as ingest's). */
export async function inMaintenance(db: Kysely<Database>, serviceId: string, at: string): Promise<boolean> {
  const row = await db
    .selectFrom('maintenance_window_services')
    .select('window_id')
    .where('service_id', '=', serviceId)
    .where('start_time', '<=', at)
    .where('end_time', '>', at)
    .executeTakeFirst();
  return row !== undefined;
}
