import type { Actor } from '../auth/actor.js';
import { AppError } from '../lib/errors.js';
import { shortId } from '../lib/ids.js';
import { contactMethodFromRow, type ContactMethod } from './contact-method.js';
import { contactMethodRowsOf } from './contact-method-store.js';
import { notificationRuleFromRow, validateNotificationRuleInput, type NotificationRule } from './rule.js';
import * as db from './rule-store.js';
import { editableUser, liveUser, type UserDeps } from './user-service.js';

type Json = Record<string, unknown>;

/** A notification rule with its contact method (for the reference). */
export interface NotificationRuleView {
  rule: NotificationRule;
  contactMethod: ContactMethod;
}

async function methodsOf(deps: UserDeps, userId: string): Promise<Map<string, ContactMethod>> {
  const rows = await contactMethodRowsOf(deps.store.db, [userId]);
  return new Map(rows.map((r) => [r.id, contactMethodFromRow(r)]));
}

function withMethods(rules: NotificationRule[], methods: Map<string, ContactMethod>): NotificationRuleView[] {
  return rules.flatMap((rule) => {
    const contactMethod = methods.get(rule.contactMethodId);
    return contactMethod ? [{ rule, contactMethod }] : [];
  });
}

/** A live user's notification rules (optionally of one urgency), by urgency then delay. */
export async function listNotificationRules(
  deps: UserDeps,
  _actor: Actor,
  userId: string,
  urgency?: 'high' | 'low',
): Promise<NotificationRuleView[]> {
  await liveUser(deps, userId);
  const rows = await db.notificationRuleRowsOf(deps.store.db, [userId], urgency);
  return withMethods(rows.map(notificationRuleFromRow), await methodsOf(deps, userId));
}

/** One notification rule of a live user. */
export async function getNotificationRule(
  deps: UserDeps,
  _actor: Actor,
  userId: string,
  id: string,
): Promise<NotificationRuleView> {
  await liveUser(deps, userId);
  const row = await db.findNotificationRuleRow(deps.store.db, userId, id);
  const [view] = row ? withMethods([notificationRuleFromRow(row)], await methodsOf(deps, userId)) : [];
  if (!view) throw new AppError('notFound');
  return view;
}

/** Adds a notification rule using one of the user's own contact methods. */
export async function createNotificationRule(
  deps: UserDeps,
  actor: Actor,
  userId: string,
  input: Json,
): Promise<NotificationRuleView> {
  await editableUser(deps, actor, userId);
  const own = new Set((await methodsOf(deps, userId)).keys());
  const settings = validateNotificationRuleInput(input, undefined, own);
  const at = deps.clock.now().toISOString();
  const id = shortId();
  await db.insertNotificationRule(deps.store.db, {
    id,
    user_id: userId,
    urgency: settings.urgency,
    start_delay_in_minutes: settings.startDelayInMinutes,
    contact_method_id: settings.contactMethodId,
    created_at: at,
    updated_at: at,
  });
  return getNotificationRule(deps, actor, userId, id);
}

/** Changes a notification rule from a partial body. */
export async function updateNotificationRule(
  deps: UserDeps,
  actor: Actor,
  userId: string,
  id: string,
  input: Json,
): Promise<NotificationRuleView> {
  await editableUser(deps, actor, userId);
  const { rule } = await getNotificationRule(deps, actor, userId, id);
  const own = new Set((await methodsOf(deps, userId)).keys());
  const settings = validateNotificationRuleInput(input, rule, own);
  await db.updateNotificationRuleRow(deps.store.db, id, {
    urgency: settings.urgency,
    start_delay_in_minutes: settings.startDelayInMinutes,
    contact_method_id: settings.contactMethodId,
    updated_at: deps.clock.now().toISOString(),
  });
  return getNotificationRule(deps, actor, userId, id);
}

/** Deletes a notification rule. */
export async function deleteNotificationRule(
  deps: UserDeps,
  actor: Actor,
  userId: string,
  id: string,
): Promise<void> {
  await editableUser(deps, actor, userId);
  await getNotificationRule(deps, actor, userId, id);
  await db.deleteNotificationRule(deps.store.db, id);
}
