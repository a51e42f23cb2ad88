import { notificationRuleFromRow, validateNotificationRuleInput, type NotificationRule } from './rule.js';
import * as db from './rule-store.js';
import { userRules, type RuleView } from './user-rules.js';

/** A notification rule with its contact method (for the reference). */
export type NotificationRuleView = RuleView<NotificationRule>;

/** A user's assignment notification rules, listed by urgency then delay (optionally of one urgency). */
export const notificationRules = userRules({
  auditType: 'assignment_notification_rule',
  rowsOf: (store, userId, urgency?: 'high' | 'low') => db.notificationRuleRowsOf(store, [userId], urgency),
  find: db.findNotificationRuleRow,
  fromRow: notificationRuleFromRow,
  validate: validateNotificationRuleInput,
  columns: (s) => ({
    urgency: s.urgency,
    start_delay_in_minutes: s.startDelayInMinutes,
    contact_method_id: s.contactMethodId,
  }),
  insert: db.insertNotificationRule,
  update: db.updateNotificationRuleRow,
  remove: db.deleteNotificationRule,
});
