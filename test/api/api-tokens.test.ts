import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { anonymous, asBrowser, setPassword, signIn, type Browser } from '../harness/accounts.js';
import { backends } from '../harness/backends.js';
import { createUser, userToken, type CreatedUser } from '../harness/people.js';
import { startTestApp, type TestApp } from '../harness/test-app.js';

type Token = {
  id: string;
  type: string;
  description: string;
  kind: string;
  access: string;
  owner: { id: string; type: string } | null;
  created_at: string;
  last_used_at: string | null;
  revoked: boolean;
  token?: string;
};

const PASSWORD = 'a long enough password';
const bearerOf = (secret: string) => ({ authorization: `Token token=${secret}` });

for (const backend of backends()) {
  describe(backend.name, () => {
    describe('API tokens', () => {
      let t: TestApp;
      let rosa: CreatedUser;
      let browser: Browser;
      beforeEach(async () => {
        t = await startTestApp(backend.fresh());
        rosa = await createUser(t, { name: 'Rosa', email: 'rosa@example.com', role: 'responder' });
        await setPassword(t, rosa.id, PASSWORD);
        browser = await signIn(t, 'rosa@example.com', PASSWORD);
      });
      afterEach(async () => {
        await t.close();
      });
      afterAll(async () => {
        await backend.cleanup();
      });

      const create = async (body: Record<string, unknown>, headers?: Record<string, string>) =>
        t.api('POST', '/api/v2/api_tokens', { api_token: body }, headers);
      const list = async (headers?: Record<string, string>) =>
        (await t.api('GET', '/api/v2/api_tokens', undefined, headers)).json<{ api_tokens: Token[] }>()
          .api_tokens;

      it('lets an admin create full and read-only account tokens, showing the secret once', async () => {
        const full = await create({ description: 'Terraform', kind: 'account', access: 'full' });
        expect(full.statusCode, full.body).toBe(201);
        const made = full.json<{ api_token: Token }>().api_token;
        expect(made).toMatchObject({
          type: 'api_token',
          description: 'Terraform',
          kind: 'account',
          access: 'full',
          owner: { type: 'user_reference' },
          created_at: t.clock.now().toISOString(),
          last_used_at: null,
          revoked: false,
        });
        expect(made.token).toMatch(/^[\w-]{32}$/);
        const stored = await t.store.db.selectFrom('api_tokens').select('token_hash').execute();
        expect(stored.map((r) => r.token_hash)).not.toContain(made.token);
        const listed = await list();
        expect(listed.find((x) => x.id === made.id)).toEqual({ ...made, token: undefined });
        expect(JSON.stringify(listed)).not.toContain(made.token);
        const ro = (await create({ description: 'Dashboards', kind: 'account', access: 'read_only' })).json<{
          api_token: Token;
        }>().api_token;
        expect(ro.access).toBe('read_only');
        const roHeaders = bearerOf(ro.token!);
        expect((await t.api('GET', '/api/v2/services', undefined, roHeaders)).statusCode).toBe(200);
        const write = await t.api('POST', '/api/v2/services', { service: { name: 'Nope' } }, roHeaders);
        expect(write.statusCode).toBe(403);
        expect(write.json<{ error: { code: number } }>().error.code).toBe(2010);
        const revoke = await t.api('DELETE', `/api/v2/api_tokens/${made.id}`, undefined, roHeaders);
        expect(revoke.statusCode).toBe(403);
      });

      it('lets a user create a token that acts as them, from a session', async () => {
        const res = await asBrowser(t, browser, 'POST', '/api/v2/api_tokens', {
          api_token: { description: 'My laptop CLI' },
        });
        expect(res.statusCode, res.body).toBe(201);
        const made = res.json<{ api_token: Token }>().api_token;
        expect(made).toMatchObject({ kind: 'user', access: 'full', owner: { id: rosa.id } });
        const me = await t.api('GET', '/api/v2/users/me', undefined, bearerOf(made.token!));
        expect(me.json<{ user: { id: string } }>().user.id).toBe(rosa.id);
        // A responder cannot create users, whatever token they use.
        const refused = await t.api(
          'POST',
          '/api/v2/users',
          { user: { name: 'X', email: 'x@example.com' } },
          bearerOf(made.token!),
        );
        expect(refused.statusCode).toBe(403);
      });

      it('refuses account tokens to non-admins and user tokens to observers and account tokens', async () => {
        const account = await asBrowser(t, browser, 'POST', '/api/v2/api_tokens', {
          api_token: { description: 'Sneaky', kind: 'account', access: 'full' },
        });
        expect(account.statusCode).toBe(403);
        const olga = await createUser(t, { name: 'Olga', role: 'observer' });
        const observer = await create({ description: 'Mine' }, await userToken(t, olga.id));
        expect(observer.statusCode).toBe(403);
        const fromAccount = await create({ description: 'For whom?', kind: 'user' });
        expect(fromAccount.statusCode).toBe(400);
        const readOnlyUser = await asBrowser(t, browser, 'POST', '/api/v2/api_tokens', {
          api_token: { description: 'x', kind: 'user', access: 'read_only' },
        });
        expect(readOnlyUser.statusCode).toBe(400);
        const empty = await asBrowser(t, browser, 'POST', '/api/v2/api_tokens', {
          api_token: { description: '  ' },
        });
        expect(empty.statusCode).toBe(400);
      });

      it('lists every token to admins and only their own user tokens to others', async () => {
        await create({ description: 'Account one', kind: 'account', access: 'full' });
        const mine = await asBrowser(t, browser, 'POST', '/api/v2/api_tokens', {
          api_token: { description: 'Rosa token' },
        });
        const other = await createUser(t, { name: 'Kim', role: 'responder' });
        await userToken(t, other.id);
        const asAdmin = await list();
        expect(asAdmin.map((x) => x.description).sort()).toEqual(
          ['Account one', 'Admin token (first start)', 'Rosa token', `Token of ${other.id}`].sort(),
        );
        const asRosa = await asBrowser(t, browser, 'GET', '/api/v2/api_tokens');
        expect(asRosa.json<{ api_tokens: Token[] }>().api_tokens.map((x) => x.id)).toEqual([
          mine.json<{ api_token: Token }>().api_token.id,
        ]);
      });

      it('revokes a token at once and shows it revoked, and records when a token was last used', async () => {
        const made = (await create({ description: 'CI', kind: 'account', access: 'full' })).json<{
          api_token: Token;
        }>().api_token;
        t.clock.advance(5000);
        expect((await t.api('GET', '/api/v2/users', undefined, bearerOf(made.token!))).statusCode).toBe(200);
        const used = (await list()).find((x) => x.id === made.id)!;
        expect(used.last_used_at).toBe(t.clock.now().toISOString());
        expect((await t.api('DELETE', `/api/v2/api_tokens/${made.id}`)).statusCode).toBe(204);
        const after = await t.api('GET', '/api/v2/users', undefined, bearerOf(made.token!));
        expect(after.statusCode).toBe(401);
        expect((await list()).find((x) => x.id === made.id)).toMatchObject({ revoked: true });
        expect((await t.api('DELETE', `/api/v2/api_tokens/${made.id}`)).statusCode).toBe(204);
      });

      it('lets a user revoke their own user tokens but not anyone else’s', async () => {
        const mine = (
          await asBrowser(t, browser, 'POST', '/api/v2/api_tokens', { api_token: { description: 'Mine' } })
        ).json<{ api_token: Token }>().api_token;
        const adminToken = (await list()).find((x) => x.kind === 'account')!;
        const denied = await asBrowser(t, browser, 'DELETE', `/api/v2/api_tokens/${adminToken.id}`);
        expect(denied.statusCode).toBe(404);
        expect((await asBrowser(t, browser, 'DELETE', `/api/v2/api_tokens/${mine.id}`)).statusCode).toBe(204);
        expect((await t.api('GET', '/api/v2/users/me', undefined, bearerOf(mine.token!))).statusCode).toBe(
          401,
        );
        expect((await anonymous(t, 'GET', '/api/v2/api_tokens')).statusCode).toBe(401);
      });
    });
  });
}
