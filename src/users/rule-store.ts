import type { Kysely, Updateable } from 'kysely';
import type { Database, HandoffNotificationRulesTable, NotificationRulesTable } from '../store/database.js';

type Db = Kysely<Database>;

/** Notification rules of the given users, by urgency then delay (optionally of one urgency). */
export async function notificationRuleRowsOf(
  db: Db,
  userIds: string[],
  urgency?: 'high' | 'low',
): Promise<NotificationRulesTable[]> {
  if (userIds.length === 0) return [];
  let q = db.selectFrom('notification_rules').selectAll().where('user_id', 'in', userIds);
  if (urgency !== undefined) q = q.where('urgency', '=', urgency);
  return q.orderBy('urgency').orderBy('start_delay_in_minutes').orderBy('created_at').orderBy('id').execute();
}

/** One notification rule of a user. */
export async function findNotificationRuleRow(
  db: Db,
  userId: string,
  id: string,
): Promise<NotificationRulesTable | undefined> {
  return db
    .selectFrom('notification_rules')
    .selectAll()
    .where('id', '=', id)
    .where('user_id', '=', userId)
    .executeTakeFirst();
}

/** Inserts a notification rule row. */
export async function insertNotificationRule(db: Db, row: NotificationRulesTable): Promise<void> {
  await db.insertInto('notification_rules').values(row).execute();
}

/** Updates a notification rule row. */
export async function updateNotificationRuleRow(
  db: Db,
  id: string,
  values: Updateable<NotificationRulesTable>,
): Promise<void> {
  await db.updateTable('notification_rules').set(values).where('id', '=', id).execute();
}

/** Deletes a notification rule. */
export async function deleteNotificationRule(db: Db, id: string): Promise<void> {
  await db.deleteFrom('notification_rules').where('id', '=', id).execute();
}

/** Handoff rules of a user, oldest first. */
export async function handoffRuleRowsOf(db: Db, userId: string): Promise<HandoffNotificationRulesTable[]> {
  return db
    .selectFrom('handoff_notification_rules')
    .selectAll()
    .where('user_id', '=', userId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

/** One handoff rule of a user. */
export async function findHandoffRuleRow(
  db: Db,
  userId: string,
  id: string,
): Promise<HandoffNotificationRulesTable | undefined> {
  return db
    .selectFrom('handoff_notification_rules')
    .selectAll()
    .where('id', '=', id)
    .where('user_id', '=', userId)
    .executeTakeFirst();
}

/** Inserts a handoff rule row. */
export async function insertHandoffRule(db: Db, row: HandoffNotificationRulesTable): Promise<void> {
  await db.insertInto('handoff_notification_rules').values(row).execute();
}

/** Updates a handoff rule row. */
export async function updateHandoffRuleRow(
  db: Db,
  id: string,
  values: Updateable<HandoffNotificationRulesTable>,
): Promise<void> {
  await db.updateTable('handoff_notification_rules').set(values).where('id', '=', id).execute();
}

/** Deletes a handoff rule. */
export async function deleteHandoffRule(db: Db, id: string): Promise<void> {
  await db.deleteFrom('handoff_notification_rules').where('id', '=', id).execute();
}
