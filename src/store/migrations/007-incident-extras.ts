import { sql, type Kysely } from 'kysely';
import { shortId } from '../../lib/ids.js';
import type { DialectKind } from '../store.js';

/** PagerDuty's default priorities, most urgent first (an account starts with P1–P5). */
const DEFAULT_PRIORITIES = [
  ['P1', 'Critical: a full outage or data loss; all hands.', 'a8171c'],
  ['P2', 'High: a major feature is down or badly degraded.', 'eb6016'],
  ['P3', 'Moderate: a partial degradation with a workaround.', 'f9b406'],
  ['P4', 'Low: a minor problem with little customer impact.', '0d8a43'],
  ['P5', 'Informational: no impact yet; worth a look.', '5d6776'],
] as const;

/**
 * Incident extras of the REST API: priorities (seeded P1–P5), an incident's priority, conference
 * bridge and created-by-REST body details, and incident notes.
 */
export async function up(db: Kysely<unknown>, _dialect: DialectKind): Promise<void> {
  await db.schema
    .createTable('priorities')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('color', 'text', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  const at = new Date().toISOString();
  let position = 0;
  for (const [name, description, color] of DEFAULT_PRIORITIES) {
    position += 1;
    await sql`INSERT INTO priorities (id, name, description, color, position, created_at)
      VALUES (${shortId()}, ${name}, ${description}, ${color}, ${position}, ${at})`.execute(db);
  }
  await db.schema.alterTable('incidents').addColumn('priority_id', 'text').execute();
  await db.schema.alterTable('incidents').addColumn('conference_bridge', 'text').execute();
  await db.schema.alterTable('incidents').addColumn('body_details', 'text').execute();
  await db.schema
    .createTable('incident_notes')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('incident_id', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text')
    .addColumn('agent', 'text', (c) => c.notNull())
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('content', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('incident_notes_incident')
    .on('incident_notes')
    .columns(['incident_id', 'created_at'])
    .execute();
}
