import type { FastifyInstance } from 'fastify';
import type { Links } from '../http/rest.js';
import type { Clock } from '../lib/clock.js';
import type { Store } from '../store/store.js';

/** What the incident routes need. */
export interface IncidentsRoutesDeps {
  store: Store;
  clock: Clock;
  links: Links;
}

/** REST v2: incidents, their alerts and log entries. */
export function incidentsRoutes(_deps: IncidentsRoutesDeps) {
  return async function plugin(_app: FastifyInstance): Promise<void> {};
}
