import { CompiledQuery, sql, type Kysely, type Transaction } from 'kysely';
import type { DatabaseTarget } from '../config/config.js';
import type { Database } from './database.js';
import { migrateToLatest, pendingMigrations } from './migrate.js';
import { ensureSchema, openPostgres } from './postgres.js';
import { openSqlite } from './sqlite.js';

/** Which SQL engine sits behind the store. */
export type DialectKind = 'sqlite' | 'postgres';

/**
 * Raw SQL for hot paths, written once with `?` placeholders for both dialects (see docs/decisions.md:
 * ingest uses prepared statements through this seam instead of the query builder).
 */
export interface RawSql {
  /** Runs a query and returns its rows. */
  all<T>(text: string, params: readonly unknown[]): Promise<T[]>;
  /** Runs a statement and returns how many rows it changed. */
  run(text: string, params: readonly unknown[]): Promise<number>;
}

/** A write transaction: the query builder, raw SQL and per-key locks, all on one connection. */
export interface Tx {
  db: Transaction<Database>;
  raw: RawSql;
  /** Serializes concurrent transactions (on other nodes too) that touch the same keys. */
  lockKeys(keys: readonly string[]): Promise<void>;
  /** The next incident number: a sequence on PostgreSQL, a counter row on SQLite (one writer). */
  nextIncidentNumber(): Promise<number>;
}

/** The store: one Kysely instance plus the few things that differ between SQLite and PostgreSQL. */
export interface Store {
  kind: DialectKind;
  db: Kysely<Database>;
  /** Runs `work` in one transaction; commits when it resolves, rolls back when it throws. */
  transaction<T>(work: (tx: Tx) => Promise<T>): Promise<T>;
  /** Brings the schema up to date; returns the migrations applied. */
  migrate(): Promise<string[]>;
  /** Whether every migration has been applied. */
  migrationsCurrent(): Promise<boolean>;
  /** Checks the database answers. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** Options for opening a store. */
export interface OpenStoreOptions {
  pgPoolSize?: number;
  /** Apply pending migrations before returning (the default). */
  migrate?: boolean;
}

const pgTextCache = new Map<string, string>();

/** Turns `?` placeholders into `$1, $2, …` (our hot-path SQL never has a literal `?`). */
function toPostgresPlaceholders(text: string): string {
  let converted = pgTextCache.get(text);
  if (converted === undefined) {
    let index = 0;
    converted = text.replace(/\?/g, () => `$${++index}`);
    pgTextCache.set(text, converted);
  }
  return converted;
}

/** `String.prototype.toWellFormed` (Node 20; not yet in TypeScript's ES2023 lib). */
type WellFormable = string & { isWellFormed(): boolean; toWellFormed(): string };

/**
 * Text both backends store alike: PostgreSQL cannot hold NUL and turns lone surrogates into U+FFFD,
 * while SQLite keeps both. Both become U+FFFD here, so a dedup key means the same alert everywhere.
 */
export function storableText(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const text = value.includes('\u0000') ? value.replaceAll('\u0000', '\uFFFD') : value;
  return (text as WellFormable).isWellFormed() ? text : (text as WellFormable).toWellFormed();
}

function rawSql(trx: Transaction<Database>, kind: DialectKind): RawSql {
  const compile = (text: string, params: readonly unknown[]) =>
    CompiledQuery.raw(kind === 'postgres' ? toPostgresPlaceholders(text) : text, params.map(storableText));
  return {
    all: async <T>(text: string, params: readonly unknown[]) =>
      (await trx.executeQuery<T>(compile(text, params))).rows,
    run: async (text: string, params: readonly unknown[]) =>
      Number((await trx.executeQuery(compile(text, params))).numAffectedRows ?? 0n),
  };
}

/** 64-bit advisory lock ids from text keys, in a stable order so that transactions cannot deadlock. */
async function lockPostgresKeys(trx: Transaction<Database>, keys: readonly string[]): Promise<void> {
  if (keys.length === 0) return;
  const unique = [...new Set(keys.map((k) => storableText(k) as string))].sort();
  await sql`SELECT pg_advisory_xact_lock(hashtextextended(k, 0)) FROM unnest(${unique}::text[]) AS k ORDER BY hashtextextended(k, 0)`.execute(
    trx,
  );
}

async function nextIncidentNumber(trx: Transaction<Database>, kind: DialectKind): Promise<number> {
  const { rows } =
    kind === 'postgres'
      ? await sql<{ value: number }>`SELECT nextval('incident_number_seq') AS value`.execute(trx)
      : await sql<{
          value: number;
        }>`UPDATE counters SET value = value + 1 WHERE name = 'incident_number' RETURNING value`.execute(trx);
  return Number(rows[0]?.value);
}

/** Opens the configured store and (by default) brings its schema up to date. */
export async function openStore(target: DatabaseTarget, options: OpenStoreOptions = {}): Promise<Store> {
  let db: Kysely<Database>;
  let kind: DialectKind;
  if (target.kind === 'sqlite') {
    kind = 'sqlite';
    db = openSqlite(target.file).db;
  } else {
    kind = 'postgres';
    if (target.schema) await ensureSchema(target.url, target.schema);
    const opened = openPostgres(target.url, options.pgPoolSize ?? 10, target.schema);
    db = opened.db;
  }
  const store: Store = {
    kind,
    db,
    transaction: (work) =>
      db.transaction().execute((trx) =>
        work({
          db: trx,
          raw: rawSql(trx, kind),
          lockKeys: (keys) => (kind === 'postgres' ? lockPostgresKeys(trx, keys) : Promise.resolve()),
          nextIncidentNumber: () => nextIncidentNumber(trx, kind),
        }),
      ),
    migrate: () => migrateToLatest(db, kind),
    migrationsCurrent: async () => (await pendingMigrations(db)).length === 0,
    ping: async () => {
      await sql`SELECT 1`.execute(db);
    },
    close: async () => {
      await db.destroy();
    },
  };
  if (options.migrate !== false) {
    try {
      await migrateToLatest(db, kind);
    } catch (error) {
      await store.close();
      throw error;
    }
  }
  return store;
}
