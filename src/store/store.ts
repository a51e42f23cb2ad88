import { sql, type Kysely, type Transaction } from 'kysely';
import type { DatabaseTarget } from '../config/config.js';
import type { Database } from './database.js';
import { migrateToLatest, pendingMigrations } from './migrate.js';
import type pg from 'pg';
import { ensureSchema, openPostgres } from './postgres.js';
import { postgresWriteTransaction } from './postgres-write.js';
import { kyselyRawSql, lockPostgresKeys, nextIncidentNumber, sqliteRawSql, type RawSql } from './raw-sql.js';
import { openSqlite } from './sqlite.js';
import { SqliteWriter } from './sqlite-writer.js';
import { loadTask, type WriteTask, type WriteTx } from './write-task.js';

export type { RawSql } from './raw-sql.js';
export type { WriteTask, WriteTx } from './write-task.js';

/** Which SQL engine sits behind the store. */
export type DialectKind = 'sqlite' | 'postgres';

/** A transaction: the query builder plus the write-path helpers, all on one connection. */
export interface Tx extends WriteTx {
  db: Transaction<Database>;
}

/** The store: one Kysely instance plus the few things that differ between SQLite and PostgreSQL. */
export interface Store {
  kind: DialectKind;
  db: Kysely<Database>;
  /** Runs `work` in one transaction; commits when it resolves, rolls back when it throws. */
  transaction<T>(work: (tx: Tx) => Promise<T>): Promise<T>;
  /**
   * Runs a write task in one transaction: on SQLite in the writer thread (so its statements and the
   * commit's fsync leave the event loop free), on PostgreSQL in a pooled connection of this thread.
   */
  runWriteTask<P, R>(task: WriteTask<P, R>, payload: P): Promise<R>;
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

/** Opens the configured store and (by default) brings its schema up to date. */
export async function openStore(target: DatabaseTarget, options: OpenStoreOptions = {}): Promise<Store> {
  let db: Kysely<Database>;
  let kind: DialectKind;
  let sqliteRaw: RawSql | undefined;
  let writer: SqliteWriter | undefined;
  let pool: pg.Pool | undefined;
  let unlock = () => {};
  if (target.kind === 'sqlite') {
    kind = 'sqlite';
    const opened = openSqlite(target.file);
    db = opened.db;
    unlock = opened.unlock;
    // Inside a transaction Kysely's single connection is ours: raw SQL may use its statements directly.
    sqliteRaw = sqliteRawSql(opened.prepare);
    // An in-memory database cannot be shared with a second connection: its writes stay on this thread.
    if (target.file !== ':memory:') writer = new SqliteWriter(target.file);
  } else {
    kind = 'postgres';
    if (target.schema) await ensureSchema(target.url, target.schema);
    const opened = openPostgres(target.url, options.pgPoolSize ?? 10, target.schema);
    db = opened.db;
    pool = opened.pool;
  }
  const transaction = <T>(work: (tx: Tx) => Promise<T>): Promise<T> =>
    db.transaction().execute((trx) => {
      const raw = sqliteRaw ?? kyselyRawSql(trx, kind);
      return work({
        db: trx,
        raw,
        dialect: kind,
        lockKeys: (keys) => (kind === 'postgres' ? lockPostgresKeys(raw, keys) : Promise.resolve()),
        nextIncidentNumber: () => nextIncidentNumber(raw, kind),
      });
    });
  const store: Store = {
    kind,
    db,
    transaction,
    runWriteTask: async (task, payload) => {
      if (writer) return writer.run(task, payload);
      const run = await loadTask(task);
      if (pool) return postgresWriteTransaction(pool, (tx) => run(tx, payload));
      return transaction((tx) => run(tx, payload));
    },
    migrate: () => migrateToLatest(db, kind),
    migrationsCurrent: async () => (await pendingMigrations(db)).length === 0,
    ping: async () => {
      await sql`SELECT 1`.execute(db);
    },
    close: async () => {
      await writer?.close();
      await db.destroy();
      unlock();
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
