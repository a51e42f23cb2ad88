import type { WriteTx } from '../store/write-task.js';
import { parseRules } from '../escalation/escalation-policy.js';
import { USABLE_CONTACT } from './notification-store.js';

/** A handoff notification rule with its contact method. */
export interface HandoffRule {
  id: string;
  user_id: string;
  handoff_type: string;
  notify_advance_in_minutes: number;
  contact_method_id: string;
  contact_type: string;
  address: string;
}

/**
 * Schedules whose on-call changes are announced: those targeted by a live policy that says `always`,
 * or by one with live services (`if_has_services`, PagerDuty's default).
 */
export async function announcedScheduleIds(tx: WriteTx): Promise<string[]> {
  const policies = await tx.raw.all<{ id: string; rules: string; on_call_handoff_notifications: string }>(
    `SELECT id, rules, on_call_handoff_notifications FROM escalation_policies WHERE deleted_at IS NULL`,
    [],
  );
  const used = new Set(
    (
      await tx.raw.all<{ escalation_policy_id: string }>(
        `SELECT DISTINCT escalation_policy_id FROM services WHERE deleted_at IS NULL AND escalation_policy_id IS NOT NULL`,
        [],
      )
    ).map((r) => r.escalation_policy_id),
  );
  const ids = new Set<string>();
  for (const p of policies) {
    if (p.on_call_handoff_notifications !== 'always' && !used.has(p.id)) continue;
    for (const rule of parseRules(p.rules))
      for (const t of rule.targets) if (t.type === 'schedule_reference') ids.add(t.id);
  }
  return [...ids];
}

/** Live users' handoff rules whose contact methods are live and enabled. */
export async function handoffRulesOf(tx: WriteTx, userIds: readonly string[]): Promise<HandoffRule[]> {
  if (userIds.length === 0) return [];
  return tx.raw.all<HandoffRule>(
    `SELECT h.id, h.user_id, h.handoff_type, h.notify_advance_in_minutes, h.contact_method_id,
       c.type AS contact_type, c.address
     FROM handoff_notification_rules h JOIN contact_methods c ON c.id = h.contact_method_id
     JOIN users u ON u.id = h.user_id
     WHERE h.user_id IN (${userIds.map(() => '?').join(', ')}) AND ${USABLE_CONTACT}
       AND u.deleted_at IS NULL`,
    [...userIds],
  );
}
