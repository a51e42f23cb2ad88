import type { Actor } from '../auth/actor.js';
import { policyTeams, requireTeamScope, serviceTeams } from '../auth/team-scope.js';
import { recordChange } from '../audit/audit-service.js';
import type { AuditAction } from '../audit/audit.js';
import type { IntegrationsTable } from '../store/database.js';
import type { Store, Tx } from '../store/store.js';

/**
 * Team scoping of services (docs/roles.md): a service belongs to its escalation policy's team. Changing
 * it needs the right on its current teams and, when the policy changes, on the new policy's teams too
 * (a manager may neither take a service from another team nor hand theirs to one).
 */
export async function requireServiceScope(
  store: Store,
  actor: Actor,
  serviceId: string | null,
  newPolicyId?: string | null,
): Promise<void> {
  const current = serviceId === null ? [] : await serviceTeams(store.db, serviceId);
  const next = newPolicyId === undefined ? [] : await policyTeams(store.db, newPolicyId);
  await requireTeamScope(store.db, actor, [...current, ...next]);
}

/** A service snapshot for the audit log: its row columns and id. */
type ServiceSnapshot = { id: string; name: string } & object;

/** Records a change of a service (in the caller's transaction). */
export async function auditService(
  tx: Tx,
  actor: Actor,
  at: string,
  action: AuditAction,
  before: ServiceSnapshot | null,
  after: ServiceSnapshot | null,
): Promise<void> {
  const s = (after ?? before)!;
  await recordChange(tx, actor, at, {
    root: { type: 'services', id: s.id, summary: s.name },
    action,
    before,
    after,
  });
}

/** Records a change of an integration under its service (in the caller's transaction). */
export async function auditIntegration(
  tx: Tx,
  actor: Actor,
  at: string,
  action: AuditAction,
  service: { id: string; name: string },
  before: IntegrationsTable | null,
  after: IntegrationsTable | null,
): Promise<void> {
  const i = (after ?? before)!;
  await recordChange(tx, actor, at, {
    root: { type: 'services', id: service.id, summary: service.name },
    resource: { type: 'integration', id: i.id, summary: i.name },
    action,
    before,
    after,
  });
}
