import { longId } from '../lib/ids.js';
import type { WriteTx } from '../store/write-task.js';

/**
 * What a timer does when it is due:
 * - `assign`: assign a new incident to the first level of its policy with someone on call.
 * - `escalate`: move an unacknowledged incident to the next level (or loop, or exhaust).
 * - `notify`: produce one notification record of an assignment.
 * - `ack_timeout` / `unsnooze`: return an acknowledged incident to triggered and re-notify.
 * - `auto_resolve`: resolve an incident left open too long.
 * - `handoff_plan` / `handoff_notify`: plan and send on-call handoff notices.
 */
export type TimerKind =
  | 'assign'
  | 'escalate'
  | 'notify'
  | 'ack_timeout'
  | 'unsnooze'
  | 'auto_resolve'
  | 'handoff_plan'
  | 'handoff_notify';

/** Timers that belong to the current assignment: a new assignment, an ack or a resolve ends them. */
export const assignmentTimers: readonly TimerKind[] = ['assign', 'escalate', 'notify'];

/** A timer to insert. */
export interface NewTimer {
  kind: TimerKind;
  incidentId: string | null;
  dueAt: string;
  payload?: Record<string, unknown>;
  /** Makes the insert idempotent: a second timer with the same key is not added. */
  dedupKey?: string;
}

/** Inserts a timer (in the caller's transaction); with a dedup key, an existing one wins. */
export async function insertTimer(tx: WriteTx, timer: NewTimer, at: string): Promise<void> {
  await tx.raw.run(
    `INSERT INTO timers (id, kind, incident_id, due_at, payload, attempts, dedup_key, created_at)
     VALUES (?, ?, ?, ?, ?, 0, ?, ?) ON CONFLICT DO NOTHING`,
    [
      longId(),
      timer.kind,
      timer.incidentId,
      timer.dueAt,
      JSON.stringify(timer.payload ?? {}),
      timer.dedupKey ?? null,
      at,
    ],
  );
}

/** Deletes an incident's pending timers of the given kinds (all kinds when omitted). */
export async function deleteIncidentTimers(
  tx: WriteTx,
  incidentId: string,
  kinds?: readonly TimerKind[],
): Promise<number> {
  if (!kinds) return tx.raw.run(`DELETE FROM timers WHERE incident_id = ?`, [incidentId]);
  const marks = kinds.map(() => '?').join(', ');
  return tx.raw.run(`DELETE FROM timers WHERE incident_id = ? AND kind IN (${marks})`, [
    incidentId,
    ...kinds,
  ]);
}

/** An ISO instant `seconds` after `at`. */
export function after(at: string, seconds: number): string {
  return new Date(Date.parse(at) + seconds * 1000).toISOString();
}
