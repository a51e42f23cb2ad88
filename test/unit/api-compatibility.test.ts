import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends } from '../harness/backends.js';
import { startTestApp, type TestApp } from '../harness/test-app.js';

const docFile = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../docs/api-compatibility.md');
const STATUSES = ['implemented', 'partial', 'Tocsin'];
/** The Events API routes the document must list beside `/api/v2`. */
const EVENTS_PREFIXES = ['/v2/', '/generic/', '/integration/'];

/** `GET /api/v2/services/{id}` with parameter names blanked, so `{id}`, `:id` and `{service_id}` compare equal. */
const operation = (method: string, url: string) =>
  `${method.toUpperCase()} ${url.replace(/\{[^}]+\}|:[A-Za-z0-9_]+/g, '{}')}`;

interface Row {
  operation: string;
  status: string;
  line: number;
}

/** The rows of the document's tables: `| METHOD | \`path\` | status | deviations |`. */
function documentedRows(): Row[] {
  const rows: Row[] = [];
  readFileSync(docFile, 'utf8')
    .split('\n')
    .forEach((text, index) => {
      const match = /^\|\s*(GET|POST|PUT|PATCH|DELETE)\s*\|\s*`([^`]+)`\s*\|\s*([^|]+?)\s*\|/.exec(text);
      if (match)
        rows.push({ operation: operation(match[1]!, match[2]!), status: match[3]!, line: index + 1 });
    });
  return rows;
}

const [backend] = backends();

describe('docs/api-compatibility.md', () => {
  let t: TestApp;
  let registered: Set<string>;
  beforeAll(async () => {
    t = await startTestApp(backend!.fresh());
    registered = new Set(
      t.app.registeredRoutes
        .filter((r) => r.url.startsWith('/api/v2/') || EVENTS_PREFIXES.some((p) => r.url.startsWith(p)))
        .map((r) => operation(r.method, r.url)),
    );
  });
  afterAll(async () => {
    await t.close();
    await backend!.cleanup();
  });

  it('lists every registered /api/v2 and Events API operation', () => {
    const documented = new Set(documentedRows().map((r) => r.operation));
    expect([...registered].filter((op) => !documented.has(op))).toEqual([]);
  });

  it('lists no operation that is not registered, and none twice', () => {
    const rows = documentedRows();
    expect(rows.length).toBeGreaterThan(50);
    expect(
      rows.filter((r) => !registered.has(r.operation)).map((r) => `${r.operation} (line ${r.line})`),
    ).toEqual([]);
    const seen = new Set<string>();
    const twice = rows.filter((r) => seen.size === seen.add(r.operation).size);
    expect(twice.map((r) => `${r.operation} (line ${r.line})`)).toEqual([]);
  });

  it('gives each operation a known status', () => {
    const odd = documentedRows().filter((r) => !STATUSES.includes(r.status));
    expect(odd.map((r) => `${r.operation}: ${r.status} (line ${r.line})`)).toEqual([]);
  });
});
