import { FieldErrors } from '../lib/errors.js';
import type { OAuthAppsTable } from '../store/database.js';
import { ALL_SCOPES, isKnownScope } from './scopes.js';

/** Confidential apps keep a client secret (server side); public apps (SPAs, CLIs) cannot and must use PKCE. */
export type ClientType = 'confidential' | 'public';

/** A registered app as the domain sees it. */
export interface OAuthApp {
  id: string;
  name: string;
  description: string | null;
  clientId: string;
  clientType: ClientType;
  redirectUris: string[];
  scopes: string[];
  createdAt: string;
  updatedAt: string;
}

/** Reads a row into an app. */
export function appFromRow(row: OAuthAppsTable): OAuthApp {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    clientId: row.client_id,
    clientType: row.client_type === 'public' ? 'public' : 'confidential',
    redirectUris: JSON.parse(row.redirect_uris) as string[],
    scopes: JSON.parse(row.scopes) as string[],
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** The writable fields of an app. */
export interface OAuthAppSettings {
  name: string;
  description: string | null;
  clientType: ClientType;
  redirectUris: string[];
  scopes: string[];
}

function redirectUriProblem(value: unknown): string | undefined {
  if (typeof value !== 'string') return 'must be a string';
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'must be an absolute URL';
  }
  if (url.hash !== '') return 'must not have a fragment';
  const local = url.hostname === 'localhost' || url.hostname === '127.0.0.1' || url.hostname === '[::1]';
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && local))
    return 'must use https (http only for localhost)';
  return undefined;
}

function validateRedirectUris(input: unknown, errors: FieldErrors): string[] {
  if (!Array.isArray(input) || input.length === 0) {
    errors.add('redirect_uris must be a non-empty list of URLs');
    return [];
  }
  input.forEach((value, i) => {
    const problem = redirectUriProblem(value);
    if (problem) errors.add(`redirect_uris[${i}] ${problem}`);
  });
  return [...new Set(input.filter((v): v is string => typeof v === 'string'))];
}

function validateScopes(input: unknown, errors: FieldErrors): string[] {
  if (!Array.isArray(input) || input.length === 0 || !input.every((s) => typeof s === 'string')) {
    errors.add('scopes must be a non-empty list of scopes');
    return [];
  }
  const unknown = input.filter((s) => !isKnownScope(s));
  if (unknown.length > 0)
    errors.add(`scopes ${unknown.join(', ')} unknown; known scopes are ${ALL_SCOPES.join(', ')}`);
  return [...new Set(input)];
}

/** Validates a create (no `current`) or partial update body; every problem is reported at once. */
export function validateAppInput(
  input: Record<string, unknown>,
  current?: OAuthAppSettings,
): OAuthAppSettings {
  const errors = new FieldErrors();
  const has = (key: string) => input[key] !== undefined;
  let name = current?.name ?? '';
  if (has('name') || !current) {
    if (typeof input.name !== 'string' || input.name.trim() === '')
      errors.add('name must be a non-empty string');
    else if (input.name.length > 255) errors.add('name is too long (maximum is 255 characters)');
    else name = input.name.trim();
  }
  let description = current?.description ?? null;
  if (has('description')) {
    if (input.description !== null && typeof input.description !== 'string')
      errors.add('description must be a string');
    else description = input.description;
  }
  let clientType: ClientType = current?.clientType ?? 'confidential';
  if (has('client_type')) {
    if (input.client_type !== 'confidential' && input.client_type !== 'public')
      errors.add('client_type must be confidential or public');
    else if (current && input.client_type !== current.clientType) errors.add('client_type cannot be changed');
    else clientType = input.client_type;
  }
  const redirectUris =
    has('redirect_uris') || !current
      ? validateRedirectUris(input.redirect_uris, errors)
      : current.redirectUris;
  const scopes =
    has('scopes') || !current ? validateScopes(input.scopes ?? ['read'], errors) : current.scopes;
  errors.throwIfAny();
  return { name, description, clientType, redirectUris, scopes };
}
