import { canConfigure, canEditUser, canManageAdmins, canManagePeople, type Actor } from '../auth/actor.js';
import type { Clock } from '../lib/clock.js';
import { AppError } from '../lib/errors.js';
import { shortId } from '../lib/ids.js';
import type { Store } from '../store/store.js';
import { contactMethodFromRow, type ContactMethod } from './contact-method.js';
import { contactMethodRowsOf } from './contact-method-store.js';
import { insertUserDefaults } from './defaults.js';
import { notificationRuleFromRow, type NotificationRule } from './rule.js';
import { notificationRuleRowsOf } from './rule-store.js';
import { membershipsOf } from './team-store.js';
import { defaultColor, settingsToRow, userFromRow, validateUserInput, type User } from './user.js';
import * as db from './user-store.js';
import { auditUser } from './people-audit.js';

/** What the user rules need. */
export interface UserDeps {
  store: Store;
  clock: Clock;
}

/** A user with what its presentation needs. */
export interface UserView {
  user: User;
  teams: { id: string; name: string }[];
  contactMethods: ContactMethod[];
  notificationRules: NotificationRule[];
}

type Json = Record<string, unknown>;

const emailTaken = () => new AppError('invalidInput', ['Email has already been taken']);
const lastAdmin = () => new AppError('invalidInput', ['The last admin cannot be deleted or demoted']);

/** A live user, or 404. */
export async function liveUser(deps: UserDeps, id: string): Promise<User> {
  const row = await db.findUserRow(deps.store.db, id);
  if (!row) throw new AppError('notFound');
  return userFromRow(row);
}

async function views(deps: UserDeps, users: User[]): Promise<UserView[]> {
  const ids = users.map((u) => u.id);
  const [teams, methods, rules] = await Promise.all([
    membershipsOf(deps.store.db, ids),
    contactMethodRowsOf(deps.store.db, ids),
    notificationRuleRowsOf(deps.store.db, ids),
  ]);
  return users.map((user) => ({
    user,
    teams: teams.filter((t) => t.user_id === user.id).map((t) => ({ id: t.team_id, name: t.name })),
    contactMethods: methods.filter((m) => m.user_id === user.id).map(contactMethodFromRow),
    notificationRules: rules.filter((r) => r.user_id === user.id).map(notificationRuleFromRow),
  }));
}

/** Lists live users by name; `limit` rows are read (callers add one to tell `more`). */
export async function listUsers(
  deps: UserDeps,
  _actor: Actor,
  filter: db.UserFilter,
  page: { limit: number; offset: number; total: boolean },
): Promise<{ views: UserView[]; total: number | null }> {
  const rows = await db.listUserRows(deps.store.db, filter, page);
  const total = page.total ? await db.countUsers(deps.store.db, filter) : null;
  return { views: await views(deps, rows.map(userFromRow)), total };
}

/** One live user. */
export async function getUser(deps: UserDeps, _actor: Actor, id: string): Promise<UserView> {
  const [view] = await views(deps, [await liveUser(deps, id)]);
  return view!;
}

/** The actor's own user (account tokens act as the user they are linked to). */
export async function getMe(deps: UserDeps, actor: Actor): Promise<UserView> {
  if (actor.userId === null)
    throw new AppError('invalidInput', ['This token is not linked to a user: /users/me needs one']);
  return getUser(deps, actor, actor.userId);
}

/**
 * The user's feed token if the actor may see their calendar feed URLs on `GET /users/{id}`, else null:
 * as PagerDuty, the user themself through a user token, or a manager or admin who `asked`
 * (`include[]=calendar_urls`). Never made here: a read does not write (the calendar_feed route makes it).
 */
export function visibleFeedToken(actor: Actor, user: User, asked: boolean): string | null {
  const own = actor.kind === 'user' && actor.userId === user.id && !actor.readOnly;
  return own || (asked && canConfigure(actor)) ? user.icalToken : null;
}

