import type { Reference } from '../../api/types.js';

/** A shift of a rendered subschedule. */
export interface Entry {
  start: string;
  end: string;
  user: Reference;
}

/** A restriction of a layer. */
export interface Restriction {
  type: 'daily_restriction' | 'weekly_restriction';
  start_time_of_day: string;
  duration_seconds: number;
  start_day_of_week?: number;
}

/** A schedule layer as the API presents it. */
export interface Layer {
  id?: string;
  name: string;
  start: string;
  end: string | null;
  rotation_virtual_start: string;
  rotation_turn_length_seconds: number;
  users: { user: Reference }[];
  restrictions: Restriction[];
  rendered_schedule_entries?: Entry[];
}

/** A schedule, rendered over a window when read one at a time. */
export interface Schedule {
  id: string;
  name: string;
  description: string | null;
  time_zone: string;
  escalation_policies: Reference[];
  users: Reference[];
  schedule_layers?: Layer[];
  overrides_subschedule?: { rendered_schedule_entries: Entry[] };
  final_schedule?: { rendered_schedule_entries: Entry[]; rendered_coverage_percentage: number };
  http_cal_url?: string;
  web_cal_url?: string;
}

/** A layer's request body (PUT replaces every layer). */
export function layerBody(l: Layer) {
  return {
    name: l.name,
    start: l.start,
    end: l.end,
    rotation_virtual_start: l.rotation_virtual_start,
    rotation_turn_length_seconds: l.rotation_turn_length_seconds,
    users: l.users.map((u) => ({ user: { id: u.user.id, type: 'user_reference' } })),
    restrictions: l.restrictions,
  };
}

/** A new layer: daily turns handing off at 09:00 (viewer's time), starting at the last 09:00 so far. */
export function newLayer(n: number): Layer {
  const start = new Date();
  start.setHours(9, 0, 0, 0);
  if (start.getTime() > Date.now()) start.setDate(start.getDate() - 1);
  return {
    name: `Layer ${n}`,
    start: start.toISOString(),
    end: null,
    rotation_virtual_start: start.toISOString(),
    rotation_turn_length_seconds: 86_400,
    users: [],
    restrictions: [],
  };
}

/** Every IANA time zone the browser knows (UTC first). */
export function timeZones(): string[] {
  const zones = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
  return ['UTC', ...zones.filter((z) => z !== 'UTC')];
}

/** The viewer's time zone. */
export const viewerZone = Intl.DateTimeFormat().resolvedOptions().timeZone;

/** `YYYY-MM-DDTHH:mm` of an instant in the viewer's local time (for datetime-local inputs). */
export function toLocalInput(iso: string): string {
  const d = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** The instant of a datetime-local value (viewer's local time). */
export function fromLocalInput(value: string): string {
  return new Date(value).toISOString();
}

/** "Mon 3 Mar, 09:00" in a zone. */
export function shortTime(iso: string, zone: string): string {
  return new Date(iso).toLocaleString(undefined, {
    timeZone: zone,
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    hour: '2-digit',
    minute: '2-digit',
  });
}
