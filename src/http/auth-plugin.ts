import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Actor } from '../auth/actor.js';
import { CSRF_HEADER, isUnsafeMethod, SESSION_COOKIE } from '../auth/session.js';
import { activeSession, type ActiveSession } from '../auth/session-service.js';
import { actorForToken, tokenFromHeader } from '../auth/token-store.js';
import { authenticateBearer } from '../apps/bearer.js';
import type { Clock } from '../lib/clock.js';
import { AppError } from '../lib/errors.js';
import type { Store } from '../store/store.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The authenticated actor (set on every /api/v2 request that is not public). */
    actor: Actor;
    /** The browser session when the request was authenticated by the session cookie, else null. */
    session: ActiveSession | null;
  }
  interface FastifyContextConfig {
    /** The route authenticates by itself (sign-in, setup, password reset): the auth hook skips it. */
    public?: boolean;
  }
}

/** What authentication reads. */
export interface AuthDeps {
  store: Store;
  clock: Clock;
}

function sameSecret(given: string | undefined, expected: string): boolean {
  if (given === undefined) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * Authenticates every non-public route of the plugin it is registered in, in this order:
 * `Authorization: Token token=…` (API tokens), `Authorization: Bearer …` (OAuth access tokens), then the
 * session cookie, which on unsafe methods also needs `X-CSRF-Token` (else 403). An Authorization header
 * that does not authenticate is a 401 even with a valid cookie: a client that sends one meant it.
 * Read-only actors may only read.
 */
export function requireAuth(app: FastifyInstance, deps: AuthDeps): void {
  app.decorateRequest('actor', null as unknown as Actor);
  app.decorateRequest('session', null);
  app.addHook('onRequest', async (request: FastifyRequest) => {
    if (request.routeOptions.config.public === true) return;
    const actor = await authenticate(request, deps);
    if (actor.readOnly && isUnsafeMethod(request.method))
      throw new AppError('forbidden', ['This token is read-only']);
    request.actor = actor;
  });
}

async function authenticate(request: FastifyRequest, deps: AuthDeps): Promise<Actor> {
  const header = request.headers.authorization;
  if (header !== undefined) {
    const token = tokenFromHeader(header);
    const actor = token
      ? await actorForToken(deps.store.db, token, deps.clock.now())
      : await authenticateBearer(deps.store.db, header, deps.clock.now(), request);
    if (!actor) throw new AppError('unauthorized');
    return actor;
  }
  const session = await activeSession(deps, request.cookies[SESSION_COOKIE]);
  if (!session) throw new AppError('unauthorized');
  if (isUnsafeMethod(request.method)) {
    const given = request.headers[CSRF_HEADER];
    if (!sameSecret(typeof given === 'string' ? given : undefined, session.csrfToken))
      throw new AppError('forbidden', ['Missing or wrong X-CSRF-Token header']);
  }
  request.session = session;
  return session.actor;
}
