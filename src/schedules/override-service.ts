import type { Actor } from '../auth/actor.js';
import { AppError } from '../lib/errors.js';
import { longId } from '../lib/ids.js';
import type { ScheduleOverridesTable, UsersTable } from '../store/database.js';
import { isTimeZone, parseDateTime } from './date-time-input.js';
import type { Schedule } from './schedule.js';
import * as db from './override-store.js';
import { usersByIds } from './schedule-store.js';
import { liveSchedule, type ScheduleDeps } from './schedule-service.js';
import { auditOverride, requireOverrideScope } from './schedule-access.js';
import { canRespond } from '../auth/actor.js';

/** The most overrides one POST may create. */
export const MAX_OVERRIDES_PER_REQUEST = 100;

/** Overrides with the schedule and the users their references need. */
export interface OverridesView {
  schedule: Schedule;
  overrides: ScheduleOverridesTable[];
  users: Map<string, UsersTable>;
}

/** The outcome of one override of a multi-create: 201 with the row, or 400 with its errors. */
export type OverrideResult =
  | { status: 201; row: ScheduleOverridesTable }
  | { status: 400; errors: string[]; input: { start: string; end: string; user: string } };

type Json = Record<string, unknown>;
const isJson = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

async function usersOf(deps: ScheduleDeps, ids: string[]): Promise<Map<string, UsersTable>> {
  return new Map((await usersByIds(deps.store.db, [...new Set(ids)])).map((u) => [u.id, u]));
}

/** A schedule's overrides touching [since, until), clipped to it unless `overflow`; `editable` keeps future ones. */
export async function listOverrides(
  deps: ScheduleDeps,
  _actor: Actor,
  id: string,
  window: { since: number; until: number; overflow: boolean; editable: boolean },
): Promise<OverridesView> {
  const schedule = await liveSchedule(deps, id);
  const since = new Date(window.since).toISOString();
  const until = new Date(window.until).toISOString();
  const now = deps.clock.now().toISOString();
  let rows = await db.overrideRows(deps.store.db, id, since, until);
  if (window.editable) rows = rows.filter((o) => o.start_at > now);
  if (!window.overflow)
    rows = rows.map((o) => ({
      ...o,
      start_at: o.start_at < since ? since : o.start_at,
      end_at: o.end_at > until ? until : o.end_at,
    }));
  return {
    schedule,
    overrides: rows,
    users: await usersOf(
      deps,
      rows.map((o) => o.user_id),
    ),
  };
}

/**
 * Creates overrides one by one, like PagerDuty's multi-create: each gets its own status (201, or 400
 * with its errors) and the valid ones are stored. The newest override wins where they overlap; ids
 * sort in creation order, so overrides of one request are ranked in the order they were sent.
 */
export async function createOverrides(
  deps: ScheduleDeps,
  actor: Actor,
  id: string,
  inputs: unknown[],
): Promise<{ schedule: Schedule; results: OverrideResult[]; users: Map<string, UsersTable> }> {
  if (!canRespond(actor)) throw new AppError('forbidden');
  const schedule = await liveSchedule(deps, id);
  if (inputs.length === 0) throw new AppError('invalidInput', ['overrides must list at least one override']);
  if (inputs.length > MAX_OVERRIDES_PER_REQUEST)
    throw new AppError('tooManyItems', [`At most ${MAX_OVERRIDES_PER_REQUEST} overrides per request`]);
  const refId = (v: Json) => (isJson(v.user) && typeof v.user.id === 'string' ? v.user.id : '');
  const userIds = inputs.map((v) => (isJson(v) ? refId(v) : ''));
  await requireOverrideScope(deps.store, actor, id, userIds);
  const users = await usersOf(
    deps,
    userIds.filter((u) => u !== ''),
  );
  const at = deps.clock.now().toISOString();
  const results: OverrideResult[] = [];
  for (const value of inputs) {
    const o = isJson(value) ? value : {};
    const errors: string[] = [];
    const zone = o.time_zone ?? schedule.timeZone;
    if (!isTimeZone(zone)) errors.push('time_zone must be an IANA time zone');
    const tz = isTimeZone(zone) ? zone : schedule.timeZone;
    const start = parseDateTime(o.start, tz);
    const end = parseDateTime(o.end, tz);
    if (start === undefined) errors.push('start must be an ISO 8601 date-time');
    if (end === undefined) errors.push('end must be an ISO 8601 date-time');
    if (start !== undefined && end !== undefined && end <= start)
      errors.push('Override must end after its start');
    const userId = refId(o);
    const user = users.get(userId);
    if (userId === '') errors.push('user must be a user reference with an id');
    else if (!user || user.deleted_at !== null) errors.push(`User ${userId} not found`);
    const iso = (ms: number | undefined, raw: unknown) =>
      ms === undefined ? (typeof raw === 'string' ? raw : '') : new Date(ms).toISOString();
    if (errors.length > 0) {
      results.push({
        status: 400,
        errors,
        input: { start: iso(start, o.start), end: iso(end, o.end), user: userId },
      });
      continue;
    }
    const row = {
      id: longId(),
      schedule_id: id,
      user_id: userId,
      start_at: iso(start, o.start),
      end_at: iso(end, o.end),
      created_at: at,
    };
    await deps.store.transaction(async (tx) => {
      await db.insertOverride(tx.db, row);
      await auditOverride(tx, actor, at, 'create', schedule, null, row);
    });
    results.push({ status: 201, row });
  }
  return { schedule, results, users };
}

/**
 * Deletes an override. One in progress is truncated at now instead (PagerDuty answers 200 then), so
 * the past stays as it was; otherwise it is removed (204).
 */
export async function deleteOverride(
  deps: ScheduleDeps,
  actor: Actor,
  id: string,
  overrideId: string,
): Promise<{ truncated: OverridesView | null }> {
  if (!canRespond(actor)) throw new AppError('forbidden');
  const schedule = await liveSchedule(deps, id);
  const row = await db.findOverrideRow(deps.store.db, id, overrideId);
  if (!row) throw new AppError('notFound');
  await requireOverrideScope(deps.store, actor, id, [row.user_id]);
  const now = deps.clock.now().toISOString();
  if (row.start_at < now && now < row.end_at) {
    const truncated = { ...row, end_at: now };
    await deps.store.transaction(async (tx) => {
      await db.truncateOverride(tx.db, overrideId, now);
      await auditOverride(tx, actor, now, 'update', schedule, row, truncated);
    });
    return { truncated: { schedule, overrides: [truncated], users: await usersOf(deps, [row.user_id]) } };
  }
  await deps.store.transaction(async (tx) => {
    await db.deleteOverrideRow(tx.db, overrideId);
    await auditOverride(tx, actor, now, 'delete', schedule, row, null);
  });
  return { truncated: null };
}
