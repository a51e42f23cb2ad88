import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { DomainRoutesDeps } from '../http/routes-deps.js';
import { scheduleFeed, userFeed } from './feed-service.js';
import { feedUrls } from './presenters.js';

const Params = Type.Object({ token: Type.String() });

/** iCalendar feeds behind secret URLs (no token: the URL is the secret). */
export function calendarRoutes(deps: DomainRoutesDeps) {
  const { links } = deps;
  return async function plugin(fastify: FastifyInstance): Promise<void> {
    const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
    for (const kind of ['schedules', 'users'] as const) {
      app.get(`/calendars/${kind}/:token`, { schema: { params: Params } }, async (request, reply) => {
        const token = request.params.token.replace(/\.ics$/, '');
        const url = feedUrls(links, kind, token).http_cal_url;
        const text =
          kind === 'schedules' ? await scheduleFeed(deps, token, url) : await userFeed(deps, token, url);
        // An unknown or rotated token looks exactly like a missing page: nothing tells the two apart.
        if (text === undefined) return reply.code(404).type('text/plain; charset=utf-8').send('Not Found');
        return reply
          .type('text/calendar; charset=utf-8')
          .header('cache-control', 'private, max-age=300')
          .send(text);
      });
    }
  };
}
