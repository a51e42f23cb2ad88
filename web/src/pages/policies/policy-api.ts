import type { Reference } from '../../api/types.js';

/** A level of a policy. */
export interface PolicyRule {
  id?: string;
  escalation_delay_in_minutes: number;
  targets: Reference[];
}

/** An escalation policy as `/escalation_policies` presents it. */
export interface Policy {
  id: string;
  name: string;
  description: string | null;
  num_loops: number;
  on_call_handoff_notifications: 'if_has_services' | 'always';
  escalation_rules: PolicyRule[];
  services: Reference[];
  teams: Reference[];
}

/** The editable part of a policy. */
export interface PolicyDraft {
  name: string;
  description: string;
  num_loops: number;
  on_call_handoff_notifications: 'if_has_services' | 'always';
  team: string;
  rules: PolicyRule[];
}

/** A draft from a policy (or an empty one with one 30-minute level). */
export function draftOf(policy: Policy | undefined): PolicyDraft {
  if (!policy)
    return {
      name: '',
      description: '',
      num_loops: 0,
      on_call_handoff_notifications: 'if_has_services',
      team: '',
      rules: [{ escalation_delay_in_minutes: 30, targets: [] }],
    };
  return {
    name: policy.name,
    description: policy.description ?? '',
    num_loops: policy.num_loops,
    on_call_handoff_notifications: policy.on_call_handoff_notifications,
    team: policy.teams[0]?.id ?? '',
    rules: policy.escalation_rules.map((r) => ({ ...r, targets: [...r.targets] })),
  };
}

/** The request body of POST/PUT `/escalation_policies`. */
export function bodyOf(d: PolicyDraft) {
  return {
    escalation_policy: {
      type: 'escalation_policy',
      name: d.name,
      description: d.description || null,
      num_loops: d.num_loops,
      on_call_handoff_notifications: d.on_call_handoff_notifications,
      teams: d.team ? [{ id: d.team, type: 'team_reference' }] : [],
      escalation_rules: d.rules.map((r) => ({
        escalation_delay_in_minutes: r.escalation_delay_in_minutes,
        targets: r.targets.map((t) => ({
          id: t.id,
          type: t.type.startsWith('schedule') ? 'schedule_reference' : 'user_reference',
        })),
      })),
    },
  };
}
