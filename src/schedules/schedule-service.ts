import type { Actor } from '../auth/actor.js';
import { AppError, type FieldErrors } from '../lib/errors.js';
import { secretToken, shortId } from '../lib/ids.js';
import { getUser, type UserView } from '../users/user-service.js';
import { layerUserIds, scheduleFromRow, validateScheduleInput, type ScheduleSettings } from './schedule.js';
import * as db from './schedule-store.js';
import { auditSchedule, requireScheduleScope } from './schedule-access.js';
import {
  liveSchedule,
  policiesOf,
  requireConfigure,
  scheduleView,
  userMap,
  type RenderQuery,
  type ScheduleDeps,
  type ScheduleView,
} from './schedule-view.js';

export type { RenderQuery, ScheduleDeps, ScheduleView } from './schedule-view.js';
export { liveSchedule, requireConfigure } from './schedule-view.js';

type Json = Record<string, unknown>;

/** What the audit log keeps of a schedule. */
const snapshot = (id: string, s: Omit<ScheduleSettings, 'id'>) => ({
  id,
  name: s.name,
  description: s.description,
  time_zone: s.timeZone,
  layers: s.layers,
});

async function checkUsers(
  deps: ScheduleDeps,
  settings: ScheduleSettings,
  errors: FieldErrors,
): Promise<void> {
  const ids = layerUserIds(settings.layers);
  const live = new Set(
    [...(await userMap(deps, ids)).values()].filter((u) => u.deleted_at === null).map((u) => u.id),
  );
  for (const id of ids) if (!live.has(id)) errors.add(`User ${id} not found`);
  errors.throwIfAny();
}

/** Lists live schedules by name (not rendered; `limit` rows are read, callers add one to tell `more`). */
export async function listSchedules(
  deps: ScheduleDeps,
  _actor: Actor,
  query: string | undefined,
  page: { limit: number; offset: number; total: boolean },
): Promise<{ views: ScheduleView[]; total: number | null }> {
  const schedules = (await db.listScheduleRows(deps.store.db, query, page)).map(scheduleFromRow);
  const total = page.total ? await db.countSchedules(deps.store.db, query) : null;
  const policies = await policiesOf(
    deps,
    schedules.map((s) => s.id),
  );
  const users = await userMap(deps, [...new Set(schedules.flatMap((s) => layerUserIds(s.layers)))]);
  const views = schedules.map((schedule) => ({
    schedule,
    users,
    policies: policies.get(schedule.id) ?? [],
    rendered: null,
  }));
  return { views, total };
}

/** One live schedule, rendered over the requested window. */
export async function getSchedule(
  deps: ScheduleDeps,
  _actor: Actor,
  id: string,
  render: RenderQuery,
): Promise<ScheduleView> {
  return scheduleView(deps, await liveSchedule(deps, id), render);
}

/** Creates a schedule (admins and managers); every layer's users must exist. */
export async function createSchedule(
  deps: ScheduleDeps,
  actor: Actor,
  input: Json,
  render: RenderQuery,
): Promise<ScheduleView> {
  requireConfigure(actor);
  const { settings, errors } = validateScheduleInput(input);
  await checkUsers(deps, settings, errors);
  // A new schedule is used by no policy yet, so it belongs to no team: any manager may create one.
  const at = deps.clock.now().toISOString();
  const id = shortId();
  await deps.store.transaction(async (tx) => {
    await db.insertSchedule(tx.db, {
      id,
      name: settings.name,
      description: settings.description,
      time_zone: settings.timeZone,
      layers: JSON.stringify(settings.layers),
      ical_token: secretToken(24),
      created_at: at,
      updated_at: at,
      deleted_at: null,
    });
    await auditSchedule(tx, actor, at, 'create', null, snapshot(id, settings));
  });
  return getSchedule(deps, actor, id, render);
}

/** Updates a schedule; `schedule_layers`, when given, replaces every layer (ids kept where given). */
export async function updateSchedule(
  deps: ScheduleDeps,
  actor: Actor,
  id: string,
  input: Json,
  render: RenderQuery,
): Promise<ScheduleView> {
  requireConfigure(actor);
  const current = await liveSchedule(deps, id);
  await requireScheduleScope(deps.store, actor, id);
  const { settings, errors } = validateScheduleInput(input, current);
  await checkUsers(deps, settings, errors);
  const at = deps.clock.now().toISOString();
  await deps.store.transaction(async (tx) => {
    await db.updateScheduleRow(tx.db, id, {
      name: settings.name,
      description: settings.description,
      time_zone: settings.timeZone,
      layers: JSON.stringify(settings.layers),
      updated_at: at,
    });
    await auditSchedule(tx, actor, at, 'update', snapshot(id, current), snapshot(id, settings));
  });
  return getSchedule(deps, actor, id, render);
}

/** Soft-deletes a schedule; refused while a live escalation policy targets it. */
export async function deleteSchedule(deps: ScheduleDeps, actor: Actor, id: string): Promise<void> {
  requireConfigure(actor);
  const current = await liveSchedule(deps, id);
  await requireScheduleScope(deps.store, actor, id);
  const policies = (await policiesOf(deps, [id])).get(id) ?? [];
  if (policies.length > 0)
    throw new AppError(
      'invalidInput',
      policies.map(
        (p) => `Schedule is used by escalation policy ${p.name} (${p.id}); remove it from the policy first`,
      ),
    );
  const at = deps.clock.now().toISOString();
  await deps.store.transaction(async (tx) => {
    await db.updateScheduleRow(tx.db, id, { deleted_at: at, updated_at: at });
    await auditSchedule(tx, actor, at, 'delete', snapshot(id, current), null);
  });
}

/** Renders a schedule body without saving it (no overrides); anyone may preview. */
export async function previewSchedule(
  deps: ScheduleDeps,
  _actor: Actor,
  input: Json,
  render: RenderQuery,
): Promise<ScheduleView> {
  const { settings, errors } = validateScheduleInput(input);
  await checkUsers(deps, settings, errors);
  return scheduleView(deps, { ...settings, id: null, icalToken: null }, render);
}

/** The live users on call on a live schedule at any time in the window (final schedule), by first shift. */
export async function onCallUsers(
  deps: ScheduleDeps,
  actor: Actor,
  id: string,
  render: RenderQuery,
): Promise<UserView[]> {
  const v = await getSchedule(deps, actor, id, { ...render, overflow: false });
  const ids = [...new Set(v.rendered?.final_schedule.rendered_schedule_entries.map((e) => e.user) ?? [])];
  const live = ids.filter((u) => v.users.get(u)?.deleted_at === null);
  return Promise.all(live.map((u) => getUser(deps, actor, u)));
}
