import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { Links } from '../http/rest.js';
import type { DomainRoutesDeps } from '../http/routes-deps.js';
import type { IncidentNotesTable } from '../store/database.js';
import { getIncident } from './incident-reads.js';
import { addNote } from './notes-service.js';
import { listNotes } from './notes-store.js';
import { agentReference } from './presenters.js';
import type { AgentRef } from './transitions.js';
import { IncidentParams } from './route-schemas.js';

/** A note as PagerDuty presents it. */
export function presentNote(links: Links, row: IncidentNotesTable, serviceId: string) {
  return {
    id: row.id,
    user: agentReference(links, JSON.parse(row.agent) as AgentRef, serviceId),
    channel: JSON.parse(row.channel) as unknown,
    content: row.content,
    created_at: row.created_at,
  };
}

const NoteBody = Type.Object({ note: Type.Object({ content: Type.String() }) });

/** REST v2: `GET` and `POST /incidents/{id}/notes`. */
export function notesRoutes(deps: DomainRoutesDeps) {
  return async function plugin(base: FastifyInstance): Promise<void> {
    const app = base.withTypeProvider<TypeBoxTypeProvider>();

    app.get('/incidents/:id/notes', { schema: { params: IncidentParams } }, async (request) => {
      const { row } = await getIncident(deps.store.db, request.params.id);
      const notes = await listNotes(deps.store.db, row.id);
      return { notes: notes.map((n) => presentNote(deps.links, n, row.service_id)) };
    });

    app.post(
      '/incidents/:id/notes',
      { schema: { params: IncidentParams, body: NoteBody } },
      async (request) => {
        const { id } = request.params;
        const note = await addNote(deps, request.actor, request.headers.from, id, request.body.note.content);
        const { row } = await getIncident(deps.store.db, note.incident_id);
        // The OAS answers 200 (not 201) for a new note; Tocsin follows it.
        return { note: presentNote(deps.links, note, row.service_id) };
      },
    );
  };
}
