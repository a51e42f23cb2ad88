import type {} from '@fastify/cookie';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { DomainRoutesDeps } from '../http/routes-deps.js';
import { AppError } from '../lib/errors.js';
import { presentUser } from '../users/presenters.js';
import { getUser } from '../users/user-service.js';
import { systemActor } from './actor.js';
import { sendBackoff } from './password-routes.js';
import { ABSOLUTE_LIFETIME_MS, SESSION_COOKIE, sessionCookieOptions } from './session.js';
import { activeSession, signIn, signOut, signOutEverywhere, type StartedSession } from './session-service.js';

const SignInBody = Type.Object({ email: Type.String(), password: Type.String() });

/** Sets the session cookie and answers `{user, csrf_token}` (sign-in and first-run setup). */
export async function sendNewSession(
  deps: DomainRoutesDeps,
  reply: FastifyReply,
  session: StartedSession,
): Promise<FastifyReply> {
  const view = await getUser(deps, systemActor, session.userId);
  return reply
    .setCookie(
      SESSION_COOKIE,
      session.cookieValue,
      sessionCookieOptions(deps.links.baseUrl, ABSOLUTE_LIFETIME_MS),
    )
    .code(201)
    .send({ user: presentUser(deps.links, view), csrf_token: session.csrfToken });
}

/** Removes the session cookie from the browser. */
export function clearSessionCookie(deps: DomainRoutesDeps, reply: FastifyReply): FastifyReply {
  const options = sessionCookieOptions(deps.links.baseUrl, 0);
  return reply.clearCookie(SESSION_COOKIE, { ...options, maxAge: undefined });
}

/** REST: sign in (`POST /session`), who am I (`GET /session`), sign out here or everywhere. */
export function sessionRoutes(deps: DomainRoutesDeps) {
  return async function plugin(fastify: FastifyInstance): Promise<void> {
    const app = fastify.withTypeProvider<TypeBoxTypeProvider>();

    app.post(
      '/session',
      { config: { public: true }, schema: { body: SignInBody } },
      async (request, reply) => {
        const result = await signIn(deps, {
          email: request.body.email,
          password: request.body.password,
          ip: request.ip,
          userAgent: request.headers['user-agent'],
        });
        if (result.kind === 'locked')
          return sendBackoff(reply, result.retryAfterMs, 'Too many failed sign-ins: try again later');
        return sendNewSession(deps, reply, result.session);
      },
    );

    app.get('/session', { config: { public: true } }, async (request) => {
      const session = await activeSession(deps, request.cookies[SESSION_COOKIE]);
      if (!session) throw new AppError('unauthorized', ['Not signed in']);
      const view = await getUser(deps, session.actor, session.userId);
      return { user: presentUser(deps.links, view), csrf_token: session.csrfToken };
    });

    app.delete('/session', async (request, reply) => {
      if (request.session) await signOut(deps, request.session.tokenHash);
      return clearSessionCookie(deps, reply).code(204).send();
    });

    app.delete('/sessions', async (request, reply) => {
      const { actor } = request;
      if (actor.kind !== 'user' || actor.userId === null)
        throw new AppError('invalidInput', ['Only a signed-in user or a user token can sign a user out']);
      await signOutEverywhere(deps, actor.userId);
      return clearSessionCookie(deps, reply).code(204).send();
    });
  };
}
