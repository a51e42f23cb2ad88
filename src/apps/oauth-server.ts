import OAuth2Server from '@node-oauth/oauth2-server';
import type { Kysely } from 'kysely';
import { hashToken } from '../auth/token-store.js';
import type { Clock } from '../lib/clock.js';
import { AppError } from '../lib/errors.js';
import type { Database } from '../store/database.js';
import { LIFETIMES, oauthModel } from './oauth-model.js';
import * as tokens from './oauth-token-store.js';
import { parseScopes } from './scopes.js';

const { Request, Response, OAuthError } = OAuth2Server;

/** What the OAuth endpoints need. */
export interface OAuthDeps {
  db: Kysely<Database>;
  clock: Clock;
}

/** An HTTP answer of the token and revocation endpoints (RFC 6749 §5 bodies). */
export interface OAuthAnswer {
  status: number;
  body: Record<string, unknown>;
  headers: Record<string, string>;
}

type Form = Record<string, string>;
type Headers = Record<string, string | string[] | undefined>;

function plainHeaders(headers: Headers): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) if (typeof v === 'string') out[k] = v;
  return out;
}

function oauthErrorAnswer(error: unknown): OAuthAnswer {
  const e = error instanceof OAuthError ? error : new OAuth2Server.ServerError('Server error');
  return {
    status: e.code,
    body: { error: e.name, error_description: e.message },
    headers: { 'cache-control': 'no-store' },
  };
}

/** `POST /oauth/token`: the authorization_code (with PKCE) and refresh_token grants. */
export async function exchangeToken(deps: OAuthDeps, form: Form, headers: Headers): Promise<OAuthAnswer> {
  const model = oauthModel({ ...deps, checkSecret: true });
  const server = new OAuth2Server({
    model,
    accessTokenLifetime: LIFETIMES.access,
    refreshTokenLifetime: LIFETIMES.refresh,
    // Public clients send only client_id; the model insists on the secret of confidential ones.
    requireClientAuthentication: { authorization_code: false, refresh_token: false },
  });
  const request = new Request({ method: 'POST', headers: plainHeaders(headers), query: {}, body: form });
  try {
    await refuseWiderScope(deps, form);
    const token = await server.token(request, new Response());
    const scope = token.scope;
    return {
      status: 200,
      body: {
        access_token: token.accessToken,
        refresh_token: token.refreshToken,
        token_type: 'bearer',
        scope: Array.isArray(scope) ? scope.join(' ') : '',
        expires_in: LIFETIMES.access,
      },
      headers: { 'cache-control': 'no-store', pragma: 'no-cache' },
    };
  } catch (error) {
    return oauthErrorAnswer(error);
  }
}

/**
 * The library rotates a refresh token before it checks the scope asked for; a request for more than was
 * granted would then cost the app its refresh token. Refuse it first, leaving the token usable.
 */
async function refuseWiderScope(deps: OAuthDeps, form: Form): Promise<void> {
  if (form.grant_type !== 'refresh_token' || !form.scope || !form.refresh_token) return;
  const row = await tokens.findByRefreshHash(deps.db, hashToken(form.refresh_token));
  const granted = row?.scope.split(' ') ?? [];
  if (row && !parseScopes(form.scope).every((s) => granted.includes(s)))
    throw new OAuth2Server.InvalidScopeError('Invalid scope: Unable to add extra scopes');
}

/** What the consent page posts. */
export interface AuthorizeParams {
  client_id: string;
  redirect_uri: string;
  scope?: string | undefined;
  state?: string | undefined;
  code_challenge?: string | undefined;
  code_challenge_method?: string | undefined;
  decision: 'allow' | 'deny';
}

/**
 * Issues a code to the signed-in user (or records the refusal) and answers where the browser goes next.
 * Problems with the client or its redirect URI are not sent to that URI (it cannot be trusted): they are
 * a 400 here instead.
 */
export async function authorize(deps: OAuthDeps, userId: string, params: AuthorizeParams): Promise<string> {
  const server = new OAuth2Server({
    model: oauthModel({ ...deps, checkSecret: false }),
    authorizationCodeLifetime: LIFETIMES.code,
    allowEmptyState: true,
    authenticateHandler: { handle: () => ({ id: userId }) },
  });
  const body: Form = { response_type: 'code' };
  for (const [k, v] of Object.entries(params)) if (typeof v === 'string' && v !== '') body[k] = v;
  if (params.decision === 'deny') body.allowed = 'false';
  const request = new Request({ method: 'POST', headers: {}, query: {}, body });
  const response = new Response();
  try {
    await server.authorize(request, response);
    return response.get('location') as string;
  } catch (error) {
    const message = error instanceof Error ? error.message : 'Invalid authorization request';
    if (response.get('location') === undefined) throw new AppError('invalidInput', [message]);
    // The library drops the error when the redirect URI has a query of its own; build it here instead.
    const url = new URL(params.redirect_uri);
    url.searchParams.set('error', error instanceof OAuthError ? error.name : 'server_error');
    url.searchParams.set('error_description', message);
    if (params.state) url.searchParams.set('state', params.state);
    return url.toString();
  }
}

/**
 * `POST /oauth/revoke` (RFC 7009): the client authenticates as at the token endpoint; a token of another
 * client or an unknown one is answered 200 all the same. Revoking either token of a pair ends its family.
 */
export async function revokeToken(deps: OAuthDeps, form: Form, headers: Headers): Promise<OAuthAnswer> {
  const model = oauthModel({ ...deps, checkSecret: true });
  const basic = /^Basic\s+(.+)$/i.exec(
    typeof headers.authorization === 'string' ? headers.authorization : '',
  );
  let clientId = form.client_id;
  let secret = form.client_secret;
  if (basic?.[1]) {
    const decoded = Buffer.from(basic[1], 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    clientId = decodeURIComponent(decoded.slice(0, colon));
    secret = decodeURIComponent(decoded.slice(colon + 1));
  }
  const client = clientId ? await model.getClient(clientId, secret ?? '') : null;
  if (!client) {
    const answer = oauthErrorAnswer(new OAuth2Server.InvalidClientError('Invalid client: client is invalid'));
    // RFC 6749 §5.2: a client that tried Basic authentication gets 401 and a challenge.
    if (basic)
      return {
        ...answer,
        status: 401,
        headers: { ...answer.headers, 'www-authenticate': 'Basic realm="Tocsin"' },
      };
    return answer;
  }
  if (!form.token)
    return oauthErrorAnswer(new OAuth2Server.InvalidRequestError('Missing parameter: `token`'));
  const hash = hashToken(form.token);
  const row =
    (await tokens.findByAccessHash(deps.db, hash)) ?? (await tokens.findByRefreshHash(deps.db, hash));
  if (row && row.app_id === client.id)
    await tokens.revokeFamily(deps.db, row.family_id, deps.clock.now().toISOString());
  return { status: 200, body: {}, headers: { 'cache-control': 'no-store' } };
}
