import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import {
  incidentAnalytics,
  notificationAnalytics,
  periodOf,
  type AnalyticsDeps,
} from './analytics-service.js';

const tags = ['Analytics'];
const Period = Type.Object({
  since: Type.Optional(Type.String({ description: 'Start (ISO-8601); default 30 days before until' })),
  until: Type.Optional(Type.String({ description: 'End, exclusive (ISO-8601); default now' })),
});

/** REST v2 (Tocsin's own, read-only): figures for the analytics pages, over at most 366 days. */
export function analyticsRoutes(deps: AnalyticsDeps) {
  return async function plugin(fastify: FastifyInstance): Promise<void> {
    const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
    app.get(
      '/analytics/incidents',
      {
        schema: {
          querystring: Period,
          operationId: 'getIncidentAnalytics',
          summary: 'Incident counts, MTTA and MTTR per service, team and day',
          tags,
        },
      },
      async (request) =>
        incidentAnalytics(deps, periodOf(deps.clock, request.query.since, request.query.until)),
    );
    app.get(
      '/analytics/notifications',
      {
        schema: {
          querystring: Period,
          operationId: 'getNotificationAnalytics',
          summary: 'Notifications sent per channel and per person',
          tags,
        },
      },
      async (request) =>
        notificationAnalytics(deps, periodOf(deps.clock, request.query.since, request.query.until)),
    );
  };
}
