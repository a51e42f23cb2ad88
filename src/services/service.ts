import { FieldErrors } from '../lib/errors.js';
import type { ServicesTable } from '../store/database.js';
import { slackChannelField } from '../notify/slack/slack-routing.js';
import { GROUPABLE_FIELDS, type AlertGroupingParameters } from './grouping.js';
import type { ConstantUrgencyRule, IncidentUrgencyRule, SupportHours } from './urgency.js';

/** A service as the domain sees it. */
export interface Service {
  id: string;
  name: string;
  description: string | null;
  status: 'active' | 'disabled';
  escalationPolicyId: string | null;
  alertCreation: 'create_incidents' | 'create_alerts_and_incidents';
  acknowledgementTimeout: number | null;
  autoResolveTimeout: number | null;
  urgencyRule: IncidentUrgencyRule;
  supportHours: SupportHours | null;
  grouping: AlertGroupingParameters;
  /** Tocsin's addition: the Slack channel (`C…`/`G…`) its incidents are posted to, or null. */
  slackChannelId: string | null;
  createdAt: string;
  updatedAt: string;
}

/** The writable settings of a service (REST create/update bodies after validation). */
export type ServiceSettings = Omit<Service, 'id' | 'createdAt' | 'updatedAt'>;

/** PagerDuty's defaults for a new service. */
export const defaultServiceSettings: Omit<ServiceSettings, 'name'> = {
  description: null,
  status: 'active',
  escalationPolicyId: null,
  alertCreation: 'create_alerts_and_incidents',
  acknowledgementTimeout: 1800,
  autoResolveTimeout: 14400,
  urgencyRule: { type: 'constant', urgency: 'high' },
  supportHours: null,
  grouping: { type: null, config: null },
  slackChannelId: null,
};

/** Reads a row into a service. */
export function serviceFromRow(row: ServicesTable): Service {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    status: row.status === 'disabled' ? 'disabled' : 'active',
    escalationPolicyId: row.escalation_policy_id,
    alertCreation:
      row.alert_creation === 'create_incidents' ? 'create_incidents' : 'create_alerts_and_incidents',
    acknowledgementTimeout: row.acknowledgement_timeout,
    autoResolveTimeout: row.auto_resolve_timeout,
    urgencyRule: JSON.parse(row.incident_urgency_rule) as IncidentUrgencyRule,
    supportHours: row.support_hours === null ? null : (JSON.parse(row.support_hours) as SupportHours),
    grouping: JSON.parse(row.alert_grouping_parameters) as AlertGroupingParameters,
    slackChannelId: row.slack_channel_id ?? null,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** Writes a service's settings into row columns. */
export function settingsToRow(
  settings: ServiceSettings,
): Omit<ServicesTable, 'id' | 'created_at' | 'updated_at' | 'deleted_at'> {
  return {
    name: settings.name,
    description: settings.description,
    status: settings.status,
    escalation_policy_id: settings.escalationPolicyId,
    alert_creation: settings.alertCreation,
    acknowledgement_timeout: settings.acknowledgementTimeout,
    auto_resolve_timeout: settings.autoResolveTimeout,
    incident_urgency_rule: JSON.stringify(settings.urgencyRule),
    support_hours: settings.supportHours === null ? null : JSON.stringify(settings.supportHours),
    alert_grouping_parameters: JSON.stringify(settings.grouping),
    slack_channel_id: settings.slackChannelId,
  };
}

type Json = Record<string, unknown>;
const isJson = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

function timeout(value: unknown, name: string, errors: FieldErrors): number | null {
  // PagerDuty's API treats both null and 0 as "disabled" (terraform#1015); we store null for both.
  if (value === null || value === 0) return null;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
    errors.add(`${name} must be a whole number of seconds or null`);
    return null;
  }
  return value;
}

function constantRule(value: unknown, name: string, errors: FieldErrors): ConstantUrgencyRule {
  const rule = isJson(value) ? value : {};
  if (rule.type !== 'constant') errors.add(`${name}.type must be constant`);
  if (!['high', 'low', 'severity_based'].includes(String(rule.urgency))) {
    errors.add(`${name}.urgency must be high, low or severity_based`);
  }
  return { type: 'constant', urgency: rule.urgency as ConstantUrgencyRule['urgency'] };
}

function urgencyRule(value: unknown, errors: FieldErrors): IncidentUrgencyRule {
  if (!isJson(value)) {
    errors.add('incident_urgency_rule must be an object');
    return defaultServiceSettings.urgencyRule;
  }
  if (value.type === 'use_support_hours') {
    return {
      type: 'use_support_hours',
      during_support_hours: constantRule(
        value.during_support_hours,
        'incident_urgency_rule.during_support_hours',
        errors,
      ),
      outside_support_hours: constantRule(
        value.outside_support_hours,
        'incident_urgency_rule.outside_support_hours',
        errors,
      ),
    };
  }
  return constantRule(value, 'incident_urgency_rule', errors);
}

function supportHours(value: unknown, errors: FieldErrors): SupportHours | null {
  if (value === null || value === undefined) return null;
  const time = /^([01]\d|2[0-3]):[0-5]\d:[0-5]\d$/;
  if (!isJson(value) || value.type !== 'fixed_time_per_day') {
    errors.add('support_hours.type must be fixed_time_per_day');
    return null;
  }
  const zone = String(value.time_zone);
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
  } catch {
    errors.add('support_hours.time_zone must be an IANA time zone');
  }
  const days = value.days_of_week;
  if (
    !Array.isArray(days) ||
    days.length === 0 ||
    !days.every((d) => Number.isInteger(d) && d >= 1 && d <= 7)
  ) {
    errors.add('support_hours.days_of_week must list days 1 (Monday) to 7 (Sunday)');
  }
  if (!time.test(String(value.start_time))) errors.add('support_hours.start_time must be HH:MM:SS');
  if (!time.test(String(value.end_time))) errors.add('support_hours.end_time must be HH:MM:SS');
  return {
    type: 'fixed_time_per_day',
    time_zone: zone,
    days_of_week: Array.isArray(days) ? (days as number[]) : [],
    start_time: String(value.start_time),
    end_time: String(value.end_time),
  };
}

