import {
  acknowledgeIncident,
  loadIncidentState,
  resolveIncident,
  type AgentRef,
  type Channel,
} from '../../incidents/transitions.js';
import { roleFromStored } from '../../users/role.js';
import type { WriteTx } from '../../store/write-task.js';

/** What a person can do to an incident from a phone. */
export type Verb = 'acknowledge' | 'resolve';

/** What came of an action on one incident. */
export interface ActResult {
  number: number;
  changed: boolean;
  /** The incident's status after the action (its current state when nothing changed). */
  status: string;
}

/** The person as the agent of an action, or undefined when they are gone or may not act (observers). */
export async function agentOf(tx: WriteTx, userId: string): Promise<AgentRef | undefined> {
  const [user] = await tx.raw.all<{ id: string; name: string; role: string }>(
    `SELECT id, name, role FROM users WHERE id = ? AND deleted_at IS NULL`,
    [userId],
  );
  if (!user || roleFromStored(user.role) === 'observer') return undefined;
  return { id: user.id, type: 'user_reference', summary: user.name };
}

/**
 * Acknowledges or resolves one incident through the same transitions as the REST API, under the
 * incident's row lock, with the person as the agent and the phone channel on the log entry.
 */
export async function actOnIncident(
  tx: WriteTx,
  incidentId: string,
  verb: Verb,
  agent: AgentRef,
  channel: Channel,
  at: string,
): Promise<ActResult | undefined> {
  await tx.raw.run(`UPDATE incidents SET updated_at = updated_at WHERE id = ?`, [incidentId]);
  const state = await loadIncidentState(tx, incidentId);
  if (!state) return undefined;
  const changed =
    verb === 'acknowledge'
      ? await acknowledgeIncident(tx, state, agent, channel, at)
      : await resolveIncident(tx, state, agent, channel, at);
  const [row] = await tx.raw.all<{ incident_number: number; status: string }>(
    `SELECT incident_number, status FROM incidents WHERE id = ?`,
    [incidentId],
  );
  return { number: Number(row!.incident_number), changed, status: row!.status };
}

/** The incident with this number, if any. */
export async function incidentByNumber(tx: WriteTx, number: number): Promise<string | undefined> {
  const [row] = await tx.raw.all<{ id: string }>(`SELECT id FROM incidents WHERE incident_number = ?`, [
    number,
  ]);
  return row?.id;
}

/** The person's open incidents assigned to them: triggered ones to acknowledge, all open ones to resolve. */
export async function assignedOpenIncidents(tx: WriteTx, userId: string, verb: Verb): Promise<string[]> {
  const rows = await tx.raw.all<{ id: string }>(
    `SELECT i.id FROM incidents i JOIN incident_assignments a ON a.incident_id = i.id
     WHERE a.user_id = ? AND ${verb === 'acknowledge' ? `i.status = 'triggered'` : `i.status <> 'resolved'`}
     ORDER BY i.incident_number`,
    [userId],
  );
  return rows.map((r) => r.id);
}
