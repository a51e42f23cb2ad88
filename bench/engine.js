// Engine benchmark (`npm run bench:engine`, builds first): how many due timers Tocsin's engine runs per
// second on one node and on three (separate `tocsin serve` processes on one PostgreSQL), and how late
// each step runs, in a burst and at a steady rate below capacity.
//
// Each scenario gets a fresh database (a PostgreSQL schema, dropped afterwards, or a temp SQLite file),
// a two-level policy (level 1 user A, level 2 user B, 1 minute apart; B has two immediate rules), and
// incidents already assigned at level 1 whose `escalate` timers fall due when the scenario says. Each
// escalation is three engine steps: the escalate timer (assigns level 2, logs, plans B's two
// notifications) and two `notify` timers (the log channel delivers them).
//   burst:  BENCH_TIMERS (2,000) escalations all due at one instant; steps/s = 3 x escalations / (time
//           from the due instant until no timer is due any more).
//   steady: escalations due evenly at BENCH_STEADY_RATE per second (default: a third of the measured
//           one-node burst capacity) for BENCH_STEADY_SECONDS (20).
// Lateness, two ways: "engine" = the step's own instant (its log entry's created_at, the pass's clock,
// as the tocsin_engine_timer_lateness_seconds metric sees it) minus the due time; "visible" = when a
// watcher polling every 50 ms first saw the escalate timer gone (the step committed) minus the due time.
//
// Settings: TOCSIN_BENCH_PG_URL / TOCSIN_TEST_PG_URL (default postgres://postgres@127.0.0.1:5432/test),
// BENCH_TARGETS (sqlite,postgres), BENCH_TIMERS, BENCH_STEADY_RATE, BENCH_STEADY_SECONDS,
// BENCH_POLL_MS (the nodes' TOCSIN_ENGINE_POLL_MS; default: Tocsin's default).
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { dropSchema } from '../dist/store/postgres.js';
import { openStore } from '../dist/store/store.js';
import { connect, seedEscalations, seedSetup } from './engine-seed.js';

const pgUrl =
  process.env.TOCSIN_BENCH_PG_URL ||
  process.env.TOCSIN_TEST_PG_URL ||
  'postgres://postgres@127.0.0.1:5432/test';
const targets = (process.env.BENCH_TARGETS || 'sqlite,postgres').split(',').map((t) => t.trim());
const burstCount = Number(process.env.BENCH_TIMERS || 2000);
const steadySeconds = Number(process.env.BENCH_STEADY_SECONDS || 20);
const steadyRateSetting = Number(process.env.BENCH_STEADY_RATE || 0);
const pollMs = process.env.BENCH_POLL_MS;
const root = fileURLToPath(new URL('..', import.meta.url));
const ADMIN_TOKEN = `bench-admin-${randomBytes(12).toString('hex')}`;

const log = (line = '') => process.stdout.write(`${line}\n`);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const fmt = (n, digits = 0) =>
  Number.isFinite(n)
    ? n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits })
    : 'n/a';
