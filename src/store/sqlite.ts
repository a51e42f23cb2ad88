import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import type { Database } from './database.js';

/** Raised when another process already holds the SQLite store. */
export class StoreLockedError extends Error {}

/**
 * Opens the embedded store: WAL, `synchronous=FULL` (a commit survives power loss, so a 202 is durable)
 * and an exclusive lock held for the life of the process, so a second Tocsin on the same file fails at
 * once instead of running a second engine.
 */
export function openSqlite(file: string): { db: Kysely<Database>; raw: SqliteDatabase.Database } {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const raw = new SqliteDatabase(file, { timeout: 0 });
  try {
    raw.pragma('locking_mode = EXCLUSIVE');
    raw.pragma('journal_mode = WAL');
    raw.pragma('synchronous = FULL');
    raw.pragma('foreign_keys = ON');
    // Taking the write lock now makes a second process fail here, with a clear message.
    raw.exec('BEGIN EXCLUSIVE; COMMIT;');
  } catch (error) {
    raw.close();
    if (error instanceof Error && /locked|busy/i.test(error.message)) {
      throw new StoreLockedError(
        `The SQLite store ${file} is in use by another Tocsin process. Stop it first, or use PostgreSQL to run several nodes.`,
      );
    }
    throw error;
  }
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(raw) }) });
  return { db, raw };
}

/**
 * Kysely prepares every query anew; caching prepared statements by their SQL text saves the parse on hot
 * paths (ingest runs the same few statements thousands of times a second).
 */
function withStatementCache(raw: SqliteDatabase.Database) {
  const cache = new Map<string, SqliteDatabase.Statement>();
  return {
    close: () => raw.close(),
    prepare: (sql: string) => {
      let statement = cache.get(sql);
      if (!statement) {
        statement = raw.prepare(sql);
        if (cache.size > 500) cache.clear();
        cache.set(sql, statement);
      }
      return statement;
    },
  };
}
