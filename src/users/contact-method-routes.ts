import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { DomainRoutesDeps } from '../http/routes-deps.js';
import * as methods from './contact-method-service.js';
import { presentContactMethod } from './presenters.js';

const Json = Type.Record(Type.String(), Type.Unknown());
const UserParams = Type.Object({ id: Type.String() });
const MethodParams = Type.Object({ id: Type.String(), contact_method_id: Type.String() });
/** `default_notification_rule: false` (Tocsin's addition) skips the first SMS/phone/push default rule. */
const CreateBody = Type.Object({
  contact_method: Json,
  default_notification_rule: Type.Optional(Type.Boolean()),
});
const UpdateBody = Type.Object({ contact_method: Json });

/** REST v2: a user's contact methods. */
export function contactMethodRoutes(deps: DomainRoutesDeps) {
  const { links } = deps;
  return async function plugin(fastify: FastifyInstance): Promise<void> {
    const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
    const path = '/users/:id/contact_methods';

    app.get(path, { schema: { params: UserParams } }, async (request) => {
      const list = await methods.listContactMethods(deps, request.actor, request.params.id);
      return { contact_methods: list.map((m) => presentContactMethod(links, m)) };
    });

    app.post(path, { schema: { params: UserParams, body: CreateBody } }, async (request, reply) => {
      const { contact_method: body, default_notification_rule: withRule } = request.body;
      const method = await methods.createContactMethod(
        deps,
        request.actor,
        request.params.id,
        body,
        withRule ?? true,
      );
      return reply.code(201).send({ contact_method: presentContactMethod(links, method) });
    });

    app.get(`${path}/:contact_method_id`, { schema: { params: MethodParams } }, async (request) => {
      const { id, contact_method_id: methodId } = request.params;
      const method = await methods.getContactMethod(deps, request.actor, id, methodId);
      return { contact_method: presentContactMethod(links, method) };
    });

    app.put(
      `${path}/:contact_method_id`,
      { schema: { params: MethodParams, body: UpdateBody } },
      async (request) => {
        const { id, contact_method_id: methodId } = request.params;
        const body = request.body.contact_method;
        const method = await methods.updateContactMethod(deps, request.actor, id, methodId, body);
        return { contact_method: presentContactMethod(links, method) };
      },
    );

    app.delete(`${path}/:contact_method_id`, { schema: { params: MethodParams } }, async (request, reply) => {
      const { id, contact_method_id: methodId } = request.params;
      await methods.deleteContactMethod(deps, request.actor, id, methodId);
      return reply.code(204).send();
    });
  };
}
