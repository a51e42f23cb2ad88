import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { listEnvelope, pagination, PaginationQuery, type Links } from '../http/rest.js';
import type { Clock } from '../lib/clock.js';
import { AppError } from '../lib/errors.js';
import type { Store } from '../store/store.js';
import { checkAuthorizeRequest } from './authorize-request.js';
import type { AccountInfo } from './install.js';
import { checkInstallRequest, install, installChoices } from './install-service.js';
import * as apps from './oauth-app-service.js';
import { authorize } from './oauth-server.js';
import { presentApp, presentAppIntegration } from './presenters.js';

/** What the app routes need. */
export interface AppsRoutesDeps {
  store: Store;
  clock: Clock;
  links: Links;
  account: AccountInfo;
}

const Json = Type.Record(Type.String(), Type.Unknown());
const Params = Type.Object({ id: Type.String() });
const AppBody = Type.Object({ oauth_app: Json });
const Opt = Type.Optional(Type.String());
const AuthorizeQuery = Type.Object({
  client_id: Opt,
  redirect_uri: Opt,
  response_type: Opt,
  scope: Opt,
  state: Opt,
  code_challenge: Opt,
  code_challenge_method: Opt,
});
const AuthorizeBody = Type.Object({
  client_id: Type.String(),
  redirect_uri: Type.String(),
  scope: Opt,
  state: Opt,
  code_challenge: Opt,
  code_challenge_method: Opt,
  decision: Type.Union([Type.Literal('allow'), Type.Literal('deny')]),
});
const InstallQuery = Type.Object({ app_id: Type.String(), redirect_url: Opt });
const InstallBody = Type.Object({
  app_id: Type.String(),
  redirect_url: Type.String(),
  service_ids: Type.Array(Type.String(), { maxItems: 100 }),
  state: Opt,
});

/** Consent and installs act for the person at the browser: API and OAuth tokens may not do them. */
function requireSession(request: FastifyRequest): string {
  if (request.session === null || request.actor.userId === null)
    throw new AppError('forbidden', ['This needs a signed-in browser session']);
  return request.actor.userId;
}

/** REST v2: registered apps (admins), the consent answer and the install flow's APIs. */
export function appsRoutes(deps: AppsRoutesDeps) {
  const { links } = deps;
  return async function plugin(fastify: FastifyInstance): Promise<void> {
    const app = fastify.withTypeProvider<TypeBoxTypeProvider>();

    app.get('/oauth_apps', { schema: { querystring: PaginationQuery } }, async (request) => {
      const page = pagination(request.query);
      const result = await apps.listApps(deps, request.actor, { ...page, limit: page.limit + 1 });
      const presented = result.apps.map((a) => presentApp(links, a));
      return listEnvelope('oauth_apps', presented, page, result.total);
    });
    app.post('/oauth_apps', { schema: { body: AppBody } }, async (request, reply) => {
      const created = await apps.createApp(deps, request.actor, request.body.oauth_app);
      return reply.code(201).send({ oauth_app: presentApp(links, created.app, created.clientSecret) });
    });
    app.get('/oauth_apps/:id', { schema: { params: Params } }, async (request) => ({
      oauth_app: presentApp(links, await apps.getApp(deps, request.actor, request.params.id)),
    }));
    app.put('/oauth_apps/:id', { schema: { params: Params, body: AppBody } }, async (request) => {
      const updated = await apps.updateApp(deps, request.actor, request.params.id, request.body.oauth_app);
      return { oauth_app: presentApp(links, updated) };
    });
    app.delete('/oauth_apps/:id', { schema: { params: Params } }, async (request, reply) => {
      await apps.deleteApp(deps, request.actor, request.params.id);
      return reply.code(204).send();
    });
    app.get('/oauth_apps/:id/integrations', { schema: { params: Params } }, async (request) => {
      const rows = await apps.listAppIntegrations(deps, request.actor, request.params.id);
      return { integrations: rows.map((r) => presentAppIntegration(links, r)) };
    });
    app.delete('/oauth_apps/:id/integrations', { schema: { params: Params } }, async (request, reply) => {
      await apps.removeAppIntegrations(deps, request.actor, request.params.id);
      return reply.code(204).send();
    });

    app.get('/oauth/authorize', { schema: { querystring: AuthorizeQuery } }, async (request) => {
      requireSession(request);
      const checked = await checkAuthorizeRequest(deps.store, request.query);
      const { id, name, description } = checked.app;
      return { app: { id, name, description }, scopes: checked.scopes, redirect_uri: checked.redirectUri };
    });
    app.post('/oauth/authorize', { schema: { body: AuthorizeBody } }, async (request) => {
      const userId = requireSession(request);
      const { decision, ...query } = request.body;
      const checked = await checkAuthorizeRequest(deps.store, { ...query, response_type: 'code' });
      const scope = checked.scopes.join(' ');
      const redirectTo = await authorize({ db: deps.store.db, clock: deps.clock }, userId, {
        ...request.body,
        redirect_uri: checked.redirectUri,
        scope,
        decision,
      });
      return { redirect_to: redirectTo };
    });

    app.get('/install/integration', { schema: { querystring: InstallQuery } }, async (request) => {
      requireSession(request);
      const { app_id: appId, redirect_url: redirectUrl } = request.query;
      if (redirectUrl !== undefined) await checkInstallRequest(deps, appId, redirectUrl);
      const choices = await installChoices(deps, request.actor, appId);
      return {
        app: { id: choices.app.id, name: choices.app.name, description: choices.app.description },
        account: deps.account,
        services: choices.services.map((s) => ({
          id: s.id,
          name: s.name,
          selectable: s.selectable,
          reason: s.reason,
          existing_integration_id: s.existingIntegrationId,
        })),
      };
    });
    app.post('/install/integration', { schema: { body: InstallBody } }, async (request) => {
      requireSession(request);
      const body = request.body;
      const result = await install(deps, request.actor, {
        appId: body.app_id,
        redirectUrl: body.redirect_url,
        serviceIds: body.service_ids,
        state: body.state,
      });
      return { results: result.results, redirect_to: result.redirectTo };
    });
  };
}
