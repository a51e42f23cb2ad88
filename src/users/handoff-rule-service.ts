import type { Actor } from '../auth/actor.js';
import { AppError } from '../lib/errors.js';
import { shortId } from '../lib/ids.js';
import { contactMethodFromRow, type ContactMethod } from './contact-method.js';
import { contactMethodRowsOf } from './contact-method-store.js';
import { handoffRuleFromRow, validateHandoffRuleInput, type HandoffRule } from './rule.js';
import * as db from './rule-store.js';
import { editableUser, liveUser, type UserDeps } from './user-service.js';

type Json = Record<string, unknown>;

/** A handoff notification rule with its contact method (for the reference). */
export interface HandoffRuleView {
  rule: HandoffRule;
  contactMethod: ContactMethod;
}

async function methodsOf(deps: UserDeps, userId: string): Promise<Map<string, ContactMethod>> {
  const rows = await contactMethodRowsOf(deps.store.db, [userId]);
  return new Map(rows.map((r) => [r.id, contactMethodFromRow(r)]));
}

function withMethods(rules: HandoffRule[], methods: Map<string, ContactMethod>): HandoffRuleView[] {
  return rules.flatMap((rule) => {
    const contactMethod = methods.get(rule.contactMethodId);
    return contactMethod ? [{ rule, contactMethod }] : [];
  });
}

/** A live user's handoff notification rules, oldest first. */
export async function listHandoffRules(
  deps: UserDeps,
  _actor: Actor,
  userId: string,
): Promise<HandoffRuleView[]> {
  await liveUser(deps, userId);
  const rows = await db.handoffRuleRowsOf(deps.store.db, userId);
  return withMethods(rows.map(handoffRuleFromRow), await methodsOf(deps, userId));
}

/** One handoff notification rule of a live user. */
export async function getHandoffRule(
  deps: UserDeps,
  _actor: Actor,
  userId: string,
  id: string,
): Promise<HandoffRuleView> {
  await liveUser(deps, userId);
  const row = await db.findHandoffRuleRow(deps.store.db, userId, id);
  const [view] = row ? withMethods([handoffRuleFromRow(row)], await methodsOf(deps, userId)) : [];
  if (!view) throw new AppError('notFound');
  return view;
}

/** Adds a handoff notification rule using one of the user's own contact methods. */
export async function createHandoffRule(
  deps: UserDeps,
  actor: Actor,
  userId: string,
  input: Json,
): Promise<HandoffRuleView> {
  await editableUser(deps, actor, userId);
  const own = new Set((await methodsOf(deps, userId)).keys());
  const settings = validateHandoffRuleInput(input, undefined, own);
  const at = deps.clock.now().toISOString();
  const id = shortId();
  await db.insertHandoffRule(deps.store.db, {
    id,
    user_id: userId,
    handoff_type: settings.handoffType,
    notify_advance_in_minutes: settings.notifyAdvanceInMinutes,
    contact_method_id: settings.contactMethodId,
    created_at: at,
    updated_at: at,
  });
  return getHandoffRule(deps, actor, userId, id);
}

/** Changes a handoff notification rule from a partial body. */
export async function updateHandoffRule(
  deps: UserDeps,
  actor: Actor,
  userId: string,
  id: string,
  input: Json,
): Promise<HandoffRuleView> {
  await editableUser(deps, actor, userId);
  const { rule } = await getHandoffRule(deps, actor, userId, id);
  const own = new Set((await methodsOf(deps, userId)).keys());
  const settings = validateHandoffRuleInput(input, rule, own);
  await db.updateHandoffRuleRow(deps.store.db, id, {
    handoff_type: settings.handoffType,
    notify_advance_in_minutes: settings.notifyAdvanceInMinutes,
    contact_method_id: settings.contactMethodId,
    updated_at: deps.clock.now().toISOString(),
  });
  return getHandoffRule(deps, actor, userId, id);
}

/** Deletes a handoff notification rule. */
export async function deleteHandoffRule(
  deps: UserDeps,
  actor: Actor,
  userId: string,
  id: string,
): Promise<void> {
  await editableUser(deps, actor, userId);
  await getHandoffRule(deps, actor, userId, id);
  await db.deleteHandoffRule(deps.store.db, id);
}
