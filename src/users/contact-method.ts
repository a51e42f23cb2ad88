import { FieldErrors } from '../lib/errors.js';
import type { Selectable } from 'kysely';
import type { ContactMethodsTable } from '../store/database.js';
import { isEmail } from './user.js';

/** Contact method types: PagerDuty's four, plus Tocsin's Slack and webhook. */
export const CONTACT_METHOD_TYPES = [
  'email_contact_method',
  'sms_contact_method',
  'phone_contact_method',
  'push_notification_contact_method',
  'slack_contact_method',
  'webhook_contact_method',
] as const;

/** One contact method type. */
export type ContactMethodType = (typeof CONTACT_METHOD_TYPES)[number];

/** Type-specific fields, kept in `contact_methods.details`. */
export interface ContactMethodDetails {
  country_code?: number;
  send_short_email?: boolean;
  device_type?: 'android' | 'ios' | 'web';
  /** A browser's Web Push subscription, set through `PUT …/push_subscription` (not by this body). */
  push_subscription?: { endpoint: string; keys: { p256dh: string; auth: string } };
}

/** A contact method as the domain sees it. */
export interface ContactMethod {
  id: string;
  userId: string;
  type: ContactMethodType;
  label: string;
  address: string;
  details: ContactMethodDetails;
  enabled: boolean;
  createdAt: string;
  updatedAt: string;
}

/** The writable settings of a contact method. */
export type ContactMethodSettings = Pick<ContactMethod, 'type' | 'label' | 'address' | 'details'>;

type Json = Record<string, unknown>;

/** Reads a row into a contact method. */
export function contactMethodFromRow(row: Selectable<ContactMethodsTable>): ContactMethod {
  return {
    id: row.id,
    userId: row.user_id,
    type: row.type as ContactMethodType,
    label: row.label,
    address: row.address,
    details: JSON.parse(row.details) as ContactMethodDetails,
    enabled: row.enabled === 1,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function phone(
  input: Json,
  address: string,
  base: ContactMethodDetails,
  errors: FieldErrors,
): ContactMethodDetails {
  const code = Object.hasOwn(input, 'country_code') ? input.country_code : base.country_code;
  const validCode = typeof code === 'number' && Number.isInteger(code) && code >= 1 && code <= 999;
  if (!validCode) errors.add('country_code must be a calling code from 1 to 999');
  if (address === '') return { country_code: validCode ? code : 0 };
  if (!/^\d{4,14}$/.test(address)) errors.add('address must be 4 to 14 digits, without the country code');
  else if (validCode && String(code).length + address.length > 15)
    errors.add('address and country_code are too long together (E.164 allows 15 digits)');
  return { country_code: validCode ? code : 0 };
}

function addressDetails(
  input: Json,
  type: ContactMethodType,
  address: string,
  base: ContactMethodDetails,
  errors: FieldErrors,
): ContactMethodDetails {
  switch (type) {
    case 'email_contact_method': {
      if (address !== '' && !isEmail(address)) errors.add('address must be an email address');
      const short = Object.hasOwn(input, 'send_short_email')
        ? input.send_short_email
        : (base.send_short_email ?? false);
      if (typeof short !== 'boolean') errors.add('send_short_email must be true or false');
      return { send_short_email: short === true };
    }
    case 'sms_contact_method':
    case 'phone_contact_method':
      return phone(input, address, base, errors);
    case 'push_notification_contact_method': {
      const device = Object.hasOwn(input, 'device_type') ? input.device_type : base.device_type;
      if (device !== 'android' && device !== 'ios' && device !== 'web') {
        errors.add('device_type must be android, ios or web');
        return {};
      }
      // An update keeps the subscription the browser registered.
      return {
        device_type: device,
        ...(base.push_subscription && { push_subscription: base.push_subscription }),
      };
    }
    case 'slack_contact_method':
      if (address !== '' && !/^[UWCG][A-Z0-9]{6,20}$/.test(address))
        errors.add('address must be a Slack member ID (U…, W…) or channel ID (C…, G…)');
      return {};
    case 'webhook_contact_method':
      if (address !== '' && !isHttpUrl(address)) errors.add('address must be an http or https URL');
      return {};
  }
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
  } catch {
    return false;
  }
}

/**
 * Validates a REST contact method body; on update `base` is the current method (its type cannot
 * change). Every invalid field is reported at once.
 */
export function validateContactMethodInput(input: Json, base?: ContactMethod): ContactMethodSettings {
  const errors = new FieldErrors();
  const type = input.type ?? base?.type;
  const known = CONTACT_METHOD_TYPES.includes(type as ContactMethodType);
  if (!known) errors.add(`type must be one of ${CONTACT_METHOD_TYPES.join(', ')}`);
  else if (base && type !== base.type) errors.add('type cannot be changed');
  const label = Object.hasOwn(input, 'label') ? input.label : base?.label;
  if (typeof label !== 'string' || label.trim() === '') errors.add('label cannot be empty');
  else if (label.length > 100) errors.add('label is too long (maximum is 100 characters)');
  const rawAddress = Object.hasOwn(input, 'address') ? input.address : base?.address;
  const address = typeof rawAddress === 'string' ? rawAddress.trim() : '';
  if (address === '') errors.add('address cannot be empty');
  const details = known
    ? addressDetails(input, type as ContactMethodType, address, base?.details ?? {}, errors)
    : {};
  errors.throwIfAny();
  return { type: type as ContactMethodType, label: (label as string).trim(), address, details };
}

/** The delay of the high-urgency rule added with a user's first SMS, phone or push method. */
export function defaultRuleDelay(type: ContactMethodType): number | undefined {
  if (type === 'push_notification_contact_method') return 0;
  if (type === 'sms_contact_method') return 1;
  if (type === 'phone_contact_method') return 3;
  return undefined;
}
