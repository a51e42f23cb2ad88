import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { errorBody } from '../http/rest-errors.js';
import { AppError } from '../lib/errors.js';
import { completeReset, requestReset, type ResetDeps } from './password-reset.js';
import { changePassword } from './password-service.js';

const PasswordBody = Type.Object({
  current_password: Type.Optional(Type.String()),
  password: Type.String(),
});
const ResetBody = Type.Object({ email: Type.String() });
const CompleteBody = Type.Object({ token: Type.String(), password: Type.String() });

/** Answers 429 with `Retry-After` (whole seconds) and PagerDuty's rate-limit body. */
export function sendBackoff(reply: FastifyReply, retryAfterMs: number, reason: string): FastifyReply {
  return reply
    .code(429)
    .header('retry-after', String(Math.max(1, Math.ceil(retryAfterMs / 1000))))
    .send(errorBody(new AppError('rateLimited', [reason])));
}

/** REST: change a password (`PUT /users/{id|me}/password`) and reset one by email link. */
export function passwordRoutes(deps: ResetDeps) {
  return async function plugin(fastify: FastifyInstance): Promise<void> {
    const app = fastify.withTypeProvider<TypeBoxTypeProvider>();

    app.put(
      '/users/:id/password',
      { schema: { params: Type.Object({ id: Type.String() }), body: PasswordBody } },
      async (request, reply) => {
        const result = await changePassword(deps, request.actor, {
          userId: request.params.id,
          currentPassword: request.body.current_password,
          password: request.body.password,
          keepSessionHash: request.session?.tokenHash,
        });
        if (result.kind === 'locked')
          return sendBackoff(reply, result.retryAfterMs, 'Too many wrong passwords: try again later');
        return reply.code(204).send();
      },
    );

    app.post(
      '/password_reset',
      { config: { public: true }, schema: { body: ResetBody } },
      async (request, reply) => {
        await requestReset(deps, request.body.email);
        return reply.code(202).send();
      },
    );

    app.post(
      '/password_reset/complete',
      { config: { public: true }, schema: { body: CompleteBody } },
      async (request, reply) => {
        await completeReset(deps, request.body.token, request.body.password);
        return reply.code(204).send();
      },
    );
  };
}
