import { sql, type Kysely, type Updateable } from 'kysely';
import type { Database, TeamMembersTable, TeamsTable } from '../store/database.js';
import { countRows, lowerContains, pageByName } from '../store/name-queries.js';

type Db = Kysely<Database>;

/** A team a user belongs to, for the user's `teams` references. */
export interface MembershipRow {
  user_id: string;
  team_id: string;
  name: string;
}

function filtered(db: Db, query: string | undefined) {
  let q = db.selectFrom('teams').where('deleted_at', 'is', null);
  if (query) q = q.where(lowerContains('name', query));
  return q;
}

/** A page of live teams by name (callers ask one extra row to tell `more`). */
export async function listTeamRows(
  db: Db,
  query: string | undefined,
  page: { limit: number; offset: number },
): Promise<TeamsTable[]> {
  return pageByName(filtered(db, query).selectAll(), page).execute();
}

/** How many live teams match. */
export async function countTeams(db: Db, query: string | undefined): Promise<number> {
  return countRows(filtered(db, query));
}

/** A live team row. */
export async function findTeamRow(db: Db, id: string): Promise<TeamsTable | undefined> {
  return db
    .selectFrom('teams')
    .selectAll()
    .where('id', '=', id)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
}

/** Whether a live team other than `exceptId` has this name (compared without case). */
export async function teamNameTaken(db: Db, name: string, exceptId?: string): Promise<boolean> {
  let q = db
    .selectFrom('teams')
    .select('id')
    .where('deleted_at', 'is', null)
    .where(sql<boolean>`lower(name) = ${name.toLowerCase()}`);
  if (exceptId !== undefined) q = q.where('id', '<>', exceptId);
  return (await q.executeTakeFirst()) !== undefined;
}

/** Inserts a team row. */
export async function insertTeam(db: Db, row: TeamsTable): Promise<void> {
  await db.insertInto('teams').values(row).execute();
}

/** Updates a live team row. */
export async function updateTeamRow(db: Db, id: string, values: Updateable<TeamsTable>): Promise<void> {
  await db.updateTable('teams').set(values).where('id', '=', id).execute();
}

/** Soft-deletes a team and removes its members. */
export async function softDeleteTeam(db: Db, id: string, at: string): Promise<void> {
  await db.deleteFrom('team_members').where('team_id', '=', id).execute();
  await db.updateTable('teams').set({ deleted_at: at, updated_at: at }).where('id', '=', id).execute();
}

/** Live teams of the given users, by team name. */
export async function membershipsOf(db: Db, userIds: string[]): Promise<MembershipRow[]> {
  if (userIds.length === 0) return [];
  return db
    .selectFrom('team_members as m')
    .innerJoin('teams as t', 't.id', 'm.team_id')
    .select(['m.user_id', 'm.team_id', 't.name'])
    .where('m.user_id', 'in', userIds)
    .where('t.deleted_at', 'is', null)
    .orderBy(sql`lower(t.name)`)
    .orderBy('t.id')
    .execute();
}

/** A team's member, with the user's name for the reference. */
export type MemberRow = TeamMembersTable & { name: string };

/** A page of a team's live members, by name. */
export async function listMemberRows(
  db: Db,
  teamId: string,
  page: { limit: number; offset: number },
): Promise<MemberRow[]> {
  return db
    .selectFrom('team_members as m')
    .innerJoin('users as u', 'u.id', 'm.user_id')
    .selectAll('m')
    .select('u.name')
    .where('m.team_id', '=', teamId)
    .where('u.deleted_at', 'is', null)
    .orderBy(sql`lower(u.name)`)
    .orderBy('u.id')
    .limit(page.limit)
    .offset(page.offset)
    .execute();
}

/** How many members a team has. */
export async function countMembers(db: Db, teamId: string): Promise<number> {
  const row = await db
    .selectFrom('team_members')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .where('team_id', '=', teamId)
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

/** Adds a member or changes their team role. */
export async function upsertMember(db: Db, row: TeamMembersTable): Promise<void> {
  await db
    .insertInto('team_members')
    .values(row)
    .onConflict((oc) => oc.columns(['team_id', 'user_id']).doUpdateSet({ role: row.role }))
    .execute();
}

/** Removes a member; returns whether they were one. */
export async function deleteMember(db: Db, teamId: string, userId: string): Promise<boolean> {
  const result = await db
    .deleteFrom('team_members')
    .where('team_id', '=', teamId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

/** A user's team role in a team, or null when they are not a member. */
export async function memberRole(db: Db, teamId: string, userId: string): Promise<string | null> {
  const row = await db
    .selectFrom('team_members')
    .select('role')
    .where('team_id', '=', teamId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return row?.role ?? null;
}

/** Names of users by id (deleted ones too), for audit summaries. */
export async function userNames(db: Db, ids: string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db.selectFrom('users').select(['id', 'name']).where('id', 'in', ids).execute();
  return new Map(rows.map((r) => [r.id, r.name]));
}
