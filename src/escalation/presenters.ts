import type { Links } from '../http/rest.js';
import type { EscalationTarget } from './escalation-policy.js';
import type { PolicyView } from './escalation-policy-service.js';

/** An `escalation_policy_reference`. */
export function policyReference(links: Links, policy: { id: string; name: string }) {
  return links.reference('escalation_policy', 'escalation_policies', policy.id, policy.name);
}

/** A `user_reference`. */
export function userReference(links: Links, user: { id: string; name: string }) {
  return links.reference('user', 'users', user.id, user.name);
}

/** A `schedule_reference`. */
export function scheduleReference(links: Links, schedule: { id: string; name: string }) {
  return links.reference('schedule', 'schedules', schedule.id, schedule.name);
}

/** A rule target as a reference whose summary is the user's or schedule's name (the id if it is gone). */
function targetReference(links: Links, target: EscalationTarget, names: Map<string, string>) {
  const named = { id: target.id, name: names.get(target.id) ?? target.id };
  return target.type === 'user_reference' ? userReference(links, named) : scheduleReference(links, named);
}

/** An escalation policy as PagerDuty's REST API v2 shows it. */
export function presentPolicy(links: Links, view: PolicyView) {
  const p = view.policy;
  return {
    id: p.id,
    type: 'escalation_policy' as const,
    summary: p.name,
    self: links.self('escalation_policies', p.id),
    html_url: links.html('escalation_policies', p.id),
    name: p.name,
    description: p.description,
    num_loops: p.numLoops,
    on_call_handoff_notifications: p.handoffNotifications,
    escalation_rules: p.rules.map((rule) => ({
      id: rule.id,
      escalation_delay_in_minutes: rule.escalation_delay_in_minutes,
      targets: rule.targets.map((t) => targetReference(links, t, view.names)),
      // Every target of a level is notified; round_robin is accepted and treated the same way.
      escalation_rule_assignment_strategy: 'assign_to_everyone' as const,
      // Tocsin's addition: the Slack channel incidents reaching this level are posted to.
      slack_channel_id: rule.slack_channel_id ?? null,
    })),
    services: view.services.map((s) => links.reference('service', 'services', s.id, s.name)),
    teams: view.team === null ? [] : [links.reference('team', 'teams', view.team.id, view.team.name)],
    created_at: p.createdAt,
    updated_at: p.updatedAt,
  };
}
