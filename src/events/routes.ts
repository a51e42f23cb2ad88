import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { IngestOutcome } from '../incidents/ingest-service.js';
import type { GenericJsonConfig } from '../services/integration.js';
import type { Metrics } from '../http/metrics.js';
import type { AlertEvent, ChangeEvent, ParseResult } from './event.js';
import { parseEventV1 } from './events-v1.js';
import { parseChangeEvent, parseEventV2 } from './events-v2.js';
import { parseGenericJson } from './generic-json.js';
import type { IngestPipeline } from './ingest-pipeline.js';
import type { SlidingWindowLimiter } from './rate-limiter.js';
import { parseThousandEyes } from './thousandeyes.js';

/** PagerDuty's limit on one event. */
export const MAX_EVENT_BYTES = 512 * 1024;

/**
 * Deepest nesting of objects and arrays an event may have. Far deeper bodies fit in 512 KB but overflow
 * the stack when stored (JSON.stringify recurses), which would answer 500 and make senders retry forever.
 */
export const MAX_EVENT_DEPTH = 100;

/** Whether a parsed JSON value nests deeper than `max` (iterative, so junk cannot overflow the stack here). */
function nestedDeeperThan(value: unknown, max: number): boolean {
  const stack: [unknown, number][] = [[value, 1]];
  for (let item = stack.pop(); item !== undefined; item = stack.pop()) {
    const [node, depth] = item;
    if (typeof node !== 'object' || node === null) continue;
    if (depth > max) return true;
    for (const child of Array.isArray(node) ? node : Object.values(node)) stack.push([child, depth + 1]);
  }
  return false;
}

/** What the events routes need. */
export interface EventsRoutesDeps {
  pipeline: IngestPipeline;
  limiter: SlidingWindowLimiter;
  metrics: Metrics;
  /** Looks up an adapter integration by key (type and generic JSON config). */
  findIntegration(key: string): Promise<{ type: string; config: GenericJsonConfig | null } | undefined>;
}

type Format = 'events_v2' | 'events_v1' | 'change' | 'thousandeyes' | 'generic_json';

const invalid = (errors: string[]) => ({
  status: 'invalid event',
  message: 'Event object is invalid',
  errors,
});
const unrecognized = (errors: string[]) => ({
  status: 'Unrecognized object',
  message: 'Event object format is unrecognized',
  errors,
});
const throttled = {
  status: 'throttle event',
  message: 'Requests for this service are arriving too quickly.  Please retry later.',
};

function isJsonContentType(header: string | undefined): boolean {
  if (header === undefined) return true; // Many scripts omit it; the body must still be JSON.
  const type = header.split(';')[0]?.trim().toLowerCase() ?? '';
  return type === 'application/json' || type.endsWith('+json') || type === 'text/json';
}

/** Reads the raw body as JSON, answering 400 itself when it is not. */
function readJson(
  request: FastifyRequest,
  reply: FastifyReply,
  metrics: Metrics,
  format: Format,
): { ok: true; body: unknown } | { ok: false } {
  if (!isJsonContentType(request.headers['content-type'])) {
    metrics.eventsRejected.inc({ format, reason: 'content_type' });
    void reply.code(400).send(unrecognized(['Content-Type must be application/json']));
    return { ok: false };
  }
  const raw = typeof request.body === 'string' ? request.body : '';
  let body: unknown;
  try {
    body = JSON.parse(raw) as unknown;
  } catch {
    metrics.eventsRejected.inc({ format, reason: 'invalid_json' });
    void reply.code(400).send(unrecognized(['JSON parse error']));
    return { ok: false };
  }
  // Nesting deeper than the limit needs at least two characters per level; shorter bodies cannot.
  if (raw.length > 2 * MAX_EVENT_DEPTH && nestedDeeperThan(body, MAX_EVENT_DEPTH)) {
    metrics.eventsRejected.inc({ format, reason: 'invalid_event' });
    void reply
      .code(400)
      .send(invalid([`Event object is nested too deeply (maximum depth is ${MAX_EVENT_DEPTH})`]));
    return { ok: false };
  }
  return { ok: true, body };
}

/**
 * The Events API at the server's root (`/v2/enqueue`, `/v2/change/enqueue`, v1's `create_event.json`)
 * and the adapters' `/integration/{key}/enqueue`, answering exactly as PagerDuty does.
 */
