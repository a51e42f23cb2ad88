import type { FastifyInstance } from 'fastify';
import { canEditUser } from '../auth/actor.js';
import type { DomainRoutesDeps } from '../http/routes-deps.js';
import { AppError } from '../lib/errors.js';
import { longId } from '../lib/ids.js';
import { queueNotification } from './delivery-store.js';
import { insertNotification } from './notification-store.js';

/**
 * `POST /users/{id}/contact_methods/{cm_id}/test`: sends the user a test message through that contact
 * method's real channel, so they can check it reaches them. The user themself or a manager/admin may.
 * Answers 202 with the notification's id; its outcome shows on the record like any other.
 */
export function testNotificationRoutes(deps: DomainRoutesDeps) {
  return async function plugin(app: FastifyInstance): Promise<void> {
    app.post<{ Params: { id: string; cm_id: string } }>(
      '/users/:id/contact_methods/:cm_id/test',
      async (request, reply) => {
        const { id: userId, cm_id: contactMethodId } = request.params;
        if (!canEditUser(request.actor, userId)) throw new AppError('forbidden');
        const at = deps.clock.now().toISOString();
        const id = await deps.store.transaction(async (tx) => {
          const [cm] = await tx.raw.all<{ type: string; address: string; unverified: number }>(
            `SELECT type, address, unverified FROM contact_methods WHERE id = ? AND user_id = ? AND deleted_at IS NULL`,
            [contactMethodId, userId],
          );
          if (!cm) throw new AppError('notFound');
          if (Number(cm.unverified) === 1)
            throw new AppError('invalidInput', ['Verify this contact method before testing it']);
          const notificationId = longId();
          await insertNotification(
            tx,
            {
              id: notificationId,
              dedupKey: `test:${notificationId}`,
              incidentId: null,
              userId,
              contactMethodId,
              reason: 'test',
              urgency: null,
              dueAt: at,
              detail: {
                message: 'This is a test notification from Tocsin.',
                contact_type: cm.type,
                address: cm.address,
              },
            },
            at,
          );
          await queueNotification(tx, notificationId, at);
          return notificationId;
        });
        deps.poke();
        return reply.code(202).send({ notification: { id, type: 'notification', status: 'queued' } });
      },
    );
  };
}
