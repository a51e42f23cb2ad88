import type { Kysely } from 'kysely';
import { parseRules } from '../escalation/escalation-policy.js';
import { AppError } from '../lib/errors.js';
import type { Database } from '../store/database.js';
import type { Actor } from './actor.js';

type Db = Kysely<Database>;

/*
 * Team scoping (docs/roles.md): admins change everything; a manager changes a resource when they are a
 * member (team role manager or responder, not observer) of every team the resource belongs to, and any
 * resource that belongs to no team. Teams are looked up when the action runs, not cached on the actor,
 * so a membership change takes effect on the next request.
 */

/** The live teams among `teamIds` in which the user has a team role that may act (not observer). */
export async function actingTeams(
  db: Db,
  userId: string | null,
  teamIds: readonly string[],
): Promise<Set<string>> {
  if (userId === null || teamIds.length === 0) return new Set();
  const rows = await db
    .selectFrom('team_members as m')
    .innerJoin('teams as t', 't.id', 'm.team_id')
    .select('m.team_id')
    .where('m.user_id', '=', userId)
    .where('m.team_id', 'in', [...teamIds])
    .where('m.role', '<>', 'observer')
    .where('t.deleted_at', 'is', null)
    .execute();
  return new Set(rows.map((r) => r.team_id));
}

const unique = (ids: readonly (string | null)[]) => [
  ...new Set(ids.filter((id): id is string => id !== null)),
];

/** Whether the actor's user acts in every one of the teams (true when there are none). */
export async function inEveryTeam(
  db: Db,
  actor: Actor,
  teamIds: readonly (string | null)[],
): Promise<boolean> {
  const wanted = unique(teamIds);
  if (wanted.length === 0) return true;
  const mine = await actingTeams(db, actor.userId, wanted);
  return wanted.every((id) => mine.has(id));
}

/** Whether the actor may change configuration owned by these teams (see above). */
export async function mayConfigure(
  db: Db,
  actor: Actor,
  teamIds: readonly (string | null)[],
): Promise<boolean> {
  if (actor.readOnly) return false;
  if (actor.role === 'admin') return true;
  if (actor.role !== 'manager') return false;
  return inEveryTeam(db, actor, teamIds);
}

/** Throws 403 unless the actor may change configuration owned by these teams. */
export async function requireTeamScope(
  db: Db,
  actor: Actor,
  teamIds: readonly (string | null)[],
): Promise<void> {
  if (!(await mayConfigure(db, actor, teamIds))) throw new AppError('forbidden');
}

/** The team of a policy (none when it has none, or is gone). */
export async function policyTeams(db: Db, policyId: string | null): Promise<string[]> {
  if (policyId === null) return [];
  const row = await db
    .selectFrom('escalation_policies')
    .select('team_id')
    .where('id', '=', policyId)
    .executeTakeFirst();
  return row?.team_id ? [row.team_id] : [];
}

/** The teams of a service: its escalation policy's team (services have no team of their own). */
export async function serviceTeams(db: Db, serviceId: string): Promise<string[]> {
  const row = await db
    .selectFrom('services')
    .select('escalation_policy_id')
    .where('id', '=', serviceId)
    .executeTakeFirst();
  return policyTeams(db, row?.escalation_policy_id ?? null);
}

/** The teams of a schedule: the teams of the live escalation policies that target it. */
export async function scheduleTeams(db: Db, scheduleId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('escalation_policies')
    .select(['team_id', 'rules'])
    .where('deleted_at', 'is', null)
    .where('team_id', 'is not', null)
    .where('rules', 'like', `%${scheduleId}%`)
    .execute();
  const targeting = rows.filter((p) =>
    parseRules(p.rules).some((r) =>
      r.targets.some((t) => t.type === 'schedule_reference' && t.id === scheduleId),
    ),
  );
  return unique(targeting.map((p) => p.team_id));
}
