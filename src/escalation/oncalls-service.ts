import type { Actor } from '../auth/actor.js';
import type { Clock } from '../lib/clock.js';
import { FieldErrors } from '../lib/errors.js';
import { loadSchedules, type LoadedSchedule } from '../schedules/on-call-store.js';
import type { Store } from '../store/store.js';
import { policyFromRow, type EscalationPolicy } from './escalation-policy.js';
import * as db from './escalation-policy-store.js';
import { earliestOnly, policyOnCalls, scheduleShifts, sortOnCalls, type OnCallEntry } from './oncalls.js';
import { onCallPeople, type OnCallPeople } from './oncalls-store.js';

/** What the on-call listing needs. */
export interface OnCallDeps {
  store: Store;
  clock: Clock;
}

/** The /oncalls query after routing (raw strings, validated here). */
export interface OnCallQuery {
  since?: string | undefined;
  until?: string | undefined;
  earliest?: boolean | undefined;
  timeZone?: string | undefined;
  userIds?: string[] | undefined;
  policyIds?: string[] | undefined;
  scheduleIds?: string[] | undefined;
}

/** One page of on-calls with the people, schedules and policies they name. */
export interface OnCallPage extends OnCallPeople {
  entries: OnCallEntry[];
  total: number | null;
  timeZone: string;
  policies: Map<string, EscalationPolicy>;
}

/** The longest window /oncalls answers, as PagerDuty limits it. */
const MAX_WINDOW_MS = 90 * 86_400_000;

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** Resolves since/until (both default to now; until defaults to since when only since is given). */
function windowOf(query: OnCallQuery, now: number): { since: number; until: number; timeZone: string } {
  const errors = new FieldErrors();
  const parse = (value: string | undefined, name: string, fallback: number) => {
    if (value === undefined || value === '') return fallback;
    const ms = Date.parse(value);
    if (Number.isNaN(ms)) errors.add(`${name} must be an ISO 8601 date-time`);
    return Number.isNaN(ms) ? fallback : ms;
  };
  const since = parse(query.since, 'since', now);
  const until = parse(query.until, 'until', query.since ? since : now);
  if (until < since) errors.add('until must not be before since');
  if (until - since > MAX_WINDOW_MS)
    errors.add('The window from since to until cannot be longer than 90 days');
  const timeZone = query.timeZone ?? 'UTC';
  if (!isTimeZone(timeZone)) errors.add('time_zone must be an IANA time zone');
  errors.throwIfAny();
  return { since, until, timeZone };
}

/** Renders each schedule once; overrides are loaded around the shifts' full extent, not just the window. */
async function shiftsOf(deps: OnCallDeps, ids: string[], since: number, until: number) {
  const iso = (ms: number) => new Date(ms).toISOString();
  const render = (loaded: Map<string, LoadedSchedule>) =>
    new Map([...loaded].map(([id, s]) => [id, scheduleShifts(s.definition, since, until)]));
  let shifts = render(await loadSchedules(deps.store.db, ids, iso(since), iso(until)));
  const all = [...shifts.values()].flat();
  const from = Math.min(since, ...all.map((s) => s.start));
  const to = Math.max(until, ...all.map((s) => s.end));
  if (from < since || to > until)
    shifts = render(await loadSchedules(deps.store.db, ids, iso(from), iso(to)));
  return shifts;
}

/** Who is on call on live policies over the window, filtered, sorted as PagerDuty does, and paged. */
export async function listOnCalls(
  deps: OnCallDeps,
  _actor: Actor,
  query: OnCallQuery,
  page: { limit: number; offset: number; total: boolean },
): Promise<OnCallPage> {
  const now = deps.clock.now().getTime();
  const w = windowOf(query, now);
  const until = Math.max(w.until, w.since + 1); // an instant is the window [since, since + 1 ms)
  const wanted = (ids: string[] | undefined) => {
    const kept = ids?.filter((id) => id !== '') ?? [];
    return kept.length > 0 ? new Set(kept) : undefined;
  };
  const policyIds = wanted(query.policyIds);
  const scheduleIds = wanted(query.scheduleIds);
  const userIds = wanted(query.userIds);
  const rows = policyIds
    ? await db.policyRowsByIds(deps.store.db, [...policyIds])
    : await db.listPolicyRows(deps.store.db, {});
  const policies = rows.map(policyFromRow);
  const targetSchedules = policies.flatMap((p) => p.rules.flatMap((r) => r.targets));
  const ids = [...new Set(targetSchedules.filter((t) => t.type === 'schedule_reference').map((t) => t.id))];
  const shifts = await shiftsOf(
    deps,
    ids.filter((id) => !scheduleIds || scheduleIds.has(id)),
    w.since,
    until,
  );
  let entries = policies.flatMap((p) => policyOnCalls(p, (id) => shifts.get(id) ?? [], { scheduleIds }));
  if (userIds) entries = entries.filter((e) => userIds.has(e.userId));
  const people = await onCallPeople(deps.store.db, entries);
  entries = entries.filter(
    (e) => people.users.has(e.userId) && (!e.scheduleId || people.schedules.has(e.scheduleId)),
  );
  const byName = <T extends { id: string; name: string }>(list: T[]) => {
    const sorted = [...list].sort(
      (a, b) => a.name.toLowerCase().localeCompare(b.name.toLowerCase()) || (a.id < b.id ? -1 : 1),
    );
    const rank = new Map(sorted.map((x, i) => [x.id, i]));
    return (id: string) => rank.get(id) ?? 0;
  };
  entries = sortOnCalls(entries, byName(policies), byName([...people.users.values()]));
  if (query.earliest) entries = earliestOnly(entries);
  return {
    entries: entries.slice(page.offset, page.offset + page.limit),
    total: page.total ? entries.length : null,
    timeZone: w.timeZone,
    users: people.users,
    schedules: people.schedules,
    policies: new Map(policies.map((p) => [p.id, p])),
  };
}
