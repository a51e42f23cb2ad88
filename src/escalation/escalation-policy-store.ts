import { sql, type Kysely, type Updateable } from 'kysely';
import { parseLayers } from '../schedules/schedule.js';
import type { Database, EscalationPoliciesTable } from '../store/database.js';
import { lowerContains, orderByName } from '../store/name-queries.js';

type Db = Kysely<Database>;

/** An id and a display name (what a reference needs). */
export interface Named {
  id: string;
  name: string;
}

/** SQL filters of the policy list (the user filter needs the rules and runs in the service). */
export interface PolicyFilter {
  query?: string | undefined;
  teamIds?: string[] | undefined;
}

/** Live policies matching the filter, by name (case-insensitive) then id. */
export async function listPolicyRows(
  db: Db,
  filter: PolicyFilter,
  descending = false,
): Promise<EscalationPoliciesTable[]> {
  let q = db.selectFrom('escalation_policies').selectAll().where('deleted_at', 'is', null);
  if (filter.query) q = q.where(lowerContains('name', filter.query));
  if (filter.teamIds && filter.teamIds.length > 0) q = q.where('team_id', 'in', filter.teamIds);
  return orderByName(q, descending).execute();
}

/** Live policies with the given ids. */
export async function policyRowsByIds(db: Db, ids: readonly string[]): Promise<EscalationPoliciesTable[]> {
  if (ids.length === 0) return [];
  return db
    .selectFrom('escalation_policies')
    .selectAll()
    .where('id', 'in', [...ids])
    .where('deleted_at', 'is', null)
    .execute();
}

/** A live policy row. */
export async function findPolicyRow(db: Db, id: string): Promise<EscalationPoliciesTable | undefined> {
  return (await policyRowsByIds(db, [id]))[0];
}

/** Whether a live policy other than `exceptId` has this name (compared without case). */
export async function policyNameTaken(db: Db, name: string, exceptId?: string): Promise<boolean> {
  let q = db
    .selectFrom('escalation_policies')
    .select('id')
    .where('deleted_at', 'is', null)
    .where(sql<boolean>`lower(name) = ${name.toLowerCase()}`);
  if (exceptId !== undefined) q = q.where('id', '<>', exceptId);
  return (await q.executeTakeFirst()) !== undefined;
}

/** Inserts a policy row. */
export async function insertPolicy(db: Db, row: EscalationPoliciesTable): Promise<void> {
  await db.insertInto('escalation_policies').values(row).execute();
}

/** Updates a live policy row (also soft-deletes it via `deleted_at`). */
export async function updatePolicyRow(
  db: Db,
  id: string,
  values: Updateable<EscalationPoliciesTable>,
): Promise<void> {
  await db
    .updateTable('escalation_policies')
    .set(values)
    .where('id', '=', id)
    .where('deleted_at', 'is', null)
    .execute();
}

/** Live services that reference any of the policies, by name. */
export async function servicesOfPolicies(
  db: Db,
  policyIds: readonly string[],
): Promise<(Named & { policyId: string })[]> {
  if (policyIds.length === 0) return [];
  const rows = await db
    .selectFrom('services')
    .select(['id', 'name', 'escalation_policy_id'])
    .where('escalation_policy_id', 'in', [...policyIds])
    .where('deleted_at', 'is', null)
    .orderBy(sql`lower(name)`)
    .orderBy('id')
    .execute();
  return rows.map((r) => ({ id: r.id, name: r.name, policyId: r.escalation_policy_id ?? '' }));
}

/** Live users with the given ids. */
export async function liveUsers(db: Db, ids: readonly string[]): Promise<Named[]> {
  if (ids.length === 0) return [];
  return db
    .selectFrom('users')
    .select(['id', 'name'])
    .where('id', 'in', [...ids])
    .where('deleted_at', 'is', null)
    .execute();
}

/** Live schedules with the given ids. */
export async function liveSchedules(db: Db, ids: readonly string[]): Promise<Named[]> {
  if (ids.length === 0) return [];
  return db
    .selectFrom('schedules')
    .select(['id', 'name'])
    .where('id', 'in', [...ids])
    .where('deleted_at', 'is', null)
    .execute();
}

/** Live teams with the given ids. */
export async function liveTeams(db: Db, ids: readonly string[]): Promise<Named[]> {
  if (ids.length === 0) return [];
  return db
    .selectFrom('teams')
    .select(['id', 'name'])
    .where('id', 'in', [...ids])
    .where('deleted_at', 'is', null)
    .execute();
}

/** The user ids in the layers of live schedules (for the list's `user_ids[]` filter). */
export async function scheduleLayerUsers(db: Db, ids: readonly string[]): Promise<Map<string, string[]>> {
  const found = new Map<string, string[]>();
  if (ids.length === 0) return found;
  const rows = await db
    .selectFrom('schedules')
    .select(['id', 'layers'])
    .where('id', 'in', [...ids])
    .where('deleted_at', 'is', null)
    .execute();
  for (const row of rows) {
    found.set(row.id, [...new Set(parseLayers(row.layers).flatMap((l) => l.users))]);
  }
  return found;
}
