import { canConfigure, type Actor } from '../auth/actor.js';
import type { Clock } from '../lib/clock.js';
import { AppError, FieldErrors } from '../lib/errors.js';
import { shortId } from '../lib/ids.js';
import type { Store, Tx } from '../store/store.js';
import {
  defaultPolicySettings,
  policyFromRow,
  policyLockKey,
  policySettingsToRow,
  validatePolicyInput,
  type EscalationPolicy,
  type PolicySettings,
} from './escalation-policy.js';
import * as db from './escalation-policy-store.js';
import { recordChange } from '../audit/audit-service.js';
import type { AuditAction } from '../audit/audit.js';
import { requireTeamScope } from '../auth/team-scope.js';

/** What the policy rules need. */
export interface PolicyDeps {
  store: Store;
  clock: Clock;
}

/** A policy with what its presentation needs: its live services, team and target names. */
export interface PolicyView {
  policy: EscalationPolicy;
  services: db.Named[];
  team: db.Named | null;
  /** Names of live users and schedules by id. */
  names: Map<string, string>;
}

/** Filters of the policy list. */
export interface PolicyListFilter extends db.PolicyFilter {
  userIds?: string[] | undefined;
  descending?: boolean;
}

type Json = Record<string, unknown>;

function requireConfigure(actor: Actor): void {
  if (!canConfigure(actor)) throw new AppError('forbidden');
}

type PolicyRow = ReturnType<typeof policySettingsToRow> & { id: string };

/** Records a change of a policy in the caller's transaction. */
async function audit(
  tx: Tx,
  actor: Actor,
  at: string,
  action: AuditAction,
  before: PolicyRow | null,
  after: PolicyRow | null,
) {
  const p = (after ?? before)!;
  await recordChange(tx, actor, at, {
    root: { type: 'escalation_policies', id: p.id, summary: p.name },
    action,
    before,
    after,
  });
}

async function views(deps: PolicyDeps, policies: EscalationPolicy[]): Promise<PolicyView[]> {
  const targets = policies.flatMap((p) => p.rules.flatMap((r) => r.targets));
  const ids = (type: string) => [...new Set(targets.filter((t) => t.type === type).map((t) => t.id))];
  const teamIds = [...new Set(policies.flatMap((p) => (p.teamId === null ? [] : [p.teamId])))];
  const [services, users, schedules, teams] = await Promise.all([
    db.servicesOfPolicies(
      deps.store.db,
      policies.map((p) => p.id),
    ),
    db.liveUsers(deps.store.db, ids('user_reference')),
    db.liveSchedules(deps.store.db, ids('schedule_reference')),
    db.liveTeams(deps.store.db, teamIds),
  ]);
  const names = new Map([...users, ...schedules].map((n) => [n.id, n.name]));
  return policies.map((policy) => ({
    policy,
    services: services.filter((s) => s.policyId === policy.id),
    team: teams.find((t) => t.id === policy.teamId) ?? null,
    names,
  }));
}

async function livePolicy(deps: PolicyDeps, id: string): Promise<EscalationPolicy> {
  const row = await db.findPolicyRow(deps.store.db, id);
  if (!row) throw new AppError('notFound');
  return policyFromRow(row);
}

/** For each policy, the users it reaches directly or through the layers of a targeted schedule. */
async function usersReached(deps: PolicyDeps, policies: EscalationPolicy[]): Promise<Set<string>[]> {
  const targetsOf = (p: EscalationPolicy) => p.rules.flatMap((r) => r.targets);
  const scheduleIds = policies.flatMap(targetsOf).filter((t) => t.type === 'schedule_reference');
  const members = await db.scheduleLayerUsers(deps.store.db, [...new Set(scheduleIds.map((t) => t.id))]);
  return policies.map(
    (p) =>
      new Set(
        targetsOf(p).flatMap((t) => (t.type === 'user_reference' ? [t.id] : (members.get(t.id) ?? []))),
      ),
  );
}

/** Lists live policies by name; `user_ids` keeps those reaching a user directly or through a schedule. */
export async function listPolicies(
  deps: PolicyDeps,
  _actor: Actor,
  filter: PolicyListFilter,
  page: { limit: number; offset: number; total: boolean },
): Promise<{ views: PolicyView[]; total: number | null }> {
  let policies = (await db.listPolicyRows(deps.store.db, filter, filter.descending)).map(policyFromRow);
  const wanted = filter.userIds?.filter((u) => u !== '') ?? [];
  if (wanted.length > 0) {
    const reached = await usersReached(deps, policies);
    policies = policies.filter((_p, i) => wanted.some((u) => reached[i]!.has(u)));
  }
  const slice = policies.slice(page.offset, page.offset + page.limit);
  return { views: await views(deps, slice), total: page.total ? policies.length : null };
}

