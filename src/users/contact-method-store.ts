import type { Insertable, Kysely, Selectable, Updateable } from 'kysely';
import type { ContactMethodsTable, Database } from '../store/database.js';

type Db = Kysely<Database>;

/** Live contact methods of the given users, oldest first. */
export async function contactMethodRowsOf(
  db: Db,
  userIds: string[],
): Promise<Selectable<ContactMethodsTable>[]> {
  if (userIds.length === 0) return [];
  return db
    .selectFrom('contact_methods')
    .selectAll()
    .where('user_id', 'in', userIds)
    .where('deleted_at', 'is', null)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

/** A live contact method of a user. */
export async function findContactMethodRow(
  db: Db,
  userId: string,
  id: string,
): Promise<Selectable<ContactMethodsTable> | undefined> {
  return db
    .selectFrom('contact_methods')
    .selectAll()
    .where('id', '=', id)
    .where('user_id', '=', userId)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
}

/** Inserts a contact method row. */
export async function insertContactMethod(db: Db, row: Insertable<ContactMethodsTable>): Promise<void> {
  await db.insertInto('contact_methods').values(row).execute();
}

/** Updates a contact method row. */
export async function updateContactMethodRow(
  db: Db,
  id: string,
  values: Updateable<ContactMethodsTable>,
): Promise<void> {
  await db.updateTable('contact_methods').set(values).where('id', '=', id).execute();
}

/** Soft-deletes a contact method and deletes the notification and handoff rules that use it. */
export async function softDeleteContactMethod(db: Db, id: string, at: string): Promise<void> {
  await db.deleteFrom('notification_rules').where('contact_method_id', '=', id).execute();
  await db.deleteFrom('handoff_notification_rules').where('contact_method_id', '=', id).execute();
  await db
    .updateTable('contact_methods')
    .set({ deleted_at: at, updated_at: at })
    .where('id', '=', id)
    .execute();
}
