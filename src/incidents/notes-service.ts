import { canRespond, type Actor } from '../auth/actor.js';
import { AppError } from '../lib/errors.js';
import { longId } from '../lib/ids.js';
import type { IncidentNotesTable } from '../store/database.js';
import { agentFor } from './incident-agent.js';
import type { IncidentActionDeps } from './incident-service.js';
import * as incidents from './incident-store.js';
import { insertLogEntry } from './ingest-store.js';
import { countNotes, insertNote } from './notes-store.js';

/** PagerDuty's cap on the notes of one incident. */
export const MAX_NOTES_PER_INCIDENT = 2000;
/** The longest note Tocsin keeps (PagerDuty documents none; this bounds a row and a webhook body). */
export const MAX_NOTE_LENGTH = 25_000;

/**
 * Adds a note to an incident (open or resolved). In the same transaction it writes the
 * `annotate_log_entry` (whose id the note shares, so `incident.annotated` webhooks carry the note's id)
 * and, through the log entry, the `incident.annotated` outbox rows.
 */
export async function addNote(
  deps: IncidentActionDeps,
  actor: Actor,
  from: string | undefined,
  idOrNumber: string,
  content: string,
): Promise<IncidentNotesTable> {
  if (!canRespond(actor)) throw new AppError('forbidden');
  if (content.trim() === '') throw new AppError('invalidInput', ['Note content must not be empty']);
  if (content.length > MAX_NOTE_LENGTH)
    throw new AppError('invalidInput', [`Note content must be at most ${MAX_NOTE_LENGTH} characters`]);
  const agent = await agentFor(deps.store.db, actor, from);
  const at = deps.clock.now().toISOString();
  return deps.store.transaction(async (tx) => {
    const found = await incidents.findIncident(tx.db, idOrNumber);
    if (!found) throw new AppError('notFound');
    await incidents.lockIncident(tx.db, found.id);
    if ((await countNotes(tx.db, found.id)) >= MAX_NOTES_PER_INCIDENT)
      throw new AppError('invalidInput', [`An incident can have at most ${MAX_NOTES_PER_INCIDENT} notes`]);
    const channel = { type: 'api', summary: 'The API' };
    const note: IncidentNotesTable = {
      id: longId(),
      incident_id: found.id,
      user_id: agent.type === 'user_reference' ? agent.id : null,
      agent: JSON.stringify(agent),
      channel: JSON.stringify(channel),
      content,
      created_at: at,
    };
    await insertNote(tx.db, note);
    await insertLogEntry(tx, {
      id: note.id,
      type: 'annotate_log_entry',
      incidentId: found.id,
      alertId: null,
      serviceId: found.service_id,
      at,
      channel: note.channel,
      agent: note.agent,
      summary: `Note added by ${agent.summary}.`,
      note: content,
    });
    return note;
  });
}
