/** Who is on call on a schedule at one instant, from the pure final-schedule math. */
import { renderSchedule } from './final-schedule.js';
import type { ScheduleDefinition, ScheduleEntry } from './final-schedule.js';

/** The user on call at `at` (ISO instant) and the final-schedule entry containing it, or nulls. */
export function whoIsOnCall(
  schedule: ScheduleDefinition,
  at: string,
): { user: string | null; entry: ScheduleEntry | null } {
  const t = Date.parse(at);
  const until = new Date(t + 1000).toISOString();
  const rendered = renderSchedule(schedule, at, until, { overflow: true });
  const entry =
    rendered.final_schedule.rendered_schedule_entries.find(
      (e) => Date.parse(e.start) <= t && t < Date.parse(e.end),
    ) ?? null;
  return { user: entry?.user ?? null, entry };
}
