import { canConfigure, type Actor } from '../auth/actor.js';
import type { Clock } from '../lib/clock.js';
import { AppError } from '../lib/errors.js';
import { shortId } from '../lib/ids.js';
import type { MaintenanceWindowsTable } from '../store/database.js';
import type { Store } from '../store/store.js';
import { auditWindow, requireServicesScope } from './maintenance-access.js';
import { phaseOf, validateWindowInput, type MaintenanceWindow } from './maintenance-window.js';
import * as db from './maintenance-window-store.js';

/** What the maintenance window rules need. */
export interface MaintenanceDeps {
  store: Store;
  clock: Clock;
}

/** A window with what its presentation needs: service names, their teams and the creator's name. */
export interface WindowView {
  window: MaintenanceWindow;
  services: { id: string; name: string }[];
  teams: { id: string; name: string }[];
  createdBy: { id: string; name: string } | null;
}

type Json = Record<string, unknown>;

const SEQUENCE_LOCK = 'maintenance-window-sequence';

function requireConfigure(actor: Actor): void {
  if (!canConfigure(actor)) throw new AppError('forbidden');
}

async function views(deps: MaintenanceDeps, rows: MaintenanceWindowsTable[]): Promise<WindowView[]> {
  const ids = rows.map((r) => r.id);
  const creators = [...new Set(rows.flatMap((r) => r.created_by ?? []))];
  const [services, names] = await Promise.all([
    db.windowServices(deps.store.db, ids),
    db.userNames(deps.store.db, creators),
  ]);
  return rows.map((row) => {
    const mine = services.filter((s) => s.window_id === row.id);
    const teams = new Map<string, string>();
    for (const s of mine) if (s.team_id !== null) teams.set(s.team_id, s.team_name ?? s.team_id);
    return {
      window: {
        id: row.id,
        sequenceNumber: row.sequence_number,
        description: row.description,
        startTime: row.start_time,
        endTime: row.end_time,
        createdBy: row.created_by,
        serviceIds: mine.map((s) => s.service_id),
      },
      services: mine.map((s) => ({ id: s.service_id, name: s.name })),
      teams: [...teams].map(([id, name]) => ({ id, name })),
      createdBy:
        row.created_by === null ? null : { id: row.created_by, name: names.get(row.created_by) ?? '' },
    };
  });
}

async function windowRow(deps: MaintenanceDeps, id: string): Promise<MaintenanceWindowsTable> {
  const row = await db.findWindowRow(deps.store.db, id);
  if (!row) throw new AppError('notFound');
  return row;
}

/** Who creates a window: a user actor is itself; an account token must name a user in `From`. */
async function creatorOf(deps: MaintenanceDeps, actor: Actor, from: string | undefined) {
  if (actor.kind === 'user' && actor.userId !== null) return actor.userId;
  if (from === undefined || from.trim() === '') throw new AppError('fromHeaderMissing');
  const id = await db.userIdByEmail(deps.store.db, from);
  if (id === undefined) throw new AppError('invalidInput', [`The "From" header names no user: ${from}`]);
  return id;
}

async function checkServices(deps: MaintenanceDeps, ids: string[]): Promise<void> {
  const live = await db.liveServiceIds(deps.store.db, ids);
  const missing = ids.filter((id) => !live.has(id));
  if (missing.length > 0)
    throw new AppError(
      'invalidInput',
      missing.map((id) => `Service ${id} not found`),
    );
}

/** Lists windows (filters of PagerDuty's list); `limit` rows are read (callers add one to tell `more`). */
export async function listWindows(
  deps: MaintenanceDeps,
  _actor: Actor,
  filter: Omit<db.WindowFilter, 'now'>,
  page: { limit: number; offset: number; total: boolean },
): Promise<{ views: WindowView[]; total: number | null }> {
  const full = { ...filter, now: deps.clock.now().toISOString() };
  const rows = await db.listWindowRows(deps.store.db, full, page);
  const total = page.total ? await db.countWindows(deps.store.db, full) : null;
  return { views: await views(deps, rows), total };
}