const quantile = (sorted, q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;

/** A fresh, migrated database: a temp SQLite file or a PostgreSQL schema; `dispose` removes it. */
async function freshTarget(kind) {
  if (kind === 'sqlite') {
    const dir = mkdtempSync(join(os.tmpdir(), 'tocsin-bench-engine-'));
    const target = { kind: 'sqlite', file: join(dir, 'tocsin.db') };
    await (await openStore(target)).close();
    return {
      target,
      serveUrl: target.file,
      dispose: async () => rmSync(dir, { recursive: true, force: true }),
    };
  }
  const schema = `bench_engine_${randomBytes(5).toString('hex')}`;
  const target = { kind: 'postgres', url: pgUrl, schema };
  await (await openStore(target, { pgPoolSize: 2 })).close();
  const serveUrl = new URL(pgUrl);
  serveUrl.searchParams.set('options', `-c search_path=${schema}`); // pg reads libpq options from the URL
  return { target, serveUrl: serveUrl.toString(), dispose: () => dropSchema(pgUrl, schema) };
}

/** Starts `node dist/cli/main.js serve` and resolves once it listens. */
function startNode(databaseUrl) {
  const child = spawn(process.execPath, ['dist/cli/main.js', 'serve'], {
    cwd: root,
    env: {
      ...process.env,
      PORT: '0',
      HOST: '127.0.0.1',
      TOCSIN_DATABASE_URL: databaseUrl,
      TOCSIN_ADMIN_TOKEN: ADMIN_TOKEN,
      TOCSIN_LOG_LEVEL: 'info',
      ...(pollMs ? { TOCSIN_ENGINE_POLL_MS: pollMs } : {}),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve(signal ?? code)));
  const listening = new Promise((resolve, reject) => {
    child.stdout.on('data', (chunk) => {
      out += chunk;
      if (out.includes('Tocsin is listening')) resolve();
    });
    child.stderr.on('data', (chunk) => (out += chunk));
    exited.then((how) => reject(new Error(`tocsin serve exited (${how}):\n${out}`)));
  });
  return {
    listening,
    errors: () => (out.match(/"level":50[^\n]*/g) ?? []).length,
    stop: async () => {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/**
 * Runs one scenario on `nodes` processes: seeds `count` escalations due at `dueAt(i)` (ms), watches
 * them run, and returns throughput and lateness.
 */
async function scenario(kind, nodes, count, dueAt, leadMs) {
  const fresh = await freshTarget(kind);
  const conn = await connect(fresh.target);
  const servers = [];
  try {
    const setup = await seedSetup(conn);
    for (let i = 0; i < nodes; i++) servers.push(startNode(fresh.serveUrl));
    await Promise.all(servers.map((s) => s.listening));
    const base = Date.now() + leadMs;
    const due = await seedEscalations(conn, setup, count, (i) => base + dueAt(i));
    if (Date.now() > base) log(`  (seeding took longer than the ${leadMs} ms lead: lateness includes it)`);

    // Watch the seeded escalate timers disappear (their step committed) until no timer is due.
    const pending = new Set(due.keys());
    const seen = new Map();
    let drainedAt = NaN;
    const lastDue = Math.max(...[...due.values()].map((d) => Date.parse(d)));
    for (;;) {
      const now = Date.now();
      const left = await conn.all(
        `SELECT incident_id FROM timers WHERE kind = 'escalate' AND payload = '{"seq":1}'`,
      );
      const still = new Set(left.map((r) => r.incident_id));
      for (const id of pending)
        if (!still.has(id)) {
          pending.delete(id);
          seen.set(id, now);
        }
      if (pending.size === 0 && now >= lastDue) {
        const dueNow = await conn.all(`SELECT count(*) AS n FROM timers WHERE due_at <= ?`, [
          new Date().toISOString(),
        ]);
        if (Number(dueNow[0].n) === 0) {
          drainedAt = Date.now();
          break;
        }
      }
      if (now > lastDue + 300_000) throw new Error('the engine did not finish within 5 minutes');
      await sleep(50);
    }

    const logs = await conn.all(
      `SELECT incident_id, created_at FROM log_entries WHERE type = 'escalate_log_entry'`,
    );
    const delivered = await conn.all(
      `SELECT due_at, delivered_at FROM notifications WHERE status = 'delivered' AND reason = 'escalated'`,
    );
    if (logs.length !== count || delivered.length !== 2 * count)
      throw new Error(
        `expected ${count} escalations and ${2 * count} notifications, got ${logs.length} and ${delivered.length}`,
      );
    const engineLate = logs
      .map((l) => (Date.parse(l.created_at) - Date.parse(due.get(l.incident_id))) / 1000)
      .sort((a, b) => a - b);
    const visibleLate = [...seen]
      .map(([id, at]) => (at - Date.parse(due.get(id))) / 1000)
      .sort((a, b) => a - b);
    const notifyLate = delivered
      .map((n) => (Date.parse(n.delivered_at) - Date.parse(n.due_at)) / 1000)
      .sort((a, b) => a - b);
    const firstDue = base + dueAt(0);
    const errors = servers.reduce((sum, s) => sum + s.errors(), 0);
    return {
      stepsPerSecond: (3 * count) / ((drainedAt - firstDue) / 1000),
      seconds: (drainedAt - firstDue) / 1000,
      engineP50: quantile(engineLate, 0.5),
      engineP99: quantile(engineLate, 0.99),
      visibleP50: quantile(visibleLate, 0.5),
      visibleP99: quantile(visibleLate, 0.99),
      notifyP50: quantile(notifyLate, 0.5),
      notifyP99: quantile(notifyLate, 0.99),
      errors,
    };
  } finally {
    await Promise.all(servers.map((s) => s.stop()));
    await conn.close();
    await fresh.dispose();
  }
}

function report(label, r) {
  log(
    `  ${label.padEnd(26)} ${fmt(r.stepsPerSecond).padStart(6)} steps/s (${fmt(r.seconds, 2)} s)` +
      `  lateness engine p50 ${fmt(r.engineP50, 3)} s p99 ${fmt(r.engineP99, 3)} s` +
      `  visible p50 ${fmt(r.visibleP50, 3)} s p99 ${fmt(r.visibleP99, 3)} s` +
      `  notify p50 ${fmt(r.notifyP50, 3)} s p99 ${fmt(r.notifyP99, 3)} s` +
      (r.errors ? `  (${r.errors} logged errors)` : ''),
  );
}

log(
  `Tocsin engine benchmark: ${os.cpus().length} CPU cores (${os.cpus()[0]?.model ?? 'unknown'}), Node ${process.version}`,
);
log(`burst: ${fmt(burstCount)} escalations due at one instant (3 steps each); steady: ${steadySeconds} s`);
for (const kind of targets) {
  if (kind !== 'sqlite' && kind !== 'postgres') continue;
  log(
    `\n${kind === 'sqlite' ? 'SQLite (one node: the store is single-writer)' : `PostgreSQL (${new URL(pgUrl).host})`}`,
  );
  const burst1 = await scenario(kind, 1, burstCount, () => 0, 3000);
  report('burst, 1 node', burst1);
  let burst3;
  if (kind === 'postgres') {
    burst3 = await scenario(kind, 3, burstCount, () => 0, 3000);
    report('burst, 3 nodes', burst3);
    log(`  3 nodes / 1 node throughput: ${fmt(burst3.stepsPerSecond / burst1.stepsPerSecond, 2)}x`);
  }
  const rate = steadyRateSetting || Math.max(1, Math.floor(burst1.stepsPerSecond / 3 / 3));
  const steadyCount = Math.round(rate * steadySeconds);
  const spacing = 1000 / rate;
  for (const nodes of kind === 'postgres' ? [1, 3] : [1]) {
    const steady = await scenario(kind, nodes, steadyCount, (i) => i * spacing, 3000);
    report(`steady ${rate}/s (${3 * rate} steps/s), ${nodes} node${nodes > 1 ? 's' : ''}`, steady);
  }
}
