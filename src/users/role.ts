import type { Role } from '../auth/actor.js';

/** PagerDuty's API names of the four base roles Tocsin has. */
export type ApiRole = 'admin' | 'user' | 'limited_user' | 'observer';

const toApi: Record<Role, ApiRole> = {
  admin: 'admin',
  manager: 'user',
  responder: 'limited_user',
  observer: 'observer',
};

/*
 * Every role name accepted on input. PagerDuty's UI calls its API roles Admin, Manager, Responder and
 * Observer; its other API roles fold into the nearest Tocsin role (there is one owner per PagerDuty
 * account, which Tocsin does not model; read-only users cannot act on incidents, like observers).
 */
const fromInput: Record<string, Role> = {
  admin: 'admin',
  owner: 'admin',
  user: 'manager',
  manager: 'manager',
  limited_user: 'responder',
  responder: 'responder',
  restricted_access: 'responder',
  observer: 'observer',
  read_only_user: 'observer',
  read_only_limited_user: 'observer',
};

/** The role names `parseRole` accepts, for error messages. */
export const ACCEPTED_ROLES = Object.keys(fromInput);

/** PagerDuty's API value for a stored Tocsin role (unknown stored values read as observer). */
export function apiRole(role: string): ApiRole {
  return toApi[roleFromStored(role)];
}

/** A stored `users.role` as a Tocsin role; anything unexpected is the least powerful role. */
export function roleFromStored(role: string): Role {
  return role in toApi ? (role as Role) : 'observer';
}

/** A role from input: PagerDuty's API names or Tocsin's own; undefined when unknown. */
export function parseRole(value: unknown): Role | undefined {
  return typeof value === 'string' && Object.hasOwn(fromInput, value) ? fromInput[value] : undefined;
}
