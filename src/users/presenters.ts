import type { Links } from '../http/rest.js';
import { feedUrls } from '../schedules/presenters.js';
import type { ContactMethod } from './contact-method.js';
import type { HandoffRuleView } from './handoff-rule-service.js';
import type { NotificationRuleView } from './notification-rule-service.js';
import { apiRole } from './role.js';
import type { NotificationRule } from './rule.js';
import type { UserView } from './user-service.js';

const methodsPath = (userId: string) => `users/${userId}/contact_methods`;
const rulesPath = (userId: string) => `users/${userId}/notification_rules`;
const handoffPath = (userId: string) => `users/${userId}/oncall_handoff_notification_rules`;

/** A `user_reference`. */
export function userReference(links: Links, user: { id: string; name: string }) {
  return links.reference('user', 'users', user.id, user.name);
}

/** A `team_reference`. */
export function teamReference(links: Links, team: { id: string; name: string }) {
  return links.reference('team', 'teams', team.id, team.name);
}

/** A `<type>_reference` to a contact method; it has no page of its own, so `html_url` is null. */
export function contactMethodReference(links: Links, method: ContactMethod) {
  return {
    id: method.id,
    type: `${method.type}_reference`,
    summary: method.label,
    self: links.self(methodsPath(method.userId), method.id),
    html_url: null,
  };
}

const ruleSummary = (rule: NotificationRule) =>
  `${rule.startDelayInMinutes} minutes: channel ${rule.contactMethodId}`;

/** An `assignment_notification_rule_reference`. */
function notificationRuleReference(links: Links, rule: NotificationRule) {
  return {
    id: rule.id,
    type: 'assignment_notification_rule_reference',
    summary: ruleSummary(rule),
    self: links.self(rulesPath(rule.userId), rule.id),
    html_url: null,
  };
}

/**
 * A user as PagerDuty's REST API v2 shows it (`role` with PagerDuty's API name); `http_cal_url` and
 * `web_cal_url` only with a `feedToken` (see `visibleFeedToken`), absent otherwise as in PagerDuty.
 */
export function presentUser(links: Links, view: UserView, feedToken: string | null = null) {
  const u = view.user;
  return {
    id: u.id,
    type: 'user' as const,
    summary: u.name,
    self: links.self('users', u.id),
    html_url: links.html('users', u.id),
    name: u.name,
    email: u.email,
    time_zone: u.timeZone,
    color: u.color,
    role: apiRole(u.role),
    avatar_url: null,
    description: u.description,
    invitation_sent: false,
    job_title: u.jobTitle,
    teams: view.teams.map((t) => teamReference(links, t)),
    contact_methods: view.contactMethods.map((m) => contactMethodReference(links, m)),
    notification_rules: view.notificationRules.map((r) => notificationRuleReference(links, r)),
    ...(feedToken === null ? {} : feedUrls(links, 'users', feedToken)),
  };
}

function typeFields(m: ContactMethod) {
  switch (m.type) {
    case 'email_contact_method':
      return { send_short_email: m.details.send_short_email ?? false };
    case 'sms_contact_method':
    case 'phone_contact_method':
      return { country_code: m.details.country_code ?? 1, blacklisted: false };
    case 'push_notification_contact_method':
      return { device_type: m.details.device_type ?? 'android', created_at: m.createdAt, blacklisted: false };
    default:
      return {};
  }
}

/** A contact method as PagerDuty shows it, with its type-specific fields. */
export function presentContactMethod(links: Links, m: ContactMethod) {
  return {
    ...contactMethodReference(links, m),
    type: m.type,
    label: m.label,
    address: m.address,
    enabled: m.enabled,
    ...typeFields(m),
  };
}

/** An assignment notification rule; its contact method is a reference, as the OAS has it. */
export function presentNotificationRule(links: Links, view: NotificationRuleView) {
  const r = view.rule;
  return {
    ...notificationRuleReference(links, r),
    type: 'assignment_notification_rule' as const,
    start_delay_in_minutes: r.startDelayInMinutes,
    urgency: r.urgency,
    contact_method: contactMethodReference(links, view.contactMethod),
  };
}

/** An on-call handoff notification rule. */
export function presentHandoffRule(links: Links, view: HandoffRuleView) {
  const r = view.rule;
  return {
    id: r.id,
    type: 'oncall_handoff_notification_rule' as const,
    self: links.self(handoffPath(r.userId), r.id),
    html_url: null,
    handoff_type: r.handoffType,
    notify_advance_in_minutes: r.notifyAdvanceInMinutes,
    contact_method: contactMethodReference(links, view.contactMethod),
  };
}
