// Notification latency benchmark (`npm run bench:notify`, after a build): the time from an event's 202
// to a local SMTP server receiving the email it caused, p50/p99, at 1 and at 100 events per second.
//
// It starts Tocsin (SQLite in a temp dir, the engine polling at its default) with TOCSIN_SMTP_URL
// pointing at an in-process SMTP server (smtp-server), creates a user (who gets an email rule at 0
// minutes), a policy and a service through the REST API, then sends triggers with distinct dedup keys
// at a fixed rate. Each email's subject carries the incident title, which carries the event's key.
// It also reports the process's CPU time per event (Tocsin, its writer thread and the SMTP server all
// run in this process), which moves less than latency when other processes load the machine.
// Settings: BENCH_SECONDS (per rate, default 10), BENCH_RATES (comma-separated, default 1,100),
// BENCH_SMTP_DELAY_MS (the SMTP server answers each message this much later, like a remote relay).
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { SMTPServer } from 'smtp-server';
import { loadConfig } from '../dist/config/config.js';
import { startServer } from '../dist/main.js';

const seconds = Number(process.env.BENCH_SECONDS || 10);
const rates = (process.env.BENCH_RATES || '1,100').split(',').map(Number);
// A remote relay answers each message after a network round trip or two; 0 = a local server.
const smtpDelayMs = Number(process.env.BENCH_SMTP_DELAY_MS || 0);
const token = `bench-admin-${randomBytes(12).toString('hex')}`;
const log = (line = '') => process.stdout.write(`${line}\n`);

const arrivals = new Map();
const smtp = new SMTPServer({
  logger: false,
  authOptional: true,
  // The receiving side's reverse DNS lookup of 127.0.0.1 is not Tocsin's latency.
  disableReverseLookup: true,
  disabledCommands: ['STARTTLS', 'AUTH'],
  onData(stream, _session, callback) {
    let raw = '';
    stream.on('data', (c) => (raw += c));
    stream.on('end', () => {
      const key = /bench-key-(\w+)/.exec(raw)?.[1];
      if (key && !arrivals.has(key)) arrivals.set(key, performance.now());
      if (smtpDelayMs > 0) setTimeout(callback, smtpDelayMs);
      else callback();
    });
  },
});
await new Promise((resolve) => smtp.listen(0, '127.0.0.1', resolve));
const smtpPort = smtp.server.address().port;

const dir = mkdtempSync(join(os.tmpdir(), 'tocsin-bench-notify-'));
const config = loadConfig({
  PORT: '0',
  HOST: '127.0.0.1',
  TOCSIN_DATABASE_URL: join(dir, 'tocsin.db'),
  TOCSIN_ADMIN_TOKEN: token,
  TOCSIN_LOG_LEVEL: process.env.BENCH_LOG_LEVEL || 'warn',
  TOCSIN_SMTP_URL: `smtp://127.0.0.1:${smtpPort}`,
});
const server = await startServer(config);
const api = async (method, path, body) => {
  const res = await fetch(`${server.url}/api/v2${path}`, {
    method,
    headers: { authorization: `Token token=${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
  return res.json();
};
const { user } = await api('POST', '/users', { user: { name: 'Bench', email: 'bench@example.com' } });
const { escalation_policy: policy } = await api('POST', '/escalation_policies', {
  escalation_policy: {
    type: 'escalation_policy',
    name: 'Bench',
    escalation_rules: [
      { escalation_delay_in_minutes: 30, targets: [{ id: user.id, type: 'user_reference' }] },
    ],
  },
});
const { service } = await api('POST', '/services', {
  service: { name: 'Bench', escalation_policy: { id: policy.id, type: 'escalation_policy_reference' } },
});
const { integration } = await api('POST', `/services/${service.id}/integrations`, {
  integration: { type: 'events_api_v2_inbound_integration' },
});

async function run(rate) {
  const sent = new Map();
  const count = rate * seconds;
  const cpu0 = process.cpuUsage();
  const start = performance.now();
  const inflight = [];
  for (let i = 0; i < count; i++) {
    const due = start + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const key = `${rate}x${i}x${randomBytes(3).toString('hex')}`;
    inflight.push(
      fetch(`${server.url}/v2/enqueue`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          routing_key: integration.integration_key,
          event_action: 'trigger',
          dedup_key: key,
          payload: { summary: `bench-key-${key}`, source: 'bench', severity: 'critical' },
        }),
      }).then((res) => {
        if (res.status === 202) sent.set(key.replace(/[^\w]/g, ''), performance.now());
      }),
    );
  }
  await Promise.all(inflight);
  const deadline = performance.now() + 30_000;
  while (performance.now() < deadline && [...sent.keys()].some((k) => !arrivals.has(k)))
    await new Promise((r) => setTimeout(r, 50));
  const used = process.cpuUsage(cpu0);
  const cpuMsPerEvent = (used.user + used.system) / 1000 / Math.max(1, sent.size);
  const latencies = [...sent]
    .filter(([k]) => arrivals.has(k))
    .map(([k, t]) => arrivals.get(k) - t)
    .sort((a, b) => a - b);
  const pct = (p) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))];
  return { rate, sent: sent.size, received: latencies.length, p50: pct(50), p99: pct(99), cpuMsPerEvent };
}

log(
  `bench:notify — ${os.cpus().length} cores, SQLite, email over a local SMTP server${smtpDelayMs ? ` answering after ${smtpDelayMs} ms` : ''}, ${seconds} s per rate`,
);
for (const rate of rates) {
  const r = await run(rate);
  log(
    `${String(rate).padStart(3)} events/s: ${r.received}/${r.sent} emails received; 202 → SMTP p50 ${r.p50?.toFixed(0)} ms, p99 ${r.p99?.toFixed(0)} ms; process CPU ${r.cpuMsPerEvent.toFixed(2)} ms/event (Tocsin, its SQLite writer thread and the SMTP server)`,
  );
}
await server.stop();
await new Promise((resolve) => smtp.close(resolve));
rmSync(dir, { recursive: true, force: true });
