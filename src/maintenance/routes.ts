import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { listEnvelope, pagination, PaginationQuery } from '../http/rest.js';
import type { DomainRoutesDeps } from '../http/routes-deps.js';
import * as windows from './maintenance-window-service.js';
import { presentWindow } from './presenters.js';

const Json = Type.Record(Type.String(), Type.Unknown());
const Strings = Type.Optional(Type.Array(Type.String()));
const WindowParams = Type.Object({ id: Type.String() });
const WindowBody = Type.Object({ maintenance_window: Json });
const Phase = Type.Union([
  Type.Literal('past'),
  Type.Literal('future'),
  Type.Literal('ongoing'),
  Type.Literal('open'),
  Type.Literal('all'),
]);
const ListQuery = Type.Object({
  ...PaginationQuery.properties,
  query: Type.Optional(Type.String()),
  filter: Type.Optional(Phase),
  'service_ids[]': Strings,
  service_ids: Strings,
  'team_ids[]': Strings,
  team_ids: Strings,
  'include[]': Strings,
});
const tags = ['Maintenance Windows'];

/** REST v2: maintenance windows. */
export function maintenanceRoutes(deps: DomainRoutesDeps) {
  const { links } = deps;
  return async function plugin(fastify: FastifyInstance): Promise<void> {
    const app = fastify.withTypeProvider<TypeBoxTypeProvider>();

    app.get(
      '/maintenance_windows',
      {
        schema: {
          querystring: ListQuery,
          operationId: 'listMaintenanceWindows',
          summary: 'List maintenance windows',
          tags,
        },
      },
      async (request) => {
        const q = request.query;
        const page = pagination(q);
        const result = await windows.listWindows(
          deps,
          request.actor,
          {
            serviceIds: q['service_ids[]'] ?? q.service_ids,
            teamIds: q['team_ids[]'] ?? q.team_ids,
            phase: q.filter ?? 'all',
            query: q.query,
          },
          { ...page, limit: page.limit + 1 },
        );
        const presented = result.views.map((v) => presentWindow(links, v));
        return listEnvelope('maintenance_windows', presented, page, result.total);
      },
    );

    app.post(
      '/maintenance_windows',
      {
        schema: {
          body: WindowBody,
          operationId: 'createMaintenanceWindow',
          summary: 'Create a maintenance window (From header with account tokens)',
          tags,
        },
      },
      async (request, reply) => {
        const input = request.body.maintenance_window;
        const view = await windows.createWindow(deps, request.actor, request.headers.from, input);
        return reply.code(201).send({ maintenance_window: presentWindow(links, view) });
      },
    );

    app.get(
      '/maintenance_windows/:id',
      {
        schema: {
          params: WindowParams,
          querystring: Type.Object({ 'include[]': Strings }),
          operationId: 'getMaintenanceWindow',
          summary: 'Get a maintenance window',
          tags,
        },
      },
      async (request) => {
        const view = await windows.getWindow(deps, request.actor, request.params.id);
        return { maintenance_window: presentWindow(links, view) };
      },
    );

    app.put(
      '/maintenance_windows/:id',
      {
        schema: {
          params: WindowParams,
          body: WindowBody,
          operationId: 'updateMaintenanceWindow',
          summary: 'Update a maintenance window that has not ended',
          tags,
        },
      },
      async (request) => {
        const input = request.body.maintenance_window;
        const view = await windows.updateWindow(deps, request.actor, request.params.id, input);
        return { maintenance_window: presentWindow(links, view) };
      },
    );

    app.delete(
      '/maintenance_windows/:id',
      {
        schema: {
          params: WindowParams,
          operationId: 'deleteMaintenanceWindow',
          summary: 'Delete a future maintenance window or end an ongoing one',
          tags,
        },
      },
      async (request, reply) => {
        await windows.deleteWindow(deps, request.actor, request.params.id);
        return reply.code(204).send();
      },
    );
  };
}
