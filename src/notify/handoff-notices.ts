import type { StepContext } from '../escalation/assignment.js';
import { after, insertTimer } from '../engine/timer.js';
import { longId } from '../lib/ids.js';
import { finalSpansAround, type ScheduleDefinition } from '../schedules/final-schedule.js';
import { mergeUserSpans } from '../schedules/intervals.js';
import { loadSchedules } from '../schedules/on-call-store.js';
import { announcedScheduleIds, handoffRulesOf } from './handoff-store.js';
import { insertNotification } from './notification-store.js';
import { produceNotification } from './notification-delivery.js';

/** How often handoff notices are planned, and how far ahead each planning looks for notice times. */
export const HANDOFF_PLAN = { everySeconds: 3600, aheadSeconds: 25 * 3600, graceSeconds: 300 } as const;
/** The longest advance a handoff rule may ask for (a week). */
const MAX_ADVANCE_SECONDS = 7 * 86_400;

/** Shifts as people live them: one user's touching entries (layer then override, say) are one shift. */
function shiftsAround(definition: ScheduleDefinition, from: number, to: number) {
  return mergeUserSpans(finalSpansAround(definition, from, to).final);
}

/** A planned notice: who, for which shift edge of which schedule. */
interface Notice {
  scheduleId: string;
  scheduleName: string;
  userId: string;
  edge: 'oncall' | 'offcall';
  start: number;
  end: number;
}

/**
 * The `handoff_plan` step: finds the shift starts and ends of announced schedules whose notices fall
 * due in the next planning horizon, and plans one notification (and `handoff_notify` timer) per
 * matching handoff rule. Planning again is harmless: each notice has a dedup key. Then plans itself.
 */
export async function planHandoffNotices(ctx: StepContext): Promise<void> {
  const now = Date.parse(ctx.at);
  const from = now - HANDOFF_PLAN.graceSeconds * 1000;
  const horizon = now + HANDOFF_PLAN.aheadSeconds * 1000;
  const ids = await announcedScheduleIds(ctx.tx);
  const until = new Date(horizon + MAX_ADVANCE_SECONDS * 1000).toISOString();
  const schedules = await loadSchedules(ctx.tx.db, ids, ctx.at, until);
  const notices: Notice[] = [];
  for (const s of schedules.values()) {
    // From just before now: a shift already under way shows its real start, not a clipped one.
    const spans = shiftsAround(s.definition, now - 1000, Date.parse(until));
    for (const span of spans) {
      const base = {
        scheduleId: s.id,
        scheduleName: s.name,
        userId: span.user,
        start: span.start,
        end: span.end,
      };
      if (span.start >= now) notices.push({ ...base, edge: 'oncall' });
      if (span.end >= now && span.end < Date.parse(until)) notices.push({ ...base, edge: 'offcall' });
    }
  }
  const rules = await handoffRulesOf(ctx.tx, [...new Set(notices.map((n) => n.userId))]);
  for (const n of notices)
    for (const rule of rules) {
      if (rule.user_id !== n.userId || (rule.handoff_type !== 'both' && rule.handoff_type !== n.edge))
        continue;
      const edgeAt = n.edge === 'oncall' ? n.start : n.end;
      const due = edgeAt - rule.notify_advance_in_minutes * 60_000;
      if (due < from || due >= horizon) continue;
      await planNotice(
        ctx,
        n,
        rule.id,
        rule.contact_method_id,
        { type: rule.contact_type, address: rule.address },
        due,
      );
    }
  await insertTimer(
    ctx.tx,
    {
      kind: 'handoff_plan',
      incidentId: null,
      dueAt: after(ctx.at, HANDOFF_PLAN.everySeconds),
      dedupKey: 'handoff_plan',
    },
    ctx.at,
  );
}

async function planNotice(
  ctx: StepContext,
  n: Notice,
  ruleId: string,
  contactMethodId: string,
  contact: { type: string; address: string },
  due: number,
): Promise<void> {
  const id = longId();
  const dueAt = new Date(Math.max(due, Date.parse(ctx.at))).toISOString();
  const start = new Date(n.start).toISOString();
  const end = new Date(n.end).toISOString();
  const message =
    n.edge === 'oncall'
      ? `You are on call for ${n.scheduleName} from ${start} to ${end}.`
      : `Your on-call shift on ${n.scheduleName} ends at ${end}.`;
  const added = await insertNotification(
    ctx.tx,
    {
      id,
      dedupKey: `handoff:${n.scheduleId}:${n.userId}:${ruleId}:${n.edge}:${n.edge === 'oncall' ? start : end}`,
      incidentId: null,
      userId: n.userId,
      contactMethodId,
      reason: n.edge === 'oncall' ? 'handoff_oncall' : 'handoff_offcall',
      urgency: null,
      dueAt,
      detail: {
        schedule_id: n.scheduleId,
        schedule: n.scheduleName,
        start,
        end,
        message,
        contact_type: contact.type,
        address: contact.address,
      },
    },
    ctx.at,
  );
  if (added)
    await insertTimer(
      ctx.tx,
      {
        kind: 'handoff_notify',
        incidentId: null,
        dueAt,
        payload: { notificationId: id, scheduleId: n.scheduleId, userId: n.userId, edge: n.edge, start, end },
      },
      ctx.at,
    );
}

/** The `handoff_notify` step: sends the notice if the shift still starts (or ends) as planned. */
export async function sendHandoffNotice(
  ctx: StepContext,
  payload: {
    notificationId: string;
    scheduleId: string;
    userId: string;
    edge: string;
    start: string;
    end: string;
  },
): Promise<void> {
  const start = Date.parse(payload.start);
  const end = Date.parse(payload.end);
  // Padded: an override that begins exactly at the shift's end still decides whether it ends there.
  const [from, to] = [start - 1000, end + 1000];
  const window = [new Date(from).toISOString(), new Date(to).toISOString()] as const;
  const schedule = (await loadSchedules(ctx.tx.db, [payload.scheduleId], ...window)).get(payload.scheduleId);
  const spans = schedule ? shiftsAround(schedule.definition, from, to) : [];
  const still = spans.some(
    (s) => s.user === payload.userId && (payload.edge === 'oncall' ? s.start === start : s.end === end),
  );
  if (!still) {
    await ctx.tx.raw.run(
      `UPDATE notifications SET status = 'cancelled', last_error = 'the shift changed', updated_at = ? WHERE id = ? AND status = 'pending'`,
      [ctx.at, payload.notificationId],
    );
    return;
  }
  await produceNotification(ctx, payload.notificationId, undefined, undefined);
}
