import type { Kysely } from 'kysely';
import type { Database, IncidentNotesTable } from '../store/database.js';

/** An incident's notes, oldest first. */
export async function listNotes(db: Kysely<Database>, incidentId: string): Promise<IncidentNotesTable[]> {
  return db
    .selectFrom('incident_notes')
    .selectAll()
    .where('incident_id', '=', incidentId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

/** How many notes an incident has. */
export async function countNotes(db: Kysely<Database>, incidentId: string): Promise<number> {
  const row = await db
    .selectFrom('incident_notes')
    .select((eb) => eb.fn.countAll().as('n'))
    .where('incident_id', '=', incidentId)
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

/** Adds a note. */
export async function insertNote(db: Kysely<Database>, note: IncidentNotesTable): Promise<void> {
  await db.insertInto('incident_notes').values(note).execute();
}
