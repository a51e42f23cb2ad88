import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { listEnvelope, pagination, PaginationQuery } from '../http/rest.js';
import type { DomainRoutesDeps } from '../http/routes-deps.js';
import { presentPriority } from './presenters.js';
import { listPriorities } from './priority-store.js';

/** REST v2: `GET /priorities` (the account's priorities, most urgent first). */
export function prioritiesRoutes(deps: Pick<DomainRoutesDeps, 'store' | 'links'>) {
  return async function plugin(base: FastifyInstance): Promise<void> {
    const app = base.withTypeProvider<TypeBoxTypeProvider>();
    app.get('/priorities', { schema: { querystring: PaginationQuery } }, async (request) => {
      const page = pagination(request.query);
      const all = (await listPriorities(deps.store.db)).map((p) => presentPriority(deps.links, p));
      const rows = all.slice(page.offset, page.offset + page.limit + 1);
      return listEnvelope('priorities', rows, page, page.total ? all.length : null);
    });
  };
}
