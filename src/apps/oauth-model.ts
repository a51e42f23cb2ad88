import { timingSafeEqual } from 'node:crypto';
import OAuth2Server from '@node-oauth/oauth2-server';
import type { Kysely } from 'kysely';
import { hashToken } from '../auth/token-store.js';
import type { Clock } from '../lib/clock.js';
import { longId, secretToken } from '../lib/ids.js';
import type { Database } from '../store/database.js';
import { appFromRow } from './oauth-app.js';
import { findAppRowByClientId } from './oauth-app-store.js';
import * as tokens from './oauth-token-store.js';

type Model = OAuth2Server.AuthorizationCodeModel & OAuth2Server.RefreshTokenModel;

/** How long things live, in seconds. */
export const LIFETIMES = { code: 30, access: 3600, refresh: 30 * 24 * 3600 } as const;

/**
 * The library checks expiry against the wall clock; Tocsin checks it against the injected clock inside the
 * model and hands the library a date it will never see as past.
 */
const NEVER = new Date(8_640_000_000_000_000);

function sameHash(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** What the model needs; `checkSecret` is true at the token endpoint, false when authorizing. */
export interface ModelDeps {
  db: Kysely<Database>;
  clock: Clock;
  checkSecret: boolean;
}

/** The oauth2-server model over Tocsin's tables; one per request (it remembers the token family). */
export function oauthModel(deps: ModelDeps): Model {
  const { db, clock } = deps;
  const at = () => clock.now().toISOString();
  const after = (seconds: number) => new Date(clock.now().getTime() + seconds * 1000);
  let familyId: string | undefined;

  return {
    async getClient(clientId: string, clientSecret: string | null | undefined) {
      const row = await findAppRowByClientId(db, clientId);
      if (!row) return null;
      const app = appFromRow(row);
      if (deps.checkSecret && app.clientType === 'confidential') {
        if (!clientSecret || !row.client_secret_hash) return null;
        if (!sameHash(hashToken(clientSecret), row.client_secret_hash)) return null;
      }
      return {
        id: app.id,
        redirectUris: app.redirectUris,
        grants: ['authorization_code', 'refresh_token'],
        clientType: app.clientType,
        scopes: app.scopes,
      };
    },

    async validateScope(_user, client, scope) {
      const allowed = client.scopes as string[];
      const asked = scope && scope.length > 0 ? scope : allowed;
      return asked.every((s) => allowed.includes(s)) ? asked : false;
    },

    async saveAuthorizationCode(code, client, user) {
      if (client.clientType === 'public' && !code.codeChallenge)
        throw new OAuth2Server.InvalidRequestError(
          'Invalid request: public clients must send a code_challenge (S256)',
        );
      await tokens.insertCode(db, {
        id: longId(),
        code_hash: hashToken(code.authorizationCode),
        app_id: client.id,
        user_id: user.id as string,
        redirect_uri: code.redirectUri,
        scope: (code.scope ?? []).join(' '),
        code_challenge: code.codeChallenge ?? null,
        code_challenge_method: code.codeChallenge ? (code.codeChallengeMethod ?? 'S256') : null,
        expires_at: after(LIFETIMES.code).toISOString(),
        used_at: null,
        created_at: at(),
      });
      return { ...code, expiresAt: after(LIFETIMES.code), client, user };
    },

    async getAuthorizationCode(code) {
      const row = await tokens.findCodeRow(db, hashToken(code));
      if (!row) return null;
      if (row.used_at !== null) {
        // A code presented twice: whoever has it may be an attacker, so its tokens stop working (RFC 6749 4.1.2).
        await tokens.revokeFamily(db, row.id, at());
        return null;
      }
      if (row.expires_at <= at())
        throw new OAuth2Server.InvalidGrantError('Invalid grant: authorization code has expired');
      familyId = row.id;
      return {
        authorizationCode: code,
        expiresAt: NEVER,
        redirectUri: row.redirect_uri,
        scope: row.scope === '' ? [] : row.scope.split(' '),
        client: { id: row.app_id, grants: ['authorization_code'] },
        user: { id: row.user_id },
        ...(row.code_challenge === null
          ? {}
          : { codeChallenge: row.code_challenge, codeChallengeMethod: row.code_challenge_method ?? 'S256' }),
        codeId: row.id,
      };
    },

    async revokeAuthorizationCode(code) {
      return tokens.useCode(db, code.codeId as string, at());
    },

    async getRefreshToken(refreshToken) {
      const row = await tokens.findByRefreshHash(db, hashToken(refreshToken));
      if (!row || row.revoked_at !== null) return null;
      if (row.rotated_at !== null) {
        // Reuse of a rotated refresh token: one of the two holders is not the app; end the whole family.
        await tokens.revokeFamily(db, row.family_id, at());
        return null;
      }
      if (row.refresh_expires_at !== null && row.refresh_expires_at <= at())
        throw new OAuth2Server.InvalidGrantError('Invalid grant: refresh token has expired');
      familyId = row.family_id;
      return {
        refreshToken,
        scope: row.scope === '' ? [] : row.scope.split(' '),
        client: { id: row.app_id, grants: ['refresh_token'] },
        user: { id: row.user_id },
        tokenId: row.id,
      };
    },

    async revokeToken(token) {
      return tokens.rotateToken(db, token.tokenId as string, at());
    },

    async generateAccessToken() {
      return `tca_${secretToken(32)}`;
    },

    async generateRefreshToken() {
      return `tcr_${secretToken(32)}`;
    },

    async saveToken(token, client, user) {
      const accessExpires = after(LIFETIMES.access);
      const refreshExpires = after(LIFETIMES.refresh);
      await tokens.insertToken(db, {
        id: longId(),
        family_id: familyId ?? longId(),
        app_id: client.id,
        user_id: user.id as string,
        scope: (token.scope ?? []).join(' '),
        access_token_hash: hashToken(token.accessToken),
        access_expires_at: accessExpires.toISOString(),
        refresh_token_hash: token.refreshToken ? hashToken(token.refreshToken) : null,
        refresh_expires_at: token.refreshToken ? refreshExpires.toISOString() : null,
        created_at: at(),
        last_used_at: null,
        rotated_at: null,
        revoked_at: null,
      });
      return { ...token, accessTokenExpiresAt: NEVER, client, user };
    },

    async getAccessToken() {
      // Bearer tokens are checked by Tocsin's auth plugin (src/apps/bearer.ts), not by the library.
      return null;
    },
  };
}
