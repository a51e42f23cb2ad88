import type { WriteTx } from './write-task.js';

/** A timer row as the engine claims it. */
export interface ClaimedTimer {
  id: string;
  kind: string;
  incident_id: string | null;
  due_at: string;
  payload: string;
  attempts: number;
}

const TIMER_COLUMNS = 't.id, t.kind, t.incident_id, t.due_at, t.payload, t.attempts';

/**
 * Lists up to `limit` timers due at `now`, oldest first. The engine then takes each one's incident lock
 * (or, for timers of no incident, the timer's own row) without waiting, so every lock is taken in one
 * order (incident, then its timers) by the engine and by acknowledgements.
 *
 * On PostgreSQL the incidents of the listed timers are locked here already, skipping those another
 * node holds: otherwise every node lists the same oldest timers, and while one node works through
 * them the others fail a lock round trip per timer and list them again every few ms instead of taking
 * the next ones (docs/decisions.md, "The engine (multi-node)").
 */
export async function dueTimers(tx: WriteTx, now: string, limit: number): Promise<ClaimedTimer[]> {
  if (tx.dialect !== 'postgres')
    return tx.raw.all<ClaimedTimer>(
      `SELECT ${TIMER_COLUMNS} FROM timers t WHERE t.due_at <= ? ORDER BY t.due_at, t.id LIMIT ?`,
      [now, limit],
    );
  const ofIncidents = await tx.raw.all<ClaimedTimer>(
    `SELECT ${TIMER_COLUMNS} FROM timers t JOIN incidents i ON i.id = t.incident_id
     WHERE t.due_at <= ? ORDER BY t.due_at, t.id LIMIT ? FOR UPDATE OF i SKIP LOCKED`,
    [now, limit],
  );
  const ofNone = await tx.raw.all<ClaimedTimer>(
    `SELECT ${TIMER_COLUMNS} FROM timers t WHERE t.incident_id IS NULL AND t.due_at <= ?
     ORDER BY t.due_at, t.id LIMIT ?`,
    [now, limit],
  );
  if (ofNone.length === 0) return ofIncidents;
  const key = (t: ClaimedTimer) => `${t.due_at} ${t.id}`;
  return [...ofIncidents, ...ofNone].sort((a, b) => (key(a) < key(b) ? -1 : 1)).slice(0, limit);
}

/** Locks a timer of no incident for the rest of the transaction without waiting; false when taken. */
export async function tryLockTimer(tx: WriteTx, timerId: string): Promise<boolean> {
  const lock = tx.dialect === 'postgres' ? ' FOR UPDATE SKIP LOCKED' : '';
  const rows = await tx.raw.all<{ id: string }>(`SELECT id FROM timers WHERE id = ?${lock}`, [timerId]);
  return rows.length > 0;
}

/**
 * Locks an incident row for the rest of the transaction without waiting. False when another
 * transaction holds it (a concurrent acknowledge, say): the caller leaves its work for a later pass,
 * which also means the engine never waits on a lock while holding others (no deadlocks).
 */
export async function tryLockIncident(tx: WriteTx, incidentId: string): Promise<boolean> {
  const lock = tx.dialect === 'postgres' ? ' FOR UPDATE SKIP LOCKED' : '';
  const rows = await tx.raw.all<{ id: string }>(`SELECT id FROM incidents WHERE id = ?${lock}`, [incidentId]);
  return rows.length > 0;
}

/** Runs `work` inside a savepoint: when it throws, only its own changes are rolled back. */
export async function withSavepoint<T>(tx: WriteTx, name: string, work: () => Promise<T>): Promise<T> {
  await tx.raw.run(`SAVEPOINT ${name}`, []);
  try {
    const result = await work();
    await tx.raw.run(`RELEASE SAVEPOINT ${name}`, []);
    return result;
  } catch (error) {
    await tx.raw.run(`ROLLBACK TO SAVEPOINT ${name}`, []);
    await tx.raw.run(`RELEASE SAVEPOINT ${name}`, []);
    throw error;
  }
}
