import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { DomainRoutesDeps } from '../../http/routes-deps.js';
import { AppError } from '../../lib/errors.js';
import { getContactMethod } from '../../users/contact-method-service.js';
import { presentContactMethod } from '../../users/presenters.js';
import { editableUser } from '../../users/user-service.js';
import { saveSubscription, validateSubscription } from './push-subscriptions.js';

const Params = Type.Object({ id: Type.String(), contact_method_id: Type.String() });
const Body = Type.Object({ subscription: Type.Unknown() });

/**
 * REST v2 for Web Push (under `/api/v2`): the VAPID public key the web app subscribes with
 * (`applicationServerKey`), and where it stores the browser's subscription on the user's push
 * contact method (the user themself, or people who may edit them).
 */
export function pushRoutes(deps: DomainRoutesDeps, vapidPublicKey: string | undefined) {
  return async function plugin(fastify: FastifyInstance): Promise<void> {
    const app = fastify.withTypeProvider<TypeBoxTypeProvider>();

    app.get('/push/vapid_public_key', async () => {
      if (!vapidPublicKey) throw new AppError('notFound', ['Web Push is not configured']);
      return { vapid_public_key: vapidPublicKey };
    });

    app.put(
      '/users/:id/contact_methods/:contact_method_id/push_subscription',
      { schema: { params: Params, body: Body } },
      async (request) => {
        const { id, contact_method_id: methodId } = request.params;
        await editableUser(deps, request.actor, id);
        const subscription = validateSubscription(request.body.subscription);
        const at = deps.clock.now().toISOString();
        if (!(await saveSubscription(deps.store, id, methodId, subscription, at)))
          throw new AppError('notFound', ['No such push contact method']);
        const method = await getContactMethod(deps, request.actor, id, methodId);
        return { contact_method: presentContactMethod(deps.links, method) };
      },
    );
  };
}
