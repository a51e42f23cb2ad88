import { FieldErrors } from '../lib/errors.js';

/** A maintenance window as the domain sees it (times are ISO-8601 UTC). */
export interface MaintenanceWindow {
  id: string;
  sequenceNumber: number;
  description: string | null;
  startTime: string;
  endTime: string;
  createdBy: string | null;
  serviceIds: string[];
}

/** Where a window stands at a moment: not started, running, or over. */
export type WindowPhase = 'future' | 'ongoing' | 'past';

/** The list filter PagerDuty offers (`open` = ongoing or future, `all` = no filter). */
export type PhaseFilter = WindowPhase | 'open' | 'all';

/** A window's phase at `now` (the end is exclusive: a window ending now is over). */
export function phaseOf(window: Pick<MaintenanceWindow, 'startTime' | 'endTime'>, now: string): WindowPhase {
  if (window.endTime <= now) return 'past';
  return window.startTime <= now ? 'ongoing' : 'future';
}

/** The writable fields of a window after validation. */
export interface WindowSettings {
  description: string | null;
  startTime: string;
  endTime: string;
  serviceIds: string[];
}

type Json = Record<string, unknown>;
const isJson = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

function time(value: unknown, name: string, errors: FieldErrors): string | undefined {
  // A date-time with a zone (PagerDuty's examples carry offsets); stored in UTC so strings compare in order.
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(value)) {
    errors.add(`${name} must be an ISO 8601 date-time`);
    return undefined;
  }
  const parsed = new Date(value);
  if (Number.isNaN(parsed.getTime())) {
    errors.add(`${name} must be an ISO 8601 date-time`);
    return undefined;
  }
  return parsed.toISOString();
}

function serviceIds(value: unknown, errors: FieldErrors): string[] {
  if (!Array.isArray(value) || value.length === 0) {
    errors.add('services must list at least one service reference');
    return [];
  }
  const ids = value.map((ref) => (isJson(ref) && typeof ref.id === 'string' ? ref.id : undefined));
  if (ids.some((id) => id === undefined)) errors.add('services must be references with an id');
  return [...new Set(ids.filter((id): id is string => id !== undefined))];
}

/**
 * Validates a create (no `current`) or update body against PagerDuty's rules: a start in the past becomes
 * now (an ongoing window keeps its start), the end must be in the future and after the start.
 */
export function validateWindowInput(input: Json, now: string, current?: MaintenanceWindow): WindowSettings {
  const errors = new FieldErrors();
  if (input.type !== undefined && input.type !== 'maintenance_window')
    errors.add('type must be maintenance_window');
  const has = (key: string) => current === undefined || input[key] !== undefined;
  let startTime = has('start_time') ? time(input.start_time, 'start_time', errors) : current?.startTime;
  const endTime = has('end_time') ? time(input.end_time, 'end_time', errors) : current?.endTime;
  if (startTime !== undefined && startTime < now)
    startTime = current !== undefined && phaseOf(current, now) === 'ongoing' ? current.startTime : now;
  if (endTime !== undefined && endTime <= now) errors.add('end_time must be in the future');
  if (startTime !== undefined && endTime !== undefined && endTime <= startTime)
    errors.add('end_time must be after start_time');
  let description = current?.description ?? null;
  if (input.description !== undefined) {
    if (input.description !== null && typeof input.description !== 'string')
      errors.add('description must be a string');
    else description = input.description;
  }
  const services = has('services') ? serviceIds(input.services, errors) : (current?.serviceIds ?? []);
  errors.throwIfAny();
  return { description, startTime: startTime!, endTime: endTime!, serviceIds: services };
}
