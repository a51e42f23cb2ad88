import type { Actor } from '../auth/actor.js';
import { recordChange } from '../audit/audit-service.js';
import type { AuditAction, AuditResource } from '../audit/audit.js';
import type { Tx } from '../store/store.js';

type Snapshot = object;

/** Records a change of a user, or of something of theirs (`resource`), under the user (caller's transaction). */
export async function auditUser(
  tx: Tx,
  actor: Actor,
  at: string,
  user: { id: string; name: string },
  change: { action: AuditAction; resource?: AuditResource; before: Snapshot | null; after: Snapshot | null },
): Promise<void> {
  await recordChange(tx, actor, at, { root: { type: 'users', id: user.id, summary: user.name }, ...change });
}

/** Records a change of a team, or of a membership (`resource` the user, field `team_role`). */
export async function auditTeam(
  tx: Tx,
  actor: Actor,
  at: string,
  team: { id: string; name: string },
  change: { action: AuditAction; resource?: AuditResource; before: object | null; after: object | null },
): Promise<void> {
  await recordChange(tx, actor, at, { root: { type: 'teams', id: team.id, summary: team.name }, ...change });
}
