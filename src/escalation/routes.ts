import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { DomainRoutesDeps } from '../http/routes-deps.js';
import { listEnvelope, pagination, PaginationQuery } from '../http/rest.js';
import * as policies from './escalation-policy-service.js';
import { presentPolicy } from './presenters.js';

const Json = Type.Record(Type.String(), Type.Unknown());
const Params = Type.Object({ id: Type.String() });
const Body = Type.Object({ escalation_policy: Json });
const Ids = Type.Optional(Type.Array(Type.String()));
const ListQuery = Type.Object({
  ...PaginationQuery.properties,
  query: Type.Optional(Type.String()),
  'user_ids[]': Ids,
  user_ids: Ids,
  'team_ids[]': Ids,
  team_ids: Ids,
  'include[]': Ids,
  sort_by: Type.Optional(
    Type.Union([Type.Literal('name'), Type.Literal('name:asc'), Type.Literal('name:desc')]),
  ),
});

/** REST v2: escalation policies. */
export function escalationPoliciesRoutes(deps: DomainRoutesDeps) {
  const { links } = deps;
  return async function plugin(fastify: FastifyInstance): Promise<void> {
    const app = fastify.withTypeProvider<TypeBoxTypeProvider>();

    app.get('/escalation_policies', { schema: { querystring: ListQuery } }, async (request) => {
      const page = pagination(request.query);
      const q = request.query;
      const filter = {
        query: q.query,
        userIds: q['user_ids[]'] ?? q.user_ids,
        teamIds: (q['team_ids[]'] ?? q.team_ids)?.filter((id) => id !== ''),
        descending: q.sort_by === 'name:desc',
      };
      const result = await policies.listPolicies(deps, request.actor, filter, {
        ...page,
        limit: page.limit + 1,
      });
      const presented = result.views.map((v) => presentPolicy(links, v));
      return listEnvelope('escalation_policies', presented, page, result.total);
    });

    app.post('/escalation_policies', { schema: { body: Body } }, async (request, reply) => {
      const view = await policies.createPolicy(deps, request.actor, request.body.escalation_policy);
      return reply.code(201).send({ escalation_policy: presentPolicy(links, view) });
    });

    app.get('/escalation_policies/:id', { schema: { params: Params } }, async (request) => {
      const view = await policies.getPolicy(deps, request.actor, request.params.id);
      return { escalation_policy: presentPolicy(links, view) };
    });

    app.put('/escalation_policies/:id', { schema: { params: Params, body: Body } }, async (request) => {
      const { id } = request.params;
      const view = await policies.updatePolicy(deps, request.actor, id, request.body.escalation_policy);
      return { escalation_policy: presentPolicy(links, view) };
    });

    app.delete('/escalation_policies/:id', { schema: { params: Params } }, async (request, reply) => {
      await policies.deletePolicy(deps, request.actor, request.params.id);
      return reply.code(204).send();
    });
  };
}
