import type { Actor } from '../auth/actor.js';
import { mayConfigure, serviceTeams } from '../auth/team-scope.js';
import type { Clock } from '../lib/clock.js';
import { AppError } from '../lib/errors.js';
import { integrationKey, shortId } from '../lib/ids.js';
import { auditIntegration } from '../services/service-access.js';
import type { Store } from '../store/store.js';
import * as store from './app-integration-store.js';
import { appFromRow, type OAuthApp } from './oauth-app.js';
import { findAppRow } from './oauth-app-store.js';
import {
  installRedirect,
  installRedirectAllowed,
  serviceUnselectableReason,
  type AccountInfo,
  type InstallConfig,
} from './install.js';

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

const NO_RIGHT = 'Your role does not allow adding integrations to this service';

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

/** The outcome for one picked service. */
export interface InstallResult {
  service: { id: string; name: string | null };
  status: 'created' | 'existing' | 'failed';
  reason: string | null;
  integration: { id: string; name: string; integration_key: string } | null;
}

async function installOne(
  deps: InstallDeps,
  actor: Actor,
  app: OAuthApp,
  serviceId: string,
): Promise<InstallResult> {
  const db = deps.store.db;
  const [row] = await store.installServiceRows(db, [serviceId]);
  const failed = (reason: string): InstallResult => ({
    service: { id: serviceId, name: row?.name ?? null },
    status: 'failed',
    reason,
    integration: null,
  });
  if (!row) return failed('The service does not exist');
  const reason = serviceUnselectableReason(row);
  if (reason !== null) return failed(reason);
  if (!(await mayConfigure(db, actor, await serviceTeams(db, row.id)))) return failed(NO_RIGHT);
  const at = deps.clock.now().toISOString();
  return deps.store.transaction(async (tx) => {
    // Two installs of the same app on the same service take turns; the unique index backs this up.
    await tx.lockKeys([`app-integration:${app.id}:${row.id}`]);
    const [found] = await store.appIntegrationRows(tx.db, app.id, [row.id]);
    const service = { id: row.id, name: row.name };
    if (found) {
      const integration = { id: found.id, name: found.name, integration_key: found.integration_key };
      return { service, status: 'existing', reason: null, integration };
    }
    const integration = { id: shortId(), name: app.name, integration_key: integrationKey() };
    const inserted = {
      ...integration,
      service_id: row.id,
      type: 'events_api_v2_inbound_integration',
      config: 'null',
      created_at: at,
      updated_at: at,
      deleted_at: null,
      app_id: app.id,
    };
    await store.insertAppIntegration(tx.db, inserted);
    await auditIntegration(tx, actor, at, 'create', service, null, inserted);
    return { service, status: 'created', reason: null, integration };
  });
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
