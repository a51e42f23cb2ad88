// Counts and times every SQL statement run in this process (the server side of bench/ingest.js), by SQL
// text, to show how many statements and transactions each event costs: better-sqlite3 statements (time
// spent inside SQLite) and node-postgres queries (time from send to answer, including waiting for a
// connection's turn).
import Database from 'better-sqlite3';
import pg from 'pg';

const stats = new Map();
let installed = false;

/** Wraps Statement#run/all/get once; every later statement execution is counted and timed. */
export function installSqlStats() {
  if (installed) return;
  installed = true;
  const probe = new Database(':memory:');
  const proto = Object.getPrototypeOf(probe.prepare('SELECT 1'));
  probe.close();
  for (const method of ['run', 'all', 'get']) {
    const original = proto[method];
    proto[method] = function (...args) {
      const started = process.hrtime.bigint();
      try {
        return original.apply(this, args);
      } finally {
        record(this.source, started);
      }
    };
  }
  const query = pg.Client.prototype.query;
  pg.Client.prototype.query = function (config, ...rest) {
    const started = process.hrtime.bigint();
    const result = query.call(this, config, ...rest);
    const text = typeof config === 'string' ? config : config?.text;
    if (text && result && typeof result.then === 'function') {
      result.then(
        () => record(text, started),
        () => record(text, started),
      );
    }
    return result;
  };
}

function record(sql, started) {
  const nanos = process.hrtime.bigint() - started;
  const key = sql.replace(/\s+/g, ' ').trim();
  const entry = stats.get(key) ?? { count: 0, nanos: 0n, samples: [] };
  entry.count++;
  entry.nanos += nanos;
  entry.samples.push(Number(nanos) / 1e3);
  stats.set(key, entry);
}

/** Forgets what was counted so far. */
export function resetSqlStats() {
  stats.clear();
}

const quantile = (sorted, q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;

/** What was counted: per statement (shortened), its count, total ms and p50/p99/max µs, busiest first. */
export function sqlStats() {
  return [...stats.entries()]
    .map(([sql, { count, nanos, samples }]) => ({
      p50: quantile(
        samples.sort((a, b) => a - b),
        0.5,
      ),
      p99: quantile(samples, 0.99),
      max: samples[samples.length - 1] ?? NaN,
      sql: sql.length > 90 ? `${sql.slice(0, 89)}…` : sql,
      count,
      ms: Number(nanos) / 1e6,
    }))
    .sort((a, b) => b.ms - a.ms);
}
