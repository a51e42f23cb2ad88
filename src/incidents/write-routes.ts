import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import type { DomainRoutesDeps } from '../http/routes-deps.js';
import { SlidingWindowLimiter } from '../events/rate-limiter.js';
import { AppError } from '../lib/errors.js';
import { createIncident } from './create-service.js';
import { mergeIncidents } from './merge-service.js';
import { presentIncident, presentIncidentReference } from './presenters.js';
import * as schemas from './route-schemas.js';

/** PagerDuty's own limit on `POST /incidents`: 300 a minute (per token user, on each node). */
export const CREATE_INCIDENTS_PER_MINUTE = 300;

/** REST v2: `POST /incidents` and `PUT /incidents/{id}/merge`. */
export function incidentWriteRoutes(deps: DomainRoutesDeps) {
  const limiter = new SlidingWindowLimiter(CREATE_INCIDENTS_PER_MINUTE, deps.clock);
  return async function plugin(base: FastifyInstance): Promise<void> {
    const app = base.withTypeProvider<TypeBoxTypeProvider>();

    app.post('/incidents', { schema: { body: schemas.CreateIncidentBody } }, async (request, reply) => {
      const wait = limiter.take(`${request.actor.kind}:${request.actor.userId ?? ''}`);
      if (wait > 0) {
        void reply.header('retry-after', String(wait));
        throw new AppError('rateLimited');
      }
      const view = await createIncident(deps, request.actor, request.headers.from, request.body.incident);
      deps.poke();
      return reply.code(201).send({ incident: presentIncident(deps.links, view) });
    });

    app.put(
      '/incidents/:id/merge',
      { schema: { params: schemas.IncidentParams, body: schemas.MergeBody } },
      async (request) => {
        const sources = request.body.source_incidents.map((s) => s.id);
        const view = await mergeIncidents(
          deps,
          request.actor,
          request.headers.from,
          request.params.id,
          sources,
        );
        deps.poke();
        return { incident: presentIncidentReference(deps.links, view.row) };
      },
    );
  };
}
