import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import type { Actor } from '../auth/actor.js';
import { actorForToken, tokenFromHeader } from '../auth/token-store.js';
import type { Clock } from '../lib/clock.js';
import { AppError } from '../lib/errors.js';
import type { Database } from '../store/database.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The authenticated actor (set on every /api/v2 request). */
    actor: Actor;
  }
}

/** Requires `Authorization: Token token=…` on every route of the plugin it is registered in. */
export function requireToken(app: FastifyInstance, db: Kysely<Database>, clock: Clock): void {
  app.decorateRequest('actor', null as unknown as Actor);
  app.addHook('onRequest', async (request: FastifyRequest) => {
    const token = tokenFromHeader(request.headers.authorization);
    const actor = token ? await actorForToken(db, token, clock.now()) : undefined;
    if (!actor) throw new AppError('unauthorized');
    request.actor = actor;
  });
}
