import { AppError, FieldErrors } from '../lib/errors.js';
import type { Store } from '../store/store.js';
import { appFromRow, type OAuthApp } from './oauth-app.js';
import { findAppRowByClientId } from './oauth-app-store.js';
import { parseScopes } from './scopes.js';

/** The query of `GET /oauth/authorize` (notes §5). */
export interface AuthorizeQuery {
  client_id?: string | undefined;
  redirect_uri?: string | undefined;
  response_type?: string | undefined;
  scope?: string | undefined;
  state?: string | undefined;
  code_challenge?: string | undefined;
  code_challenge_method?: string | undefined;
}

/** A request the consent page may show: the app, the scopes it asks for and where the answer goes. */
export interface CheckedAuthorize {
  app: OAuthApp;
  scopes: string[];
  redirectUri: string;
}

/**
 * Checks an authorization request before the consent page is shown: a live client, a redirect URI equal to
 * one registered, `response_type=code`, scopes the app may ask for (none asked: all of them), and PKCE
 * (S256 only; required of public clients). Every problem is reported at once as a 400.
 */
export async function checkAuthorizeRequest(store: Store, query: AuthorizeQuery): Promise<CheckedAuthorize> {
  const row = query.client_id ? await findAppRowByClientId(store.db, query.client_id) : undefined;
  if (!row) throw new AppError('invalidInput', ['client_id does not name a registered app']);
  const app = appFromRow(row);
  const errors = new FieldErrors();
  const redirectUri = query.redirect_uri ?? (app.redirectUris.length === 1 ? app.redirectUris[0]! : '');
  if (!app.redirectUris.includes(redirectUri))
    errors.add('redirect_uri must be exactly one of the app’s redirect URIs');
  if (query.response_type !== 'code') errors.add('response_type must be code');
  const asked = parseScopes(query.scope);
  const scopes = asked.length > 0 ? asked : app.scopes;
  const refused = scopes.filter((s) => !app.scopes.includes(s));
  if (refused.length > 0) errors.add(`scope ${refused.join(' ')} is not allowed for this app`);
  const method = query.code_challenge_method;
  if (query.code_challenge) {
    if (method !== undefined && method !== 'S256') errors.add('code_challenge_method must be S256');
  } else if (app.clientType === 'public') errors.add('code_challenge (S256) is required for this app');
  errors.throwIfAny();
  return { app, scopes, redirectUri };
}
