import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { DomainRoutesDeps } from '../http/routes-deps.js';
import type { RootType } from './audit.js';
import { listAuditRecords, type AuditQuery } from './audit-service.js';
import { presentAuditRecord } from './presenters.js';

const Strings = Type.Array(Type.String());
const RecordsQuery = Type.Object({
  limit: Type.Optional(Type.Integer({ minimum: 1 })),
  cursor: Type.Optional(Type.String()),
  since: Type.Optional(Type.String()),
  until: Type.Optional(Type.String()),
  'root_resource_types[]': Type.Optional(Strings),
  root_resource_types: Type.Optional(Strings),
  actor_type: Type.Optional(Type.String()),
  actor_id: Type.Optional(Type.String()),
  method_type: Type.Optional(Type.String()),
  method_truncated_token: Type.Optional(Type.String()),
  'actions[]': Type.Optional(Strings),
  actions: Type.Optional(Strings),
});
type RecordsQueryType = (typeof RecordsQuery)['static'];
const IdParams = Type.Object({ id: Type.String() });

function toQuery(q: RecordsQueryType): AuditQuery {
  return {
    limit: q.limit,
    cursor: q.cursor,
    since: q.since,
    until: q.until,
    rootTypes: q['root_resource_types[]'] ?? q.root_resource_types,
    actorType: q.actor_type,
    actorId: q.actor_id,
    methodType: q.method_type,
    truncatedToken: q.method_truncated_token,
    actions: q['actions[]'] ?? q.actions,
  };
}

/** The resources with their own `/{collection}/{id}/audit/records` endpoint. */
const PER_RESOURCE: RootType[] = ['services', 'users', 'escalation_policies', 'schedules', 'teams'];

/** REST v2: the audit log, account-wide and per resource (cursor pagination, newest first). */
export function auditRoutes(deps: DomainRoutesDeps) {
  return async function plugin(fastify: FastifyInstance): Promise<void> {
    const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
    const envelope = (page: Awaited<ReturnType<typeof listAuditRecords>>) => ({
      records: page.rows.map((row) => presentAuditRecord(deps.links, row)),
      response_metadata: null,
      limit: page.limit,
      next_cursor: page.nextCursor,
    });

    app.get('/audit/records', { schema: { querystring: RecordsQuery } }, async (request) =>
      envelope(await listAuditRecords(deps, request.actor, toQuery(request.query))),
    );

    for (const type of PER_RESOURCE)
      app.get(
        `/${type}/:id/audit/records`,
        { schema: { querystring: RecordsQuery, params: IdParams } },
        async (request) => {
          const { since, until, limit, cursor } = toQuery(request.query);
          const query = { since, until, limit, cursor };
          return envelope(
            await listAuditRecords(deps, request.actor, query, { type, id: request.params.id }),
          );
        },
      );
  };
}
