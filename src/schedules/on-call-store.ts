import type { Kysely } from 'kysely';
import type { Database } from '../store/database.js';
import type { ScheduleDefinition } from './final-schedule.js';
import { overridePadMs } from './render-window.js';
import { parseLayers, type StoredLayer } from './schedule.js';

/** A schedule as on-call resolution needs it: its definition with the overrides near a window. */
export interface LoadedSchedule {
  id: string;
  name: string;
  definition: ScheduleDefinition & { layers: StoredLayer[] };
}

/**
 * Loads live schedules with the overrides that end after `since` and start before `until`, widened by
 * the schedules' longest turn: overrides elsewhere cannot change who is on call in the window, but
 * those just outside it can end the on-call entry that reaches past it. Missing or deleted ids are
 * left out.
 */
export async function loadSchedules(
  db: Kysely<Database>,
  ids: readonly string[],
  since: string,
  until: string,
): Promise<Map<string, LoadedSchedule>> {
  const found = new Map<string, LoadedSchedule>();
  if (ids.length === 0) return found;
  const rows = await db
    .selectFrom('schedules')
    .select(['id', 'name', 'time_zone', 'layers'])
    .where('id', 'in', [...ids])
    .where('deleted_at', 'is', null)
    .execute();
  const pad = overridePadMs(rows.flatMap((r) => parseLayers(r.layers)));
  const overrides = await db
    .selectFrom('schedule_overrides')
    .select(['schedule_id', 'user_id', 'start_at', 'end_at', 'created_at'])
    .where('schedule_id', 'in', [...ids])
    .where('end_at', '>', new Date(Date.parse(since) - pad).toISOString())
    .where('start_at', '<', new Date(Date.parse(until) + pad).toISOString())
    // Creation order (ids sort by creation within a node), so the newest override wins deterministically.
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  for (const row of rows) {
    found.set(row.id, {
      id: row.id,
      name: row.name,
      definition: {
        time_zone: row.time_zone,
        layers: parseLayers(row.layers),
        overrides: overrides
          .filter((o) => o.schedule_id === row.id)
          .map((o) => ({ user: o.user_id, start: o.start_at, end: o.end_at, created_at: o.created_at })),
      },
    });
  }
  return found;
}
