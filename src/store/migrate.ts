import { sql, type Kysely } from 'kysely';
import type { DialectKind } from './store.js';
import * as initial from './migrations/001-initial.js';
import * as peopleAndEngine from './migrations/002-people-and-engine.js';
import * as delivery from './migrations/003-delivery.js';
import * as webhooks from './migrations/004-webhooks.js';
import * as contactVerification from './migrations/005-contact-verification.js';
import * as accounts from './migrations/006-accounts.js';
import * as audit from './migrations/009-audit.js';
import * as slackRouting from './migrations/011-slack-routing.js';
import * as incidentExtras from './migrations/007-incident-extras.js';
import * as maintenanceWindows from './migrations/008-maintenance-windows.js';
import * as apps from './migrations/010-apps.js';

/** A migration: a forward-only step that may differ by dialect. */
export interface Migration {
  up(db: Kysely<unknown>, dialect: DialectKind): Promise<void>;
}

/** Every migration, in order. Forward-only: a migration never changes once it has landed. */
const migrations: ReadonlyArray<[string, Migration]> = [
  ['001-initial', initial],
  ['002-people-and-engine', peopleAndEngine],
  ['003-delivery', delivery],
  ['004-webhooks', webhooks],
  ['005-contact-verification', contactVerification],
  ['006-accounts', accounts],
  ['007-incident-extras', incidentExtras],
  ['008-maintenance-windows', maintenanceWindows],
  ['009-audit', audit],
  ['010-apps', apps],
  ['011-slack-routing', slackRouting],
];

/** Any 64-bit number unique to Tocsin's migrations, for PostgreSQL's advisory lock. */
const MIGRATION_LOCK_ID = 7_364_212_001;

async function ensureTable(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE TABLE IF NOT EXISTS tocsin_migrations (name text PRIMARY KEY, executed_at text NOT NULL)`.execute(
    db,
  );
}

async function applied(db: Kysely<unknown>): Promise<Set<string>> {
  const { rows } = await sql<{ name: string }>`SELECT name FROM tocsin_migrations`.execute(db);
  return new Set(rows.map((r) => r.name));
}

/**
 * Applies pending migrations in one transaction. On PostgreSQL a transaction-scoped advisory lock makes
 * nodes that start together take turns, so each migration runs exactly once; on SQLite the process holds
 * the file exclusively. (Kysely's own migrator introspects every schema of the database, which races with
 * schemas being dropped by other tenants of a shared server.)
 */
export async function migrateToLatest<T>(
  database: Kysely<T>,
  dialect: 'sqlite' | 'postgres',
): Promise<string[]> {
  const db = database as unknown as Kysely<unknown>;
  return db.transaction().execute(async (trx) => {
    if (dialect === 'postgres') await sql`SELECT pg_advisory_xact_lock(${MIGRATION_LOCK_ID})`.execute(trx);
    await ensureTable(trx);
    const done = await applied(trx);
    const ran: string[] = [];
    for (const [name, migration] of migrations) {
      if (done.has(name)) continue;
      await migration.up(trx, dialect);
      await sql`INSERT INTO tocsin_migrations (name, executed_at) VALUES (${name}, ${new Date().toISOString()})`.execute(
        trx,
      );
      ran.push(name);
    }
    return ran;
  });
}

/** Names of the migrations not yet applied. */
export async function pendingMigrations<T>(database: Kysely<T>): Promise<string[]> {
  const db = database as unknown as Kysely<unknown>;
  let done = new Set<string>();
  try {
    done = await applied(db);
  } catch {
    // No migration table yet: everything is pending.
  }
  return migrations.map(([name]) => name).filter((name) => !done.has(name));
}
