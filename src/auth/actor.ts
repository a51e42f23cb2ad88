/** Roles, from most to least powerful. */
export type Role = 'admin' | 'manager' | 'responder' | 'observer';

/** Who is making a request: a user (through a user token) or the account (through an account token). */
export interface Actor {
  kind: 'user' | 'account' | 'system';
  /** The user acted as: the token's user, or the admin for account tokens. */
  userId: string | null;
  role: Role;
  /** Read-only account tokens may only read. */
  readOnly: boolean;
  /** A name for log entries. */
  summary: string;
  /** How the request authenticated, for audit records (absent: an API token, or Tocsin itself). */
  via?: ActorVia;
}

/** The sign-in method behind an actor, as audit records report it. */
export interface ActorVia {
  type: 'api_token' | 'browser' | 'oauth';
  /** The API token's or OAuth app's id (account tokens are audited as `api_key_reference`s). */
  credentialId?: string | null;
  /** The last 4 characters of the token (never for sessions). */
  truncatedToken?: string | null;
}

/** The engine and start-up code act as this actor. */
export const systemActor: Actor = {
  kind: 'system',
  userId: null,
  role: 'admin',
  readOnly: false,
  summary: 'Tocsin',
};

/** Whether the actor may change configuration (services, integrations). */
export function canConfigure(actor: Actor): boolean {
  return !actor.readOnly && (actor.role === 'admin' || actor.role === 'manager');
}

/** Whether the actor may act on incidents (acknowledge, resolve). */
export function canRespond(actor: Actor): boolean {
  return !actor.readOnly && actor.role !== 'observer';
}

/** Whether the actor may manage users and teams (admins and managers). */
export function canManagePeople(actor: Actor): boolean {
  return canConfigure(actor);
}

/** Whether the actor may create admins, change an admin or make someone an admin (admins only). */
export function canManageAdmins(actor: Actor): boolean {
  return !actor.readOnly && actor.role === 'admin';
}

/** Whether the actor may change this user's own settings (profile, contact methods, rules). */
export function canEditUser(actor: Actor, userId: string): boolean {
  if (canManagePeople(actor)) return true;
  return !actor.readOnly && actor.role !== 'observer' && actor.userId === userId;
}
