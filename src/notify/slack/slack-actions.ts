import type { DomainRoutesDeps } from '../../http/routes-deps.js';
import { acknowledgeIncident, loadIncidentState, resolveIncident } from '../../incidents/transitions.js';
import type { WriteTx } from '../../store/write-task.js';
import type { SlackIncident } from './slack-blocks.js';

/** What a button click came to. */
export type SlackActionResult =
  | { kind: 'unknown_user' }
  | { kind: 'no_incident' }
  | {
      kind: 'done';
      changed: boolean;
      user: { id: string; name: string };
      incident: SlackIncident;
    };

/** The Tocsin user a Slack member is: the owner of a live Slack contact method with that member id. */
async function userOfMember(tx: WriteTx, memberId: string) {
  const [user] = await tx.raw.all<{ id: string; name: string }>(
    `SELECT u.id, u.name FROM contact_methods c JOIN users u ON u.id = c.user_id
     WHERE c.type = 'slack_contact_method' AND c.address = ? AND c.deleted_at IS NULL AND u.deleted_at IS NULL
     ORDER BY c.created_at, c.id LIMIT 1`,
    [memberId],
  );
  return user;
}

/** An incident as a Slack message shows it. */
export async function slackIncident(
  tx: WriteTx,
  incidentId: string,
  baseUrl: string,
): Promise<SlackIncident | undefined> {
  const [i] = await tx.raw.all<{
    id: string;
    incident_number: number;
    title: string;
    service_name: string;
    urgency: string;
    status: string;
  }>(
    `SELECT i.id, i.incident_number, i.title, s.name AS service_name, i.urgency, i.status
     FROM incidents i JOIN services s ON s.id = i.service_id WHERE i.id = ?`,
    [incidentId],
  );
  return (
    i && {
      id: i.id,
      number: Number(i.incident_number),
      title: i.title,
      service: i.service_name,
      urgency: i.urgency,
      status: i.status,
      url: `${baseUrl}/incidents/${i.id}`,
    }
  );
}

/**
 * Acts on an incident for a Slack member, through the same transitions as the REST API: the linked
 * Tocsin user is the agent and the channel is `slack`. An unknown member changes nothing; an
 * incident that already moved on is answered with its current state (`changed: false`).
 */
export async function actFromSlack(
  deps: Pick<DomainRoutesDeps, 'store'>,
  memberId: string,
  action: 'acknowledge' | 'resolve',
  incidentId: string,
  at: string,
  baseUrl: string,
): Promise<SlackActionResult> {
  return deps.store.transaction(async (tx) => {
    const user = await userOfMember(tx, memberId);
    if (!user) return { kind: 'unknown_user' };
    // Lock the incident first (the one lock order), then read its state.
    await tx.raw.run(`UPDATE incidents SET updated_at = updated_at WHERE id = ?`, [incidentId]);
    const state = await loadIncidentState(tx, incidentId);
    if (!state) return { kind: 'no_incident' };
    const agent = { id: user.id, type: 'user_reference', summary: user.name };
    const channel = { type: 'slack' };
    const changed =
      action === 'acknowledge'
        ? await acknowledgeIncident(tx, state, agent, channel, at)
        : await resolveIncident(tx, state, agent, channel, at);
    const incident = (await slackIncident(tx, incidentId, baseUrl))!;
    return { kind: 'done', changed, user, incident };
  });
}
