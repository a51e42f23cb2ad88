import { canManagePeople, type Actor } from '../auth/actor.js';
import { AppError } from '../lib/errors.js';
import { shortId } from '../lib/ids.js';
import { parseTeamRole, teamFromRow, validateTeamInput, type Team } from './team.js';
import * as db from './team-store.js';
import { liveUser, type UserDeps } from './user-service.js';
import { auditTeam } from './people-audit.js';
import { requireTeamScope } from '../auth/team-scope.js';

type Json = Record<string, unknown>;

const nameTaken = () => new AppError('invalidInput', ['Name has already been taken']);

function requireManage(actor: Actor): void {
  if (!canManagePeople(actor)) throw new AppError('forbidden');
}

/*
 * Changing a team or its members is team-scoped like the team's services: admins, or managers who act in
 * the team (else a manager could join any team and take over its services).
 */
async function requireManageTeam(deps: UserDeps, actor: Actor, teamId: string): Promise<void> {
  requireManage(actor);
  await requireTeamScope(deps.store.db, actor, [teamId]);
}

/** A live team, or 404. */
export async function getTeam(deps: UserDeps, _actor: Actor, id: string): Promise<Team> {
  const row = await db.findTeamRow(deps.store.db, id);
  if (!row) throw new AppError('notFound');
  return teamFromRow(row);
}

/** Lists live teams by name; `limit` rows are read (callers add one to tell `more`). */
export async function listTeams(
  deps: UserDeps,
  _actor: Actor,
  query: string | undefined,
  page: { limit: number; offset: number; total: boolean },
): Promise<{ teams: Team[]; total: number | null }> {
  const rows = await db.listTeamRows(deps.store.db, query, page);
  const total = page.total ? await db.countTeams(deps.store.db, query) : null;
  return { teams: rows.map(teamFromRow), total };
}

/** Creates a team; names are unique among live teams, ignoring case. */
export async function createTeam(deps: UserDeps, actor: Actor, input: Json): Promise<Team> {
  requireManage(actor);
  const settings = validateTeamInput(input, {});
  const id = shortId();
  const at = deps.clock.now().toISOString();
  await deps.store.transaction(async (tx) => {
    await tx.lockKeys([`team-name:${settings.name.toLowerCase()}`]);
    if (await db.teamNameTaken(tx.db, settings.name)) throw nameTaken();
    await db.insertTeam(tx.db, { id, ...settings, created_at: at, updated_at: at, deleted_at: null });
    await auditTeam(
      tx,
      actor,
      at,
      { id, name: settings.name },
      { action: 'create', before: null, after: { id, ...settings } },
    );
    // A manager who creates a team manages it (an admin need not be a member of anything).
    if (actor.role !== 'admin' && actor.userId !== null) {
      await db.upsertMember(tx.db, { team_id: id, user_id: actor.userId, role: 'manager', created_at: at });
      const member = { type: 'user', id: actor.userId, summary: actor.summary };
      await auditTeam(
        tx,
        actor,
        at,
        { id, name: settings.name },
        {
          action: 'update',
          resource: member,
          before: { team_role: null },
          after: { team_role: 'manager' },
        },
      );
    }
  });
  return getTeam(deps, actor, id);
}

/** Renames a team or changes its description. */
export async function updateTeam(deps: UserDeps, actor: Actor, id: string, input: Json): Promise<Team> {
  const current = await getTeam(deps, actor, id);
  await requireManageTeam(deps, actor, id);
  const settings = validateTeamInput(input, current);
  const at = deps.clock.now().toISOString();
  await deps.store.transaction(async (tx) => {
    await tx.lockKeys([`team-name:${settings.name.toLowerCase()}`]);
    if (await db.teamNameTaken(tx.db, settings.name, id)) throw nameTaken();
    await db.updateTeamRow(tx.db, id, { ...settings, updated_at: at });
    const before = { id, name: current.name, description: current.description };
    await auditTeam(
      tx,
      actor,
      at,
      { id, name: settings.name },
      { action: 'update', before, after: { id, ...settings } },
    );
  });
  return getTeam(deps, actor, id);
}

/** Soft-deletes a team and removes its members. */
export async function deleteTeam(deps: UserDeps, actor: Actor, id: string): Promise<void> {
  const team = await getTeam(deps, actor, id);
  await requireManageTeam(deps, actor, id);
  const at = deps.clock.now().toISOString();
  await deps.store.transaction(async (tx) => {
    await db.softDeleteTeam(tx.db, id, at);
    const before = { id, name: team.name, description: team.description };
    await auditTeam(tx, actor, at, team, { action: 'delete', before, after: null });
  });
}

/** A page of a team's members with their team roles. */
export async function listMembers(
  deps: UserDeps,
  actor: Actor,
  teamId: string,
  page: { limit: number; offset: number; total: boolean },
): Promise<{ members: db.MemberRow[]; total: number | null }> {
  await getTeam(deps, actor, teamId);
  const members = await db.listMemberRows(deps.store.db, teamId, page);
  const total = page.total ? await db.countMembers(deps.store.db, teamId) : null;
  return { members, total };
}

/** Adds a user to a team, or changes their team role (default responder). */
export async function putMember(
  deps: UserDeps,
  actor: Actor,
  teamId: string,
  userId: string,
  input: Json,
): Promise<void> {
  requireManage(actor);
  const role = parseTeamRole(input.role);
  if (role === undefined) throw new AppError('invalidInput', ['role must be manager, responder or observer']);
  const team = await getTeam(deps, actor, teamId);
  await requireManageTeam(deps, actor, teamId);
  const user = await liveUser(deps, userId);
  const at = deps.clock.now().toISOString();
  await deps.store.transaction(async (tx) => {
    const before = await db.memberRole(tx.db, teamId, userId);
    await db.upsertMember(tx.db, { team_id: teamId, user_id: userId, role, created_at: at });
    const resource = { type: 'user', id: userId, summary: user.name };
    const change = { before: { team_role: before }, after: { team_role: role } };
    await auditTeam(tx, actor, at, team, { action: 'update', resource, ...change });
  });
}

/** Removes a user from a team (404 when they are not a member). */
export async function removeMember(
  deps: UserDeps,
  actor: Actor,
  teamId: string,
  userId: string,
): Promise<void> {
  const team = await getTeam(deps, actor, teamId);
  await requireManageTeam(deps, actor, teamId);
  const at = deps.clock.now().toISOString();
  await deps.store.transaction(async (tx) => {
    const before = await db.memberRole(tx.db, teamId, userId);
    if (!(await db.deleteMember(tx.db, teamId, userId))) throw new AppError('notFound');
    const name = (await db.userNames(tx.db, [userId])).get(userId) ?? userId;
    const resource = { type: 'user', id: userId, summary: name };
    const change = { before: { team_role: before }, after: { team_role: null } };
    await auditTeam(tx, actor, at, team, { action: 'update', resource, ...change });
  });
}
