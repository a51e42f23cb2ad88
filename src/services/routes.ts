import type { FastifyInstance } from 'fastify';
import type { Links } from '../http/rest.js';
import type { Clock } from '../lib/clock.js';
import type { Store } from '../store/store.js';

/** What the service routes need. */
export interface ServicesRoutesDeps {
  store: Store;
  clock: Clock;
  links: Links;
}

/** REST v2: services, their integrations and the dropped-events log. */
export function servicesRoutes(_deps: ServicesRoutesDeps) {
  return async function plugin(_app: FastifyInstance): Promise<void> {};
}
