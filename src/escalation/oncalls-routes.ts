import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { listEnvelope, pagination, PaginationQuery } from '../http/rest.js';
import type { DomainRoutesDeps } from '../http/routes-deps.js';
import { presentOnCall, type OnCallInclude } from './oncalls-presenters.js';
import { listOnCalls } from './oncalls-service.js';

const Ids = Type.Optional(Type.Array(Type.String()));
const Include = Type.Optional(
  Type.Array(
    Type.Union([Type.Literal('users'), Type.Literal('schedules'), Type.Literal('escalation_policies')]),
  ),
);
const Query = Type.Object({
  ...PaginationQuery.properties,
  since: Type.Optional(Type.String()),
  until: Type.Optional(Type.String()),
  earliest: Type.Optional(Type.Boolean()),
  time_zone: Type.Optional(Type.String()),
  'user_ids[]': Ids,
  user_ids: Ids,
  'escalation_policy_ids[]': Ids,
  escalation_policy_ids: Ids,
  'schedule_ids[]': Ids,
  schedule_ids: Ids,
  'include[]': Include,
  include: Include,
});

/** REST v2: GET /oncalls. */
export function oncallsRoutes(deps: DomainRoutesDeps) {
  return async function plugin(fastify: FastifyInstance): Promise<void> {
    const app = fastify.withTypeProvider<TypeBoxTypeProvider>();

    app.get('/oncalls', { schema: { querystring: Query } }, async (request) => {
      const q = request.query;
      const page = pagination(q);
      const result = await listOnCalls(
        deps,
        request.actor,
        {
          since: q.since,
          until: q.until,
          earliest: q.earliest,
          timeZone: q.time_zone,
          userIds: q['user_ids[]'] ?? q.user_ids,
          policyIds: q['escalation_policy_ids[]'] ?? q.escalation_policy_ids,
          scheduleIds: q['schedule_ids[]'] ?? q.schedule_ids,
        },
        { ...page, limit: page.limit + 1 },
      );
      const include = new Set<OnCallInclude>(q['include[]'] ?? q.include ?? []);
      const presented = result.entries.map((e) => presentOnCall(deps.links, result, e, include));
      return listEnvelope('oncalls', presented, page, result.total);
    });
  };
}
