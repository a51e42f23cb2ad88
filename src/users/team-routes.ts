import type { FastifyInstance } from 'fastify';
import type { DomainRoutesDeps } from '../http/routes-deps.js';

/** REST v2: teams and their members. */
export function teamsRoutes(deps: DomainRoutesDeps) {
  return async function plugin(fastify: FastifyInstance): Promise<void> {
    void deps;
    void fastify;
  };
}
