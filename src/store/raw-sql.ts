import type { Statement as SqliteStatement } from 'better-sqlite3';
import { CompiledQuery, type Transaction } from 'kysely';
import type { Database } from './database.js';

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

const pgTextCache = new Map<string, string>();

/** Turns `?` placeholders into `$1, $2, …` (our hot-path SQL never has a literal `?`). */
export function toPostgresPlaceholders(text: string): string {
  let converted = pgTextCache.get(text);
  if (converted === undefined) {
    let index = 0;
    converted = text.replace(/\?/g, () => `$${++index}`);
    pgTextCache.set(text, converted);
  }
  return converted;
}

/**
 * Raw SQL straight on cached better-sqlite3 statements. Callers must own the connection for the
 * duration (inside a transaction that holds it); it skips Kysely's per-query machinery.
 */
export function sqliteRawSql(prepare: (text: string) => SqliteStatement): RawSql {
  return {
    all: async <T>(text: string, params: readonly unknown[]) =>
      prepare(text).all(...params.map(storableText)) as T[],
    run: async (text: string, params: readonly unknown[]) =>
      prepare(text).run(...params.map(storableText)).changes,
  };
}

/** Raw SQL through a Kysely transaction (PostgreSQL: `?` becomes `$n`). */
export function kyselyRawSql(trx: Transaction<Database>, kind: 'sqlite' | 'postgres'): RawSql {
  const compile = (text: string, params: readonly unknown[]) =>
    CompiledQuery.raw(kind === 'postgres' ? toPostgresPlaceholders(text) : text, params.map(storableText));
  return {
    all: async <T>(text: string, params: readonly unknown[]) =>
      (await trx.executeQuery<T>(compile(text, params))).rows,
    run: async (text: string, params: readonly unknown[]) =>
      Number((await trx.executeQuery(compile(text, params))).numAffectedRows ?? 0n),
  };
}

/** The next incident number: a sequence on PostgreSQL, the counter row on SQLite (one writer). */
export async function nextIncidentNumber(raw: RawSql, kind: 'sqlite' | 'postgres'): Promise<number> {
  const [row] =
    kind === 'postgres'
      ? await raw.all<{ value: number }>(`SELECT nextval('incident_number_seq') AS value`, [])
      : await raw.all<{ value: number }>(
          `UPDATE counters SET value = value + 1 WHERE name = 'incident_number' RETURNING value`,
          [],
        );
  return Number(row?.value);
}

/**
 * Takes PostgreSQL transaction-scoped advisory locks for text keys, in a stable order so that two
 * transactions locking overlapping keys cannot deadlock.
 */
export async function lockPostgresKeys(raw: RawSql, keys: readonly string[]): Promise<void> {
  if (keys.length === 0) return;
  const unique = [...new Set(keys.map((k) => storableText(k) as string))].sort();
  await raw.all(
    'SELECT pg_advisory_xact_lock(hashtextextended(k, 0)) FROM unnest(?::text[]) AS k ORDER BY hashtextextended(k, 0)',
    [unique],
  );
}
