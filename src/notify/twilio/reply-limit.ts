import type { WriteTx } from '../../store/write-task.js';

/** Replies that change nothing (help, "already resolved") a number gets per window. */
export const MAX_IDLE_REPLIES = 5;
const WINDOW_MS = 3_600_000;

/**
 * Whether a reply that changes nothing may be sent to a number, counting it. Two auto-responders
 * answering each other would otherwise cost money without end; after MAX_IDLE_REPLIES in an hour the
 * number gets silence until the hour has passed or a reply of theirs acts. Kept in `meta` so every
 * node and a restart see the same count.
 */
export async function takeIdleReply(tx: WriteTx, number: string, at: string): Promise<boolean> {
  const key = `sms_idle_replies:${number}`;
  const [row] = await tx.raw.all<{ value: string }>(`SELECT value FROM meta WHERE key = ?`, [key]);
  let state = row ? (JSON.parse(row.value) as { since: string; count: number }) : undefined;
  if (!state || Date.parse(at) - Date.parse(state.since) >= WINDOW_MS) state = { since: at, count: 0 };
  if (state.count >= MAX_IDLE_REPLIES) return false;
  state.count += 1;
  await tx.raw.run(
    `INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
    [key, JSON.stringify(state)],
  );
  return true;
}

/** A reply that acted resets the count. */
export async function resetIdleReplies(tx: WriteTx, number: string): Promise<void> {
  await tx.raw.run(`DELETE FROM meta WHERE key = ?`, [`sms_idle_replies:${number}`]);
}
