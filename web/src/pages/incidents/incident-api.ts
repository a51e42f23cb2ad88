import { api } from '../../api/client.js';
import type { Incident, IncidentStatus, User } from '../../api/types.js';

/** Headers of incident writes: PagerDuty's `From` (the signed-in user's email). */
export function fromHeader(user: User): Record<string, string> {
  return { from: user.email };
}

/** Sets the status of many incidents (`PUT /incidents`, 250 at a time as PagerDuty allows). */
export async function setStatuses(user: User, ids: readonly string[], status: IncidentStatus): Promise<void> {
  for (let i = 0; i < ids.length; i += 250) {
    const incidents = ids.slice(i, i + 250).map((id) => ({ id, type: 'incident_reference', status }));
    await api.put('incidents', { incidents }, fromHeader(user));
  }
}

/** Changes one incident (`PUT /incidents/{id}`) and returns it as it now is. */
export async function updateIncident(
  user: User,
  id: string,
  change: Record<string, unknown>,
): Promise<Incident> {
  const body = await api.put<{ incident: Incident }>(
    `incidents/${id}`,
    { incident: { type: 'incident_reference', ...change } },
    fromHeader(user),
  );
  return body.incident;
}

/** Snoozes an acknowledged incident for `seconds`. */
export async function snooze(user: User, id: string, seconds: number): Promise<void> {
  await api.post(`incidents/${id}/snooze`, { duration: seconds }, fromHeader(user));
}

/** Adds a note to an incident. */
export async function addNote(user: User, id: string, content: string): Promise<void> {
  await api.post(`incidents/${id}/notes`, { note: { content } }, fromHeader(user));
}

/** Merges other incidents into this one (their alerts move here; they resolve). */
export async function merge(user: User, id: string, sourceIds: readonly string[]): Promise<void> {
  const source_incidents = sourceIds.map((sid) => ({ id: sid, type: 'incident_reference' }));
  await api.put(`incidents/${id}/merge`, { source_incidents }, fromHeader(user));
}
