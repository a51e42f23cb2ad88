/** The window a schedule is rendered over (REST `since`/`until`/`time_zone`) and its rendering. */
import { AppError, FieldErrors } from '../lib/errors.js';
import type { ScheduleOverridesTable } from '../store/database.js';
import { isTimeZone, parseDateTime } from './date-time-input.js';
import { renderSchedule, type RenderedSchedule } from './final-schedule.js';
import type { StoredLayer } from './schedule.js';
import { formatInZone } from './zoned-time.js';

const DAY = 86_400_000;
/** Without `until` the window lasts this long (PagerDuty's documented default: two weeks). */
export const DEFAULT_WINDOW_MS = 14 * DAY;
/** The longest window one request may render (PagerDuty's on-call window is 90 days too). */
export const MAX_WINDOW_MS = 90 * DAY;

/** A resolved render window in epoch milliseconds, with the zone entries are written in. */
export interface RenderWindow {
  since: number;
  until: number;
  zone: string;
  overflow: boolean;
}

/**
 * Resolves REST parameters: neither bound → [now, now + 14 days); only `since` → 14 days from it; only
 * `until` → 14 days before it. `until` must be after `since`, and the window at most 90 days.
 * `time_zone` defaults to the schedule's. Every problem is reported at once.
 */
export function resolveWindow(
  query: {
    since?: string | undefined;
    until?: string | undefined;
    time_zone?: string | undefined;
    overflow?: boolean | undefined;
  },
  scheduleZone: string,
  now: Date,
): RenderWindow {
  const errors = new FieldErrors();
  const zone = query.time_zone ?? scheduleZone;
  if (!isTimeZone(zone)) errors.add('time_zone must be an IANA time zone such as Europe/London');
  const at = (value: string | undefined, name: string) => {
    if (value === undefined) return undefined;
    const ms = parseDateTime(value, isTimeZone(zone) ? zone : 'UTC');
    if (ms === undefined) errors.add(`${name} must be an ISO 8601 date-time`);
    return ms;
  };
  const s = at(query.since, 'since');
  const u = at(query.until, 'until');
  errors.throwIfAny();
  const since = s ?? (u !== undefined ? u - DEFAULT_WINDOW_MS : now.getTime());
  const until = u ?? since + DEFAULT_WINDOW_MS;
  if (until <= since) throw new AppError('invalidInput', ['until must be after since']);
  if (until - since > MAX_WINDOW_MS)
    throw new AppError('invalidInput', ['The window from since to until may be at most 90 days']);
  return { since, until, zone, overflow: query.overflow ?? false };
}

/**
 * How far beyond a window overrides can still shape the entries that overflow it: the longest turn of
 * the layers (an overflowing entry reaches at most one turn past the window), at most a year. Loading
 * overrides over the padded window keeps an entry's reported end right when an override starts after
 * the window but within the entry.
 */
export function overridePadMs(layers: readonly StoredLayer[]): number {
  const longest = Math.max(0, ...layers.map((l) => l.rotation_turn_length_seconds * 1000));
  return Math.min(longest, 366 * DAY);
}

/** The pure math's override shape from rows. */
export function overridesOf(rows: readonly ScheduleOverridesTable[]) {
  return rows.map((o) => ({ user: o.user_id, start: o.start_at, end: o.end_at, created_at: o.created_at }));
}

/** Renders a schedule over a window, with every entry and gap written in the window's zone. */
export function renderInZone(
  definition: { timeZone: string; layers: StoredLayer[] },
  overrides: readonly ScheduleOverridesTable[],
  window: RenderWindow,
): RenderedSchedule {
  const rendered = renderSchedule(
    { time_zone: definition.timeZone, layers: definition.layers, overrides: overridesOf(overrides) },
    new Date(window.since).toISOString(),
    new Date(window.until).toISOString(),
    { overflow: window.overflow },
  );
  if (window.zone === definition.timeZone) return rendered;
  const rezone = <T extends { start: string; end: string }>(e: T): T => ({
    ...e,
    start: formatInZone(Date.parse(e.start), window.zone),
    end: formatInZone(Date.parse(e.end), window.zone),
  });
  const sub = (s: RenderedSchedule['final_schedule']) => ({
    ...s,
    rendered_schedule_entries: s.rendered_schedule_entries.map(rezone),
  });
  return {
    layers: rendered.layers.map(sub),
    overrides_subschedule: sub(rendered.overrides_subschedule),
    final_schedule: sub(rendered.final_schedule),
    gaps: rendered.gaps.map(rezone),
  };
}
