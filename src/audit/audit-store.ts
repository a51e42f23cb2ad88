import { type Kysely } from 'kysely';
import type { AuditRecordsTable, Database } from '../store/database.js';

type Db = Kysely<Database>;

/** What the audit lists filter on. */
export interface AuditFilter {
  since: string;
  until: string;
  rootTypes?: string[] | undefined;
  root?: { type: string; id: string } | undefined;
  actorType?: string | undefined;
  actorId?: string | undefined;
  methodType?: string | undefined;
  truncatedToken?: string | undefined;
  actions?: string[] | undefined;
  /** Records strictly older than this (execution time, id) position: the cursor. */
  before?: { time: string; id: string } | undefined;
}

/** Inserts one record (inside the transaction of the change). */
export async function insertAuditRecord(db: Db, row: AuditRecordsTable): Promise<void> {
  await db.insertInto('audit_records').values(row).execute();
}

/** Up to `limit` records matching the filter, newest first (execution time, then id). */
export async function listAuditRows(
  db: Db,
  filter: AuditFilter,
  limit: number,
): Promise<AuditRecordsTable[]> {
  let q = db
    .selectFrom('audit_records')
    .selectAll()
    .where('execution_time', '>=', filter.since)
    .where('execution_time', '<', filter.until);
  if (filter.rootTypes && filter.rootTypes.length > 0) q = q.where('root_type', 'in', filter.rootTypes);
  if (filter.root) q = q.where('root_type', '=', filter.root.type).where('root_id', '=', filter.root.id);
  if (filter.actorType) q = q.where('actor_type', '=', filter.actorType);
  if (filter.actorId) q = q.where('actor_id', '=', filter.actorId);
  if (filter.methodType) q = q.where('method_type', '=', filter.methodType);
  if (filter.truncatedToken) q = q.where('method_truncated_token', '=', filter.truncatedToken);
  if (filter.actions && filter.actions.length > 0) q = q.where('action', 'in', filter.actions);
  const before = filter.before;
  if (before)
    q = q.where((eb) =>
      eb.or([
        eb('execution_time', '<', before.time),
        eb.and([eb('execution_time', '=', before.time), eb('id', '<', before.id)]),
      ]),
    );
  return q.orderBy('execution_time', 'desc').orderBy('id', 'desc').limit(limit).execute();
}
