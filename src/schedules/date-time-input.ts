/** Parsing of REST date-time and time-zone inputs for schedules and overrides. */
import { toInstant } from './zoned-time.js';

const WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/i;
const LOCAL = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?$/;

/** Whether `zone` is an IANA time zone name this runtime knows. */
export function isTimeZone(zone: unknown): zone is string {
  if (typeof zone !== 'string' || zone === '') return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/**
 * An ISO 8601 date-time as epoch milliseconds, or undefined when invalid. A value with an offset (or
 * `Z`) is an instant; one without is a local time in `zone` (PagerDuty reads such values in the
 * schedule's or the override's time zone), with 'compatible' disambiguation.
 */
export function parseDateTime(value: unknown, zone: string): number | undefined {
  if (typeof value !== 'string') return undefined;
  if (WITH_OFFSET.test(value)) {
    const ms = Date.parse(value);
    return Number.isNaN(ms) ? undefined : ms;
  }
  const m = LOCAL.exec(value);
  if (!m) return undefined;
  const [year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0] = m
    .slice(1)
    .map((p) => Number(p ?? 0));
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 59)
    return undefined;
  return toInstant({ year, month, day, hour, minute, second }, zone);
}
