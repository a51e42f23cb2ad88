/** Who is on call on a schedule at one instant, from the pure final-schedule math. */
import { finalSpansAround } from './final-schedule.js';
import type { ScheduleDefinition, ScheduleEntry } from './final-schedule.js';
import { formatInZone, parseInstant } from './zoned-time.js';

/**
 * The user on call at `at` (ISO instant) and the final-schedule entry containing it, or nulls. The
 * entry is the one `renderSchedule` shows with overflow for the one-second window at `at`; only that
 * entry is formatted (rendering and formatting every entry cost most of a lookup, measured).
 */
export function whoIsOnCall(
  schedule: ScheduleDefinition,
  at: string,
): { user: string | null; entry: ScheduleEntry | null } {
  const t = parseInstant(at);
  const s = finalSpansAround(schedule, t, t + 1000).final.find((e) => e.start <= t && t < e.end);
  if (!s) return { user: null, entry: null };
  const zone = schedule.time_zone;
  return {
    user: s.user,
    entry: { user: s.user, start: formatInZone(s.start, zone), end: formatInZone(s.end, zone) },
  };
}