export function eventsRoutes(deps: EventsRoutesDeps) {
  const { pipeline, limiter, metrics } = deps;

  async function ingest(
    reply: FastifyReply,
    format: Format,
    parsed: ParseResult<AlertEvent | ChangeEvent>,
    respond: (outcome: Extract<IngestOutcome, { status: 'accepted' }>) => { code: number; body: unknown },
  ) {
    if (!parsed.ok) {
      metrics.eventsRejected.inc({ format, reason: 'invalid_event' });
      return reply.code(400).send(invalid(parsed.errors));
    }
    const wait = limiter.take(parsed.event.routingKey);
    if (wait > 0) {
      metrics.eventsRejected.inc({ format, reason: 'rate_limited' });
      // v1 signals its rate limit with 403, v2 with 429.
      return reply
        .code(format === 'events_v1' ? 403 : 429)
        .header('retry-after', String(wait))
        .send(throttled);
    }
    const started = process.hrtime.bigint();
    const outcome = await pipeline.submit(parsed.event);
    metrics.ingestLatency.observe({ format }, Number(process.hrtime.bigint() - started) / 1e9);
    if (outcome.status === 'invalid_routing_key') {
      metrics.eventsRejected.inc({ format, reason: 'invalid_routing_key' });
      return reply
        .code(400)
        .send(invalid([format === 'events_v1' ? 'Service key is invalid' : 'Invalid routing key']));
    }
    metrics.eventsAccepted.inc({ format, result: outcome.result });
    const { code, body } = respond(outcome);
    return reply.code(code).send(body);
  }

  const processed = (dedupKey: string) => ({
    code: 202,
    body: { status: 'success', message: 'Event processed', dedup_key: dedupKey },
  });

  return async function plugin(app: FastifyInstance): Promise<void> {
    app.removeAllContentTypeParsers();
    app.addContentTypeParser('*', { parseAs: 'string', bodyLimit: MAX_EVENT_BYTES }, (_req, body, done) =>
      done(null, body),
    );
    app.setErrorHandler((error: { statusCode?: number; code?: string }, request, reply) => {
      if (error.statusCode === 413) {
        metrics.eventsRejected.inc({ format: 'events_v2', reason: 'too_large' });
        return reply.code(413).send(invalid(['Event object is too large (maximum is 512 KB)']));
      }
      if (error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500) {
        return reply.code(400).send(unrecognized([String((error as Error).message)]));
      }
      request.log.error({ err: error }, 'event not accepted');
      return reply
        .code(500)
        .send({ status: 'error', message: 'The event could not be stored; please retry.' });
    });

    app.post('/v2/enqueue', async (request, reply) => {
      const json = readJson(request, reply, metrics, 'events_v2');
      if (!json.ok) return reply;
      return ingest(reply, 'events_v2', parseEventV2(json.body), (o) => processed(o.dedupKey));
    });

    app.post('/v2/change/enqueue', async (request, reply) => {
      const json = readJson(request, reply, metrics, 'change');
      if (!json.ok) return reply;
      return ingest(reply, 'change', parseChangeEvent(json.body), () => ({
        code: 202,
        body: { status: 'success', message: 'Change event processed' },
      }));
    });

    app.post('/generic/2010-04-15/create_event.json', async (request, reply) => {
      const json = readJson(request, reply, metrics, 'events_v1');
      if (!json.ok) return reply;
      return ingest(reply, 'events_v1', parseEventV1(json.body), (o) => ({
        code: 200,
        body: { status: 'success', message: 'Event processed', incident_key: o.dedupKey },
      }));
    });

    app.post<{ Params: { key: string } }>('/integration/:key/enqueue', async (request, reply) => {
      const key = request.params.key;
      const integration = key.length === 32 ? await deps.findIntegration(key) : undefined;
      const format: Format =
        integration?.type === 'thousandeyes_webhook_inbound_integration' ? 'thousandeyes' : 'generic_json';
      const json = readJson(request, reply, metrics, format);
      if (!json.ok) return reply;
      if (!integration) {
        metrics.eventsRejected.inc({ format, reason: 'invalid_routing_key' });
        return reply.code(400).send(invalid(['Invalid routing key']));
      }
      if (integration.type === 'thousandeyes_webhook_inbound_integration') {
        const result = parseThousandEyes(json.body, key);
        if (result.ok === 'test') {
          await pipeline.recordTest(key, json.body);
          metrics.eventsAccepted.inc({ format, result: 'webhook_test' });
          return reply.code(202).send({ status: 'success', message: 'Test notification received' });
        }
        return ingest(reply, format, result, (o) => processed(o.dedupKey));
      }
      if (integration.type === 'generic_json_webhook_inbound_integration' && integration.config) {
        return ingest(reply, format, parseGenericJson(json.body, key, integration.config), (o) =>
          processed(o.dedupKey),
        );
      }
      // Events API integrations posted here take the v2 format.
      return ingest(reply, 'events_v2', parseEventV2({ ...(json.body as object), routing_key: key }), (o) =>
        processed(o.dedupKey),
      );
    });
  };
}
