import type { Kysely } from 'kysely';
import type { Database } from '../store/database.js';
import type { Store } from '../store/store.js';

/** Failures allowed before back-off starts, per account and per client address (shared NATs: more). */
export const FREE_FAILURES = { email: 5, ip: 20 } as const;

/** The first back-off; each further failure doubles it, up to the cap. */
export const BACKOFF_BASE_MS = 30_000;
export const BACKOFF_CAP_MS = 15 * 60_000;

/** A counter with no failure for this long starts again from zero. */
export const FORGET_AFTER_MS = 3600_000;

/** Whose failures a counter counts. */
export type FailureKey = { kind: 'email' | 'ip'; value: string };

const keyOf = (k: FailureKey) => `${k.kind}:${k.kind === 'email' ? k.value.trim().toLowerCase() : k.value}`;

/** How long a counter with `failures` failures blocks after its last one (0: not at all). */
export function backoffMs(kind: FailureKey['kind'], failures: number): number {
  const over = failures - FREE_FAILURES[kind];
  if (over < 0) return 0;
  return Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** Math.min(over, 20));
}

/** Milliseconds until every key may try again (0 when none is blocked). */
export async function blockedForMs(db: Kysely<Database>, keys: FailureKey[], now: Date): Promise<number> {
  const rows = await db
    .selectFrom('auth_failures')
    .select('locked_until')
    .where('key', 'in', keys.map(keyOf))
    .execute();
  const until = Math.max(0, ...rows.map((r) => (r.locked_until ? Date.parse(r.locked_until) : 0)));
  return Math.max(0, until - now.getTime());
}

/**
 * Counts a failed attempt against each key, in one transaction with per-key locks so that nodes racing
 * on one account count every failure.
 */
export async function recordFailure(store: Store, keys: FailureKey[], now: Date): Promise<void> {
  const at = now.toISOString();
  await store.transaction(async (tx) => {
    await tx.lockKeys(keys.map((k) => `auth-failure:${keyOf(k)}`));
    for (const k of keys) {
      const key = keyOf(k);
      const row = await tx.db
        .selectFrom('auth_failures')
        .selectAll()
        .where('key', '=', key)
        .executeTakeFirst();
      const fresh = row && now.getTime() - Date.parse(row.last_failure_at) < FORGET_AFTER_MS;
      const failures = (fresh ? row.failures : 0) + 1;
      const wait = backoffMs(k.kind, failures);
      const values = {
        failures,
        last_failure_at: at,
        locked_until: wait > 0 ? new Date(now.getTime() + wait).toISOString() : null,
      };
      if (row) await tx.db.updateTable('auth_failures').set(values).where('key', '=', key).execute();
      else
        await tx.db
          .insertInto('auth_failures')
          .values({ key, ...values })
          .execute();
    }
  });
}

/** Forgets the failures of a key (a successful sign-in or a completed password reset). */
export async function clearFailures(db: Kysely<Database>, key: FailureKey): Promise<void> {
  await db.deleteFrom('auth_failures').where('key', '=', keyOf(key)).execute();
}
