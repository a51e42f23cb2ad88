// Library decision: built-in Intl.DateTimeFormat (full ICU in Node 20), no dependency. The
// Temporal polyfill (0.5, pre-1.0) is heavy and slow for property tests, and we need only two
// operations; RFC 5545 / Temporal 'compatible' disambiguation is implemented below and tested.

/** A wall-clock date-time in some time zone (month 1..12). */
export interface LocalDateTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(zone, f);
  }
  return f;
}

function intlLocal(ms: number, zone: string): LocalDateTime {
  const out: Record<string, number> = {};
  for (const p of formatter(zone).formatToParts(new Date(ms))) {
    if (p.type !== 'literal') out[p.type] = Number(p.value);
  }
  return {
    year: out.year ?? 0,
    month: out.month ?? 1,
    day: out.day ?? 1,
    hour: out.hour ?? 0,
    minute: out.minute ?? 0,
    second: out.second ?? 0,
  };
}

/** Local wall-clock parts of the instant `ms` (epoch milliseconds) in `zone`. */
export function toLocal(ms: number, zone: string): LocalDateTime {
  const s = Math.floor(ms / 1000) * 1000;
  return fromWallMs(s + offsetMs(s, zone));
}

/** The wall clock as if it were UTC, in epoch milliseconds (a "wall number"). */
export function wallMs(l: LocalDateTime): number {
  const d = new Date(0);
  d.setUTCFullYear(l.year, l.month - 1, l.day);
  d.setUTCHours(l.hour, l.minute, l.second, 0);
  return d.getTime();
}

/** The inverse of wallMs: wall-clock parts of a wall number. */
export function fromWallMs(w: number): LocalDateTime {
  const d = new Date(w);
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    second: d.getUTCSeconds(),
  };
}

function intlOffset(ms: number, zone: string): number {
  const s = Math.floor(ms / 1000) * 1000;
  return wallMs(intlLocal(s, zone)) - s;
}

const HOUR = 3_600_000;
const MAX_CACHED_HOURS = 500_000;
const offsetCache = new Map<string, Map<number, number>>();

/**
 * UTC offset of `zone` at instant `ms`, in milliseconds (local = utc + offset). Performance: asking
 * Intl is by far the costliest step of rendering (measured ~75% of it), so offsets are cached per
 * zone and UTC hour when the offset is the same at the hour's first and last second (zones change
 * offset at most a few times a year, never twice within an hour); hours with a change ask Intl.
 */
export function offsetMs(ms: number, zone: string): number {
  const hour = Math.floor(ms / HOUR);
  let cache = offsetCache.get(zone);
  if (!cache || cache.size > MAX_CACHED_HOURS) {
    cache = new Map();
    offsetCache.set(zone, cache);
  }
  const hit = cache.get(hour);
  if (hit !== undefined) return hit;
  const first = intlOffset(hour * HOUR, zone);
  if (first !== intlOffset(hour * HOUR + HOUR - 1000, zone)) return intlOffset(ms, zone);
  cache.set(hour, first);
  return first;
}

const DAY = 86_400_000;

/** `toInstant` of a wall number (see `wallMs`), without building the local parts. */
export function wallToInstant(w: number, zone: string): number {
  const before = offsetMs(w - DAY, zone);
  const after = offsetMs(w + DAY, zone);
  const first = offsetMs(w - before, zone) === before;
  if (before === after && first) return w - before;
  const second = offsetMs(w - after, zone) === after;
  if (first && second) return Math.min(w - before, w - after);
  if (first) return w - before;
  if (second) return w - after;
  // Gap: interpret with the offset in force before the transition, which lands after it.
  return w - before;
}

/**
 * The instant of a local wall-clock time in `zone`, with 'compatible' disambiguation: a time in a
 * spring-forward gap moves forward by the gap length; a fall-back time means its first occurrence.
 */
export function toInstant(local: LocalDateTime, zone: string): number {
  return wallToInstant(wallMs(local), zone);
}

/** ISO day of week (Monday = 1 … Sunday = 7) of a wall number; 1970-01-01 was a Thursday. */
export function isoDayOfWall(w: number): number {
  return ((((Math.floor(w / DAY) + 3) % 7) + 7) % 7) + 1;
}

/** ISO day of week of a local date: Monday = 1 … Sunday = 7. */
export function isoDayOfWeek(l: LocalDateTime): number {
  const d = new Date(wallMs(l)).getUTCDay();
  return d === 0 ? 7 : d;
}

/** Formats an instant as ISO 8601 with the zone's offset, e.g. 2026-03-08T09:00:00-04:00. */
export function formatInZone(ms: number, zone: string): string {
  const off = offsetMs(ms, zone);
  const iso = new Date(Math.floor(ms / 1000) * 1000 + off).toISOString().slice(0, 19);
  const sign = off < 0 ? '-' : '+';
  const abs = Math.abs(off) / 60_000;
  const hh = String(Math.floor(abs / 60)).padStart(2, '0');
  const mm = String(abs % 60).padStart(2, '0');
  return `${iso}${sign}${hh}:${mm}`;
}

/** Parses an ISO 8601 instant to epoch milliseconds; throws on an invalid value. */
export function parseInstant(iso: string): number {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw new Error(`invalid date-time: ${iso}`);
  return ms;
}