function grouping(value: unknown, errors: FieldErrors): AlertGroupingParameters {
  if (value === null || value === undefined) return { type: null, config: null };
  if (!isJson(value)) {
    errors.add('alert_grouping_parameters must be an object');
    return { type: null, config: null };
  }
  const config = isJson(value.config) ? value.config : {};
  switch (value.type) {
    case null:
    case undefined:
      return { type: null, config: null };
    case 'intelligent':
      return { type: 'intelligent', config: null };
    case 'time': {
      const minutes = config.timeout ?? 0;
      if (typeof minutes !== 'number' || !Number.isInteger(minutes) || minutes < 0 || minutes > 1440) {
        errors.add('alert_grouping_parameters.config.timeout must be 0 to 1440 minutes');
      }
      return { type: 'time', config: { timeout: Number(minutes) || 0 } };
    }
    case 'content_based': {
      const aggregate = config.aggregate ?? 'all';
      if (aggregate !== 'all' && aggregate !== 'any')
        errors.add('alert_grouping_parameters.config.aggregate must be all or any');
      const fields = config.fields;
      const valid = (f: unknown) =>
        typeof f === 'string' && (GROUPABLE_FIELDS.includes(f) || /^custom_details\.[^.]+$/.test(f));
      if (!Array.isArray(fields) || fields.length === 0 || !fields.every(valid)) {
        errors.add(
          `alert_grouping_parameters.config.fields must list fields from ${GROUPABLE_FIELDS.join(', ')} or custom_details.<name>`,
        );
      }
      const window = config.time_window ?? 0;
      if (typeof window !== 'number' || !Number.isInteger(window) || window < 0 || window > 86400) {
        errors.add('alert_grouping_parameters.config.time_window must be 0 to 86400 seconds');
      }
      return {
        type: 'content_based',
        config: {
          aggregate: aggregate as 'all' | 'any',
          fields: Array.isArray(fields) ? (fields as string[]) : [],
          time_window: Number(window) || 0,
        },
      };
    }
    default:
      errors.add('alert_grouping_parameters.type must be null, time, intelligent or content_based');
      return { type: null, config: null };
  }
}

/**
 * Validates a REST service body against a base (the defaults on create, the current service on update).
 * Every invalid field is reported at once.
 */
export function validateServiceInput(
  input: Json,
  base: Omit<ServiceSettings, 'name'> & { name?: string },
): ServiceSettings {
  const errors = new FieldErrors();
  const has = (key: string) => Object.prototype.hasOwnProperty.call(input, key);
  const name = has('name') ? input.name : base.name;
  if (typeof name !== 'string' || name.trim() === '') errors.add('Name cannot be empty');
  else if (name.length > 255) errors.add('Name is too long (maximum is 255 characters)');
  const description = has('description') ? input.description : base.description;
  if (description !== null && description !== undefined && typeof description !== 'string')
    errors.add('description must be a string');
  let status = base.status;
  if (has('status')) {
    if (input.status === 'active' || input.status === 'disabled') status = input.status;
    else errors.add('status must be active or disabled');
  }
  let escalationPolicyId = base.escalationPolicyId;
  if (has('escalation_policy')) {
    const ref = input.escalation_policy;
    if (ref === null) escalationPolicyId = null;
    else if (isJson(ref) && typeof ref.id === 'string') escalationPolicyId = ref.id;
    else errors.add('escalation_policy must be a reference with an id');
  }
  let alertCreation = base.alertCreation;
  if (has('alert_creation')) {
    if (
      input.alert_creation === 'create_incidents' ||
      input.alert_creation === 'create_alerts_and_incidents'
    ) {
      alertCreation = input.alert_creation;
    } else errors.add('alert_creation must be create_incidents or create_alerts_and_incidents');
  }
  const settings: ServiceSettings = {
    name: typeof name === 'string' ? name.trim() : '',
    description: typeof description === 'string' ? description : null,
    status,
    escalationPolicyId,
    alertCreation,
    acknowledgementTimeout: has('acknowledgement_timeout')
      ? timeout(input.acknowledgement_timeout, 'acknowledgement_timeout', errors)
      : base.acknowledgementTimeout,
    autoResolveTimeout: has('auto_resolve_timeout')
      ? timeout(input.auto_resolve_timeout, 'auto_resolve_timeout', errors)
      : base.autoResolveTimeout,
    urgencyRule: has('incident_urgency_rule')
      ? urgencyRule(input.incident_urgency_rule, errors)
      : base.urgencyRule,
    supportHours: has('support_hours') ? supportHours(input.support_hours, errors) : base.supportHours,
    grouping: has('alert_grouping_parameters')
      ? grouping(input.alert_grouping_parameters, errors)
      : base.grouping,
    slackChannelId: slackChannelField(input, base.slackChannelId, 'slack_channel_id', errors),
  };
  if (settings.urgencyRule.type === 'use_support_hours' && settings.supportHours === null) {
    errors.add('support_hours are required when incident_urgency_rule.type is use_support_hours');
  }
  errors.throwIfAny();
  return settings;
}
