import type { Severity } from '../events/event.js';

/** Incident urgency. */
export type Urgency = 'high' | 'low';

/** A constant urgency rule: `high`, `low` or `severity_based`. */
export interface ConstantUrgencyRule {
  type: 'constant';
  urgency: Urgency | 'severity_based';
}

/** Support hours of a service: fixed local times on chosen days (1 = Monday … 7 = Sunday). */
export interface SupportHours {
  type: 'fixed_time_per_day';
  time_zone: string;
  days_of_week: number[];
  start_time: string;
  end_time: string;
}

/** The service's `incident_urgency_rule`. */
export type IncidentUrgencyRule =
  | ConstantUrgencyRule
  | {
      type: 'use_support_hours';
      during_support_hours: ConstantUrgencyRule;
      outside_support_hours: ConstantUrgencyRule;
    };

/** Severity-based urgency per PagerDuty: critical and error page as high, warning and info as low. */
export function urgencyForSeverity(severity: Severity | undefined): Urgency {
  return severity === 'warning' || severity === 'info' ? 'low' : 'high';
}

function localParts(at: Date, timeZone: string): { day: number; seconds: number } {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone,
    weekday: 'short',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(at);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '0';
  const day = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'].indexOf(get('weekday')) + 1;
  return { day, seconds: Number(get('hour')) * 3600 + Number(get('minute')) * 60 + Number(get('second')) };
}

function secondsOfDay(time: string): number {
  const [h = '0', m = '0', s = '0'] = time.split(':');
  return Number(h) * 3600 + Number(m) * 60 + Number(s);
}

/** Whether an instant falls inside a service's support hours (evaluated in their time zone). */
export function withinSupportHours(hours: SupportHours, at: Date): boolean {
  const { day, seconds } = localParts(at, hours.time_zone);
  return (
    hours.days_of_week.includes(day) &&
    seconds >= secondsOfDay(hours.start_time) &&
    seconds < secondsOfDay(hours.end_time)
  );
}

function applyConstant(rule: ConstantUrgencyRule, severity: Severity | undefined): Urgency {
  return rule.urgency === 'severity_based' ? urgencyForSeverity(severity) : rule.urgency;
}

/** The urgency of a new incident under a service's rule. */
export function urgencyFor(
  rule: IncidentUrgencyRule,
  supportHours: SupportHours | null,
  severity: Severity | undefined,
  at: Date,
): Urgency {
  if (rule.type === 'constant') return applyConstant(rule, severity);
  const inside = supportHours !== null && withinSupportHours(supportHours, at);
  return applyConstant(inside ? rule.during_support_hours : rule.outside_support_hours, severity);
}
