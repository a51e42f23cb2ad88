// Ingest benchmark: sustained Events API v2 load over real HTTP (`npm run bench:ingest`, after a build).
//
// In one run it measures, one after the other, with the same load from a separate process:
//   (a) a no-op Fastify endpoint that parses JSON and answers 202 without storing anything: the ceiling;
//   (b) Tocsin on SQLite (a fresh temp file; WAL + synchronous=FULL, as the store sets them);
//   (c) Tocsin on PostgreSQL, when TOCSIN_BENCH_PG_URL or TOCSIN_TEST_PG_URL is set (a fresh schema,
//       dropped afterwards).
// Every event is a trigger with its own dedup key, so each one opens an incident. After each Tocsin run
// the number of 202 answers is compared with the number of alerts in the database.
//
// Settings (environment): BENCH_SECONDS (measured window, default 10), BENCH_WARMUP_SECONDS (2),
// BENCH_CONNECTIONS (50), BENCH_TARGETS (noop,sqlite,postgres), BENCH_PROFILE=1 (CPU profile of the
// server side during each Tocsin window, summarized and written to a .cpuprofile), BENCH_SQL_STATS=1 (an
// extra, instrumented SQLite pass that counts and times every SQL statement).
import { fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import Database from 'better-sqlite3';
import Fastify from 'fastify';
import pg from 'pg';
import { bootstrapAdmin } from '../dist/auth/bootstrap.js';
import { loadConfig } from '../dist/config/config.js';
import { startServer } from '../dist/main.js';
import { openStore } from '../dist/store/store.js';
import { startProfiler, summarizeProfile } from './cpu-profile.js';
import { installSqlStats, resetSqlStats, sqlStats } from './sql-stats.js';

const seconds = Number(process.env.BENCH_SECONDS || 10);
const warmupSeconds = Number(process.env.BENCH_WARMUP_SECONDS || 2);
const connections = Number(process.env.BENCH_CONNECTIONS || 50);
const pgUrl = process.env.TOCSIN_BENCH_PG_URL || process.env.TOCSIN_TEST_PG_URL || '';
const targets = (process.env.BENCH_TARGETS || 'noop,sqlite,postgres').split(',').map((t) => t.trim());
const profiling = process.env.BENCH_PROFILE === '1';
const withSqlStats = process.env.BENCH_SQL_STATS === '1';
const cores = os.availableParallelism();
const ADMIN_TOKEN = `bench-admin-${randomBytes(12).toString('hex')}`;

const fmt = (n, digits = 0) =>
  Number.isFinite(n)
    ? n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits })
    : 'n/a';
const log = (line = '') => process.stdout.write(`${line}\n`);

/** Busy and total CPU time of the whole machine so far (all cores), from os.cpus(). */
function machineTimes() {
  let busy = 0;
  let total = 0;
  for (const { times } of os.cpus()) {
    const all = times.user + times.nice + times.sys + times.irq + times.idle;
    total += all;
    busy += all - times.idle;
  }
  return { busy, total };
}

