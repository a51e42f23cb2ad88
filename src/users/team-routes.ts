import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { Links } from '../http/rest.js';
import { listEnvelope, pagination, PaginationQuery } from '../http/rest.js';
import type { DomainRoutesDeps } from '../http/routes-deps.js';
import { userReference } from './presenters.js';
import type { Team } from './team.js';
import * as teams from './team-service.js';

const Json = Type.Record(Type.String(), Type.Unknown());
const TeamParams = Type.Object({ id: Type.String() });
const MemberParams = Type.Object({ id: Type.String(), user_id: Type.String() });
const TeamBody = Type.Object({ team: Json });
const Strings = Type.Optional(Type.Array(Type.String()));
const ListQuery = Type.Object({ ...PaginationQuery.properties, query: Type.Optional(Type.String()) });
const MembersQuery = Type.Object({ ...PaginationQuery.properties, 'include[]': Strings, include: Strings });

/** A team as PagerDuty's REST API v2 shows it (every team is public: `default_role` manager). */
export function presentTeam(links: Links, team: Team) {
  return {
    id: team.id,
    type: 'team' as const,
    summary: team.name,
    self: links.self('teams', team.id),
    html_url: links.html('teams', team.id),
    name: team.name,
    description: team.description,
    default_role: 'manager' as const,
    parent: null,
  };
}

/** REST v2: teams and their members. */
export function teamsRoutes(deps: DomainRoutesDeps) {
  const { links } = deps;
  return async function plugin(fastify: FastifyInstance): Promise<void> {
    const app = fastify.withTypeProvider<TypeBoxTypeProvider>();

    app.get('/teams', { schema: { querystring: ListQuery } }, async (request) => {
      const page = pagination(request.query);
      const result = await teams.listTeams(deps, request.actor, request.query.query, {
        ...page,
        limit: page.limit + 1,
      });
      const presented = result.teams.map((team) => presentTeam(links, team));
      return listEnvelope('teams', presented, page, result.total);
    });
    app.post('/teams', { schema: { body: TeamBody } }, async (request, reply) => {
      const team = await teams.createTeam(deps, request.actor, request.body.team);
      return reply.code(201).send({ team: presentTeam(links, team) });
    });
    app.get('/teams/:id', { schema: { params: TeamParams } }, async (request) => {
      return { team: presentTeam(links, await teams.getTeam(deps, request.actor, request.params.id)) };
    });
    app.put('/teams/:id', { schema: { params: TeamParams, body: TeamBody } }, async (request) => {
      const team = await teams.updateTeam(deps, request.actor, request.params.id, request.body.team);
      return { team: presentTeam(links, team) };
    });
    app.delete('/teams/:id', { schema: { params: TeamParams } }, async (request, reply) => {
      await teams.deleteTeam(deps, request.actor, request.params.id);
      return reply.code(204).send();
    });

    app.get(
      '/teams/:id/members',
      { schema: { params: TeamParams, querystring: MembersQuery } },
      async (request) => {
        const page = pagination(request.query);
        const result = await teams.listMembers(deps, request.actor, request.params.id, {
          ...page,
          limit: page.limit + 1,
        });
        const members = result.members.map((m) => ({
          user: userReference(links, { id: m.user_id, name: m.name }),
          role: m.role,
        }));
        return listEnvelope('members', members, page, result.total);
      },
    );
    app.put('/teams/:id/users/:user_id', { schema: { params: MemberParams } }, async (request, reply) => {
      const raw = request.body;
      const body =
        typeof raw === 'object' && raw !== null && !Array.isArray(raw)
          ? (raw as Record<string, unknown>)
          : {};
      await teams.putMember(deps, request.actor, request.params.id, request.params.user_id, body);
      return reply.code(204).send();
    });
    app.delete('/teams/:id/users/:user_id', { schema: { params: MemberParams } }, async (request, reply) => {
      await teams.removeMember(deps, request.actor, request.params.id, request.params.user_id);
      return reply.code(204).send();
    });
  };
}
