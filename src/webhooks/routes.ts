import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { listEnvelope, pagination, PaginationQuery } from '../http/rest.js';
import { presentDelivery, presentSubscription } from './presenters.js';
import * as subscriptions from './subscription-service.js';
import type { SubscriptionDeps } from './subscription-service.js';

/** What the webhook routes need (`poke` tells the engine a ping is queued). */
export interface WebhooksRoutesDeps extends SubscriptionDeps {
  poke(): void;
}

const Json = Type.Record(Type.String(), Type.Unknown());
const Params = Type.Object({ id: Type.String() });
const Body = Type.Object({ webhook_subscription: Json });
const ListQuery = Type.Object({
  ...PaginationQuery.properties,
  filter_type: Type.Optional(Type.String()),
  filter_id: Type.Optional(Type.String()),
});

/** REST v2: webhook (v3) subscriptions, their ping and enable actions and their delivery log. */
export function webhooksRoutes(deps: WebhooksRoutesDeps) {
  return async function plugin(fastify: FastifyInstance): Promise<void> {
    const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
    const now = () => deps.clock.now();

    app.get('/webhook_subscriptions', { schema: { querystring: ListQuery } }, async (request) => {
      const page = pagination(request.query);
      const { filter_type: type, filter_id: id } = request.query;
      const result = await subscriptions.listSubscriptions(
        deps,
        request.actor,
        { ...page, limit: page.limit + 1 },
        { type, id },
      );
      const presented = result.rows.map((row) => presentSubscription(row, now()));
      return listEnvelope('webhook_subscriptions', presented, page, result.total);
    });

    // PagerDuty's OAS documents 200 (not 201) for a created subscription.
    app.post('/webhook_subscriptions', { schema: { body: Body } }, async (request) => {
      const row = await subscriptions.createSubscription(
        deps,
        request.actor,
        request.body.webhook_subscription,
      );
      return { webhook_subscription: presentSubscription(row, now(), { withSecret: true }) };
    });

    app.get('/webhook_subscriptions/:id', { schema: { params: Params } }, async (request) => {
      const row = await subscriptions.getSubscription(deps, request.actor, request.params.id);
      return { webhook_subscription: presentSubscription(row, now()) };
    });

    app.put('/webhook_subscriptions/:id', { schema: { params: Params, body: Body } }, async (request) => {
      const { id } = request.params;
      const row = await subscriptions.updateSubscription(
        deps,
        request.actor,
        id,
        request.body.webhook_subscription,
      );
      return { webhook_subscription: presentSubscription(row, now()) };
    });

    app.delete('/webhook_subscriptions/:id', { schema: { params: Params } }, async (request, reply) => {
      await subscriptions.deleteSubscription(deps, request.actor, request.params.id);
      return reply.code(204).send();
    });

    app.post('/webhook_subscriptions/:id/enable', { schema: { params: Params } }, async (request) => {
      const row = await subscriptions.enableSubscription(deps, request.actor, request.params.id);
      return { webhook_subscription: presentSubscription(row, now()) };
    });

    app.post('/webhook_subscriptions/:id/ping', { schema: { params: Params } }, async (request, reply) => {
      await subscriptions.pingSubscription(deps, request.actor, request.params.id);
      deps.poke();
      return reply.code(202).send();
    });

    app.get(
      '/webhook_subscriptions/:id/deliveries',
      { schema: { params: Params, querystring: PaginationQuery } },
      async (request) => {
        const page = pagination(request.query);
        const result = await subscriptions.listDeliveries(deps, request.actor, request.params.id, {
          ...page,
          limit: page.limit + 1,
        });
        return listEnvelope('deliveries', result.rows.map(presentDelivery), page, result.total);
      },
    );
  };
}
