import type { Kysely, Updateable } from 'kysely';
import type { Database, OAuthAppsTable } from '../store/database.js';

type Db = Kysely<Database>;

/** Inserts an app row. */
export async function insertApp(db: Db, row: OAuthAppsTable): Promise<void> {
  await db.insertInto('oauth_apps').values(row).execute();
}

/** A live (not deleted) app by id. */
export async function findAppRow(db: Db, id: string): Promise<OAuthAppsTable | undefined> {
  return db
    .selectFrom('oauth_apps')
    .selectAll()
    .where('id', '=', id)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
}

/** A live app by its OAuth client id. */
export async function findAppRowByClientId(db: Db, clientId: string): Promise<OAuthAppsTable | undefined> {
  return db
    .selectFrom('oauth_apps')
    .selectAll()
    .where('client_id', '=', clientId)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
}

/** A page of live apps by name (`limit` rows as asked). */
export async function listAppRows(
  db: Db,
  page: { limit: number; offset: number },
): Promise<OAuthAppsTable[]> {
  return db
    .selectFrom('oauth_apps')
    .selectAll()
    .where('deleted_at', 'is', null)
    .orderBy('name')
    .orderBy('id')
    .limit(page.limit)
    .offset(page.offset)
    .execute();
}

/** How many live apps there are. */
export async function countApps(db: Db): Promise<number> {
  const row = await db
    .selectFrom('oauth_apps')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

/** Updates a live app row (also soft-deletes it via `deleted_at`). */
export async function updateAppRow(db: Db, id: string, values: Updateable<OAuthAppsTable>): Promise<void> {
  await db
    .updateTable('oauth_apps')
    .set(values)
    .where('id', '=', id)
    .where('deleted_at', 'is', null)
    .execute();
}
