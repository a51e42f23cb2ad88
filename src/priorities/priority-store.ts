import type { Kysely } from 'kysely';
import type { Database, PrioritiesTable } from '../store/database.js';

/** Every priority, most urgent first. */
export async function listPriorities(db: Kysely<Database>): Promise<PrioritiesTable[]> {
  return db.selectFrom('priorities').selectAll().orderBy('position').orderBy('id').execute();
}

/** One priority by id, or by name (PagerDuty accepts either in `PUT /incidents`). */
export async function findPriority(
  db: Kysely<Database>,
  by: { id?: string; name?: string },
): Promise<PrioritiesTable | undefined> {
  if (by.id !== undefined)
    return db.selectFrom('priorities').selectAll().where('id', '=', by.id).executeTakeFirst();
  if (by.name !== undefined)
    return db.selectFrom('priorities').selectAll().where('name', '=', by.name).executeTakeFirst();
  return undefined;
}

/** Priorities by id (for a page of incidents). */
export async function prioritiesById(
  db: Kysely<Database>,
  ids: readonly string[],
): Promise<Map<string, PrioritiesTable>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .selectFrom('priorities')
    .selectAll()
    .where('id', 'in', [...new Set(ids)])
    .execute();
  return new Map(rows.map((r) => [r.id, r]));
}
