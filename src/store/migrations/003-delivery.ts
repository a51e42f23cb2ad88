import type { Kysely } from 'kysely';
import type { DialectKind } from '../store.js';

/**
 * Delivering notifications over real channels: a short lease per delivery attempt (sending is an
 * effect outside the database, so a claim must expire if its node dies), when the next attempt is
 * due, the provider's id of what it accepted, and single-use action tokens for links in messages.
 */
export async function up(db: Kysely<unknown>, _dialect: DialectKind): Promise<void> {
  for (const column of ['claimed_by', 'lease_until', 'next_attempt_at', 'provider_ref'])
    await db.schema.alterTable('notifications').addColumn(column, 'text').execute();
  await db.schema
    .createIndex('notifications_queue')
    .on('notifications')
    .columns(['status', 'next_attempt_at'])
    .execute();
  await db.schema
    .createTable('action_tokens')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('incident_id', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('used_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
}
