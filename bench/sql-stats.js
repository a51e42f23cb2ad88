// Counts and times every better-sqlite3 statement run in this process (the server side of
// bench/ingest.js), by SQL text, to show how many statements and transactions each event costs.
import Database from 'better-sqlite3';

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
        const key = this.source.replace(/\s+/g, ' ').trim();
        const entry = stats.get(key) ?? { count: 0, nanos: 0n };
        entry.count++;
        entry.nanos += process.hrtime.bigint() - started;
        stats.set(key, entry);
      }
    };
  }
}

/** Forgets what was counted so far. */
export function resetSqlStats() {
  stats.clear();
}

/** What was counted: per statement (shortened), its count and total milliseconds, busiest first. */
export function sqlStats() {
  return [...stats.entries()]
    .map(([sql, { count, nanos }]) => ({
      sql: sql.length > 90 ? `${sql.slice(0, 89)}…` : sql,
      count,
      ms: Number(nanos) / 1e6,
    }))
    .sort((a, b) => b.ms - a.ms);
}
