import type { WriteTx } from '../store/write-task.js';
import { parseRules, type EscalationRule } from './escalation-policy.js';

/** An incident as its escalation needs it, with its service's timeouts. */
export interface EscalationIncident {
  id: string;
  incident_number: number;
  title: string;
  service_id: string;
  service_name: string;
  status: string;
  urgency: string;
  escalation_policy_id: string | null;
  escalation_level: number;
  escalation_loops: number;
  assigned_via: string | null;
  assignment_seq: number;
  acknowledgements: string;
  acknowledgement_timeout: number | null;
  auto_resolve_timeout: number | null;
}

/** Reads an incident's escalation state. */
export async function loadEscalationIncident(
  tx: WriteTx,
  incidentId: string,
): Promise<EscalationIncident | undefined> {
  const rows = await tx.raw.all<EscalationIncident>(
    `SELECT i.id, i.incident_number, i.title, i.service_id, s.name AS service_name, i.status, i.urgency,
       i.escalation_policy_id, i.escalation_level, i.escalation_loops, i.assigned_via, i.assignment_seq,
       i.acknowledgements, s.acknowledgement_timeout, s.auto_resolve_timeout
     FROM incidents i JOIN services s ON s.id = i.service_id WHERE i.id = ?`,
    [incidentId],
  );
  const row = rows[0];
  return (
    row && {
      ...row,
      assignment_seq: Number(row.assignment_seq),
      incident_number: Number(row.incident_number),
    }
  );
}

/** A live escalation policy with its parsed rules. */
export interface LoadedPolicy {
  id: string;
  name: string;
  num_loops: number;
  rules: EscalationRule[];
}

/** Reads a live escalation policy. */
export async function loadPolicy(tx: WriteTx, policyId: string | null): Promise<LoadedPolicy | undefined> {
  if (policyId === null) return undefined;
  const rows = await tx.raw.all<{ id: string; name: string; num_loops: number; rules: string }>(
    `SELECT id, name, num_loops, rules FROM escalation_policies WHERE id = ? AND deleted_at IS NULL`,
    [policyId],
  );
  const row = rows[0];
  return (
    row && { id: row.id, name: row.name, num_loops: Number(row.num_loops), rules: parseRules(row.rules) }
  );
}

/** Where an assignment puts the incident. */
export interface AssignmentTarget {
  level: number;
  loops: number;
  via: 'escalation_policy' | 'direct_assignment' | null;
  userIds: readonly string[];
}

/** Replaces an incident's assignees and escalation position; returns the new assignment sequence. */
export async function writeAssignment(
  tx: WriteTx,
  incidentId: string,
  target: AssignmentTarget,
  at: string,
): Promise<number> {
  const rows = await tx.raw.all<{ assignment_seq: number }>(
    `UPDATE incidents SET escalation_level = ?, escalation_loops = ?, assigned_via = ?,
       assignment_seq = assignment_seq + 1, updated_at = ? WHERE id = ? RETURNING assignment_seq`,
    [target.level, target.loops, target.via, at, incidentId],
  );
  await tx.raw.run(`DELETE FROM incident_assignments WHERE incident_id = ?`, [incidentId]);
  for (const userId of target.userIds)
    await tx.raw.run(
      `INSERT INTO incident_assignments (incident_id, user_id, assigned_at) VALUES (?, ?, ?)`,
      [incidentId, userId, at],
    );
  return Number(rows[0]?.assignment_seq ?? 0);
}

/** Names of users, by id (for log entries). */
export async function userNames(tx: WriteTx, userIds: readonly string[]): Promise<Map<string, string>> {
  if (userIds.length === 0) return new Map();
  const rows = await tx.raw.all<{ id: string; name: string }>(
    `SELECT id, name FROM users WHERE id IN (${userIds.map(() => '?').join(', ')})`,
    [...userIds],
  );
  return new Map(rows.map((r) => [r.id, r.name]));
}

/** Users of the unassigned fallback: the named emails, or every live admin when none are named. */
export async function fallbackUsers(tx: WriteTx, emails: readonly string[]): Promise<string[]> {
  const rows =
    emails.length === 0
      ? await tx.raw.all<{ id: string }>(
          `SELECT id FROM users WHERE role = 'admin' AND deleted_at IS NULL ORDER BY created_at, id`,
          [],
        )
      : await tx.raw.all<{ id: string }>(
          `SELECT id FROM users WHERE lower(email) IN (${emails.map(() => '?').join(', ')}) AND deleted_at IS NULL`,
          emails.map((e) => e.toLowerCase()),
        );
  return rows.map((r) => r.id);
}
