import type { Links } from '../http/rest.js';
import type { ScheduleOverridesTable, UsersTable } from '../store/database.js';
import type { RenderedSubschedule } from './final-schedule.js';
import type { StoredLayer } from './schedule.js';
import type { ScheduleView } from './schedule-service.js';
import { formatInZone } from './zoned-time.js';

type Users = ReadonlyMap<string, Pick<UsersTable, 'id' | 'name'>>;

/** A `user_reference`; a user missing from the map (or deleted) still renders with its id. */
export function userReference(links: Links, users: Users, id: string) {
  return links.reference('user', 'users', id, users.get(id)?.name ?? id);
}

/** The secret feed URLs of a token: `http_cal_url` (https/http) and `web_cal_url` (webcal://). */
export function feedUrls(links: Links, kind: 'schedules' | 'users', token: string) {
  const http = `${links.baseUrl}/calendars/${kind}/${token}.ics`;
  return { http_cal_url: http, web_cal_url: http.replace(/^https?:\/\//, 'webcal://') };
}

function entries(links: Links, users: Users, sub: RenderedSubschedule) {
  return sub.rendered_schedule_entries.map((e) => ({
    start: e.start,
    end: e.end,
    user: userReference(links, users, e.user),
  }));
}

function presentLayer(links: Links, v: ScheduleView, layer: StoredLayer, i: number, zone: string) {
  const sub = v.rendered?.layers[i];
  return {
    id: layer.id,
    name: layer.name,
    start: formatInZone(Date.parse(layer.start), zone),
    end: layer.end === null ? null : formatInZone(Date.parse(layer.end), zone),
    rotation_virtual_start: formatInZone(Date.parse(layer.rotation_virtual_start), zone),
    rotation_turn_length_seconds: layer.rotation_turn_length_seconds,
    users: layer.users.map((id) => ({ user: userReference(links, v.users, id) })),
    restrictions: layer.restrictions,
    ...(sub
      ? {
          rendered_schedule_entries: entries(links, v.users, sub),
          rendered_coverage_percentage: sub.rendered_coverage_percentage,
        }
      : {}),
  };
}

/**
 * A schedule as PagerDuty's REST API v2 shows it, plus Tocsin's `final_schedule.rendered_gaps`. Layers
 * are in priority order (later layers win) on output as on input. With `list`, the rendered
 * subschedules and the layers are left out, as PagerDuty's list does without `include[]`.
 */
export function presentSchedule(
  links: Links,
  v: ScheduleView,
  options: { list?: boolean; layers?: boolean } = {},
) {
  const s = v.schedule;
  const zone = v.rendered?.window.zone ?? s.timeZone;
  const userIds = [...new Set(s.layers.flatMap((l) => l.users))];
  const r = v.rendered;
  return {
    ...(s.id === null ? {} : { id: s.id }),
    type: 'schedule' as const,
    summary: s.name,
    self: s.id === null ? null : links.self('schedules', s.id),
    html_url: s.id === null ? null : links.html('schedules', s.id),
    name: s.name,
    description: s.description,
    time_zone: s.timeZone,
    escalation_policies: v.policies.map((p) =>
      links.reference('escalation_policy', 'escalation_policies', p.id, p.name),
    ),
    users: userIds.map((id) => userReference(links, v.users, id)),
    teams: [],
    ...(options.list && !options.layers
      ? {}
      : { schedule_layers: s.layers.map((l, i) => presentLayer(links, v, l, i, zone)) }),
    ...(r && !options.list
      ? {
          overrides_subschedule: {
            name: 'Overrides' as const,
            rendered_schedule_entries: entries(links, v.users, r.overrides_subschedule),
            rendered_coverage_percentage: r.overrides_subschedule.rendered_coverage_percentage,
          },
          final_schedule: {
            name: 'Final Schedule' as const,
            rendered_schedule_entries: entries(links, v.users, r.final_schedule),
            rendered_coverage_percentage: r.final_schedule.rendered_coverage_percentage,
            rendered_gaps: r.gaps,
          },
        }
      : {}),
    ...(s.icalToken === null ? {} : feedUrls(links, 'schedules', s.icalToken)),
  };
}

/** An override (PagerDuty shape), its times written in `zone`. */
export function presentOverride(links: Links, users: Users, o: ScheduleOverridesTable, zone: string) {
  return {
    id: o.id,
    start: formatInZone(Date.parse(o.start_at), zone),
    end: formatInZone(Date.parse(o.end_at), zone),
    user: userReference(links, users, o.user_id),
  };
}
