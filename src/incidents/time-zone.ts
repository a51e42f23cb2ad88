import { AppError } from '../lib/errors.js';
import { isTimeZone } from '../schedules/date-time-input.js';
import { formatInZone } from '../schedules/zoned-time.js';

/** Timestamp fields of incidents, alerts and log entries (and `at` of assignments, acknowledgements…). */
const TIME_KEYS = new Set(['created_at', 'updated_at', 'resolved_at', 'last_status_change_at', 'at']);

/** Checks a `time_zone` parameter: an IANA zone, else 400. */
export function checkTimeZone(zone: string | undefined): string | undefined {
  if (zone !== undefined && !isTimeZone(zone))
    throw new AppError('invalidInput', ['time_zone must be an IANA time zone such as Europe/London']);
  return zone;
}

/**
 * Renders every timestamp of a presented value in a time zone (`2026-01-05T04:00:00-05:00`), as
 * PagerDuty does for `time_zone`; without a zone the value is returned as is (UTC).
 */
export function inTimeZone<T>(value: T, zone: string | undefined): T {
  if (zone === undefined) return value;
  const walk = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(walk);
    if (typeof node !== 'object' || node === null) return node;
    const out: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(node)) {
      out[key] = TIME_KEYS.has(key) && typeof v === 'string' ? formatInZone(Date.parse(v), zone) : walk(v);
    }
    return out;
  };
  return walk(value) as T;
}
