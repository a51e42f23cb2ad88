import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { DomainRoutesDeps } from '../http/routes-deps.js';
import { sendBackoff } from './password-routes.js';
import { sendNewSession } from './session-routes.js';
import { completeSetup, setupNeeded } from './setup.js';

const SetupBody = Type.Object({
  admin_token: Type.String(),
  name: Type.String(),
  email: Type.String(),
  password: Type.String(),
});

/** REST: first-run setup (`GET /setup` tells whether it is needed, `POST /setup` does it). */
export function setupRoutes(deps: DomainRoutesDeps) {
  return async function plugin(fastify: FastifyInstance): Promise<void> {
    const app = fastify.withTypeProvider<TypeBoxTypeProvider>();

    app.get('/setup', { config: { public: true } }, async () => ({ needed: await setupNeeded(deps) }));

    app.post('/setup', { config: { public: true }, schema: { body: SetupBody } }, async (request, reply) => {
      const { body } = request;
      const result = await completeSetup(deps, {
        adminToken: body.admin_token,
        name: body.name,
        email: body.email,
        password: body.password,
        ip: request.ip,
        userAgent: request.headers['user-agent'],
      });
      if (result.kind === 'locked')
        return sendBackoff(reply, result.retryAfterMs, 'Too many wrong admin tokens: try again later');
      return sendNewSession(deps, reply, result.session);
    });
  };
}
