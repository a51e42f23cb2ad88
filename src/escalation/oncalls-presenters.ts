import type { Links } from '../http/rest.js';
import { formatInZone } from '../schedules/zoned-time.js';
import type { EscalationPolicy } from './escalation-policy.js';
import type { OnCallEntry } from './oncalls.js';
import type { OnCallPage } from './oncalls-service.js';
import type { OnCallSchedule, OnCallUser } from './oncalls-store.js';
import { policyReference, scheduleReference, userReference } from './presenters.js';

/** What `include[]` may embed in place of references. */
export type OnCallInclude = 'users' | 'schedules' | 'escalation_policies';

function object(links: Links, type: string, collection: string, id: string, name: string) {
  return {
    id,
    type,
    summary: name,
    self: links.self(collection, id),
    html_url: links.html(collection, id),
    name,
  };
}

function user(links: Links, u: OnCallUser, embed: boolean) {
  if (!embed) return userReference(links, u);
  const { id, name, ...rest } = u;
  return { ...object(links, 'user', 'users', id, name), ...rest };
}

function schedule(links: Links, s: OnCallSchedule, embed: boolean) {
  if (!embed) return scheduleReference(links, s);
  return {
    ...object(links, 'schedule', 'schedules', s.id, s.name),
    description: s.description,
    time_zone: s.time_zone,
  };
}

function policy(links: Links, p: EscalationPolicy, embed: boolean) {
  if (!embed) return policyReference(links, p);
  return {
    ...object(links, 'escalation_policy', 'escalation_policies', p.id, p.name),
    description: p.description,
    num_loops: p.numLoops,
    on_call_handoff_notifications: p.handoffNotifications,
  };
}

/** One on-call as PagerDuty shows it; start/end in the requested zone, null for a permanent target. */
export function presentOnCall(
  links: Links,
  page: OnCallPage,
  entry: OnCallEntry,
  include: ReadonlySet<OnCallInclude>,
) {
  const scheduleRow = entry.scheduleId === null ? undefined : page.schedules.get(entry.scheduleId);
  const time = (ms: number | null) => (ms === null ? null : formatInZone(ms, page.timeZone));
  return {
    escalation_policy: policy(links, page.policies.get(entry.policyId)!, include.has('escalation_policies')),
    escalation_level: entry.level,
    schedule: scheduleRow ? schedule(links, scheduleRow, include.has('schedules')) : null,
    user: user(links, page.users.get(entry.userId)!, include.has('users')),
    start: time(entry.start),
    end: time(entry.end),
  };
}
