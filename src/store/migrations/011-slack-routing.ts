import type { Kysely } from 'kysely';
import type { DialectKind } from '../store.js';

/**
 * Slack routing: a service may name a Slack channel its incidents are posted to (escalation levels
 * keep theirs in the policy's rules JSON, so they need no column).
 */
export async function up(db: Kysely<unknown>, _dialect: DialectKind): Promise<void> {
  await db.schema.alterTable('services').addColumn('slack_channel_id', 'text').execute();
}
