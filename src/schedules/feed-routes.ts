import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { DomainRoutesDeps } from '../http/routes-deps.js';
import { rotateScheduleFeed, rotateUserFeed, userFeedToken } from './feed-service.js';
import { feedUrls } from './presenters.js';

const Params = Type.Object({ id: Type.String() });

/**
 * REST v2: the secret iCalendar feed URLs. A user's feed lives here rather than with the users
 * routes because it is schedule output; the URL is created on first request.
 */
export function feedRoutes(deps: DomainRoutesDeps) {
  const { links } = deps;
  return async function plugin(fastify: FastifyInstance): Promise<void> {
    const app = fastify.withTypeProvider<TypeBoxTypeProvider>();

    app.post('/schedules/:id/calendar_feed/rotate', { schema: { params: Params } }, async (request) => {
      const token = await rotateScheduleFeed(deps, request.actor, request.params.id);
      return { calendar_feed: feedUrls(links, 'schedules', token) };
    });

    app.get('/users/:id/calendar_feed', { schema: { params: Params } }, async (request) => {
      const token = await userFeedToken(deps, request.actor, request.params.id);
      return { calendar_feed: feedUrls(links, 'users', token) };
    });

    app.post('/users/:id/calendar_feed/rotate', { schema: { params: Params } }, async (request) => {
      const token = await rotateUserFeed(deps, request.actor, request.params.id);
      return { calendar_feed: feedUrls(links, 'users', token) };
    });
  };
}
