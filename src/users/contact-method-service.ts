import type { Actor } from '../auth/actor.js';
import { AppError } from '../lib/errors.js';
import { contactMethodFromRow, validateContactMethodInput, type ContactMethod } from './contact-method.js';
import * as db from './contact-method-store.js';
import { insertFirstMethodRule, insertMethod } from './defaults.js';
import { sendVerificationCode } from '../notify/verification.js';
import { editableUser, liveUser, type UserDeps } from './user-service.js';
import { auditUser } from './people-audit.js';

/** What the audit log keeps of a contact method (the address is the user's own data, kept for admins). */
const snapshot = (id: string, s: Pick<ContactMethod, 'type' | 'label' | 'address' | 'details'>) => ({
  id,
  type: s.type,
  label: s.label,
  address: s.address,
  details: s.details,
});
const resourceOf = (id: string, s: Pick<ContactMethod, 'type' | 'label'>) => ({
  type: s.type,
  id,
  summary: s.label,
});

type Json = Record<string, unknown>;

/** The live contact methods of a live user, oldest first. */
export async function listContactMethods(
  deps: UserDeps,
  _actor: Actor,
  userId: string,
): Promise<ContactMethod[]> {
  await liveUser(deps, userId);
  return (await db.contactMethodRowsOf(deps.store.db, [userId])).map(contactMethodFromRow);
}

/** One live contact method of a live user. */
export async function getContactMethod(
  deps: UserDeps,
  _actor: Actor,
  userId: string,
  id: string,
): Promise<ContactMethod> {
  await liveUser(deps, userId);
  const row = await db.findContactMethodRow(deps.store.db, userId, id);
  if (!row) throw new AppError('notFound');
  return contactMethodFromRow(row);
}

/**
 * Adds a contact method. A user's first SMS, phone or push method also gets the default high-urgency
 * rule, unless `withDefaultRule` is false.
 */
export async function createContactMethod(
  deps: UserDeps,
  actor: Actor,
  userId: string,
  input: Json,
  withDefaultRule: boolean,
): Promise<ContactMethod> {
  const user = await editableUser(deps, actor, userId);
  const settings = validateContactMethodInput(input);
  const at = deps.clock.now().toISOString();
  const id = await deps.store.transaction(async (tx) => {
    await tx.lockKeys([`user-methods:${userId}`]);
    const existing = await db.contactMethodRowsOf(tx.db, [userId]);
    const duplicate = existing.some((m) => m.type === settings.type && m.address === settings.address);
    if (duplicate) throw new AppError('invalidInput', ['This user already has this contact method']);
    const first = !existing.some((m) => m.type === settings.type);
    const methodId = await insertMethod(tx.db, userId, settings, at);
    if (withDefaultRule) await insertFirstMethodRule(tx.db, userId, methodId, settings, first, at);
    const resource = resourceOf(methodId, settings);
    await auditUser(tx, actor, at, user, {
      action: 'create',
      resource,
      before: null,
      after: snapshot(methodId, settings),
    });
    // A method people add for themselves is verified before pages use it; an admin or manager adding one
    // for someone vouches for it (docs/decisions.md, "Verifying contact methods").
    if (actor.userId === userId)
      await sendVerificationCode(
        tx,
        { id: methodId, user_id: userId, type: settings.type, address: settings.address },
        at,
      );
    return methodId;
  });
  return getContactMethod(deps, actor, userId, id);
}

/** Changes a contact method's label, address or type-specific fields (not its type). */
export async function updateContactMethod(
  deps: UserDeps,
  actor: Actor,
  userId: string,
  id: string,
  input: Json,
): Promise<ContactMethod> {
  const user = await editableUser(deps, actor, userId);
  const current = await getContactMethod(deps, actor, userId, id);
  const settings = validateContactMethodInput(input, current);
  const at = deps.clock.now().toISOString();
  await deps.store.transaction(async (tx) => {
    await db.updateContactMethodRow(tx.db, id, {
      label: settings.label,
      address: settings.address,
      details: JSON.stringify(settings.details),
      updated_at: at,
    });
    const change = { before: snapshot(id, current), after: snapshot(id, settings) };
    await auditUser(tx, actor, at, user, { action: 'update', resource: resourceOf(id, settings), ...change });
  });
  return getContactMethod(deps, actor, userId, id);
}

/** Soft-deletes a contact method and the notification and handoff rules that use it. */
export async function deleteContactMethod(
  deps: UserDeps,
  actor: Actor,
  userId: string,
  id: string,
): Promise<void> {
  const user = await editableUser(deps, actor, userId);
  const current = await getContactMethod(deps, actor, userId, id);
  const at = deps.clock.now().toISOString();
  await deps.store.transaction(async (tx) => {
    await db.softDeleteContactMethod(tx.db, id, at);
    const change = { before: snapshot(id, current), after: null };
    await auditUser(tx, actor, at, user, { action: 'delete', resource: resourceOf(id, current), ...change });
  });
}