/** One live policy. */
export async function getPolicy(deps: PolicyDeps, _actor: Actor, id: string): Promise<PolicyView> {
  const [view] = await views(deps, [await livePolicy(deps, id)]);
  return view!;
}

/**
 * Checks, inside the write transaction, that the name is free and that targets and the team the body
 * adds are live (those the policy already had are not re-checked, so it stays editable after a deletion).
 */
async function checkReferences(tx: Tx, s: PolicySettings, errors: FieldErrors, current?: EscalationPolicy) {
  const exceptId = current?.id;
  const known = new Set(current?.rules.flatMap((r) => r.targets.map((t) => `${t.type}:${t.id}`)) ?? []);
  await tx.lockKeys([`escalation-policy-name:${s.name.toLowerCase()}`]);
  if (s.name !== '' && (await db.policyNameTaken(tx.db, s.name, exceptId)))
    errors.add('Name has already been taken');
  const targets = s.rules.flatMap((r) => r.targets).filter((t) => !known.has(`${t.type}:${t.id}`));
  const of = (type: string) => [...new Set(targets.filter((t) => t.type === type).map((t) => t.id))];
  const users = new Set((await db.liveUsers(tx.db, of('user_reference'))).map((u) => u.id));
  const schedules = new Set((await db.liveSchedules(tx.db, of('schedule_reference'))).map((u) => u.id));
  for (const id of of('user_reference')) if (!users.has(id)) errors.add(`User ${id} not found`);
  for (const id of of('schedule_reference')) if (!schedules.has(id)) errors.add(`Schedule ${id} not found`);
  if (
    s.teamId !== null &&
    s.teamId !== current?.teamId &&
    (await db.liveTeams(tx.db, [s.teamId])).length === 0
  )
    errors.add(`Team ${s.teamId} not found`);
  errors.throwIfAny();
}

/** Creates a policy; every invalid field, unknown target and a taken name are reported together. */
export async function createPolicy(deps: PolicyDeps, actor: Actor, input: Json): Promise<PolicyView> {
  requireConfigure(actor);
  const errors = new FieldErrors();
  const settings = validatePolicyInput(input, defaultPolicySettings, errors);
  // A policy belongs to its team: a manager creates policies only for teams they act in (or none).
  await requireTeamScope(deps.store.db, actor, [settings.teamId]);
  const at = deps.clock.now().toISOString();
  const id = shortId();
  await deps.store.transaction(async (tx) => {
    await checkReferences(tx, settings, errors);
    const row = { id, ...policySettingsToRow(settings), created_at: at, updated_at: at, deleted_at: null };
    await db.insertPolicy(tx.db, row);
    await audit(tx, actor, at, 'create', null, row);
  });
  return getPolicy(deps, actor, id);
}

/** Updates a live policy from a partial body (`escalation_rules`, when sent, replace all rules). */
export async function updatePolicy(
  deps: PolicyDeps,
  actor: Actor,
  id: string,
  input: Json,
): Promise<PolicyView> {
  requireConfigure(actor);
  const current = await livePolicy(deps, id);
  const errors = new FieldErrors();
  const settings = validatePolicyInput(input, current, errors);
  await requireTeamScope(deps.store.db, actor, [current.teamId, settings.teamId]);
  const at = deps.clock.now().toISOString();
  await deps.store.transaction(async (tx) => {
    await checkReferences(tx, settings, errors, current);
    const row = policySettingsToRow(settings);
    await db.updatePolicyRow(tx.db, id, { ...row, updated_at: at });
    await audit(tx, actor, at, 'update', { id, ...policySettingsToRow(current) }, { id, ...row });
  });
  return getPolicy(deps, actor, id);
}

/** Soft-deletes a policy; refused (400) while a live service references it, as PagerDuty does. */
export async function deletePolicy(deps: PolicyDeps, actor: Actor, id: string): Promise<void> {
  requireConfigure(actor);
  const current = await livePolicy(deps, id);
  await requireTeamScope(deps.store.db, actor, [current.teamId]);
  const at = deps.clock.now().toISOString();
  await deps.store.transaction(async (tx) => {
    await tx.lockKeys([policyLockKey(id)]);
    const services = await db.servicesOfPolicies(tx.db, [id]);
    if (services.length > 0) {
      const names = services.map((s) => s.name).join(', ');
      throw new AppError('invalidInput', [`Escalation policy is in use by services: ${names}`]);
    }
    await db.updatePolicyRow(tx.db, id, { deleted_at: at, updated_at: at });
    await audit(tx, actor, at, 'delete', { id, ...policySettingsToRow(current) }, null);
  });
}
