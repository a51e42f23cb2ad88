import { Migrator, type Kysely, type Migration, type MigrationProvider } from 'kysely';
import * as initial from './migrations/001-initial.js';

/** Every migration, in order. Forward-only: a migration never changes once it has landed. */
const migrations: Record<string, Migration> = {
  '001-initial': initial,
};

const provider: MigrationProvider = { getMigrations: () => Promise.resolve(migrations) };

/** Where the migration tables live: the store's own PostgreSQL schema (undefined on SQLite). */
export interface MigrationPlace {
  schema?: string;
}

function migrator(db: Kysely<unknown>, place: MigrationPlace): Migrator {
  return new Migrator({
    db,
    provider,
    migrationTableName: 'tocsin_migrations',
    migrationLockTableName: 'tocsin_migration_lock',
    // Without a schema Kysely would take another schema's migration table for ours.
    ...(place.schema ? { migrationTableSchema: place.schema } : {}),
  });
}

/**
 * Applies pending migrations. Kysely's migrator takes a row lock on PostgreSQL, so nodes that start
 * together apply each migration exactly once; on SQLite the process holds the file exclusively.
 */
export async function migrateToLatest<T>(db: Kysely<T>, place: MigrationPlace = {}): Promise<string[]> {
  const { error, results } = await migrator(db as Kysely<unknown>, place).migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(`migration failed: ${JSON.stringify(error)}`);
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

/** Names of the migrations not yet applied. */
export async function pendingMigrations<T>(db: Kysely<T>, place: MigrationPlace = {}): Promise<string[]> {
  try {
    const all = await migrator(db as Kysely<unknown>, place).getMigrations();
    return all.filter((m) => m.executedAt === undefined).map((m) => m.name);
  } catch {
    // No migration table yet: everything is pending.
    return Object.keys(migrations);
  }
}
