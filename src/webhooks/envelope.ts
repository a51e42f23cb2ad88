import { randomUUID } from 'node:crypto';
import { Links } from '../http/rest.js';
import { agentReference } from '../incidents/presenters.js';
import type { AgentRef } from '../incidents/transitions.js';
import type { WriteTx } from '../store/write-task.js';

/** What an incident event's `data` is built from, read in the transaction of the change. */
export interface IncidentFacts {
  id: string;
  incident_number: number;
  title: string;
  status: string;
  urgency: string;
  incident_key: string | null;
  created_at: string;
  resolve_reason: string | null;
  service_id: string;
  service_name: string;
  escalation_policy_id: string | null;
  policy_name: string | null;
  team_id: string | null;
  assignees: { id: string; name: string }[];
}

/** Reads an incident with its service, policy (and the policy's team) and assignees. */
export async function incidentFacts(tx: WriteTx, incidentId: string): Promise<IncidentFacts | undefined> {
  const [row] = await tx.raw.all<Omit<IncidentFacts, 'assignees'>>(
    `SELECT i.id, i.incident_number, i.title, i.status, i.urgency, i.incident_key, i.created_at, i.resolve_reason,
       i.service_id, s.name AS service_name, i.escalation_policy_id, p.name AS policy_name, p.team_id
     FROM incidents i JOIN services s ON s.id = i.service_id
     LEFT JOIN escalation_policies p ON p.id = i.escalation_policy_id WHERE i.id = ?`,
    [incidentId],
  );
  if (!row) return undefined;
  const assignees = await tx.raw.all<{ id: string; name: string }>(
    `SELECT u.id, u.name FROM incident_assignments a JOIN users u ON u.id = a.user_id
     WHERE a.incident_id = ? ORDER BY a.assigned_at, u.id`,
    [incidentId],
  );
  return { ...row, incident_number: Number(row.incident_number), assignees };
}

/** The change an event reports: its log entry's instant, agent, channel and note. */
export interface EventSource {
  id: string;
  at: string;
  agent: string | null;
  channel: string;
  note: string | null;
}

/** An incident as v3 webhooks carry it (notes §4: a smaller shape than the REST incident). */
function incidentData(links: Links, f: IncidentFacts) {
  return {
    id: f.id,
    type: 'incident',
    self: links.self('incidents', f.id),
    html_url: links.html('incidents', f.id),
    number: f.incident_number,
    status: f.status,
    incident_key: f.incident_key,
    created_at: f.created_at,
    reopened_at: null,
    title: f.title,
    service: links.reference('service', 'services', f.service_id, f.service_name),
    assignees: f.assignees.map((u) => links.reference('user', 'users', u.id, u.name)),
    escalation_policy:
      f.escalation_policy_id === null
        ? null
        : links.reference(
            'escalation_policy',
            'escalation_policies',
            f.escalation_policy_id,
            f.policy_name ?? f.escalation_policy_id,
          ),
    teams: [],
    priority: null,
    urgency: f.urgency,
    conference_bridge: null,
    resolve_reason: f.resolve_reason === null ? null : (JSON.parse(f.resolve_reason) as unknown),
  };
}

/** The event's client: the monitoring tool named by an Events API `client`, else null. */
function clientOf(channel: string): { name: string } | null {
  const parsed = JSON.parse(channel) as { client?: unknown };
  return typeof parsed.client === 'string' ? { name: parsed.client } : null;
}

/**
 * The JSON body of one incident event, serialized once: every retry sends these exact bytes, and the
 * signature is computed over them.
 */
export function incidentEventBody(
  baseUrl: string,
  eventId: string,
  eventType: string,
  facts: IncidentFacts,
  source: EventSource,
): string {
  const links = new Links(baseUrl);
  const agent =
    source.agent === null
      ? null
      : agentReference(links, JSON.parse(source.agent) as AgentRef, facts.service_id);
  const incident = incidentData(links, facts);
  const data =
    eventType === 'incident.annotated'
      ? {
          id: source.id,
          type: 'incident_note',
          content: source.note ?? '',
          trimmed: false,
          incident: links.reference(
            'incident',
            'incidents',
            facts.id,
            `[#${facts.incident_number}] ${facts.title}`,
          ),
        }
      : incident;
  return JSON.stringify({
    event: {
      id: eventId,
      event_type: eventType,
      resource_type: 'incident',
      occurred_at: source.at,
      agent,
      client: clientOf(source.channel),
      data,
    },
  });
}

/** The body of a ping (`pagey.ping`), as PagerDuty sends it. */
export function pingBody(at: string): string {
  return JSON.stringify({
    event: {
      id: randomUUID(),
      event_type: 'pagey.ping',
      resource_type: 'pagey',
      occurred_at: at,
      agent: null,
      client: null,
      data: { message: 'Hello from your friend Pagey!', type: 'ping' },
    },
  });
}
