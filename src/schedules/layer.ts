/**
 * Rendering one schedule layer into who-holds-it spans. Rules:
 * - A turn length that is a whole number of days (86400·k s) is counted in calendar days of the
 *   schedule's time zone: hand-offs stay at the local time of day of rotation_virtual_start on
 *   both sides of a DST transition (a turn may last 23 or 25 hours). Any other turn length is
 *   counted in elapsed seconds from rotation_virtual_start.
 * - The user on call at t is users[floor(turns elapsed since rotation_virtual_start) mod n]; this
 *   also holds before the virtual start.
 * - Entries exist only within [layer.start, layer.end).
 * - A restriction window opens at its local start_time_of_day (on start_day_of_week for weekly
 *   ones, Monday = 1) and closes duration_seconds later on the local wall clock, so it may cross
 *   midnight and the week's end. Local times become instants with 'compatible' disambiguation.
 *   With restrictions the layer has someone only inside the union of its windows.
 * - Entries are half-open and the same user's touching entries are merged. Rendering keeps each
 *   entry's full extent up to the bounds of the turns that touch the requested range.
 */
import { intersectSpans, mergeUserSpans, unionSpans } from './intervals.js';
import type { Span, UserSpan } from './intervals.js';
import { isoDayOfWall, offsetMs, parseInstant, wallToInstant } from './zoned-time.js';

/** A restriction of when a layer is active (PagerDuty shape). */
export interface Restriction {
  type: 'daily_restriction' | 'weekly_restriction';
  start_time_of_day: string;
  duration_seconds: number;
  start_day_of_week?: number;
}

/** A schedule layer (PagerDuty shape, users as ids in rotation order). */
export interface Layer {
  start: string;
  end: string | null;
  rotation_virtual_start: string;
  rotation_turn_length_seconds: number;
  users: string[];
  restrictions: Restriction[];
}

const DAY = 86_400_000;

/** The wall number of an instant (its local time read as UTC), to the second. */
function wallOf(ms: number, zone: string): number {
  const s = Math.floor(ms / 1000) * 1000;
  return s + offsetMs(s, zone);
}

// Turn starts are asked for once per turn; parsing the virtual start each time was measurable.
const virtualStarts = new WeakMap<Layer, { rvs: string; zone: string; vs: number; wall: number }>();

function virtualStart(layer: Layer, zone: string): { vs: number; wall: number } {
  const hit = virtualStarts.get(layer);
  if (hit && hit.rvs === layer.rotation_virtual_start && hit.zone === zone) return hit;
  const vs = parseInstant(layer.rotation_virtual_start);
  const entry = { rvs: layer.rotation_virtual_start, zone, vs, wall: wallOf(vs, zone) };
  virtualStarts.set(layer, entry);
  return entry;
}

/** Start instant of turn number n (0 = the turn beginning at rotation_virtual_start). */
export function turnStart(layer: Layer, zone: string, n: number): number {
  const { vs, wall } = virtualStart(layer, zone);
  const len = layer.rotation_turn_length_seconds;
  if (len % 86400 !== 0) return vs + n * len * 1000;
  return wallToInstant(wall + n * (len / 86400) * DAY, zone);
}

/** Number of the turn containing instant t (may be negative before the virtual start). */
export function turnIndex(layer: Layer, zone: string, t: number): number {
  const { vs } = virtualStart(layer, zone);
  let n = Math.floor((t - vs) / (layer.rotation_turn_length_seconds * 1000));
  while (turnStart(layer, zone, n) > t) n--;
  while (turnStart(layer, zone, n + 1) <= t) n++;
  return n;
}

/** The user whose turn contains t, ignoring layer bounds and restrictions. */
export function userAtTurn(layer: Layer, n: number): string {
  const k = layer.users.length;
  return layer.users[((n % k) + k) % k] as string;
}

function parseTimeOfDay(s: string): number {
  const [h = 0, m = 0, sec = 0] = s.split(':').map(Number);
  return ((h * 60 + m) * 60 + sec) * 1000;
}

/** Union of the restriction windows (as instants) that may touch [from, to). */
export function restrictionWindows(layer: Layer, zone: string, from: number, to: number): Span[] {
  const longest = Math.max(...layer.restrictions.map((r) => r.duration_seconds * 1000));
  const firstDay = Math.floor(wallOf(from, zone) / DAY) * DAY;
  const lastDay = Math.floor(wallOf(to, zone) / DAY) * DAY;
  const opens = layer.restrictions.map((r) => ({ r, at: parseTimeOfDay(r.start_time_of_day) }));
  const windows: Span[] = [];
  for (let day = firstDay - Math.ceil(longest / DAY + 1) * DAY; day <= lastDay + DAY; day += DAY) {
    for (const { r, at } of opens) {
      if (r.type === 'weekly_restriction' && isoDayOfWall(day) !== r.start_day_of_week) continue;
      const open = day + at;
      const start = wallToInstant(open, zone);
      const end = wallToInstant(open + r.duration_seconds * 1000, zone);
      if (end > start && end > from && start < to) windows.push({ start, end });
    }
  }
  return unionSpans(windows);
}

/**
 * Renders a layer's spans for every turn that touches [since, until), each at its full extent
 * within the layer bounds and restriction windows; merged and sorted.
 */
export function renderLayer(layer: Layer, zone: string, since: number, until: number): UserSpan[] {
  const len = layer.rotation_turn_length_seconds;
  if (!Number.isInteger(len) || len < 1) throw new Error(`invalid rotation_turn_length_seconds: ${len}`);
  if (layer.users.length === 0 || until <= since) return [];
  const lStart = parseInstant(layer.start);
  const lEnd = layer.end === null ? Infinity : parseInstant(layer.end);
  const from = Math.max(since, lStart);
  const to = Math.min(until, lEnd);
  if (to <= from) return [];
  const turns: UserSpan[] = [];
  for (let n = turnIndex(layer, zone, from); ; n++) {
    const start = turnStart(layer, zone, n);
    if (start >= to) break;
    const end = turnStart(layer, zone, n + 1);
    turns.push({ user: userAtTurn(layer, n), start: Math.max(start, lStart), end: Math.min(end, lEnd) });
  }
  if (layer.restrictions.length === 0) return mergeUserSpans(turns);
  const lo = turns[0]?.start ?? from;
  const hi = turns[turns.length - 1]?.end ?? to;
  const windows = restrictionWindows(layer, zone, lo, hi);
  const out: UserSpan[] = [];
  for (const t of turns) {
    for (const s of intersectSpans([t], windows)) out.push({ user: t.user, ...s });
  }
  return mergeUserSpans(out).filter((s) => s.end > since && s.start < until);
}
