import { after, insertTimer } from '../engine/timer.js';
import { longId } from '../lib/ids.js';
import type { WriteTx } from '../store/write-task.js';
import { queueNotification } from './delivery-store.js';
import { insertNotification, rulesFor } from './notification-store.js';
import { planSlackChannelPosts } from './slack/slack-channel-posts.js';

/** What an assignment's notifications are about. */
export interface AssignmentNotice {
  incidentId: string;
  incidentNumber: number;
  title: string;
  serviceName: string;
  urgency: string;
  /** The incident's assignment sequence: the records and timers belong to this assignment only. */
  seq: number;
  /** Why they are told: 'assigned', 'escalated', 'unacknowledged', 'unassigned_fallback', … */
  reason: string;
}

/**
 * Plans the notifications of an assignment: for each user, each notification rule for the incident's
 * urgency becomes a pending notification record due `start_delay_in_minutes` after `at`, with a
 * `notify` timer that produces it then. The incident is also posted to the Slack channels of its
 * service and level, if any. Returns the users who have no rule for that urgency.
 */
export async function planAssignmentNotifications(
  tx: WriteTx,
  userIds: readonly string[],
  notice: AssignmentNotice,
  at: string,
): Promise<string[]> {
  await planSlackChannelPosts(
    tx,
    {
      id: notice.incidentId,
      seq: notice.seq,
      urgency: notice.urgency,
      number: notice.incidentNumber,
      title: notice.title,
      service: notice.serviceName,
    },
    at,
  );
  const rules = await rulesFor(tx, userIds, notice.urgency);
  // Two rules that reach one contact method at the same minute make one message, not two.
  const planned = new Set<string>();
  for (const rule of rules) {
    const slot = `${rule.contact_method_id}@${rule.start_delay_in_minutes}`;
    if (planned.has(slot)) continue;
    planned.add(slot);
    const id = longId();
    const dueAt = after(at, rule.start_delay_in_minutes * 60);
    const added = await insertNotification(
      tx,
      {
        id,
        dedupKey: `${notice.incidentId}:${notice.seq}:${notice.reason}:${rule.rule_id}`,
        incidentId: notice.incidentId,
        userId: rule.user_id,
        contactMethodId: rule.contact_method_id,
        reason: notice.reason,
        urgency: notice.urgency,
        dueAt,
        detail: {
          incident_number: notice.incidentNumber,
          title: notice.title,
          service: notice.serviceName,
          contact_type: rule.contact_type,
          address: rule.address,
          rule_id: rule.rule_id,
          seq: notice.seq,
        },
      },
      at,
    );
    // A rule at 0 minutes is queued for delivery at once; later ones wait for their `notify` step.
    if (added && rule.start_delay_in_minutes === 0) await queueNotification(tx, id, at);
    else if (added)
      await insertTimer(
        tx,
        {
          kind: 'notify',
          incidentId: notice.incidentId,
          dueAt,
          payload: { notificationId: id, seq: notice.seq },
        },
        at,
      );
  }
  return userIds.filter((u) => !rules.some((r) => r.user_id === u));
}
