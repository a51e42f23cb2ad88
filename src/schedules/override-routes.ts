import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { DomainRoutesDeps } from '../http/routes-deps.js';
import { AppError } from '../lib/errors.js';
import { isTimeZone, parseDateTime } from './date-time-input.js';
import { createOverrides, deleteOverride, listOverrides } from './override-service.js';
import { presentOverride, userReference } from './presenters.js';

const Params = Type.Object({ id: Type.String() });
const OverrideParams = Type.Object({ id: Type.String(), override_id: Type.String() });
const ListQuery = Type.Object({
  since: Type.String(),
  until: Type.String(),
  overflow: Type.Optional(Type.Boolean()),
  editable: Type.Optional(Type.Boolean()),
  time_zone: Type.Optional(Type.String()),
});
const CreateBody = Type.Object({ overrides: Type.Array(Type.Unknown()) });

/** REST v2: a schedule's overrides (list, multi-create, delete). */
export function overrideRoutes(deps: DomainRoutesDeps) {
  const { links } = deps;
  return async function plugin(fastify: FastifyInstance): Promise<void> {
    const app = fastify.withTypeProvider<TypeBoxTypeProvider>();

    app.get(
      '/schedules/:id/overrides',
      { schema: { params: Params, querystring: ListQuery } },
      async (request) => {
        const q = request.query;
        const since = parseDateTime(q.since, 'UTC');
        const until = parseDateTime(q.until, 'UTC');
        const errors = [
          ...(since === undefined ? ['since must be an ISO 8601 date-time'] : []),
          ...(until === undefined ? ['until must be an ISO 8601 date-time'] : []),
          ...(q.time_zone !== undefined && !isTimeZone(q.time_zone)
            ? ['time_zone must be an IANA time zone']
            : []),
        ];
        if (errors.length === 0 && until! <= since!) errors.push('until must be after since');
        if (errors.length > 0) throw new AppError('invalidInput', errors);
        const window = {
          since: since!,
          until: until!,
          overflow: q.overflow ?? false,
          editable: q.editable ?? false,
        };
        const v = await listOverrides(deps, request.actor, request.params.id, window);
        const zone = q.time_zone ?? v.schedule.timeZone;
        return { overrides: v.overrides.map((o) => presentOverride(links, v.users, o, zone)) };
      },
    );

    app.post(
      '/schedules/:id/overrides',
      { schema: { params: Params, body: CreateBody } },
      async (request, reply) => {
        const { schedule, results, users } = await createOverrides(
          deps,
          request.actor,
          request.params.id,
          request.body.overrides,
        );
        const zone = schedule.timeZone;
        const body = results.map((r) =>
          r.status === 201
            ? { status: 201, override: presentOverride(links, users, r.row, zone) }
            : {
                status: 400,
                errors: r.errors,
                override: {
                  start: r.input.start,
                  end: r.input.end,
                  user: userReference(links, users, r.input.user),
                },
              },
        );
        return reply.code(201).send(body);
      },
    );

    app.delete(
      '/schedules/:id/overrides/:override_id',
      { schema: { params: OverrideParams } },
      async (request, reply) => {
        const { id, override_id: overrideId } = request.params;
        const { truncated } = await deleteOverride(deps, request.actor, id, overrideId);
        if (!truncated) return reply.code(204).send();
        const [row] = truncated.overrides;
        return reply
          .code(200)
          .send({ override: presentOverride(links, truncated.users, row!, truncated.schedule.timeZone) });
      },
    );
  };
}
