/** Validation of REST schedule layers and their restrictions into stored layers. */
import type { FieldErrors } from '../lib/errors.js';
import { shortId } from '../lib/ids.js';
import { parseDateTime } from './date-time-input.js';
import type { Restriction } from './layer.js';
import type { StoredLayer } from './schedule.js';

type Json = Record<string, unknown>;
const isJson = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

const TIME_OF_DAY = /^([01]\d|2[0-3]):[0-5]\d:[0-5]\d$/;
/** The longest restriction windows: a day for daily ones, a week for weekly ones. */
export const MAX_RESTRICTION_SECONDS = { daily_restriction: 86_400, weekly_restriction: 604_800 } as const;

function restriction(value: unknown, at: string, errors: FieldErrors): Restriction | undefined {
  if (!isJson(value)) {
    errors.add(`${at} must be an object`);
    return undefined;
  }
  const type = value.type;
  if (type !== 'daily_restriction' && type !== 'weekly_restriction') {
    errors.add(`${at}.type must be daily_restriction or weekly_restriction`);
    return undefined;
  }
  const time = value.start_time_of_day;
  if (typeof time !== 'string' || !TIME_OF_DAY.test(time))
    errors.add(`${at}.start_time_of_day must be a time of day as HH:mm:ss`);
  const max = MAX_RESTRICTION_SECONDS[type];
  const duration = value.duration_seconds;
  if (typeof duration !== 'number' || !Number.isInteger(duration) || duration < 1 || duration > max)
    errors.add(`${at}.duration_seconds must be a whole number from 1 to ${max}`);
  const out: Restriction = { type, start_time_of_day: String(time), duration_seconds: Number(duration) };
  if (type === 'weekly_restriction') {
    const day = value.start_day_of_week;
    if (typeof day !== 'number' || !Number.isInteger(day) || day < 1 || day > 7)
      errors.add(`${at}.start_day_of_week must be 1 (Monday) to 7 (Sunday) for a weekly restriction`);
    out.start_day_of_week = Number(day);
  }
  return out;
}

function instant(value: unknown, at: string, zone: string, errors: FieldErrors): string {
  const ms = parseDateTime(value, zone);
  if (ms === undefined) {
    errors.add(`${at} must be an ISO 8601 date-time`);
    return '';
  }
  return new Date(ms).toISOString();
}

/**
 * Validates one layer. Its id is kept when it names a layer the schedule already has, otherwise a new
 * one is made; the name defaults to "Layer <n>". User ids are returned for the caller to check.
 */
export function validateLayer(
  value: unknown,
  index: number,
  zone: string,
  existingIds: ReadonlySet<string>,
  errors: FieldErrors,
): StoredLayer | undefined {
  const at = `schedule_layers[${index}]`;
  if (!isJson(value)) {
    errors.add(`${at} must be an object`);
    return undefined;
  }
  const start = instant(value.start, `${at}.start`, zone, errors);
  const end =
    value.end === null || value.end === undefined ? null : instant(value.end, `${at}.end`, zone, errors);
  if (start && end && end <= start) errors.add(`${at}.end must be after its start`);
  const rvs = instant(value.rotation_virtual_start, `${at}.rotation_virtual_start`, zone, errors);
  const turn = value.rotation_turn_length_seconds;
  if (typeof turn !== 'number' || !Number.isInteger(turn) || turn < 1)
    errors.add(`${at}.rotation_turn_length_seconds must be a whole number of seconds, at least 1`);
  const users: string[] = [];
  if (!Array.isArray(value.users) || value.users.length === 0)
    errors.add(`${at}.users must list at least one {user: reference} in rotation order`);
  else
    value.users.forEach((u: unknown, i) => {
      const ref = isJson(u) ? u.user : undefined;
      if (isJson(ref) && typeof ref.id === 'string' && ref.id !== '') users.push(ref.id);
      else errors.add(`${at}.users[${i}].user must be a user reference with an id`);
    });
  const restrictions: Restriction[] = [];
  if (value.restrictions !== undefined && value.restrictions !== null && !Array.isArray(value.restrictions))
    errors.add(`${at}.restrictions must be a list`);
  else
    ((value.restrictions as unknown[] | null | undefined) ?? []).forEach((r, i) => {
      const ok = restriction(r, `${at}.restrictions[${i}]`, errors);
      if (ok) restrictions.push(ok);
    });
  const name =
    typeof value.name === 'string' && value.name.trim() !== '' ? value.name.trim() : `Layer ${index + 1}`;
  const id = typeof value.id === 'string' && existingIds.has(value.id) ? value.id : shortId();
  return {
    id,
    name,
    start,
    end,
    rotation_virtual_start: rvs,
    rotation_turn_length_seconds: Number(turn),
    users,
    restrictions,
  };
}