/** One window. */
export async function getWindow(deps: MaintenanceDeps, _actor: Actor, id: string): Promise<WindowView> {
  const [view] = await views(deps, [await windowRow(deps, id)]);
  return view!;
}

/** Creates a window; its services stop opening incidents from its start until its end. */
export async function createWindow(
  deps: MaintenanceDeps,
  actor: Actor,
  from: string | undefined,
  input: Json,
): Promise<WindowView> {
  requireConfigure(actor);
  const now = deps.clock.now().toISOString();
  const createdBy = await creatorOf(deps, actor, from);
  const settings = validateWindowInput(input, now);
  await checkServices(deps, settings.serviceIds);
  await requireServicesScope(deps, actor, settings.serviceIds);
  const id = shortId();
  await deps.store.transaction(async (tx) => {
    await tx.lockKeys([SEQUENCE_LOCK]);
    const row = {
      id,
      sequence_number: await db.nextSequenceNumber(tx.db),
      description: settings.description,
      start_time: settings.startTime,
      end_time: settings.endTime,
      created_by: createdBy,
      created_at: now,
      updated_at: now,
    };
    await db.saveWindow(tx.db, row, settings.serviceIds);
    await auditWindow(tx, actor, now, 'create', null, { ...row, service_ids: settings.serviceIds });
  });
  return getWindow(deps, actor, id);
}

/** Changes a window that has not ended (5003 once it has). */
export async function updateWindow(
  deps: MaintenanceDeps,
  actor: Actor,
  id: string,
  input: Json,
): Promise<WindowView> {
  requireConfigure(actor);
  const now = deps.clock.now().toISOString();
  const [current] = await views(deps, [await windowRow(deps, id)]);
  const window = current!.window;
  if (phaseOf(window, now) === 'past') throw new AppError('maintenanceWindowEnded');
  await requireServicesScope(deps, actor, window.serviceIds);
  const settings = validateWindowInput(input, now, window);
  await checkServices(deps, settings.serviceIds);
  await requireServicesScope(deps, actor, settings.serviceIds);
  await deps.store.transaction(async (tx) => {
    const row = await db.findWindowRow(tx.db, id);
    if (!row) throw new AppError('notFound');
    const changed = {
      ...row,
      description: settings.description,
      start_time: settings.startTime,
      end_time: settings.endTime,
      updated_at: now,
    };
    await db.saveWindow(tx.db, changed, settings.serviceIds);
    const before = { ...row, service_ids: window.serviceIds };
    await auditWindow(tx, actor, now, 'update', before, { ...changed, service_ids: settings.serviceIds });
  });
  return getWindow(deps, actor, id);
}

/** Deletes a future window, ends an ongoing one now, and refuses an ended one (5003). */
export async function deleteWindow(deps: MaintenanceDeps, actor: Actor, id: string): Promise<void> {
  requireConfigure(actor);
  const now = deps.clock.now().toISOString();
  await requireServicesScope(deps, actor, (await getWindow(deps, actor, id)).window.serviceIds);
  await deps.store.transaction(async (tx) => {
    const row = await db.findWindowRow(tx.db, id);
    if (!row) throw new AppError('notFound');
    const phase = phaseOf({ startTime: row.start_time, endTime: row.end_time }, now);
    if (phase === 'past') throw new AppError('maintenanceWindowEndedDelete');
    const serviceIds = (await db.windowServices(tx.db, [id])).map((s) => s.service_id);
    const before = { ...row, service_ids: serviceIds };
    if (phase === 'future') {
      await db.deleteWindow(tx.db, id);
      return auditWindow(tx, actor, now, 'delete', before, null);
    }
    const ended = { ...row, end_time: now, updated_at: now };
    await db.saveWindow(tx.db, ended, serviceIds);
    await auditWindow(tx, actor, now, 'update', before, { ...ended, service_ids: serviceIds });
  });
}
