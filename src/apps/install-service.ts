import type { Actor } from '../auth/actor.js';
import { mayConfigure, serviceTeams } from '../auth/team-scope.js';
import type { Clock } from '../lib/clock.js';
import { AppError } from '../lib/errors.js';
import type { Store } from '../store/store.js';
import * as store from './app-integration-store.js';
import { appFromRow, type OAuthApp } from './oauth-app.js';
import { findAppRow } from './oauth-app-store.js';
import { installOne, NO_RIGHT, type InstallResult } from './install-one.js';
import {
  installRedirect,
  installRedirectAllowed,
  serviceUnselectableReason,
  type AccountInfo,
  type InstallConfig,
} from './install.js';

export type { InstallResult } from './install-one.js';

/** What the install flow needs. */
export interface InstallDeps {
  store: Store;
  clock: Clock;
  account: AccountInfo;
}

/** A service on the install page. */
export interface InstallChoice {
  id: string;
  name: string;
  selectable: boolean;
  reason: string | null;
  /** The app's integration on this service, when it has one already. */
  existingIntegrationId: string | null;
}

/** A live app by id, or 404. */
export async function liveApp(deps: { store: Store }, appId: string): Promise<OAuthApp> {
  const row = await findAppRow(deps.store.db, appId);
  if (!row) throw new AppError('notFound', [`App ${appId} not found`]);
  return appFromRow(row);
}

/** Checks the app and the redirect URL of an install request; 400/404 when they do not fit. */
export async function checkInstallRequest(deps: { store: Store }, appId: string, redirectUrl: string) {
  const app = await liveApp(deps, appId);
  if (!installRedirectAllowed(app, redirectUrl))
    throw new AppError('invalidInput', ['redirect_url is not one of the app’s redirect URIs']);
  return app;
}

/** The services the actor might connect, each selectable or not with the reason. */
export async function installChoices(
  deps: InstallDeps,
  actor: Actor,
  appId: string,
): Promise<{ app: OAuthApp; services: InstallChoice[] }> {
  const app = await liveApp(deps, appId);
  const db = deps.store.db;
  const [rows, existing] = await Promise.all([
    store.installServiceRows(db),
    store.appIntegrationRows(db, app.id),
  ]);
  const services = await Promise.all(
    rows.map(async (row): Promise<InstallChoice> => {
      const reason =
        serviceUnselectableReason(row) ??
        ((await mayConfigure(db, actor, await serviceTeams(db, row.id))) ? null : NO_RIGHT);
      const integration = existing.find((i) => i.service_id === row.id);
      return {
        id: row.id,
        name: row.name,
        selectable: reason === null,
        reason,
        existingIntegrationId: integration?.id ?? null,
      };
    }),
  );
  return { app, services };
}

/** What the install page posts. */
export interface InstallRequest {
  appId: string;
  redirectUrl: string;
  serviceIds: string[];
  state?: string | undefined;
}

/**
 * Creates (or reuses) one Events API v2 integration of the app per picked service and answers where the
 * browser goes next: the app's redirect URL with the keys of every service that worked.
 */
export async function install(
  deps: InstallDeps,
  actor: Actor,
  request: InstallRequest,
): Promise<{ results: InstallResult[]; redirectTo: string }> {
  const app = await checkInstallRequest(deps, request.appId, request.redirectUrl);
  const ids = [...new Set(request.serviceIds)];
  if (ids.length === 0) throw new AppError('invalidInput', ['service_ids must name at least one service']);
  const results: InstallResult[] = [];
  for (const id of ids) results.push(await installOne(deps, actor, app, id));
  const config: InstallConfig = {
    integration_keys: results.flatMap((r) =>
      r.integration
        ? [
            // `name` is the service's name: that is what consumers (Sentry) show and store.
            {
              integration_key: r.integration.integration_key,
              name: r.service.name ?? r.integration.name,
              id: r.integration.id,
              type: 'service' as const,
            },
          ]
        : [],
    ),
    account: deps.account,
  };
  return { results, redirectTo: installRedirect(request.redirectUrl, config, request.state) };
}
