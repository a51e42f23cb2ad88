import type { Kysely } from 'kysely';
import { shortId } from '../lib/ids.js';
import type { Database } from '../store/database.js';
import { defaultRuleDelay, type ContactMethodSettings } from './contact-method.js';
import { insertContactMethod } from './contact-method-store.js';
import { insertNotificationRule } from './rule-store.js';

type Db = Kysely<Database>;

/** Inserts a contact method row for a user and returns its id. */
export async function insertMethod(
  db: Db,
  userId: string,
  settings: ContactMethodSettings,
  at: string,
): Promise<string> {
  const id = shortId();
  await insertContactMethod(db, {
    id,
    user_id: userId,
    type: settings.type,
    label: settings.label,
    address: settings.address,
    details: JSON.stringify(settings.details),
    enabled: 1,
    created_at: at,
    updated_at: at,
    deleted_at: null,
  });
  return id;
}

/** Inserts an assignment notification rule. */
export async function insertRule(
  db: Db,
  userId: string,
  contactMethodId: string,
  urgency: 'high' | 'low',
  delay: number,
  at: string,
): Promise<string> {
  const id = shortId();
  await insertNotificationRule(db, {
    id,
    user_id: userId,
    urgency,
    start_delay_in_minutes: delay,
    contact_method_id: contactMethodId,
    created_at: at,
    updated_at: at,
  });
  return id;
}

/** A new user's defaults: an email method labelled Default, notified at once at both urgencies. */
export async function insertUserDefaults(db: Db, userId: string, email: string, at: string): Promise<void> {
  const settings: ContactMethodSettings = {
    type: 'email_contact_method',
    label: 'Default',
    address: email,
    details: { send_short_email: false },
  };
  const methodId = await insertMethod(db, userId, settings, at);
  await insertRule(db, userId, methodId, 'high', 0, at);
  await insertRule(db, userId, methodId, 'low', 0, at);
}

/**
 * The high-urgency rule a user's first push (0 min), SMS (1 min) or phone (3 min) method gets;
 * `firstOfType` says whether the user had no other live method of that type.
 */
export async function insertFirstMethodRule(
  db: Db,
  userId: string,
  methodId: string,
  settings: ContactMethodSettings,
  firstOfType: boolean,
  at: string,
): Promise<void> {
  const delay = defaultRuleDelay(settings.type);
  if (delay === undefined || !firstOfType) return;
  await insertRule(db, userId, methodId, 'high', delay, at);
}
