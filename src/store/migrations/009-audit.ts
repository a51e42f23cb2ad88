import type { Kysely } from 'kysely';
import type { DialectKind } from '../store.js';

/**
 * The audit log of configuration changes: one row per change, written in the transaction of the change,
 * with the actor, the method, the root resource (what the per-resource endpoints filter on), the changed
 * resource and redacted before/after JSON snapshots (the presented `fields` are computed on read).
 */
export async function up(db: Kysely<unknown>, _dialect: DialectKind): Promise<void> {
  await db.schema
    .createTable('audit_records')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('execution_time', 'text', (c) => c.notNull())
    .addColumn('actor_type', 'text')
    .addColumn('actor_id', 'text')
    .addColumn('actor_summary', 'text')
    .addColumn('method_type', 'text', (c) => c.notNull())
    .addColumn('method_truncated_token', 'text')
    .addColumn('root_type', 'text', (c) => c.notNull())
    .addColumn('root_id', 'text', (c) => c.notNull())
    .addColumn('root_summary', 'text', (c) => c.notNull())
    .addColumn('resource_type', 'text', (c) => c.notNull())
    .addColumn('resource_id', 'text', (c) => c.notNull())
    .addColumn('resource_summary', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('before_json', 'text')
    .addColumn('after_json', 'text')
    .execute();
  // Lists read newest first over a time window, either account-wide or for one root resource.
  await db.schema
    .createIndex('audit_records_time')
    .on('audit_records')
    .columns(['execution_time', 'id'])
    .execute();
  await db.schema
    .createIndex('audit_records_root')
    .on('audit_records')
    .columns(['root_type', 'root_id', 'execution_time'])
    .execute();
}
