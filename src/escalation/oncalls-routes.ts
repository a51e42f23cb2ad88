import type { FastifyInstance } from 'fastify';
import type { DomainRoutesDeps } from '../http/routes-deps.js';

/** REST v2: GET /oncalls. */
export function oncallsRoutes(deps: DomainRoutesDeps) {
  return async function plugin(fastify: FastifyInstance): Promise<void> {
    void deps;
    void fastify;
  };
}