/** Creates a user with a default email contact method and notification rules. */
export async function createUser(deps: UserDeps, actor: Actor, input: Json): Promise<UserView> {
  if (!canManagePeople(actor)) throw new AppError('forbidden');
  const id = shortId();
  const settings = validateUserInput(input, {}, defaultColor(id));
  if (settings.role === 'admin' && !canManageAdmins(actor)) throw new AppError('forbidden');
  const at = deps.clock.now().toISOString();
  await deps.store.transaction(async (tx) => {
    await tx.lockKeys([`user-email:${settings.email.toLowerCase()}`]);
    if (await db.emailTaken(tx.db, settings.email)) throw emailTaken();
    await db.insertUser(tx.db, {
      id,
      ...settingsToRow(settings),
      password_hash: null,
      ical_token: null,
      created_at: at,
      updated_at: at,
      deleted_at: null,
    });
    await insertUserDefaults(tx.db, id, settings.email, at);
    await auditUser(
      tx,
      actor,
      at,
      { id, name: settings.name },
      {
        action: 'create',
        before: null,
        after: { id, ...settingsToRow(settings) },
      },
    );
  });
  return getUser(deps, actor, id);
}

/** Checks the actor may change this user (themselves, or a manager; only admins change admins). */
function requireEditable(actor: Actor, user: User): void {
  if (!canEditUser(actor, user.id)) throw new AppError('forbidden');
  if (user.role === 'admin' && actor.userId !== user.id && !canManageAdmins(actor))
    throw new AppError('forbidden');
}

/** A live user the actor may change (their contact methods and rules too), else 403 or 404. */
export async function editableUser(deps: UserDeps, actor: Actor, id: string): Promise<User> {
  if (!canEditUser(actor, id)) throw new AppError('forbidden');
  const user = await liveUser(deps, id);
  requireEditable(actor, user);
  return user;
}

/** Updates a live user from a partial body; only managers change roles, only admins to or from admin. */
export async function updateUser(deps: UserDeps, actor: Actor, id: string, input: Json): Promise<UserView> {
  const current = await liveUser(deps, id);
  requireEditable(actor, current);
  const settings = validateUserInput(input, current, current.color);
  if (settings.role !== current.role) {
    if (!canManagePeople(actor)) throw new AppError('forbidden');
    if ((settings.role === 'admin' || current.role === 'admin') && !canManageAdmins(actor))
      throw new AppError('forbidden');
  }
  const at = deps.clock.now().toISOString();
  await deps.store.transaction(async (tx) => {
    await tx.lockKeys(['user-admins', `user-email:${settings.email.toLowerCase()}`]);
    if (await db.emailTaken(tx.db, settings.email, id)) throw emailTaken();
    if (current.role === 'admin' && settings.role !== 'admin' && (await db.countAdmins(tx.db)) <= 1)
      throw lastAdmin();
    await db.updateUserRow(tx.db, id, { ...settingsToRow(settings), updated_at: at });
    await auditUser(
      tx,
      actor,
      at,
      { id, name: settings.name },
      {
        action: 'update',
        before: { id, ...settingsToRow(current) },
        after: { id, ...settingsToRow(settings) },
      },
    );
  });
  return getUser(deps, actor, id);
}

/** Soft-deletes a user (see `softDeleteUser`); the last admin cannot be deleted. */
export async function deleteUser(deps: UserDeps, actor: Actor, id: string): Promise<void> {
  if (!canManagePeople(actor)) throw new AppError('forbidden');
  const user = await liveUser(deps, id);
  requireEditable(actor, user);
  const at = deps.clock.now().toISOString();
  await deps.store.transaction(async (tx) => {
    await tx.lockKeys(['user-admins']);
    if (user.role === 'admin' && (await db.countAdmins(tx.db)) <= 1) throw lastAdmin();
    await db.softDeleteUser(tx.db, id, user.email, at);
    await auditUser(tx, actor, at, user, {
      action: 'delete',
      before: { id, ...settingsToRow(user) },
      after: null,
    });
  });
}
