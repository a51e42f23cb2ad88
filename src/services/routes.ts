import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { listEnvelope, pagination, PaginationQuery, type Links } from '../http/rest.js';
import type { Clock } from '../lib/clock.js';
import type { Store } from '../store/store.js';
import { presentDroppedEvent, presentIntegration, presentService } from './presenters.js';
import * as services from './service-service.js';

/** What the service routes need. */
export interface ServicesRoutesDeps {
  store: Store;
  clock: Clock;
  links: Links;
}

const Json = Type.Record(Type.String(), Type.Unknown());
const ServiceParams = Type.Object({ id: Type.String() });
const IntegrationParams = Type.Object({ id: Type.String(), integration_id: Type.String() });
const ServiceBody = Type.Object({ service: Json });
const IntegrationBody = Type.Object({ integration: Json });
const ListQuery = Type.Object({
  ...PaginationQuery.properties,
  query: Type.Optional(Type.String()),
  name: Type.Optional(Type.String()),
  sort_by: Type.Optional(
    Type.Union([Type.Literal('name'), Type.Literal('name:asc'), Type.Literal('name:desc')]),
  ),
});
const DroppedQuery = Type.Object({
  ...PaginationQuery.properties,
  'integration_ids[]': Type.Optional(Type.Array(Type.String())),
  integration_ids: Type.Optional(Type.Array(Type.String())),
});

/** REST v2: services, their integrations and the dropped-events log. */
export function servicesRoutes(deps: ServicesRoutesDeps) {
  const { links } = deps;
  return async function plugin(fastify: FastifyInstance): Promise<void> {
    const app = fastify.withTypeProvider<TypeBoxTypeProvider>();

    app.get('/services', { schema: { querystring: ListQuery } }, async (request) => {
      const page = pagination(request.query);
      const { query, name, sort_by: sortBy } = request.query;
      const result = await services.listServices(
        deps,
        request.actor,
        { query, name },
        { ...page, limit: page.limit + 1, descending: sortBy === 'name:desc' },
      );
      const presented = result.views.map((v) => presentService(links, v));
      return listEnvelope('services', presented, page, result.total);
    });

    app.post('/services', { schema: { body: ServiceBody } }, async (request, reply) => {
      const view = await services.createService(deps, request.actor, request.body.service);
      return reply.code(201).send({ service: presentService(links, view) });
    });

    app.get('/services/:id', { schema: { params: ServiceParams } }, async (request) => {
      const view = await services.getService(deps, request.actor, request.params.id);
      return { service: presentService(links, view) };
    });

    app.put('/services/:id', { schema: { params: ServiceParams, body: ServiceBody } }, async (request) => {
      const view = await services.updateService(deps, request.actor, request.params.id, request.body.service);
      return { service: presentService(links, view) };
    });

    app.delete('/services/:id', { schema: { params: ServiceParams } }, async (request, reply) => {
      await services.deleteService(deps, request.actor, request.params.id);
      return reply.code(204).send();
    });

    app.post(
      '/services/:id/integrations',
      { schema: { params: ServiceParams, body: IntegrationBody } },
      async (request, reply) => {
        const { id } = request.params;
        const view = await services.createIntegration(deps, request.actor, id, request.body.integration);
        return reply.code(201).send({ integration: presentIntegration(links, view) });
      },
    );

    app.get(
      '/services/:id/integrations/:integration_id',
      { schema: { params: IntegrationParams } },
      async (request) => {
        const { id, integration_id: integrationId } = request.params;
        const view = await services.getIntegration(deps, request.actor, id, integrationId);
        return { integration: presentIntegration(links, view) };
      },
    );

    app.put(
      '/services/:id/integrations/:integration_id',
      { schema: { params: IntegrationParams, body: IntegrationBody } },
      async (request) => {
        const { id, integration_id: integrationId } = request.params;
        const body = request.body.integration;
        const view = await services.updateIntegration(deps, request.actor, id, integrationId, body);
        return { integration: presentIntegration(links, view) };
      },
    );

    app.delete(
      '/services/:id/integrations/:integration_id',
      { schema: { params: IntegrationParams } },
      async (request, reply) => {
        const { id, integration_id: integrationId } = request.params;
        await services.deleteIntegration(deps, request.actor, id, integrationId);
        return reply.code(204).send();
      },
    );

    app.get(
      '/services/:id/dropped_events',
      { schema: { params: ServiceParams, querystring: DroppedQuery } },
      async (request) => {
        const page = pagination(request.query);
        const ids = request.query['integration_ids[]'] ?? request.query.integration_ids;
        const result = await services.listDroppedEvents(deps, request.actor, request.params.id, ids, {
          ...page,
          limit: page.limit + 1,
        });
        const presented = result.rows.map((row) => presentDroppedEvent(links, row));
        return listEnvelope('dropped_events', presented, page, result.total);
      },
    );
  };
}
