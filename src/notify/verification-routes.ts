import type { FastifyInstance } from 'fastify';
import { canEditUser } from '../auth/actor.js';
import type { DomainRoutesDeps } from '../http/routes-deps.js';
import { AppError } from '../lib/errors.js';
import { sendVerificationCode, verifyCode } from './verification.js';

/**
 * Verifying a contact method: `POST …/contact_methods/{cm_id}/verification` sends a new code over it;
 * `POST …/contact_methods/{cm_id}/verify {code}` checks it. The user themself, managers and admins.
 */
export function verificationRoutes(deps: DomainRoutesDeps) {
  return async function plugin(app: FastifyInstance): Promise<void> {
    const owned = (request: {
      params: { id: string; cm_id: string };
      actor: Parameters<typeof canEditUser>[0];
    }) => {
      if (!canEditUser(request.actor, request.params.id)) throw new AppError('forbidden');
      return deps.store.transaction(async (tx) => {
        const [cm] = await tx.raw.all<{ id: string; user_id: string; type: string; address: string }>(
          `SELECT id, user_id, type, address FROM contact_methods WHERE id = ? AND user_id = ? AND deleted_at IS NULL`,
          [request.params.cm_id, request.params.id],
        );
        if (!cm) throw new AppError('notFound');
        return cm;
      });
    };

    app.post<{ Params: { id: string; cm_id: string } }>(
      '/users/:id/contact_methods/:cm_id/verification',
      async (request, reply) => {
        const cm = await owned(request);
        await deps.store.transaction((tx) => sendVerificationCode(tx, cm, deps.clock.now().toISOString()));
        deps.poke();
        return reply.code(202).send({ verification: { status: 'code_sent' } });
      },
    );

    app.post<{ Params: { id: string; cm_id: string }; Body: { code?: unknown } }>(
      '/users/:id/contact_methods/:cm_id/verify',
      async (request) => {
        const cm = await owned(request);
        const code = typeof request.body?.code === 'string' ? request.body.code : '';
        const at = deps.clock.now().toISOString();
        const result = await deps.store.transaction((tx) => verifyCode(tx, cm.id, code, at));
        if (result !== 'verified')
          throw new AppError('invalidInput', [
            result === 'wrong'
              ? 'The code is not right'
              : result === 'expired'
                ? 'The code has expired or was guessed wrong too often; ask for a new one'
                : 'The contact method has no verification pending',
          ]);
        return { verification: { status: 'verified' } };
      },
    );
  };
}
