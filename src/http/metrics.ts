import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** Tocsin's Prometheus metrics, in a registry of their own (one per app, so tests do not collide). */
export interface Metrics {
  registry: Registry;
  eventsAccepted: Counter<'format' | 'result'>;
  eventsRejected: Counter<'format' | 'reason'>;
  ingestLatency: Histogram<'format'>;
  ingestBatchSize: Histogram;
  timerLateness: Histogram;
}

/** Creates the registry; `openIncidents` is read from the database at each scrape. */
export function createMetrics(openIncidents: () => Promise<number>): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const eventsAccepted = new Counter({
    name: 'tocsin_events_accepted_total',
    help: 'Events accepted (answered 2xx after commit), by format and what they did.',
    labelNames: ['format', 'result'] as const,
    registers: [registry],
  });
  const eventsRejected = new Counter({
    name: 'tocsin_events_rejected_total',
    help: 'Events rejected, by format and reason.',
    labelNames: ['format', 'reason'] as const,
    registers: [registry],
  });
  const ingestLatency = new Histogram({
    name: 'tocsin_ingest_latency_seconds',
    help: 'Time from receiving an event to its durable commit.',
    labelNames: ['format'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  const ingestBatchSize = new Histogram({
    name: 'tocsin_ingest_batch_events',
    help: 'Events applied per ingest transaction (group commit).',
    buckets: [1, 2, 5, 10, 20, 50, 100, 200, 500],
    registers: [registry],
  });
  const timerLateness = new Histogram({
    name: 'tocsin_engine_timer_lateness_seconds',
    help: 'How long after its due time each engine step ran.',
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 30, 300],
    registers: [registry],
  });
  new Gauge({
    name: 'tocsin_open_incidents',
    help: 'Incidents triggered or acknowledged.',
    registers: [registry],
    async collect() {
      this.set(await openIncidents());
    },
  });
  return { registry, eventsAccepted, eventsRejected, ingestLatency, ingestBatchSize, timerLateness };
}
