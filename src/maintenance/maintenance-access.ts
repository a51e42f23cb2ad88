import type { Actor } from '../auth/actor.js';
import { requireTeamScope, serviceTeams } from '../auth/team-scope.js';
import { recordChange } from '../audit/audit-service.js';
import type { AuditAction } from '../audit/audit.js';
import type { MaintenanceWindowsTable } from '../store/database.js';
import type { Store, Tx } from '../store/store.js';
import * as db from './maintenance-window-store.js';

/** Team scoping as for services (docs/roles.md): a manager needs every team of every service touched. */
export async function requireServicesScope(deps: { store: Store }, actor: Actor, serviceIds: string[]) {
  const teams = await Promise.all(serviceIds.map((id) => serviceTeams(deps.store.db, id)));
  await requireTeamScope(deps.store.db, actor, teams.flat());
}

/** A window's audit snapshot: its row and the services it covers. */
export type WindowSnapshot = MaintenanceWindowsTable & { service_ids: string[] };

/**
 * Records a window change in the audit log under each service it covers before or after (so each
 * service's audit trail shows its maintenance), in the caller's transaction.
 */
export async function auditWindow(
  tx: Tx,
  actor: Actor,
  at: string,
  action: AuditAction,
  before: WindowSnapshot | null,
  after: WindowSnapshot | null,
): Promise<void> {
  const w = (after ?? before)!;
  const ids = [...new Set([...(before?.service_ids ?? []), ...(after?.service_ids ?? [])])];
  const names = await db.serviceNames(tx.db, ids);
  const resource = {
    type: 'maintenance_window',
    id: w.id,
    summary: w.description ?? `Maintenance window ${w.sequence_number}`,
  };
  for (const id of ids)
    await recordChange(tx, actor, at, {
      root: { type: 'services', id, summary: names.get(id) ?? id },
      resource,
      action,
      before,
      after,
    });
}
