import type { Actor } from '../auth/actor.js';
import { requireTeamScope, serviceTeams } from '../auth/team-scope.js';
import { recordChange } from '../audit/audit-service.js';
import type { AuditAction } from '../audit/audit.js';
import type { Store, Tx } from '../store/store.js';
import type { SubscriptionRow } from './subscription-store.js';

/*
 * Team scoping (docs/roles.md): a subscription belongs to the team it filters on, or to the team of the
 * service it filters on; an account-wide one belongs to no team (any manager).
 */
async function filterTeams(store: Store, filter: { type: string; id: string | null }) {
  if (filter.id === null) return [];
  if (filter.type === 'team_reference') return [filter.id];
  if (filter.type === 'service_reference') return serviceTeams(store.db, filter.id);
  return [];
}

/** Throws 403 unless the actor may change subscriptions with these filters (see above). */
export async function requireScope(
  store: Store,
  actor: Actor,
  ...filters: { type: string; id: string | null }[]
) {
  const teams = await Promise.all(filters.map((f) => filterTeams(store, f)));
  await requireTeamScope(store.db, actor, teams.flat());
}

/** Records a change of a subscription (in the caller's transaction). */
export async function audit(
  tx: Tx,
  actor: Actor,
  at: string,
  action: AuditAction,
  before: SubscriptionRow | null,
  after: SubscriptionRow | null,
) {
  const s = (after ?? before)!;
  const root = { type: 'webhook_subscriptions' as const, id: s.id, summary: s.description ?? s.url };
  await recordChange(tx, actor, at, { root, action, before, after });
}
