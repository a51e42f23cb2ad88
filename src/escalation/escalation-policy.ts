import type { FieldErrors } from '../lib/errors.js';
import { shortId } from '../lib/ids.js';
import { slackChannelField } from '../notify/slack/slack-routing.js';
import type { EscalationPoliciesTable } from '../store/database.js';

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
  /** Tocsin's addition: the Slack channel an incident reaching this level is posted to. */
  slack_channel_id?: string | null;
}

/** Parses `escalation_policies.rules`. */
export function parseRules(json: string): EscalationRule[] {
  return JSON.parse(json) as EscalationRule[];
}

/** The most levels, targets per level and loops a policy may have. */
export const policyLimits = { maxTargets: 10, maxLoops: 9, minDelayMinutes: 1 } as const;

/** The lock key that serializes deleting a policy with services starting to reference it. */
export function policyLockKey(id: string): string {
  return `escalation-policy:${id}`;
}

/** When on-call hand-off notifications are sent for the policy's users. */
export type HandoffNotifications = 'if_has_services' | 'always';

/** An escalation policy as the domain sees it. */
export interface EscalationPolicy {
  id: string;
  name: string;
  description: string | null;
  numLoops: number;
  handoffNotifications: HandoffNotifications;
  teamId: string | null;
  rules: EscalationRule[];
  createdAt: string;
  updatedAt: string;
}

/** The writable settings of a policy (REST create/update bodies after validation). */
export type PolicySettings = Omit<EscalationPolicy, 'id' | 'createdAt' | 'updatedAt'>;

/** PagerDuty's defaults for what a new policy's body leaves out. */
export const defaultPolicySettings: Omit<PolicySettings, 'name' | 'rules'> = {
  description: null,
  numLoops: 0,
  handoffNotifications: 'if_has_services',
  teamId: null,
};

/** Reads a row into a policy. */
export function policyFromRow(row: EscalationPoliciesTable): EscalationPolicy {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    numLoops: row.num_loops,
    handoffNotifications: row.on_call_handoff_notifications === 'always' ? 'always' : 'if_has_services',
    teamId: row.team_id,
    rules: parseRules(row.rules),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** Writes a policy's settings into row columns. */
export function policySettingsToRow(
  s: PolicySettings,
): Omit<EscalationPoliciesTable, 'id' | 'created_at' | 'updated_at' | 'deleted_at'> {
  return {
    name: s.name,
    description: s.description,
    num_loops: s.numLoops,
    on_call_handoff_notifications: s.handoffNotifications,
    team_id: s.teamId,
    rules: JSON.stringify(s.rules),
  };
}

type Json = Record<string, unknown>;
const isJson = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const targetTypes: Record<string, EscalationTarget['type']> = {
  user: 'user_reference',
  user_reference: 'user_reference',
  schedule: 'schedule_reference',
  schedule_reference: 'schedule_reference',
};

function target(value: unknown, where: string, errors: FieldErrors): EscalationTarget | undefined {
  const type = isJson(value) && typeof value.type === 'string' ? targetTypes[value.type] : undefined;
  if (!isJson(value) || typeof value.id !== 'string' || value.id === '' || type === undefined) {
    errors.add(`${where} must be a reference with an id and type user_reference or schedule_reference`);
    return undefined;
  }
  return { type, id: value.id };
}

function rule(value: unknown, where: string, errors: FieldErrors, base: EscalationRule[]): EscalationRule {
  const r = isJson(value) ? value : {};
  if (!isJson(value)) errors.add(`${where} must be an object`);
  const delay = r.escalation_delay_in_minutes;
  if (typeof delay !== 'number' || !Number.isInteger(delay) || delay < policyLimits.minDelayMinutes)
    errors.add(`${where}.escalation_delay_in_minutes must be a whole number of minutes, at least 1`);
  const raw = Array.isArray(r.targets) ? (r.targets as unknown[]) : [];
  if (raw.length < 1 || raw.length > policyLimits.maxTargets)
    errors.add(`${where}.targets must list 1 to ${policyLimits.maxTargets} targets`);
  const strategy = r.escalation_rule_assignment_strategy;
  const strategyType = isJson(strategy) ? strategy.type : strategy;
  if (strategyType !== undefined && strategyType !== 'assign_to_everyone' && strategyType !== 'round_robin')
    errors.add(`${where}.escalation_rule_assignment_strategy must be assign_to_everyone or round_robin`);
  const targets = raw.map((t, i) => target(t, `${where}.targets[${i}]`, errors));
  // A client that does not know the field (it echoes PagerDuty's shape) keeps the level's channel.
  const kept = base.find((b) => b.id === r.id)?.slack_channel_id ?? null;
  const slack = slackChannelField(r, kept, `${where}.slack_channel_id`, errors, 'slack_channel_id');
  return {
    id: typeof r.id === 'string' && r.id !== '' ? r.id : shortId(),
    escalation_delay_in_minutes: typeof delay === 'number' ? delay : 0,
    targets: targets.filter((t): t is EscalationTarget => t !== undefined),
    ...(slack !== null && { slack_channel_id: slack }),
  };
}

/**
 * Validates a REST policy body against a base (defaults on create, the current policy on update),
 * recording every problem in `errors`; existence of targets and team is the caller's to check.
 */
export function validatePolicyInput(
  input: Json,
  base: Omit<PolicySettings, 'name' | 'rules'> & { name?: string; rules?: EscalationRule[] },
  errors: FieldErrors,
): PolicySettings {
  const has = (key: string) => Object.prototype.hasOwnProperty.call(input, key);
  const name = has('name') ? input.name : base.name;
  if (typeof name !== 'string' || name.trim() === '') errors.add('Name cannot be empty');
  else if (name.length > 255) errors.add('Name is too long (maximum is 255 characters)');
  const description = has('description') ? input.description : base.description;
  if (description !== null && description !== undefined && typeof description !== 'string')
    errors.add('description must be a string');
  const loops = has('num_loops') ? input.num_loops : base.numLoops;
  if (typeof loops !== 'number' || !Number.isInteger(loops) || loops < 0 || loops > policyLimits.maxLoops)
    errors.add(`num_loops must be a whole number from 0 to ${policyLimits.maxLoops}`);
  const handoff = has('on_call_handoff_notifications') ? input.on_call_handoff_notifications : undefined;
  if (handoff !== undefined && handoff !== 'if_has_services' && handoff !== 'always')
    errors.add('on_call_handoff_notifications must be if_has_services or always');
  let teamId = base.teamId;
  if (has('teams')) {
    const teams = input.teams;
    if (teams === null || (Array.isArray(teams) && teams.length === 0)) teamId = null;
    else if (
      Array.isArray(teams) &&
      teams.length === 1 &&
      isJson(teams[0]) &&
      typeof teams[0].id === 'string'
    )
      teamId = teams[0].id;
    else errors.add('teams must list at most one team reference');
  }
  let rules = base.rules ?? [];
  if (has('escalation_rules') || base.rules === undefined) {
    const raw = input.escalation_rules;
    if (!Array.isArray(raw) || raw.length === 0) errors.add('escalation_rules must list at least one rule');
    const before = base.rules ?? [];
    rules = Array.isArray(raw) ? raw.map((r, i) => rule(r, `escalation_rules[${i}]`, errors, before)) : [];
  }
  return {
    name: typeof name === 'string' ? name.trim() : '',
    description: typeof description === 'string' ? description : null,
    numLoops: typeof loops === 'number' ? loops : 0,
    handoffNotifications:
      handoff === 'always' || handoff === 'if_has_services' ? handoff : base.handoffNotifications,
    teamId,
    rules,
  };
}
