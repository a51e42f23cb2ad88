import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { AppError } from '../lib/errors.js';
import { hasAbility, TOCSIN_ABILITIES } from './abilities.js';

const tags = ['Abilities'];

/** REST v2: the account's abilities (every authenticated caller may read them). */
export async function abilitiesRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  app.get(
    '/abilities',
    { schema: { operationId: 'listAbilities', summary: 'List abilities', tags } },
    async () => ({ abilities: [...TOCSIN_ABILITIES] }),
  );
  app.get(
    '/abilities/:id',
    {
      schema: {
        params: Type.Object({ id: Type.String() }),
        operationId: 'getAbility',
        summary: 'Test an ability: 204 when the account has it, 402 when it does not',
        tags,
      },
    },
    async (request, reply) => {
      const has = hasAbility(request.params.id);
      if (has === undefined) throw new AppError('notFound');
      if (!has) throw new AppError('abilityUnavailable');
      return reply.code(204).send();
    },
  );
}
