import type { Role } from '../auth/actor.js';
import { FieldErrors } from '../lib/errors.js';
import type { UsersTable } from '../store/database.js';
import { ACCEPTED_ROLES, parseRole, roleFromStored } from './role.js';

/** A user as the domain sees it. */
export interface User {
  id: string;
  name: string;
  email: string;
  timeZone: string;
  role: Role;
  jobTitle: string | null;
  color: string;
  description: string | null;
  /** The secret of the user's calendar feed URL; null until the feed is first asked for. */
  icalToken: string | null;
  createdAt: string;
  updatedAt: string;
}

/** The writable settings of a user (REST create/update bodies after validation). */
export type UserSettings = Pick<
  User,
  'name' | 'email' | 'timeZone' | 'role' | 'jobTitle' | 'color' | 'description'
>;

type Json = Record<string, unknown>;

/** Schedule colours handed out to new users, as PagerDuty does. */
const PALETTE = ['purple', 'red', 'green', 'blue', 'orange', 'teal', 'brown', 'cayenne', 'forest-green'];

/** A colour for a new user, picked from the palette by id so it is stable. */
export function defaultColor(id: string): string {
  let sum = 0;
  for (const c of id) sum += c.charCodeAt(0);
  return PALETTE[sum % PALETTE.length]!;
}

/** Whether a string looks like an email address (one @, a dotted domain, no spaces). */
export function isEmail(value: string): boolean {
  return /^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/.test(value) && value.length <= 254;
}

/** Whether Intl knows this IANA time zone. */
export function isTimeZone(value: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

/** Reads a row into a user. */
export function userFromRow(row: UsersTable): User {
  return {
    id: row.id,
    name: row.name,
    email: row.email,
    timeZone: row.time_zone,
    role: roleFromStored(row.role),
    jobTitle: row.job_title,
    color: row.color ?? defaultColor(row.id),
    description: row.description,
    icalToken: row.ical_token,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** Writes a user's settings into row columns. */
export function settingsToRow(s: UserSettings) {
  return {
    name: s.name,
    email: s.email,
    role: s.role,
    time_zone: s.timeZone,
    job_title: s.jobTitle,
    color: s.color,
    description: s.description,
  };
}

function text(input: Json, key: string, max: number, errors: FieldErrors): string | null | undefined {
  if (!Object.hasOwn(input, key)) return undefined;
  const value = input[key];
  if (value === null) return null;
  if (typeof value !== 'string') errors.add(`${key} must be a string`);
  else if (value.length > max) errors.add(`${key} is too long (maximum is ${max} characters)`);
  else return value.trim() === '' ? null : value;
  return undefined;
}

/**
 * Validates a REST user body against a base (defaults on create, the current user on update). Every
 * invalid field is reported at once.
 */
export function validateUserInput(input: Json, base: Partial<UserSettings>, color: string): UserSettings {
  const errors = new FieldErrors();
  const has = (key: string) => Object.hasOwn(input, key);
  const name = has('name') ? input.name : base.name;
  if (typeof name !== 'string' || name.trim() === '') errors.add('Name cannot be empty');
  else if (name.length > 100) errors.add('Name is too long (maximum is 100 characters)');
  const email = has('email') ? input.email : base.email;
  if (typeof email !== 'string' || email.trim() === '') errors.add('Email cannot be empty');
  else if (!isEmail(email.trim())) errors.add('Email is invalid');
  const timeZone = has('time_zone') && input.time_zone !== null ? input.time_zone : (base.timeZone ?? 'UTC');
  if (typeof timeZone !== 'string' || !isTimeZone(timeZone))
    errors.add('Time zone must be an IANA time zone such as Europe/Paris');
  let role = base.role ?? 'responder';
  if (has('role')) {
    const parsed = parseRole(input.role);
    if (parsed) role = parsed;
    else errors.add(`Role must be one of ${ACCEPTED_ROLES.join(', ')}`);
  }
  const jobTitle = text(input, 'job_title', 100, errors);
  const description = text(input, 'description', 1024, errors);
  const colorIn = text(input, 'color', 50, errors);
  errors.throwIfAny();
  return {
    name: (name as string).trim(),
    email: (email as string).trim(),
    timeZone: timeZone as string,
    role,
    jobTitle: jobTitle === undefined ? (base.jobTitle ?? null) : jobTitle,
    description: description === undefined ? (base.description ?? null) : description,
    color: colorIn ?? base.color ?? color,
  };
}
