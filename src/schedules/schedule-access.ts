import type { Actor } from '../auth/actor.js';
import { inEveryTeam, mayConfigure, requireTeamScope, scheduleTeams } from '../auth/team-scope.js';
import { recordChange } from '../audit/audit-service.js';
import type { AuditAction } from '../audit/audit.js';
import { AppError } from '../lib/errors.js';
import type { ScheduleOverridesTable } from '../store/database.js';
import type { Store, Tx } from '../store/store.js';

/*
 * Team scoping of schedules (docs/roles.md): a schedule belongs to the teams of the live escalation
 * policies that target it (schedules have no team of their own); one no policy uses belongs to no team.
 */

/** Throws 403 unless the actor may change this schedule (its layers, name, deletion). */
export async function requireScheduleScope(store: Store, actor: Actor, scheduleId: string): Promise<void> {
  await requireTeamScope(store.db, actor, await scheduleTeams(store.db, scheduleId));
}

/**
 * Throws 403 unless the actor may create or delete overrides for `userIds` on the schedule: whoever may
 * change the schedule, for anyone; a responder (or a manager outside the schedule's teams) only for
 * themselves, on schedules of teams they act in or of no team (taking or giving back a shift).
 */
export async function requireOverrideScope(
  store: Store,
  actor: Actor,
  scheduleId: string,
  userIds: readonly string[],
): Promise<void> {
  const teams = await scheduleTeams(store.db, scheduleId);
  if (await mayConfigure(store.db, actor, teams)) return;
  const responds = !actor.readOnly && actor.role !== 'observer' && actor.userId !== null;
  const own = userIds.every((id) => id === actor.userId);
  if (responds && own && (await inEveryTeam(store.db, actor, teams))) return;
  throw new AppError('forbidden');
}

/** A schedule snapshot for the audit log (row columns). */
type ScheduleSnapshot = { id: string; name: string } & object;

/** Records a change of a schedule (in the caller's transaction). */
export async function auditSchedule(
  tx: Tx,
  actor: Actor,
  at: string,
  action: AuditAction,
  before: ScheduleSnapshot | null,
  after: ScheduleSnapshot | null,
): Promise<void> {
  const s = (after ?? before)!;
  await recordChange(tx, actor, at, {
    root: { type: 'schedules', id: s.id, summary: s.name },
    action,
    before,
    after,
  });
}

/** Records a change of an override under its schedule (in the caller's transaction). */
export async function auditOverride(
  tx: Tx,
  actor: Actor,
  at: string,
  action: AuditAction,
  schedule: { id: string; name: string },
  before: ScheduleOverridesTable | null,
  after: ScheduleOverridesTable | null,
): Promise<void> {
  const o = (after ?? before)!;
  await recordChange(tx, actor, at, {
    root: { type: 'schedules', id: schedule.id, summary: schedule.name },
    resource: { type: 'override', id: o.id, summary: `${o.start_at} – ${o.end_at}` },
    action,
    before,
    after,
  });
}
