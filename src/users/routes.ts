import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { listEnvelope, pagination, PaginationQuery } from '../http/rest.js';
import type { DomainRoutesDeps } from '../http/routes-deps.js';
import { contactMethodRoutes } from './contact-method-routes.js';
import { presentUser } from './presenters.js';
import { ruleRoutes } from './rule-routes.js';
import * as users from './user-service.js';

const Json = Type.Record(Type.String(), Type.Unknown());
const UserParams = Type.Object({ id: Type.String() });
const UserBody = Type.Object({ user: Json });
const Strings = Type.Optional(Type.Array(Type.String()));
const ListQuery = Type.Object({
  ...PaginationQuery.properties,
  query: Type.Optional(Type.String()),
  'team_ids[]': Strings,
  team_ids: Strings,
  'include[]': Strings,
  include: Strings,
});
const IncludeQuery = Type.Object({ 'include[]': Strings, include: Strings });

/** Whether the query asks for the user's calendar feed URLs. */
const asksCalendarUrls = (query: Static<typeof IncludeQuery>) =>
  (query['include[]'] ?? query.include ?? []).includes('calendar_urls');

/** REST v2: users, their contact methods, notification and handoff rules. */
export function usersRoutes(deps: DomainRoutesDeps) {
  const { links } = deps;
  return async function plugin(fastify: FastifyInstance): Promise<void> {
    const app = fastify.withTypeProvider<TypeBoxTypeProvider>();

    app.get('/users', { schema: { querystring: ListQuery } }, async (request) => {
      const page = pagination(request.query);
      const teamIds = (request.query['team_ids[]'] ?? request.query.team_ids)?.filter((id) => id !== '');
      const filter = { query: request.query.query, teamIds };
      const result = await users.listUsers(deps, request.actor, filter, { ...page, limit: page.limit + 1 });
      const presented = result.views.map((v) => presentUser(links, v));
      return listEnvelope('users', presented, page, result.total);
    });

    app.post('/users', { schema: { body: UserBody } }, async (request, reply) => {
      const view = await users.createUser(deps, request.actor, request.body.user);
      return reply.code(201).send({ user: presentUser(links, view) });
    });

    app.get('/users/me', { schema: { querystring: IncludeQuery } }, async (request) => {
      const view = await users.getMe(deps, request.actor);
      const feedToken = users.visibleFeedToken(request.actor, view.user, asksCalendarUrls(request.query));
      return { user: presentUser(links, view, feedToken) };
    });

    app.get('/users/:id', { schema: { params: UserParams, querystring: IncludeQuery } }, async (request) => {
      const view = await users.getUser(deps, request.actor, request.params.id);
      const feedToken = users.visibleFeedToken(request.actor, view.user, asksCalendarUrls(request.query));
      return { user: presentUser(links, view, feedToken) };
    });

    app.put('/users/:id', { schema: { params: UserParams, body: UserBody } }, async (request) => {
      const view = await users.updateUser(deps, request.actor, request.params.id, request.body.user);
      return { user: presentUser(links, view) };
    });

    app.delete('/users/:id', { schema: { params: UserParams } }, async (request, reply) => {
      await users.deleteUser(deps, request.actor, request.params.id);
      return reply.code(204).send();
    });

    await app.register(contactMethodRoutes(deps));
    await app.register(ruleRoutes(deps));
  };
}
