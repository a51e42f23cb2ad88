import type { FastifyInstance } from 'fastify';
import type { DomainRoutesDeps } from '../http/routes-deps.js';

/** REST v2: users, their contact methods, notification and handoff rules. */
export function usersRoutes(deps: DomainRoutesDeps) {
  return async function plugin(fastify: FastifyInstance): Promise<void> {
    void deps;
    void fastify;
  };
}
