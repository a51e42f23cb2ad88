/** Who is on call at each level of escalation policies over a window: pure code over loaded data. */
import { renderSchedule, type ScheduleDefinition } from '../schedules/final-schedule.js';
import type { EscalationRule } from './escalation-policy.js';

/** One on-call: a user at a 1-based level of a policy, through a schedule shift or permanently. */
export interface OnCallEntry {
  policyId: string;
  level: number;
  scheduleId: string | null;
  userId: string;
  /** Epoch ms; null for a direct user target (permanently on call). */
  start: number | null;
  end: number | null;
}

/** What to keep while computing: the schedules of interest (all when undefined). */
export interface OnCallScope {
  scheduleIds?: ReadonlySet<string> | undefined;
}

/**
 * The on-calls of one policy over [since, until): direct user targets (permanent) and every
 * final-schedule entry of each schedule target touching the window, with its real shift bounds.
 * `render` gives a schedule's entries (cached by the caller); unknown schedules give none.
 */
export function policyOnCalls(
  policy: { id: string; rules: readonly EscalationRule[] },
  render: (scheduleId: string) => { user: string; start: number; end: number }[],
  scope: OnCallScope = {},
): OnCallEntry[] {
  const out: OnCallEntry[] = [];
  const seen = new Set<string>();
  const add = (entry: OnCallEntry) => {
    const key = [entry.level, entry.scheduleId, entry.userId, entry.start, entry.end].join('|');
    if (seen.has(key)) return;
    seen.add(key);
    out.push(entry);
  };
  policy.rules.forEach((rule, i) => {
    for (const target of rule.targets) {
      if (target.type === 'user_reference') {
        if (scope.scheduleIds) continue;
        add({
          policyId: policy.id,
          level: i + 1,
          scheduleId: null,
          userId: target.id,
          start: null,
          end: null,
        });
        continue;
      }
      if (scope.scheduleIds && !scope.scheduleIds.has(target.id)) continue;
      for (const e of render(target.id)) {
        add({
          policyId: policy.id,
          level: i + 1,
          scheduleId: target.id,
          userId: e.user,
          start: e.start,
          end: e.end,
        });
      }
    }
  });
  return out;
}

/** A schedule's final entries touching [since, until), with their full extent, as epoch ms. */
export function scheduleShifts(
  definition: ScheduleDefinition,
  since: number,
  until: number,
): { user: string; start: number; end: number }[] {
  const rendered = renderSchedule(definition, new Date(since).toISOString(), new Date(until).toISOString(), {
    overflow: true,
  });
  return rendered.final_schedule.rendered_schedule_entries.map((e) => ({
    user: e.user,
    start: Date.parse(e.start),
    end: Date.parse(e.end),
  }));
}

/**
 * PagerDuty's order: by policy (the caller's rank, e.g. by name), then level, then start (permanent
 * entries first), then user rank.
 */
export function sortOnCalls(
  entries: OnCallEntry[],
  policyRank: (id: string) => number,
  userRank: (id: string) => number,
): OnCallEntry[] {
  const start = (e: OnCallEntry) => e.start ?? Number.NEGATIVE_INFINITY;
  return [...entries].sort(
    (a, b) =>
      policyRank(a.policyId) - policyRank(b.policyId) ||
      a.level - b.level ||
      start(a) - start(b) ||
      userRank(a.userId) - userRank(b.userId),
  );
}

/** Keeps the earliest entry of each user, policy and level (entries must be sorted). */
export function earliestOnly(sorted: readonly OnCallEntry[]): OnCallEntry[] {
  const seen = new Set<string>();
  return sorted.filter((e) => {
    const key = `${e.policyId}|${e.level}|${e.userId}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
