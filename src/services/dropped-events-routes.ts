import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { listEnvelope, pagination, PaginationQuery } from '../http/rest.js';
import type { DomainRoutesDeps } from '../http/routes-deps.js';
import { FieldErrors } from '../lib/errors.js';
import { presentDroppedEvent } from './presenters.js';
import { listAccountDroppedEvents } from './service-service.js';

const Strings = Type.Optional(Type.Array(Type.String()));
const Query = Type.Object({
  ...PaginationQuery.properties,
  since: Type.Optional(Type.String({ description: 'Received at or after this date-time' })),
  until: Type.Optional(Type.String({ description: 'Received before this date-time' })),
  'service_ids[]': Strings,
  service_ids: Strings,
  'integration_ids[]': Strings,
  reason: Type.Optional(
    Type.Array(Type.String(), {
      description:
        'unknown_dedup_key, alert_already_resolved, service_disabled, maintenance_window or webhook_test',
    }),
  ),
});

function instant(value: string | undefined, name: string, errors: FieldErrors): string | undefined {
  if (value === undefined) return undefined;
  const parsed = new Date(value);
  if (Number.isNaN(parsed.getTime())) {
    errors.add(`${name} must be an ISO 8601 date-time`);
    return undefined;
  }
  return parsed.toISOString();
}

/** REST v2 (Tocsin's own): the account-wide dropped-events log, next to each service's. */
export function droppedEventsRoutes(deps: DomainRoutesDeps) {
  const { links } = deps;
  return async function plugin(fastify: FastifyInstance): Promise<void> {
    const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
    app.get(
      '/dropped_events',
      {
        schema: {
          querystring: Query,
          operationId: 'listDroppedEvents',
          summary: "List the account's dropped events (Tocsin's own), newest first",
          tags: ['Dropped Events'],
        },
      },
      async (request) => {
        const q = request.query;
        const page = pagination(q);
        const errors = new FieldErrors();
        const since = instant(q.since, 'since', errors);
        const until = instant(q.until, 'until', errors);
        errors.throwIfAny();
        const filter = {
          serviceIds: q['service_ids[]'] ?? q.service_ids,
          integrationIds: q['integration_ids[]'],
          reasons: q.reason,
          since,
          until,
        };
        const result = await listAccountDroppedEvents(deps, request.actor, filter, {
          ...page,
          limit: page.limit + 1,
        });
        const presented = result.rows.map((row) => presentDroppedEvent(links, row));
        return listEnvelope('dropped_events', presented, page, result.total);
      },
    );
  };
}
