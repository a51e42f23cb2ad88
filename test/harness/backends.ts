import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DatabaseTarget } from '../../src/config/config.js';
import { dropSchema } from '../../src/store/postgres.js';

/** A backend a store or scenario test runs on. */
export interface Backend {
  name: 'sqlite' | 'postgres';
  /** A fresh, empty database target (its own file, or its own PostgreSQL schema). */
  fresh(): DatabaseTarget;
  /** Removes what `fresh` made. */
  cleanup(): Promise<void>;
}

const pgUrl = process.env.TOCSIN_TEST_PG_URL;
const inCi = process.env.TOCSIN_CI === '1';

if (!pgUrl) {
  if (inCi)
    throw new Error(
      'TOCSIN_CI=1 but TOCSIN_TEST_PG_URL is not set: PostgreSQL tests cannot be skipped in CI',
    );
  console.warn('[tocsin tests] TOCSIN_TEST_PG_URL is not set: PostgreSQL variants are skipped');
}

function sqliteBackend(): Backend {
  const dirs: string[] = [];
  return {
    name: 'sqlite',
    fresh() {
      const dir = mkdtempSync(join(tmpdir(), 'tocsin-test-'));
      dirs.push(dir);
      return { kind: 'sqlite', file: join(dir, 'tocsin.db') };
    },
    async cleanup() {
      for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
    },
  };
}

function postgresBackend(url: string): Backend {
  const schemas: string[] = [];
  return {
    name: 'postgres',
    fresh() {
      const schema = `t_${randomBytes(6).toString('hex')}`;
      schemas.push(schema);
      return { kind: 'postgres', url, schema };
    },
    async cleanup() {
      for (const schema of schemas.splice(0)) await dropSchema(url, schema);
    },
  };
}

/**
 * The backends every store and scenario test runs on: SQLite always, PostgreSQL when
 * TOCSIN_TEST_PG_URL is set (required under TOCSIN_CI=1). Each `fresh()` is isolated, so files run in parallel.
 */
export function backends(): Backend[] {
  return pgUrl ? [sqliteBackend(), postgresBackend(pgUrl)] : [sqliteBackend()];
}
