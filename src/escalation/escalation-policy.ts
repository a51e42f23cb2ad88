/** A target of an escalation rule: a user paged directly, or whoever is on call on a schedule. */
export interface EscalationTarget {
  type: 'user_reference' | 'schedule_reference';
  id: string;
}

/** One level of an escalation policy (JSON in `escalation_policies.rules`, in level order). */
export interface EscalationRule {
  id: string;
  escalation_delay_in_minutes: number;
  targets: EscalationTarget[];
}

/** Parses `escalation_policies.rules`. */
export function parseRules(json: string): EscalationRule[] {
  return JSON.parse(json) as EscalationRule[];
}

/** The most levels, targets per level and loops a policy may have. */
export const policyLimits = { maxTargets: 10, maxLoops: 9, minDelayMinutes: 1 } as const;
