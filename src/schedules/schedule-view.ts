/** Reading a schedule with what its presentation needs: users, policies and its rendering. */
import { canConfigure, type Actor } from '../auth/actor.js';
import { parseRules } from '../escalation/escalation-policy.js';
import type { Clock } from '../lib/clock.js';
import { AppError } from '../lib/errors.js';
import type { UsersTable } from '../store/database.js';
import type { Store } from '../store/store.js';
import type { RenderedSchedule } from './final-schedule.js';
import { overrideRows } from './override-store.js';
import { overridePadMs, renderInZone, resolveWindow, type RenderWindow } from './render-window.js';
import { layerUserIds, scheduleFromRow, type Schedule, type ScheduleSettings } from './schedule.js';
import * as db from './schedule-store.js';

/** What the schedule rules need. */
export interface ScheduleDeps {
  store: Store;
  clock: Clock;
}

/** REST render parameters (all optional). */
export type RenderQuery = Parameters<typeof resolveWindow>[0];

/** A schedule with what its presentation needs. */
export interface ScheduleView {
  schedule: Schedule | (ScheduleSettings & { id: null; icalToken: null });
  users: Map<string, UsersTable>;
  policies: { id: string; name: string }[];
  rendered: (RenderedSchedule & { window: RenderWindow }) | null;
}

/** Throws 403 unless the actor may configure schedules (admins and managers). */
export function requireConfigure(actor: Actor): void {
  if (!canConfigure(actor)) throw new AppError('forbidden');
}

/** A live schedule or 404. */
export async function liveSchedule(deps: ScheduleDeps, id: string): Promise<Schedule> {
  const row = await db.findScheduleRow(deps.store.db, id);
  if (!row) throw new AppError('notFound');
  return scheduleFromRow(row);
}

/** Live escalation policies that target any of the schedules, by schedule id. */
export async function policiesOf(
  deps: ScheduleDeps,
  ids: string[],
): Promise<Map<string, { id: string; name: string }[]>> {
  const out = new Map<string, { id: string; name: string }[]>(ids.map((id) => [id, []]));
  for (const p of await db.policiesTargeting(deps.store.db, ids)) {
    const targets = parseRules(p.rules).flatMap((r) => r.targets);
    for (const id of ids)
      if (targets.some((t) => t.type === 'schedule_reference' && t.id === id))
        out.get(id)?.push({ id: p.id, name: p.name });
  }
  return out;
}

/** Users by id (deleted ones included). */
export async function userMap(deps: ScheduleDeps, ids: string[]): Promise<Map<string, UsersTable>> {
  return new Map((await db.usersByIds(deps.store.db, ids)).map((u) => [u.id, u]));
}

/** Loads what presenting a schedule needs, rendering it when `render` is given. */
export async function scheduleView(
  deps: ScheduleDeps,
  schedule: ScheduleView['schedule'],
  render: RenderQuery | null,
): Promise<ScheduleView> {
  let rendered: ScheduleView['rendered'] = null;
  const userIds = layerUserIds(schedule.layers);
  if (render) {
    const window = resolveWindow(render, schedule.timeZone, deps.clock.now());
    const pad = window.overflow ? overridePadMs(schedule.layers) : 0;
    const since = new Date(window.since - pad).toISOString();
    const until = new Date(window.until + pad).toISOString();
    const overrides =
      schedule.id === null ? [] : await overrideRows(deps.store.db, schedule.id, since, until);
    rendered = { ...renderInZone(schedule, overrides, window), window };
    userIds.push(...overrides.map((o) => o.user_id));
  }
  const policies =
    schedule.id === null ? [] : ((await policiesOf(deps, [schedule.id])).get(schedule.id) ?? []);
  return { schedule, users: await userMap(deps, [...new Set(userIds)]), policies, rendered };
}
