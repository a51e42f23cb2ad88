import type { Kysely } from 'kysely';
import { whoIsOnCall } from '../schedules/on-call.js';
import { loadSchedules } from '../schedules/on-call-store.js';
import type { Database } from '../store/database.js';
import type { EscalationRule } from './escalation-policy.js';

/** Someone on call at one level: the user and, for schedule targets, the schedule and its shift. */
export interface LevelOnCall {
  userId: string;
  scheduleId: string | null;
  start: string | null;
  end: string | null;
}

/**
 * Who is on call at each level of a policy at instant `at`: direct user targets (live users only)
 * and the user each schedule target has on call. A user reached twice at a level appears once,
 * by the first target that reached them.
 */
export async function onCallByLevel(
  db: Kysely<Database>,
  rules: readonly EscalationRule[],
  at: string,
): Promise<LevelOnCall[][]> {
  const scheduleIds = [
    ...new Set(
      rules.flatMap((r) => r.targets.filter((t) => t.type === 'schedule_reference').map((t) => t.id)),
    ),
  ];
  const later = new Date(Date.parse(at) + 1000).toISOString();
  const schedules = await loadSchedules(db, scheduleIds, at, later);
  // Who each target yields before checking users are live (a deleted user's shift is a hole).
  const reached = rules.map((rule) =>
    rule.targets.flatMap((target): LevelOnCall[] => {
      if (target.type === 'user_reference')
        return [{ userId: target.id, scheduleId: null, start: null, end: null }];
      const schedule = schedules.get(target.id);
      if (!schedule) return [];
      const { user, entry } = whoIsOnCall(schedule.definition, at);
      return user && entry
        ? [{ userId: user, scheduleId: schedule.id, start: entry.start, end: entry.end }]
        : [];
    }),
  );
  const candidates = [...new Set(reached.flat().map((r) => r.userId))];
  const live = new Set(
    candidates.length === 0
      ? []
      : (
          await db
            .selectFrom('users')
            .select('id')
            .where('id', 'in', candidates)
            .where('deleted_at', 'is', null)
            .execute()
        ).map((u) => u.id),
  );
  return reached.map((level) =>
    level.filter((l, i) => live.has(l.userId) && level.findIndex((o) => o.userId === l.userId) === i),
  );
}
