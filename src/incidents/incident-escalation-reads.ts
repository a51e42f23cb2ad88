import type { Kysely } from 'kysely';
import type { Database } from '../store/database.js';

/** Who an incident is assigned to, with names for references. */
export interface AssignmentView {
  at: string;
  userId: string;
  name: string;
}

/** What an incident's presentation adds from escalation: assignees, its policy and pending steps. */
export interface EscalationView {
  assignments: AssignmentView[];
  policy: { id: string; name: string } | null;
  pending: { type: string; at: string }[];
}

/** PagerDuty's `pending_actions` type of each timer that has one. */
const pendingTypes: Record<string, string> = {
  escalate: 'escalate',
  ack_timeout: 'unacknowledge',
  unsnooze: 'unacknowledge',
  auto_resolve: 'resolve',
};

/** Loads the escalation views of incidents (three queries for a page). */
export async function escalationViews(
  db: Kysely<Database>,
  incidents: readonly { id: string; escalation_policy_id: string | null }[],
): Promise<Map<string, EscalationView>> {
  const ids = incidents.map((i) => i.id);
  const views = new Map<string, EscalationView>(
    ids.map((id) => [id, { assignments: [], policy: null, pending: [] }]),
  );
  if (ids.length === 0) return views;
  const policyIds = [
    ...new Set(incidents.map((i) => i.escalation_policy_id).filter((p): p is string => p !== null)),
  ];
  const [assignments, policies, timers] = await Promise.all([
    db
      .selectFrom('incident_assignments')
      .innerJoin('users', 'users.id', 'incident_assignments.user_id')
      .select([
        'incident_assignments.incident_id',
        'incident_assignments.user_id',
        'incident_assignments.assigned_at',
        'users.name',
      ])
      .where('incident_assignments.incident_id', 'in', ids)
      .orderBy('users.name')
      .execute(),
    policyIds.length === 0
      ? []
      : db.selectFrom('escalation_policies').select(['id', 'name']).where('id', 'in', policyIds).execute(),
    db
      .selectFrom('timers')
      .select(['incident_id', 'kind', 'due_at'])
      .where('incident_id', 'in', ids)
      .where('kind', 'in', Object.keys(pendingTypes))
      .orderBy('due_at')
      .execute(),
  ]);
  const names = new Map(policies.map((p) => [p.id, p.name]));
  for (const incident of incidents) {
    const view = views.get(incident.id)!;
    const policyId = incident.escalation_policy_id;
    if (policyId !== null) view.policy = { id: policyId, name: names.get(policyId) ?? policyId };
  }
  for (const a of assignments)
    views.get(a.incident_id)!.assignments.push({ at: a.assigned_at, userId: a.user_id, name: a.name });
  for (const t of timers)
    views.get(t.incident_id!)!.pending.push({ type: pendingTypes[t.kind]!, at: t.due_at });
  return views;
}
