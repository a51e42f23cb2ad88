/**
 * Combining layers and overrides into the final schedule. Later layers in the array win over
 * earlier ones where they have someone; where a later layer has a gap the earlier one shows
 * through. Overrides win over all layers; where overrides overlap, the newest created wins (ties:
 * the later one in the array). Gaps are explicit; entries are clipped to [since, until) unless
 * overflow is asked for, in which case entries touching the window keep their full extent.
 */
import { clipUserSpans, coveragePercentage, mergeUserSpans } from './intervals.js';
import type { Span, UserSpan } from './intervals.js';
import { renderLayer } from './layer.js';
import type { Layer } from './layer.js';
import { formatInZone, parseInstant } from './zoned-time.js';

/** An override: `user` is on call over [start, end), created at `created_at`. */
export interface Override {
  user: string;
  start: string;
  end: string;
  created_at: string;
}

/** A schedule's definition, as the pure math needs it. */
export interface ScheduleDefinition {
  time_zone: string;
  layers: Layer[];
  overrides: Override[];
}

/** A rendered entry (PagerDuty shape, user as id). */
export interface ScheduleEntry {
  user: string;
  start: string;
  end: string;
}

/** A rendered subschedule: its entries and the share of the window they cover. */
export interface RenderedSubschedule {
  rendered_schedule_entries: ScheduleEntry[];
  rendered_coverage_percentage: number;
}

/** The whole rendering of a schedule over a window. */
export interface RenderedSchedule {
  layers: RenderedSubschedule[];
  overrides_subschedule: RenderedSubschedule;
  final_schedule: RenderedSubschedule;
  gaps: { start: string; end: string }[];
}

/** Resolves a list of sources (highest priority first) over their boundaries into one timeline. */
function resolve(sources: readonly UserSpan[][]): UserSpan[] {
  const points = [...new Set(sources.flat().flatMap((s) => [s.start, s.end]))].sort((a, b) => a - b);
  const ptr = sources.map(() => 0);
  const out: UserSpan[] = [];
  for (let i = 0; i + 1 < points.length; i++) {
    const start = points[i] as number;
    const end = points[i + 1] as number;
    for (let k = 0; k < sources.length; k++) {
      const list = sources[k] as UserSpan[];
      let p = ptr[k] as number;
      while (p < list.length && (list[p] as UserSpan).end <= start) p++;
      ptr[k] = p;
      const s = list[p];
      if (s && s.start <= start) {
        out.push({ user: s.user, start, end });
        break;
      }
    }
  }
  return mergeUserSpans(out);
}

/** The overrides resolved so that the newest created wins where they overlap. */
export function resolveOverrides(overrides: readonly Override[]): UserSpan[] {
  const ranked = overrides
    .map((o, i) => ({ o, i, created: parseInstant(o.created_at) }))
    .sort((a, b) => b.created - a.created || b.i - a.i);
  const sources = ranked.map(({ o }) => [
    { user: o.user, start: parseInstant(o.start), end: parseInstant(o.end) },
  ]);
  return resolve(sources);
}

/** Final spans: overrides, then layers from last to first. */
export function finalSpans(layerSpans: readonly UserSpan[][], overrides: UserSpan[]): UserSpan[] {
  return resolve([overrides, ...[...layerSpans].reverse()]);
}

function hull(spans: readonly Span[], since: number, until: number): Span {
  let start = since;
  let end = until;
  for (const s of spans) {
    start = Math.min(start, s.start);
    end = Math.max(end, s.end);
  }
  return { start, end };
}

function gapsOf(spans: readonly Span[], since: number, until: number): Span[] {
  const gaps: Span[] = [];
  let at = since;
  for (const s of spans) {
    if (s.start > at) gaps.push({ start: at, end: Math.min(s.start, until) });
    at = Math.max(at, s.end);
  }
  if (at < until) gaps.push({ start: at, end: until });
  return gaps.filter((g) => g.end > g.start);
}

/**
 * The final spans touching [from, to), resolved over the hull of every layer entry and override that
 * touches the window, so entries that overflow the window are resolved against every layer over their
 * whole extent. Also returns the window's layer spans and the resolved overrides.
 */
export function finalSpansAround(schedule: ScheduleDefinition, from: number, to: number) {
  const zone = schedule.time_zone;
  const overrides = resolveOverrides(schedule.overrides);
  const touching = (s: Span) => s.end > from && s.start < to;
  const first = schedule.layers.map((l) => renderLayer(l, zone, from, to));
  const h = hull([...first.flat(), ...overrides.filter(touching)], from, to);
  const layers = schedule.layers.map((l) => renderLayer(l, zone, h.start, h.end));
  const final = finalSpans(layers, overrides)
    .filter(touching)
    .map((s) => ({ ...s, start: Math.max(s.start, h.start), end: Math.min(s.end, h.end) }));
  return { first, overrides, final };
}

/** Renders layers, overrides and the final schedule over [since, until). */
export function renderSchedule(
  schedule: ScheduleDefinition,
  since: string,
  until: string,
  options: { overflow?: boolean } = {},
): RenderedSchedule {
  const zone = schedule.time_zone;
  const from = parseInstant(since);
  const to = parseInstant(until);
  const { first, overrides, final } = finalSpansAround(schedule, from, to);
  const touching = (s: Span) => s.end > from && s.start < to;
  const show = (spans: UserSpan[]): RenderedSubschedule => {
    const visible = options.overflow ? spans.filter(touching) : clipUserSpans(spans, from, to);
    const fmt = visible.map((s) => ({
      user: s.user,
      start: formatInZone(s.start, zone),
      end: formatInZone(s.end, zone),
    }));
    return {
      rendered_schedule_entries: fmt,
      rendered_coverage_percentage: coveragePercentage(visible, from, to),
    };
  };
  return {
    layers: first.map(show),
    overrides_subschedule: show(overrides),
    final_schedule: show(final),
    gaps: gapsOf(final, from, to).map((g) => ({
      start: formatInZone(g.start, zone),
      end: formatInZone(g.end, zone),
    })),
  };
}
