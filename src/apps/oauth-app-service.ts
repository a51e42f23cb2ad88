import type { Actor } from '../auth/actor.js';
import { hashToken } from '../auth/token-store.js';
import type { Clock } from '../lib/clock.js';
import { AppError } from '../lib/errors.js';
import { secretToken, shortId } from '../lib/ids.js';
import { auditIntegration } from '../services/service-access.js';
import type { Store } from '../store/store.js';
import { appFromRow, validateAppInput, type OAuthApp } from './oauth-app.js';
import * as db from './oauth-app-store.js';
import { revokeAppTokens } from './oauth-token-store.js';
import { appIntegrationRows, deleteAppIntegrations } from './app-integration-store.js';

/** What the app rules need. */
export interface AppDeps {
  store: Store;
  clock: Clock;
}

/** Only admins register and change apps: an app can act for anyone who authorizes it. */
function requireAdmin(actor: Actor): void {
  if (actor.readOnly || actor.role !== 'admin') throw new AppError('forbidden');
}

/** One live app. */
export async function getApp(deps: AppDeps, actor: Actor, id: string): Promise<OAuthApp> {
  requireAdmin(actor);
  const row = await db.findAppRow(deps.store.db, id);
  if (!row) throw new AppError('notFound');
  return appFromRow(row);
}

/** A page of live apps (`limit` rows as asked), plus the total when asked. */
export async function listApps(
  deps: AppDeps,
  actor: Actor,
  page: { limit: number; offset: number; total: boolean },
): Promise<{ apps: OAuthApp[]; total: number | null }> {
  requireAdmin(actor);
  const rows = await db.listAppRows(deps.store.db, page);
  return { apps: rows.map(appFromRow), total: page.total ? await db.countApps(deps.store.db) : null };
}

/** Registers an app; the client secret (confidential apps) is returned here once and stored hashed. */
export async function createApp(
  deps: AppDeps,
  actor: Actor,
  input: Record<string, unknown>,
): Promise<{ app: OAuthApp; clientSecret: string | null }> {
  requireAdmin(actor);
  const settings = validateAppInput(input);
  const at = deps.clock.now().toISOString();
  const id = shortId();
  const clientSecret = settings.clientType === 'confidential' ? `tcs_${secretToken(32)}` : null;
  await db.insertApp(deps.store.db, {
    id,
    name: settings.name,
    description: settings.description,
    client_id: `tci_${secretToken(16)}`,
    client_secret_hash: clientSecret === null ? null : hashToken(clientSecret),
    client_type: settings.clientType,
    redirect_uris: JSON.stringify(settings.redirectUris),
    scopes: JSON.stringify(settings.scopes),
    created_at: at,
    updated_at: at,
    deleted_at: null,
  });
  return { app: await getApp(deps, actor, id), clientSecret };
}

/** Changes an app's name, description, redirect URIs or scopes (tokens already granted keep theirs). */
export async function updateApp(
  deps: AppDeps,
  actor: Actor,
  id: string,
  input: Record<string, unknown>,
): Promise<OAuthApp> {
  const current = await getApp(deps, actor, id);
  const settings = validateAppInput(input, current);
  await db.updateAppRow(deps.store.db, id, {
    name: settings.name,
    description: settings.description,
    redirect_uris: JSON.stringify(settings.redirectUris),
    scopes: JSON.stringify(settings.scopes),
    updated_at: deps.clock.now().toISOString(),
  });
  return getApp(deps, actor, id);
}

/**
 * Deletes an app and revokes every token it holds. Integrations it created keep routing events (they are
 * the monitoring's lifeline); remove them with DELETE /oauth_apps/{id}/integrations.
 */
export async function deleteApp(deps: AppDeps, actor: Actor, id: string): Promise<void> {
  await getApp(deps, actor, id);
  const at = deps.clock.now().toISOString();
  await deps.store.transaction(async (tx) => {
    await db.updateAppRow(tx.db, id, { deleted_at: at, updated_at: at });
    await revokeAppTokens(tx.db, id, at);
  });
}

/** An app's live integrations, each with its service's name. */
export async function listAppIntegrations(deps: AppDeps, actor: Actor, id: string) {
  await getApp(deps, actor, id);
  return appIntegrationRows(deps.store.db, id);
}

/** Removes every integration the app was given, together; their keys stop routing events. */
export async function removeAppIntegrations(deps: AppDeps, actor: Actor, id: string): Promise<number> {
  await getApp(deps, actor, id);
  const at = deps.clock.now().toISOString();
  return deps.store.transaction(async (tx) => {
    const rows = await appIntegrationRows(tx.db, id);
    for (const { service_name: name, ...before } of rows)
      await auditIntegration(tx, actor, at, 'delete', { id: before.service_id, name }, before, null);
    return deleteAppIntegrations(tx.db, id, at);
  });
}
