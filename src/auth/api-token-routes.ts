import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { listEnvelope, pagination, PaginationQuery, type Links } from '../http/rest.js';
import type { DomainRoutesDeps } from '../http/routes-deps.js';
import type { ApiTokenRow } from './api-token-store.js';
import * as apiTokens from './api-token-service.js';

const CreateBody = Type.Object({
  api_token: Type.Object({
    description: Type.String(),
    kind: Type.Optional(Type.Union([Type.Literal('account'), Type.Literal('user')])),
    access: Type.Optional(Type.Union([Type.Literal('full'), Type.Literal('read_only')])),
  }),
});

/** An API token as Tocsin's REST API shows it (never its secret, except once in the create answer). */
export function presentApiToken(links: Links, row: ApiTokenRow) {
  const kind = row.access === 'user' ? 'user' : 'account';
  return {
    id: row.id,
    type: 'api_token' as const,
    summary: row.description,
    description: row.description,
    kind,
    access: row.access === 'read_only' ? 'read_only' : 'full',
    owner:
      row.user_id === null
        ? null
        : links.reference('user', 'users', row.user_id, row.owner_name ?? row.user_id),
    created_at: row.created_at,
    last_used_at: row.last_used_at,
    revoked: row.revoked_at !== null,
    revoked_at: row.revoked_at,
    self: links.self('api_tokens', row.id),
    html_url: null,
  };
}

/** REST: Tocsin's own API token management (`/api_tokens`). */
export function apiTokenRoutes(deps: DomainRoutesDeps) {
  const { links } = deps;
  return async function plugin(fastify: FastifyInstance): Promise<void> {
    const app = fastify.withTypeProvider<TypeBoxTypeProvider>();

    app.get('/api_tokens', { schema: { querystring: PaginationQuery } }, async (request) => {
      const page = pagination(request.query);
      const listed = await apiTokens.listTokens(deps, request.actor, { ...page, limit: page.limit + 1 });
      const items = listed.rows.map((r) => presentApiToken(links, r));
      return listEnvelope('api_tokens', items, page, listed.total);
    });

    app.post('/api_tokens', { schema: { body: CreateBody } }, async (request, reply) => {
      const body = request.body.api_token;
      const created = await apiTokens.createToken(deps, request.actor, {
        description: body.description,
        kind: body.kind ?? 'user',
        access: body.access ?? 'full',
      });
      // The only time the secret is shown.
      return reply
        .code(201)
        .send({ api_token: { ...presentApiToken(links, created.row), token: created.secret } });
    });

    app.delete(
      '/api_tokens/:id',
      { schema: { params: Type.Object({ id: Type.String() }) } },
      async (request, reply) => {
        await apiTokens.revokeToken(deps, request.actor, request.params.id);
        return reply.code(204).send();
      },
    );
  };
}
