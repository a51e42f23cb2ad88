import type { Kysely } from 'kysely';
import type { Database } from '../store/database.js';
import { integrationFromRow, type Integration } from './integration.js';

/** A live integration (its service not deleted) by its integration key. */
export async function findIntegrationByKey(
  db: Kysely<Database>,
  key: string,
): Promise<Integration | undefined> {
  const row = await db
    .selectFrom('integrations as i')
    .innerJoin('services as s', 's.id', 'i.service_id')
    .selectAll('i')
    .where('i.integration_key', '=', key)
    .where('i.deleted_at', 'is', null)
    .where('s.deleted_at', 'is', null)
    .executeTakeFirst();
  return row && integrationFromRow(row);
}
