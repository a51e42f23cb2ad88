// The load generator of bench/ingest.js, run as a child process so that it never shares the server's
// event loop. It receives one job over IPC, drives `connections` keep-alive connections that each send
// Events API v2 triggers back to back (every event with its own dedup key) for warm-up + duration, and
// reports counts, latencies and its own CPU use. It tells the parent when the measured window opens and
// closes, so the parent can sample the server's CPU over exactly that window.
import http from 'node:http';
import { performance } from 'node:perf_hooks';

/** Runs one load job; resolves with its report. */
async function run(job) {
  const { url, path, routingKey, connections, warmupMs, durationMs, runId } = job;
  const target = new URL(path, url);
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections, maxFreeSockets: connections });
  const started = performance.now();
  const measureFrom = started + warmupMs;
  const measureUntil = measureFrom + durationMs;
  const latencies = [];
  const statuses = new Map();
  let measured = 0;
  let accepted = 0;
  let errors = 0;
  let firstError;
  let cpuAtMeasure;
  let cpuAtEnd;

  // The measured window opens after the warm-up and closes `durationMs` later.
  const measuredWindow = new Promise((resolve) =>
    setTimeout(() => {
      cpuAtMeasure = process.cpuUsage();
      process.send({ type: 'phase', phase: 'measure' });
      setTimeout(
        () => {
          cpuAtEnd = process.cpuUsage(cpuAtMeasure);
          process.send({ type: 'phase', phase: 'done' });
          resolve();
        },
        Math.max(0, measureUntil - performance.now()),
      );
    }, warmupMs),
  );

  const post = (body) =>
    new Promise((resolve, reject) => {
      const request = http.request(
        target,
        {
          method: 'POST',
          agent,
          headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
        },
        (response) => {
          const chunks = [];
          response.on('data', (chunk) => chunks.push(chunk));
          response.on('end', () => resolve({ status: response.statusCode, body: Buffer.concat(chunks) }));
          response.on('error', reject);
        },
      );
      request.on('error', reject);
      request.end(body);
    });

  async function connection(index) {
    for (let seq = 0; performance.now() < measureUntil; seq++) {
      const dedupKey = `${runId}-${index}-${seq}`;
      const body = JSON.stringify({
        routing_key: routingKey,
        event_action: 'trigger',
        dedup_key: dedupKey,
        payload: {
          summary: `Disk almost full on host-${index} (event ${seq})`,
          source: `host-${index}.bench.example`,
          severity: 'critical',
          custom_details: { free_bytes: 1024 * seq, mount: '/var' },
        },
      });
      const sentAt = performance.now();
      try {
        const response = await post(body);
        const doneAt = performance.now();
        statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
        if (response.status === 202) accepted++;
        else if (firstError === undefined)
          firstError = `HTTP ${response.status}: ${response.body.toString().slice(0, 200)}`;
        if (sentAt >= measureFrom && doneAt <= measureUntil) {
          measured++;
          latencies.push(doneAt - sentAt);
        }
      } catch (error) {
        errors++;
        if (firstError === undefined) firstError = String(error);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    }
  }

  await Promise.all(Array.from({ length: connections }, (_, i) => connection(i)));
  await measuredWindow;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const quantile = (q) =>
    latencies.length ? latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] : NaN;
  const cpu = cpuAtEnd;
  return {
    measured,
    eventsPerSecond: measured / (durationMs / 1000),
    p50: quantile(0.5),
    p99: quantile(0.99),
    max: latencies.length ? latencies[latencies.length - 1] : NaN,
    accepted,
    statuses: Object.fromEntries(statuses),
    errors,
    firstError,
    // CPU of this process over the measured window, as a share of one core.
    generatorCpu: (cpu.user + cpu.system) / 1000 / durationMs,
  };
}

process.once('message', (job) => {
  run(job).then(
    (report) => process.send({ type: 'report', report }, () => process.exit(0)),
    (error) => process.send({ type: 'failed', error: String(error?.stack ?? error) }, () => process.exit(1)),
  );
});
