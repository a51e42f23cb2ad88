import type { Kysely } from 'kysely';
import type { DialectKind } from '../store.js';

/**
 * Contact methods a person adds for themselves are verified (a code sent over the channel) before
 * pages use them. Existing rows, and those an admin or manager adds for someone, stay usable
 * (`unverified` = 0).
 */
export async function up(db: Kysely<unknown>, _dialect: DialectKind): Promise<void> {
  await db.schema
    .alterTable('contact_methods')
    .addColumn('unverified', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.alterTable('contact_methods').addColumn('verification_hash', 'text').execute();
  await db.schema.alterTable('contact_methods').addColumn('verification_expires_at', 'text').execute();
  await db.schema
    .alterTable('contact_methods')
    .addColumn('verification_attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
}