/** How long one durable SQLite commit takes on this disk (WAL, synchronous=FULL, one small row each). */
function commitProbe(commits = 200) {
  const dir = mkdtempSync(join(os.tmpdir(), 'tocsin-bench-disk-'));
  const db = new Database(join(dir, 'probe.db'));
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)');
    const insert = db.prepare('INSERT INTO t (v) VALUES (?)');
    const times = [];
    for (let i = 0; i < commits; i++) {
      const started = performance.now();
      insert.run(`row ${i}`);
      times.push(performance.now() - started);
    }
    times.sort((a, b) => a - b);
    return { p50: times[Math.floor(commits / 2)], p99: times[Math.floor(commits * 0.99)] };
  } finally {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The ceiling: Fastify parsing the JSON body and answering like Tocsin, storing nothing. */
async function startNoop() {
  const app = Fastify({ logger: false });
  app.post('/v2/enqueue', async (request, reply) =>
    reply
      .code(202)
      .send({ status: 'success', message: 'Event processed', dedup_key: request.body.dedup_key }),
  );
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  return {
    url,
    routingKey: 'f'.repeat(32),
    stop: () => app.close(),
    count: async () => undefined,
    cleanup() {},
  };
}

/** A REST call with the admin token, failing loudly. */
async function rest(url, path, body) {
  const response = await fetch(`${url}/api/v2${path}`, {
    method: 'POST',
    headers: { authorization: `Token token=${ADMIN_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const json = await response.json().catch(() => ({}));
  if (!response.ok)
    throw new Error(`POST /api/v2${path} answered ${response.status}: ${JSON.stringify(json)}`);
  return json;
}

/** Counts alerts and incidents in a PostgreSQL schema. */
async function countPostgres(url, schema) {
  const client = new pg.Client({ connectionString: url, options: `-c search_path=${schema}` });
  await client.connect();
  try {
    const alerts = await client.query('SELECT count(*)::int AS n FROM alerts');
    const incidents = await client.query('SELECT count(*)::int AS n FROM incidents');
    return { alerts: alerts.rows[0].n, incidents: incidents.rows[0].n };
  } finally {
    await client.end();
  }
}

/** Tocsin itself via startServer, on a fresh SQLite file or PostgreSQL schema, with one Events API v2 integration. */
async function startTocsin(kind) {
  const dir = mkdtempSync(join(os.tmpdir(), 'tocsin-bench-'));
  const file = join(dir, 'tocsin.db');
  const schema = `bench_${randomBytes(5).toString('hex')}`;
  const base = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    TOCSIN_DATABASE_URL: kind === 'sqlite' ? file : pgUrl,
    TOCSIN_ADMIN_TOKEN: ADMIN_TOKEN,
    TOCSIN_LOG_LEVEL: 'silent',
  });
  // TOCSIN_DATABASE_URL has no schema parameter; the store takes one (the tests use it), so set it here.
  const config = kind === 'postgres' ? { ...base, database: { kind: 'postgres', url: pgUrl, schema } } : base;
  // Bootstrapping the admin first keeps the server's first-start banner out of the output.
  const store = await openStore(config.database, { pgPoolSize: 2 });
  await bootstrapAdmin(store.db, ADMIN_TOKEN, new Date());
  await store.close();
  const server = await startServer(config);
  const { service } = await rest(server.url, '/services', { service: { type: 'service', name: 'Bench' } });
  const { integration } = await rest(server.url, `/services/${service.id}/integrations`, {
    integration: { type: 'events_api_v2_inbound_integration', name: 'Bench' },
  });
  return {
    url: server.url,
    routingKey: integration.integration_key,
    stop: () => server.stop(),
    /** Counted after stop (SQLite: the server holds the file exclusively while it runs). */
    async count() {
      if (kind === 'postgres') return countPostgres(pgUrl, schema);
      const db = new Database(file);
      try {
        const alerts = db.prepare('SELECT count(*) AS n FROM alerts').get().n;
        const incidents = db.prepare('SELECT count(*) AS n FROM incidents').get().n;
        db.pragma('wal_checkpoint(TRUNCATE)');
        return { alerts, incidents, bytes: statSync(file).size };
      } finally {
        db.close();
      }
    },
    async cleanup() {
      rmSync(dir, { recursive: true, force: true });
      if (kind === 'postgres') {
        const client = new pg.Client({ connectionString: pgUrl });
        await client.connect();
        await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
        await client.end();
      }
    },
  };
}

/** Drives the load generator against one target and samples this (server) process over the measured window. */
function drive(target, name, { profile, countSql }) {
  return new Promise((resolve, reject) => {
    const child = fork(new URL('./load-generator.js', import.meta.url), [], {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    let start;
    let window;
    let stopProfiler;
    let profileDone = Promise.resolve(undefined);
    child.on('message', (message) => {
      if (message.type === 'phase' && message.phase === 'measure') {
        start = { cpu: process.cpuUsage(), elu: performance.eventLoopUtilization(), machine: machineTimes() };
        if (profile) profileDone = startProfiler().then((stop) => (stopProfiler = stop));
        if (countSql) resetSqlStats();
      } else if (message.type === 'phase' && message.phase === 'done') {
        const machine = machineTimes();
        window = {
          cpu: process.cpuUsage(start.cpu),
          elu: performance.eventLoopUtilization(start.elu),
          machineBusy: (machine.busy - start.machine.busy) / (machine.total - start.machine.total),
          sql: countSql ? sqlStats() : undefined,
        };
        if (profile) profileDone = profileDone.then(() => stopProfiler?.());
      } else if (message.type === 'report') {
        profileDone.then((cpuProfile) => resolve({ name, ...message.report, window, cpuProfile }), reject);
      } else if (message.type === 'failed') {
        reject(new Error(`load generator failed: ${message.error}`));
      }
    });
    child.on('error', reject);
    child.send({
      url: target.url,
      path: '/v2/enqueue',
      routingKey: target.routingKey,
      connections,
      warmupMs: warmupSeconds * 1000,
      durationMs: seconds * 1000,
      runId: `${name.replace(/\W+/g, '')}-${randomBytes(4).toString('hex')}`,
    });
  });
}

/** How busy the machine is without our load (other processes), sampled over one second. */
async function backgroundLoad() {
  const before = machineTimes();
  await new Promise((resolve) => setTimeout(resolve, 1000));
  const after = machineTimes();
  return (after.busy - before.busy) / Math.max(1, after.total - before.total);
}

/** Runs one target from start to cleanup and prints its figures. */
async function measure(name, start, options = {}) {
  log(`\n## ${name}`);
  const background = await backgroundLoad();
  const target = await start();
  let result;
  try {
    result = await drive(target, name, options);
  } finally {
    await target.stop();
  }
  const counts = await target.count();
  await target.cleanup();
  const cpuMicros = result.window.cpu.user + result.window.cpu.system;
  result.serverCpuCores = cpuMicros / 1e6 / seconds;
  result.cpuMicrosPerEvent = cpuMicros / Math.max(1, result.measured);
  result.counts = counts;
  result.background = background;
  log(
    `  background load     ${fmt(100 * background)}% of the machine busy in the second before this run` +
      (background > 0.1 ? ' — OTHER PROCESSES WERE RUNNING; these figures are understated' : ''),
  );
  log(
    `  events/s            ${fmt(result.eventsPerSecond)}  (${fmt(result.measured)} answered in the ${seconds} s window)`,
  );
  log(
    `  latency             p50 ${fmt(result.p50, 1)} ms   p99 ${fmt(result.p99, 1)} ms   max ${fmt(result.max, 1)} ms`,
  );
  log(
    `  server process      ${fmt(result.serverCpuCores, 2)} cores of CPU, ${fmt(result.cpuMicrosPerEvent)} µs CPU/event, ` +
      `event loop ${fmt(100 * result.window.elu.utilization)}% busy`,
  );
  log(
    `  load generator      ${fmt(result.generatorCpu, 2)} cores of CPU;  whole machine ${fmt(100 * result.window.machineBusy)}% busy (${cores} cores)`,
  );
  if (result.generatorCpu > 0.9)
    log(
      '  note                the load generator used a whole core: this figure is bounded by the generator',
    );
  log(
    `  responses           ${
      Object.entries(result.statuses)
        .map(([s, n]) => `${s} × ${fmt(n)}`)
        .join(', ') || 'none'
    }${result.errors ? `; ${result.errors} network errors` : ''}`,
  );
  if (result.firstError) log(`  first error         ${result.firstError}`);
  if (counts) {
    const same = counts.alerts === result.accepted;
    log(
      `  durability check    202 responses ${fmt(result.accepted)}, alerts in the database ${fmt(counts.alerts)} ` +
        `(incidents ${fmt(counts.incidents)}): ${same ? 'equal' : 'NOT EQUAL'}`,
    );
    if (counts.bytes)
      log(
        `  database size       ${fmt(counts.bytes / 1048576, 1)} MB, ${fmt(counts.bytes / Math.max(1, counts.alerts))} bytes per event`,
      );
  }
  if (result.window.sql) printSqlStats(result.window.sql, result.measured);
  if (result.cpuProfile) printProfile(result.cpuProfile, name);
  return result;
}

function printSqlStats(stats, events) {
  const total = stats.reduce((sum, s) => sum + s.count, 0);
  const ms = stats.reduce((sum, s) => sum + s.ms, 0);
  const begins = stats.find((s) => /^begin/i.test(s.sql))?.count ?? 0;
  log(
    `  SQL statements      ${fmt(total / Math.max(1, events), 1)} per event; ${fmt(events / Math.max(1, begins), 1)} events per transaction; ${fmt(ms)} ms in statements (${fmt((100 * ms) / (seconds * 1000))}% of the window; PostgreSQL: overlapping round trips)`,
  );
  log('         total       count     mean µs    p50 µs    p99 µs    max µs  statement');
  for (const s of stats.slice(0, 12)) {
    const cells = [
      fmt(s.ms) + ' ms',
      fmt(s.count),
      ...[(1000 * s.ms) / Math.max(1, s.count), s.p50, s.p99, s.max].map((v) => fmt(v)),
    ];
    log(`    ${cells.map((c) => c.padStart(10)).join('')}  ${s.sql}`);
  }
}

function printProfile(profile, name) {
  const file = join(os.tmpdir(), `tocsin-bench-${name.replace(/\W+/g, '-')}-${Date.now()}.cpuprofile`);
  const summary = summarizeProfile(profile, file);
  log(`  CPU profile         ${file} (server process, measured window; self time)`);
  log('    by package/module:');
  for (const b of summary.buckets.slice(0, 10)) log(`      ${fmt(b.percent, 1).padStart(5)}%  ${b.name}`);
  log('    top functions:');
  for (const f of summary.functions) log(`      ${fmt(f.percent, 1).padStart(5)}%  ${f.name}`);
}

function printTable(results, ceiling) {
  log('\n## Summary (paste into the README)\n');
  log(
    `Events API v2 triggers with distinct dedup keys, ${connections} keep-alive connections from a separate process, ` +
      `${warmupSeconds} s warm-up + ${seconds} s measured, Node ${process.version}, ${cores} cores ` +
      '(shared by the server, the load generator and, for PostgreSQL, the database).\n',
  );
  log(
    '| Target | Cores | Events/s | p50 (ms) | p99 (ms) | vs no-op | Server CPU µs/event | 202s / alerts stored |',
  );
  log('|---|---|---|---|---|---|---|---|');
  for (const r of results) {
    const ratio = ceiling ? fmt(r.eventsPerSecond / ceiling.eventsPerSecond, 2) : 'n/a';
    const check = r.counts ? `${fmt(r.accepted)} / ${fmt(r.counts.alerts)}` : '— (no storage)';
    log(
      `| ${r.name} | ${cores} | ${fmt(r.eventsPerSecond)} | ${fmt(r.p50, 1)} | ${fmt(r.p99, 1)} | ${ratio} | ${fmt(r.cpuMicrosPerEvent)} | ${check} |`,
    );
  }
  const noisy = results.filter((r) => r.background > 0.1);
  if (noisy.length)
    log(
      `\nWARNING: other processes kept the machine busy before ${noisy.map((r) => r.name).join(', ')}; rerun on a quiet machine.`,
    );
}

async function main() {
  log('# Tocsin ingest benchmark');
  log(
    `POST /v2/enqueue over HTTP/1.1 keep-alive, ${connections} connections, ${warmupSeconds} s warm-up + ${seconds} s measured per target.`,
  );
  log(
    `Machine: ${cores} cores (os.availableParallelism()), ${os.cpus()[0]?.model ?? 'unknown CPU'}, Node ${process.version}.`,
  );
  if (cores <= 2) {
    log(
      `Note: only ${cores} cores. The load generator runs in its own process but competes with the server for them`,
    );
    log('(and PostgreSQL too), so every figure here is a floor for a server with the machine to itself.');
  }
  const disk = commitProbe();
  log(
    `Disk: one durable SQLite commit (WAL, synchronous=FULL) takes p50 ${fmt(disk.p50, 2)} ms, p99 ${fmt(disk.p99, 2)} ms ` +
      `here (${os.tmpdir()}) for one small row;\nbatched commits write more and take longer, and the server's event loop waits for each one.`,
  );
  const results = [];
  let ceiling;
  if (targets.includes('noop')) {
    ceiling = await measure('no-op Fastify (ceiling)', startNoop);
    results.push(ceiling);
  }
  if (targets.includes('sqlite'))
    results.push(await measure('Tocsin, SQLite', () => startTocsin('sqlite'), { profile: profiling }));
  if (targets.includes('postgres')) {
    if (pgUrl)
      results.push(
        await measure('Tocsin, PostgreSQL', () => startTocsin('postgres'), { profile: profiling }),
      );
    else
      log(
        '\n## Tocsin, PostgreSQL\n  skipped: set TOCSIN_BENCH_PG_URL (or TOCSIN_TEST_PG_URL) to measure it',
      );
  }
  if (withSqlStats) {
    installSqlStats();
    await measure('Tocsin, SQLite (instrumented: SQL statement counts)', () => startTocsin('sqlite'), {
      countSql: true,
    });
    if (pgUrl && targets.includes('postgres'))
      await measure(
        'Tocsin, PostgreSQL (instrumented: SQL statement counts)',
        () => startTocsin('postgres'),
        {
          countSql: true,
        },
      );
  }
  printTable(results, ceiling);
  const sqlite = results.find((r) => r.name === 'Tocsin, SQLite');
  if (sqlite && ceiling) {
    const ratio = sqlite.eventsPerSecond / ceiling.eventsPerSecond;
    const met = ratio >= 0.5 && sqlite.p99 < 50;
    log(
      `\nTarget (SQLite ≥ 0.5 × the no-op ceiling with p99 < 50 ms): ${met ? 'met' : 'MISSED'} ` +
        `(${fmt(ratio, 2)} × ceiling, p99 ${fmt(sqlite.p99, 1)} ms).`,
    );
  }
  const mismatched = results.filter((r) => r.counts && r.counts.alerts !== r.accepted);
  if (mismatched.length) {
    log(`\nDURABILITY CHECK FAILED for: ${mismatched.map((r) => r.name).join(', ')}`);
    process.exitCode = 1;
  }
}

main().catch((error) => {
  process.stderr.write(`${error?.stack ?? error}\n`);
  process.exit(1);
});
