import { createHash } from 'node:crypto';
import type pg from 'pg';
import {
  lockPostgresKeys,
  nextIncidentNumber,
  storableText,
  toPostgresPlaceholders,
  type RawSql,
} from './raw-sql.js';
import type { WriteTx } from './write-task.js';

/** A stable prepared-statement name per SQL text (PostgreSQL keeps them per connection). */
const names = new Map<string, string>();
function statementName(text: string): string {
  let name = names.get(text);
  if (name === undefined) {
    name = 't_' + createHash('sha1').update(text).digest('hex').slice(0, 20);
    names.set(text, name);
  }
  return name;
}

function pgRawSql(client: pg.PoolClient): RawSql {
  const query = (text: string, params: readonly unknown[]) =>
    client.query({
      name: statementName(text),
      text: toPostgresPlaceholders(text),
      values: params.map(storableText),
    });
  return {
    all: async <T>(text: string, params: readonly unknown[]) => (await query(text, params)).rows as T[],
    run: async (text: string, params: readonly unknown[]) => (await query(text, params)).rowCount ?? 0,
  };
}

/**
 * Runs write-path work in one transaction on a pooled client, with named prepared statements: the
 * server parses each hot-path statement once per connection instead of once per execution, and the
 * query builder's per-query work is skipped.
 */
export async function postgresWriteTransaction<R>(
  pool: pg.Pool,
  work: (tx: WriteTx) => Promise<R>,
): Promise<R> {
  const client = await pool.connect();
  const raw = pgRawSql(client);
  try {
    await client.query('BEGIN');
    const result = await work({
      raw,
      dialect: 'postgres',
      lockKeys: (keys) => lockPostgresKeys(raw, keys),
      nextIncidentNumber: () => nextIncidentNumber(raw, 'postgres'),
    });
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}
