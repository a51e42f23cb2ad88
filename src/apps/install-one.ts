import type { Actor } from '../auth/actor.js';
import { mayConfigure, serviceTeams } from '../auth/team-scope.js';
import { integrationKey, shortId } from '../lib/ids.js';
import { auditIntegration } from '../services/service-access.js';
import * as store from './app-integration-store.js';
import { serviceUnselectableReason } from './install.js';
import type { InstallDeps } from './install-service.js';
import type { OAuthApp } from './oauth-app.js';

/** Why a user may not connect a service they cannot configure. */
export const NO_RIGHT = 'Your role does not allow adding integrations to this service';

/** The outcome for one picked service. */
export interface InstallResult {
  service: { id: string; name: string | null };
  status: 'created' | 'existing' | 'failed';
  reason: string | null;
  integration: { id: string; name: string; integration_key: string } | null;
}

/** Connects one picked service: checks it again, then creates or reuses the app's integration. */
export async function installOne(
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
