import type {} from '@fastify/cookie';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { SESSION_COOKIE } from '../auth/session.js';
import { activeSession } from '../auth/session-service.js';
import type { Clock } from '../lib/clock.js';
import { AppError } from '../lib/errors.js';
import type { Store } from '../store/store.js';
import { checkAuthorizeRequest, type AuthorizeQuery } from './authorize-request.js';
import { checkInstallRequest } from './install-service.js';
import { exchangeToken, revokeToken, type OAuthAnswer } from './oauth-server.js';

/** What the OAuth endpoints and the connect pages need. */
export interface AppPagesDeps {
  store: Store;
  clock: Clock;
  /** Answers with the web app (its single-page shell) for a page route it owns. */
  serveWebApp(request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> | FastifyReply;
}

type Form = Record<string, string>;

function send(reply: FastifyReply, answer: OAuthAnswer): FastifyReply {
  return reply.code(answer.status).headers(answer.headers).send(answer.body);
}

const escape = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** A small page for a person whose app sent a broken link: what is wrong, and that the app must fix it. */
function errorPage(error: AppError): string {
  const items = (error.errors.length > 0 ? error.errors : [error.message]).map(
    (e) => `<li>${escape(e)}</li>`,
  );
  return `<!doctype html><html lang="en"><meta charset="utf-8"><title>Tocsin: invalid link</title>
<body style="font-family:system-ui;margin:3rem;max-width:40rem"><h1>This link from an app is not valid</h1>
<ul>${items.join('')}</ul><p>Nothing was changed. Ask the app's maintainers (or your Tocsin admin, who
registers apps) to fix the link.</p></body></html>`;
}

/**
 * The page routes of the connect flow check their request first (a bad client or redirect is a 400 here,
 * never a redirect to an untrusted URL), send a signed-out browser to `/login?next=<this URL>`, and
 * otherwise serve the web app, whose pages under web/src/pages/connect/ do the rest.
 */
async function page(
  deps: AppPagesDeps,
  request: FastifyRequest,
  reply: FastifyReply,
  check: () => Promise<unknown>,
): Promise<FastifyReply> {
  try {
    await check();
  } catch (error) {
    if (error instanceof AppError)
      return reply.code(error.status).type('text/html; charset=utf-8').send(errorPage(error));
    throw error;
  }
  const session = await activeSession(deps, request.cookies[SESSION_COOKIE]);
  if (!session) return reply.redirect(`/login?next=${encodeURIComponent(request.url)}`, 302);
  return deps.serveWebApp(request, reply);
}

/** `/oauth/token`, `/oauth/revoke` (form-encoded, RFC 6749/7009 bodies) and the two connect pages. */
export function appPageRoutes(deps: AppPagesDeps) {
  const oauth = { db: deps.store.db, clock: deps.clock };
  return async function plugin(app: FastifyInstance): Promise<void> {
    app.addContentTypeParser(
      'application/x-www-form-urlencoded',
      { parseAs: 'string' },
      (_req, body, done) => {
        done(null, Object.fromEntries(new URLSearchParams(body as string)));
      },
    );
    app.post('/oauth/token', async (request, reply) => {
      const form = typeof request.body === 'object' && request.body !== null ? (request.body as Form) : {};
      return send(reply, await exchangeToken(oauth, form, request.headers));
    });
    app.post('/oauth/revoke', async (request, reply) => {
      const form = typeof request.body === 'object' && request.body !== null ? (request.body as Form) : {};
      return send(reply, await revokeToken(oauth, form, request.headers));
    });
    app.get('/oauth/authorize', async (request, reply) =>
      page(deps, request, reply, () => checkAuthorizeRequest(deps.store, request.query as AuthorizeQuery)),
    );
    app.get('/install/integration', async (request, reply) => {
      const query = request.query as Record<string, string | undefined>;
      return page(deps, request, reply, async () => {
        if (query.version !== undefined && query.version !== '2')
          throw new AppError('invalidInput', ['version must be 2']);
        if (!query.app_id || !query.redirect_url)
          throw new AppError('invalidInput', ['app_id and redirect_url are required']);
        await checkInstallRequest(deps, query.app_id, query.redirect_url);
      });
    });
  };
}
