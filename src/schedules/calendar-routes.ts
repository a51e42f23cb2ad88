import type { FastifyInstance } from 'fastify';
import type { DomainRoutesDeps } from '../http/routes-deps.js';

/** iCalendar feeds behind secret URLs (no token: the URL is the secret). */
export function calendarRoutes(deps: DomainRoutesDeps) {
  return async function plugin(fastify: FastifyInstance): Promise<void> {
    void deps;
    void fastify;
  };
}
