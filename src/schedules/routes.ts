import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { listEnvelope, pagination, PaginationQuery } from '../http/rest.js';
import type { DomainRoutesDeps } from '../http/routes-deps.js';
import { feedRoutes } from './feed-routes.js';
import { overrideRoutes } from './override-routes.js';
import { presentUser } from '../users/presenters.js';
import { presentSchedule } from './presenters.js';
import * as schedules from './schedule-service.js';

const Json = Type.Record(Type.String(), Type.Unknown());
const Params = Type.Object({ id: Type.String() });
const Body = Type.Object({ schedule: Json });
/** `since`, `until`, `time_zone` and `overflow` of a rendering. */
const RenderQuery = Type.Object({
  since: Type.Optional(Type.String()),
  until: Type.Optional(Type.String()),
  time_zone: Type.Optional(Type.String()),
  overflow: Type.Optional(Type.Boolean()),
});
const ListQuery = Type.Object({
  ...PaginationQuery.properties,
  query: Type.Optional(Type.String()),
  'include[]': Type.Optional(Type.Array(Type.String())),
  include: Type.Optional(Type.Array(Type.String())),
});

/** REST v2: schedules, rendering, overrides and feed URLs. */
export function schedulesRoutes(deps: DomainRoutesDeps) {
  const { links } = deps;
  return async function plugin(fastify: FastifyInstance): Promise<void> {
    const app = fastify.withTypeProvider<TypeBoxTypeProvider>();

    app.get('/schedules', { schema: { querystring: ListQuery } }, async (request) => {
      const page = pagination(request.query);
      const include = request.query['include[]'] ?? request.query.include ?? [];
      const result = await schedules.listSchedules(deps, request.actor, request.query.query, {
        ...page,
        limit: page.limit + 1,
      });
      const layers = include.includes('schedule_layers');
      const presented = result.views.map((v) => presentSchedule(links, v, { list: true, layers }));
      return listEnvelope('schedules', presented, page, result.total);
    });

    app.post('/schedules', { schema: { body: Body, querystring: RenderQuery } }, async (request, reply) => {
      const view = await schedules.createSchedule(deps, request.actor, request.body.schedule, request.query);
      return reply.code(201).send({ schedule: presentSchedule(links, view) });
    });

    app.post('/schedules/preview', { schema: { body: Body, querystring: RenderQuery } }, async (request) => {
      const view = await schedules.previewSchedule(deps, request.actor, request.body.schedule, request.query);
      return { schedule: presentSchedule(links, view) };
    });

    app.get('/schedules/:id', { schema: { params: Params, querystring: RenderQuery } }, async (request) => {
      const view = await schedules.getSchedule(deps, request.actor, request.params.id, request.query);
      return { schedule: presentSchedule(links, view) };
    });

    app.put(
      '/schedules/:id',
      { schema: { params: Params, body: Body, querystring: RenderQuery } },
      async (request) => {
        const { actor, params, body, query } = request;
        const view = await schedules.updateSchedule(deps, actor, params.id, body.schedule, query);
        return { schedule: presentSchedule(links, view) };
      },
    );

    app.delete('/schedules/:id', { schema: { params: Params } }, async (request, reply) => {
      await schedules.deleteSchedule(deps, request.actor, request.params.id);
      return reply.code(204).send();
    });

    app.get(
      '/schedules/:id/users',
      { schema: { params: Params, querystring: RenderQuery } },
      async (request) => {
        const users = await schedules.onCallUsers(deps, request.actor, request.params.id, request.query);
        return { users: users.map((u) => presentUser(links, u)) };
      },
    );

    await app.register(overrideRoutes(deps));
    await app.register(feedRoutes(deps));
  };
}
