import { FieldErrors } from '../lib/errors.js';
import { shortId } from '../lib/ids.js';
import type { SchedulesTable } from '../store/database.js';
import { isTimeZone } from './date-time-input.js';
import type { Layer } from './layer.js';
import { validateLayer } from './layer-input.js';

/** A stored schedule layer: the pure-math layer plus its identity (JSON in `schedules.layers`). */
export interface StoredLayer extends Layer {
  id: string;
  name: string;
}

/**
 * Parses `schedules.layers`. Stored in PagerDuty's order: a later layer wins over an earlier one
 * where both have someone (the pure math's order too).
 */
export function parseLayers(json: string): StoredLayer[] {
  return JSON.parse(json) as StoredLayer[];
}

/** A schedule as the domain sees it (layers in priority order: later layers win). */
export interface Schedule {
  id: string;
  name: string;
  description: string | null;
  timeZone: string;
  layers: StoredLayer[];
  icalToken: string;
  createdAt: string;
  updatedAt: string;
}

/** The writable settings of a schedule (REST bodies after validation). */
export type ScheduleSettings = Pick<Schedule, 'name' | 'description' | 'timeZone' | 'layers'>;

/** Reads a row into a schedule. */
export function scheduleFromRow(row: SchedulesTable): Schedule {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    timeZone: row.time_zone,
    layers: parseLayers(row.layers),
    icalToken: row.ical_token,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** Every user id a schedule's layers name, in first-seen order. */
export function layerUserIds(layers: readonly StoredLayer[]): string[] {
  return [...new Set(layers.flatMap((l) => l.users))];
}

type Json = Record<string, unknown>;

/**
 * Validates a REST schedule body against the current schedule (on update) and returns the settings
 * with the collected errors, so the caller can add its own (unknown users) and report them all at
 * once. On update, fields left out keep their value; `schedule_layers` replaces every layer.
 */
export function validateScheduleInput(
  input: Json,
  current?: ScheduleSettings,
): { settings: ScheduleSettings; errors: FieldErrors } {
  const errors = new FieldErrors();
  const has = (key: string) => Object.hasOwn(input, key);
  const name = has('name') ? input.name : current?.name;
  if (typeof name !== 'string' || name.trim() === '') errors.add('Name cannot be empty');
  else if (name.length > 255) errors.add('Name is too long (maximum is 255 characters)');
  const description = has('description') ? input.description : (current?.description ?? null);
  if (description !== null && description !== undefined && typeof description !== 'string')
    errors.add('description must be a string');
  const zone = has('time_zone') ? input.time_zone : current?.timeZone;
  const validZone = isTimeZone(zone);
  if (!validZone) errors.add('time_zone must be an IANA time zone such as Europe/London');
  let layers = current?.layers ?? [];
  if (has('schedule_layers') || !current) {
    const raw = input.schedule_layers;
    if (!Array.isArray(raw) || raw.length === 0) {
      errors.add('schedule_layers must list at least one layer');
      layers = [];
    } else {
      const known = new Set((current?.layers ?? []).map((l) => l.id));
      const used = new Set<string>();
      layers = raw.flatMap((value: unknown, i) => {
        const layer = validateLayer(value, i, validZone ? zone : 'UTC', known, errors);
        if (!layer) return [];
        if (used.has(layer.id)) layer.id = shortId();
        used.add(layer.id);
        return [layer];
      });
    }
  }
  return {
    settings: {
      name: typeof name === 'string' ? name.trim() : '',
      description: typeof description === 'string' ? description : null,
      timeZone: validZone ? zone : 'UTC',
      layers,
    },
    errors,
  };
}
