import { sql, type CreateTableBuilder, type Kysely } from 'kysely';
import type { DialectKind } from '../store.js';

/** The alert path: users and tokens, services, integrations, incidents, alerts, log entries. */
export async function up(db: Kysely<unknown>, dialect: DialectKind): Promise<void> {
  // On SQLite incidents and log entries keep their rows in the primary-key B-tree (WITHOUT ROWID): a text
  // primary key otherwise costs a second B-tree, and one more page write per commit. Alerts stay rowid
  // tables: their bodies can be large, which WITHOUT ROWID tables store poorly.
  const rowless = <T extends CreateTableBuilder<string, never>>(table: T): T =>
    (dialect === 'sqlite' ? table.modifyEnd(sql`without rowid`) : table) as T;

  await db.schema
    .createTable('meta')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('counters')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('value', 'integer', (c) => c.notNull())
    .execute();
  await sql`INSERT INTO counters (name, value) VALUES ('incident_number', 0)`.execute(db);
  // PostgreSQL numbers incidents from a sequence, so concurrent ingest transactions on several nodes do
  // not queue on one counter row until they commit; SQLite has one writer and uses the counter row.
  if (dialect === 'postgres') await sql`CREATE SEQUENCE incident_number_seq`.execute(db);

  await db.schema
    .createTable('users')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('email', 'text', (c) => c.notNull().unique())
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('time_zone', 'text', (c) => c.notNull())
    .addColumn('password_hash', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('api_tokens')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.references('users.id'))
    .addColumn('access', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('last_used_at', 'text')
    .addColumn('revoked_at', 'text')
    .execute();

  await db.schema
    .createTable('services')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('description', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('escalation_policy_id', 'text')
    .addColumn('alert_creation', 'text', (c) => c.notNull())
    .addColumn('acknowledgement_timeout', 'integer')
    .addColumn('auto_resolve_timeout', 'integer')
    .addColumn('incident_urgency_rule', 'text', (c) => c.notNull())
    .addColumn('alert_grouping_parameters', 'text', (c) => c.notNull())
    .addColumn('support_hours', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('deleted_at', 'text')
    .execute();
  await db.schema.createIndex('services_name').on('services').column('name').execute();

  await db.schema
    .createTable('integrations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('service_id', 'text', (c) => c.notNull().references('services.id'))
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('integration_key', 'text', (c) => c.notNull().unique())
    .addColumn('config', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('deleted_at', 'text')
    .execute();
  await db.schema.createIndex('integrations_service').on('integrations').column('service_id').execute();

  await db.schema
    .createTable('incidents')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('incident_number', 'integer', (c) => c.notNull().unique())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('service_id', 'text', (c) => c.notNull().references('services.id'))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('urgency', 'text', (c) => c.notNull())
    .addColumn('incident_key', 'text')
    .addColumn('escalation_policy_id', 'text')
    .addColumn('alerts_triggered', 'integer', (c) => c.notNull())
    .addColumn('alerts_resolved', 'integer', (c) => c.notNull())
    .addColumn('acknowledgements', 'text', (c) => c.notNull())
    .addColumn('last_status_change_at', 'text', (c) => c.notNull())
    .addColumn('last_status_change_by', 'text')
    .addColumn('resolve_reason', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('resolved_at', 'text')
    .$call(rowless)
    .execute();
  await db.schema.createIndex('incidents_created').on('incidents').columns(['created_at', 'id']).execute();
  await db.schema
    .createIndex('incidents_service_status')
    .on('incidents')
    .columns(['service_id', 'status'])
    .execute();

  await db.schema
    .createTable('alerts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('incident_id', 'text', (c) => c.notNull().references('incidents.id'))
    .addColumn('service_id', 'text', (c) => c.notNull())
    .addColumn('integration_id', 'text', (c) => c.notNull())
    .addColumn('alert_key', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('severity', 'text', (c) => c.notNull())
    .addColumn('summary', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('resolved_at', 'text')
    .execute();
  // Dedup lookups by (routing key, dedup key). Not a unique index: ingest serializes each key (one writer
  // on SQLite, a per-key advisory lock on PostgreSQL), and a unique partial index on open alerts cost a
  // random index page write per event and another per resolve (docs/decisions.md).
  await db.schema.createIndex('alerts_key').on('alerts').columns(['integration_id', 'alert_key']).execute();
  await db.schema.createIndex('alerts_incident').on('alerts').columns(['incident_id', 'status']).execute();

  await db.schema
    .createTable('incident_group_keys')
    .addColumn('incident_id', 'text', (c) => c.notNull().references('incidents.id'))
    .addColumn('service_id', 'text', (c) => c.notNull())
    .addColumn('group_key', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('incident_group_keys_lookup')
    .on('incident_group_keys')
    .columns(['service_id', 'group_key', 'created_at'])
    .execute();
  await db.schema
    .createIndex('incident_group_keys_incident')
    .on('incident_group_keys')
    .column('incident_id')
    .execute();

  await db.schema
    .createTable('log_entries')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('incident_id', 'text', (c) => c.notNull().references('incidents.id'))
    .addColumn('alert_id', 'text')
    .addColumn('service_id', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('agent', 'text')
    .addColumn('summary', 'text', (c) => c.notNull())
    .addColumn('note', 'text')
    .$call(rowless)
    .execute();
  await db.schema
    .createIndex('log_entries_incident')
    .on('log_entries')
    .columns(['incident_id', 'created_at'])
    .execute();

  await db.schema
    .createTable('dropped_events')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('integration_id', 'text', (c) => c.notNull())
    .addColumn('service_id', 'text', (c) => c.notNull())
    .addColumn('received_at', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('event_action', 'text', (c) => c.notNull())
    .addColumn('dedup_key', 'text')
    .addColumn('summary', 'text')
    .addColumn('body', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('dropped_events_integration')
    .on('dropped_events')
    .columns(['integration_id', 'received_at'])
    .execute();
  await db.schema
    .createIndex('dropped_events_service')
    .on('dropped_events')
    .columns(['service_id', 'received_at'])
    .execute();

  await db.schema
    .createTable('change_events')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('integration_id', 'text', (c) => c.notNull())
    .addColumn('service_id', 'text', (c) => c.notNull())
    .addColumn('summary', 'text', (c) => c.notNull())
    .addColumn('source', 'text')
    .addColumn('timestamp', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('change_events_service')
    .on('change_events')
    .columns(['service_id', 'timestamp'])
    .execute();
}
