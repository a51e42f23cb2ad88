import { FieldErrors } from '../lib/errors.js';
import type { TeamsTable } from '../store/database.js';

/** A team as the domain sees it. */
export interface Team {
  id: string;
  name: string;
  description: string | null;
  createdAt: string;
  updatedAt: string;
}

/** A member's role on a team (PagerDuty's team roles). */
export type TeamRole = 'manager' | 'responder' | 'observer';

/** The writable settings of a team. */
export type TeamSettings = Pick<Team, 'name' | 'description'>;

type Json = Record<string, unknown>;

/** Reads a row into a team. */
export function teamFromRow(row: TeamsTable): Team {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** Validates a REST team body against a base (empty on create). Every problem is reported at once. */
export function validateTeamInput(input: Json, base: Partial<TeamSettings>): TeamSettings {
  const errors = new FieldErrors();
  const name = Object.hasOwn(input, 'name') ? input.name : base.name;
  if (typeof name !== 'string' || name.trim() === '') errors.add('Name cannot be empty');
  else if (name.length > 100) errors.add('Name is too long (maximum is 100 characters)');
  const description = Object.hasOwn(input, 'description') ? input.description : base.description;
  if (description !== null && description !== undefined && typeof description !== 'string')
    errors.add('description must be a string');
  else if (typeof description === 'string' && description.length > 1024)
    errors.add('description is too long (maximum is 1024 characters)');
  errors.throwIfAny();
  return {
    name: (name as string).trim(),
    description: typeof description === 'string' && description !== '' ? description : null,
  };
}

/** A team role from input (default responder); undefined when invalid. */
export function parseTeamRole(value: unknown): TeamRole | undefined {
  if (value === undefined || value === null) return 'responder';
  return value === 'manager' || value === 'responder' || value === 'observer' ? value : undefined;
}
