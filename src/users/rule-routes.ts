import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { DomainRoutesDeps } from '../http/routes-deps.js';
import { handoffRules } from './handoff-rule-service.js';
import { notificationRules } from './notification-rule-service.js';
import { presentHandoffRule, presentNotificationRule } from './presenters.js';

const Json = Type.Record(Type.String(), Type.Unknown());
const UserParams = Type.Object({ id: Type.String() });
const RuleParams = Type.Object({ id: Type.String(), rule_id: Type.String() });
const Strings = Type.Optional(Type.Array(Type.String()));
const ListQuery = Type.Object({
  urgency: Type.Optional(Type.Union([Type.Literal('high'), Type.Literal('low')])),
  'include[]': Strings,
  include: Strings,
});
const NotificationBody = Type.Object({ notification_rule: Json });
const HandoffBody = Type.Object({ oncall_handoff_notification_rule: Json });

/** REST v2: a user's assignment notification rules and on-call handoff notification rules. */
export function ruleRoutes(deps: DomainRoutesDeps) {
  const { links } = deps;
  return async function plugin(fastify: FastifyInstance): Promise<void> {
    const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
    const rules = '/users/:id/notification_rules';
    const handoffs = '/users/:id/oncall_handoff_notification_rules';

    app.get(rules, { schema: { params: UserParams, querystring: ListQuery } }, async (request) => {
      const { id } = request.params;
      const list = await notificationRules.list(deps, request.actor, id, request.query.urgency);
      return { notification_rules: list.map((v) => presentNotificationRule(links, v)) };
    });
    app.post(rules, { schema: { params: UserParams, body: NotificationBody } }, async (request, reply) => {
      const { id } = request.params;
      const view = await notificationRules.create(deps, request.actor, id, request.body.notification_rule);
      return reply.code(201).send({ notification_rule: presentNotificationRule(links, view) });
    });
    app.get(`${rules}/:rule_id`, { schema: { params: RuleParams } }, async (request) => {
      const { id, rule_id: ruleId } = request.params;
      const view = await notificationRules.get(deps, request.actor, id, ruleId);
      return { notification_rule: presentNotificationRule(links, view) };
    });
    app.put(
      `${rules}/:rule_id`,
      { schema: { params: RuleParams, body: NotificationBody } },
      async (request) => {
        const { id, rule_id: ruleId } = request.params;
        const body = request.body.notification_rule;
        const view = await notificationRules.update(deps, request.actor, id, ruleId, body);
        return { notification_rule: presentNotificationRule(links, view) };
      },
    );
    app.delete(`${rules}/:rule_id`, { schema: { params: RuleParams } }, async (request, reply) => {
      const { id, rule_id: ruleId } = request.params;
      await notificationRules.remove(deps, request.actor, id, ruleId);
      return reply.code(204).send();
    });

    app.get(handoffs, { schema: { params: UserParams } }, async (request) => {
      const list = await handoffRules.list(deps, request.actor, request.params.id);
      return { oncall_handoff_notification_rules: list.map((v) => presentHandoffRule(links, v)) };
    });
    app.post(handoffs, { schema: { params: UserParams, body: HandoffBody } }, async (request, reply) => {
      const body = request.body.oncall_handoff_notification_rule;
      const view = await handoffRules.create(deps, request.actor, request.params.id, body);
      return reply.code(201).send({ oncall_handoff_notification_rule: presentHandoffRule(links, view) });
    });
    app.get(`${handoffs}/:rule_id`, { schema: { params: RuleParams } }, async (request) => {
      const { id, rule_id: ruleId } = request.params;
      const view = await handoffRules.get(deps, request.actor, id, ruleId);
      return { oncall_handoff_notification_rule: presentHandoffRule(links, view) };
    });
    app.put(
      `${handoffs}/:rule_id`,
      { schema: { params: RuleParams, body: HandoffBody } },
      async (request) => {
        const { id, rule_id: ruleId } = request.params;
        const body = request.body.oncall_handoff_notification_rule;
        const view = await handoffRules.update(deps, request.actor, id, ruleId, body);
        return { oncall_handoff_notification_rule: presentHandoffRule(links, view) };
      },
    );
    app.delete(`${handoffs}/:rule_id`, { schema: { params: RuleParams } }, async (request, reply) => {
      const { id, rule_id: ruleId } = request.params;
      await handoffRules.remove(deps, request.actor, id, ruleId);
      return reply.code(204).send();
    });
  };
}
