import type { Kysely } from 'kysely';
import type { DialectKind } from '../store.js';

/**
 * Maintenance windows and the services they cover. Each covered service's row repeats the window's times
 * so that the ingest path answers "is this service in maintenance now?" with one range read of the
 * `(service_id, end_time)` index, however many past windows the service has had. Also an index for the
 * account-wide dropped-events log.
 */
export async function up(db: Kysely<unknown>, _dialect: DialectKind): Promise<void> {
  await db.schema
    .createTable('maintenance_windows')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('sequence_number', 'integer', (c) => c.notNull())
    .addColumn('description', 'text')
    .addColumn('start_time', 'text', (c) => c.notNull())
    .addColumn('end_time', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('maintenance_windows_end')
    .on('maintenance_windows')
    .columns(['end_time', 'start_time'])
    .execute();
  await db.schema
    .createTable('maintenance_window_services')
    .addColumn('window_id', 'text', (c) => c.notNull())
    .addColumn('service_id', 'text', (c) => c.notNull())
    .addColumn('start_time', 'text', (c) => c.notNull())
    .addColumn('end_time', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('maintenance_window_services_pk', ['window_id', 'service_id'])
    .execute();
  await db.schema
    .createIndex('maintenance_window_services_service')
    .on('maintenance_window_services')
    .columns(['service_id', 'end_time'])
    .execute();
  // The account-wide dropped-events log pages by time across services.
  await db.schema.createIndex('dropped_events_received').on('dropped_events').column('received_at').execute();
}
