import { handoffRuleFromRow, validateHandoffRuleInput, type HandoffRule } from './rule.js';
import * as db from './rule-store.js';
import { userRules, type RuleView } from './user-rules.js';

/** A handoff notification rule with its contact method (for the reference). */
export type HandoffRuleView = RuleView<HandoffRule>;

/** A user's on-call handoff notification rules, listed oldest first. */
export const handoffRules = userRules({
  auditType: 'oncall_handoff_notification_rule',
  rowsOf: (store, userId) => db.handoffRuleRowsOf(store, userId),
  find: db.findHandoffRuleRow,
  fromRow: handoffRuleFromRow,
  validate: validateHandoffRuleInput,
  columns: (s) => ({
    handoff_type: s.handoffType,
    notify_advance_in_minutes: s.notifyAdvanceInMinutes,
    contact_method_id: s.contactMethodId,
  }),
  insert: db.insertHandoffRule,
  update: db.updateHandoffRuleRow,
  remove: db.deleteHandoffRule,
});
