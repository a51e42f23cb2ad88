import { FieldErrors } from '../lib/errors.js';
import type { HandoffNotificationRulesTable, NotificationRulesTable } from '../store/database.js';

/** When a user is told about an assignment: urgency, delay and contact method. */
export interface NotificationRule {
  id: string;
  userId: string;
  urgency: 'high' | 'low';
  startDelayInMinutes: number;
  contactMethodId: string;
}

/** When a user is told that their on-call shift starts or ends. */
export interface HandoffRule {
  id: string;
  userId: string;
  handoffType: 'both' | 'oncall' | 'offcall';
  notifyAdvanceInMinutes: number;
  contactMethodId: string;
}

/** The writable settings of a notification rule. */
export type NotificationRuleSettings = Omit<NotificationRule, 'id' | 'userId'>;
/** The writable settings of a handoff rule. */
export type HandoffRuleSettings = Omit<HandoffRule, 'id' | 'userId'>;

type Json = Record<string, unknown>;

/** Reads a notification rule row. */
export function notificationRuleFromRow(row: NotificationRulesTable): NotificationRule {
  return {
    id: row.id,
    userId: row.user_id,
    urgency: row.urgency === 'low' ? 'low' : 'high',
    startDelayInMinutes: row.start_delay_in_minutes,
    contactMethodId: row.contact_method_id,
  };
}

/** Reads a handoff rule row. */
export function handoffRuleFromRow(row: HandoffNotificationRulesTable): HandoffRule {
  return {
    id: row.id,
    userId: row.user_id,
    handoffType: row.handoff_type as HandoffRule['handoffType'],
    notifyAdvanceInMinutes: row.notify_advance_in_minutes,
    contactMethodId: row.contact_method_id,
  };
}

function minutes(value: unknown, name: string, max: number, errors: FieldErrors): number {
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= max) return value;
  errors.add(`${name} must be a whole number of minutes from 0 to ${max}`);
  return 0;
}

function contactMethod(input: Json, base: string | undefined, own: Set<string>, errors: FieldErrors): string {
  if (!Object.hasOwn(input, 'contact_method')) {
    if (base === undefined) errors.add('contact_method is required');
    return base ?? '';
  }
  const ref = input.contact_method;
  const id = typeof ref === 'object' && ref !== null && 'id' in ref ? ref.id : undefined;
  if (typeof id !== 'string') errors.add('contact_method must be a reference with an id');
  else if (!own.has(id)) errors.add("contact_method must be one of the user's contact methods");
  return typeof id === 'string' ? id : '';
}

/** Validates a notification rule body (`own` holds the user's live contact method ids). */
export function validateNotificationRuleInput(
  input: Json,
  base: NotificationRuleSettings | undefined,
  own: Set<string>,
): NotificationRuleSettings {
  const errors = new FieldErrors();
  const has = (key: string) => Object.hasOwn(input, key);
  if (has('type') && input.type !== 'assignment_notification_rule')
    errors.add('type must be assignment_notification_rule');
  const delay = has('start_delay_in_minutes') ? input.start_delay_in_minutes : base?.startDelayInMinutes;
  const urgency = has('urgency') ? input.urgency : base?.urgency;
  if (urgency !== 'high' && urgency !== 'low') errors.add('urgency must be high or low');
  const settings: NotificationRuleSettings = {
    startDelayInMinutes: minutes(delay, 'start_delay_in_minutes', 1440, errors),
    urgency: urgency === 'low' ? 'low' : 'high',
    contactMethodId: contactMethod(input, base?.contactMethodId, own, errors),
  };
  errors.throwIfAny();
  return settings;
}

/** Validates a handoff rule body (`own` holds the user's live contact method ids). */
export function validateHandoffRuleInput(
  input: Json,
  base: HandoffRuleSettings | undefined,
  own: Set<string>,
): HandoffRuleSettings {
  const errors = new FieldErrors();
  const has = (key: string) => Object.hasOwn(input, key);
  const type = has('handoff_type') ? input.handoff_type : (base?.handoffType ?? 'both');
  if (type !== 'both' && type !== 'oncall' && type !== 'offcall')
    errors.add('handoff_type must be both, oncall or offcall');
  const advance = has('notify_advance_in_minutes')
    ? input.notify_advance_in_minutes
    : (base?.notifyAdvanceInMinutes ?? 0);
  const settings: HandoffRuleSettings = {
    handoffType: type === 'oncall' || type === 'offcall' ? type : 'both',
    notifyAdvanceInMinutes: minutes(advance, 'notify_advance_in_minutes', 10080, errors),
    contactMethodId: contactMethod(input, base?.contactMethodId, own, errors),
  };
  errors.throwIfAny();
  return settings;
}
