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
  const userIds = [
    ...new Set(rules.flatMap((r) => r.targets.filter((t) => t.type === 'user_reference').map((t) => t.id))),
  ];
  const later = new Date(Date.parse(at) + 1000).toISOString();
  const schedules = await loadSchedules(db, scheduleIds, at, later);
  const liveUsers = new Set(
    userIds.length === 0
      ? []
      : (
          await db
            .selectFrom('users')
            .select('id')
            .where('id', 'in', userIds)
            .where('deleted_at', 'is', null)
            .execute()
        ).map((u) => u.id),
  );
  return rules.map((rule) => {
    const level: LevelOnCall[] = [];
    const add = (entry: LevelOnCall) => {
      if (!level.some((l) => l.userId === entry.userId)) level.push(entry);
    };
    for (const target of rule.targets) {
      if (target.type === 'user_reference') {
        if (liveUsers.has(target.id)) add({ userId: target.id, scheduleId: null, start: null, end: null });
        continue;
      }
      const schedule = schedules.get(target.id);
      if (!schedule) continue;
      const { user, entry } = whoIsOnCall(schedule.definition, at);
      if (user && entry) add({ userId: user, scheduleId: schedule.id, start: entry.start, end: entry.end });
    }
    return level;
  });
}
