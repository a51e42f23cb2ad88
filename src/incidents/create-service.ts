import { canRespond, type Actor } from '../auth/actor.js';
import { after, insertTimer } from '../engine/timer.js';
import { timersForNewIncident } from '../engine/incident-timers.js';
import type { StepContext } from '../escalation/assignment.js';
import { loadPolicy } from '../escalation/incident-state.js';
import { directAssignment } from './create-assignment.js';
import { onCallByLevel } from '../escalation/on-call-resolver.js';
import { AppError } from '../lib/errors.js';
import { longId } from '../lib/ids.js';
import { findPriority } from '../priorities/priority-store.js';
import { urgencyFor, type IncidentUrgencyRule, type SupportHours } from '../services/urgency.js';
import { enqueueIncidentEvent } from '../webhooks/outbox.js';
import { agentFor, restChannel } from './incident-agent.js';
import type { IncidentActionDeps } from './incident-service.js';
import { incidentViews, type IncidentView } from './incident-reads.js';
import * as incidents from './incident-store.js';
import { findOpenIncidentWithKey, findServiceForCreate, inMaintenance, liveUserIds } from './create-store.js';
import { insertIncident, insertLogEntry } from './ingest-store.js';

/** The body of `POST /incidents` (`incident`). */
export interface NewIncidentInput {
  title: string;
  service: { id: string };
  urgency?: 'high' | 'low';
  priority?: { id: string };
  body?: { details?: unknown };
  incident_key?: string;
  escalation_policy?: { id: string };
  assignments?: { assignee: { id: string } }[];
  conference_bridge?: { conference_number?: string; conference_url?: string };
}

/** PagerDuty's answer when an open incident on the service already has the `incident_key`. */
export const DUPLICATE_KEY_MESSAGE = 'Open incident with matching dedup key already exists on this service';

/**
 * Opens an incident through the REST API, on the same path as an event's (incident row, trigger log
 * entry, `incident.triggered` outbox row, the `assign` timer the engine picks up), without an alert.
 * With `assignments` it is assigned directly at once; otherwise its (or the given) escalation policy
 * assigns it, and a policy with nobody on call on any level refuses it with 1015 as PagerDuty does.
 */
export async function createIncident(
  deps: IncidentActionDeps,
  actor: Actor,
  from: string | undefined,
  input: NewIncidentInput,
): Promise<IncidentView> {
  if (!canRespond(actor)) throw new AppError('forbidden');
  const agent = await agentFor(deps.store.db, actor, from);
  if (input.assignments !== undefined && input.escalation_policy !== undefined)
    throw new AppError('invalidInput', ['Specify either assignments or an escalation policy, not both']);
  const now = deps.clock.now();
  const at = now.toISOString();
  return deps.store.transaction(async (tx) => {
    const service = await findServiceForCreate(tx.db, input.service.id);
    if (!service) throw new AppError('invalidInput', [`Service ${input.service.id} not found`]);
    if (service.status === 'disabled')
      throw new AppError('invalidInput', [`Service ${service.name} is disabled`]);
    // Notes §2/§3: no incidents while a maintenance window runs, whichever way they would open.
    if (await inMaintenance(tx.db, service.id, at))
      throw new AppError('invalidInput', [`Service ${service.name} is in a maintenance window`]);
    const key = input.incident_key;
    if (key !== undefined) {
      await tx.lockKeys([`incident_key/${service.id}/${key}`]);
      if (await findOpenIncidentWithKey(tx.db, service.id, key))
        throw new AppError('invalidInput', [DUPLICATE_KEY_MESSAGE]);
    }
    const priority = input.priority && (await findPriority(tx.db, input.priority));
    if (input.priority && !priority)
      throw new AppError('invalidInput', [`Priority ${input.priority.id} not found`]);
    const policyId = input.escalation_policy?.id ?? service.escalation_policy_id;
    const policy = await loadPolicy(tx, policyId);
    if (input.escalation_policy && !policy)
      throw new AppError('invalidInput', [`Escalation policy ${input.escalation_policy.id} not found`]);
    const assignees = [...new Set((input.assignments ?? []).map((a) => a.assignee.id))];
    const live = await liveUserIds(tx.db, assignees);
    const missing = assignees.filter((u) => !live.has(u));
    if (missing.length > 0)
      throw new AppError(
        'invalidInput',
        missing.map((u) => `Assignee ${u} is not a user`),
      );
    if (assignees.length === 0 && policy) {
      const levels = await onCallByLevel(tx.db, policy.rules, at);
      if (levels.every((l) => l.length === 0)) throw new AppError('noOnCall');
    }
    const id = longId();
    const urgency =
      input.urgency ??
      urgencyFor(
        JSON.parse(service.incident_urgency_rule) as IncidentUrgencyRule,
        service.support_hours === null ? null : (JSON.parse(service.support_hours) as SupportHours),
        undefined,
        now,
      );
    await insertIncident(tx, {
      id,
      number: await tx.nextIncidentNumber(),
      title: input.title,
      serviceId: service.id,
      urgency,
      incidentKey: key ?? null,
      escalationPolicyId: policy?.id ?? null,
      agent: JSON.stringify(agent),
      at,
    });
    const details = input.body?.details;
    await tx.db
      .updateTable('incidents')
      .set({
        alerts_triggered: 0, // an incident opened through REST has no alert
        priority_id: priority?.id ?? null,
        conference_bridge: input.conference_bridge ? JSON.stringify(input.conference_bridge) : null,
        body_details: details === undefined ? null : JSON.stringify(details),
      })
      .where('id', '=', id)
      .execute();
    const entry = {
      id: longId(),
      type: 'trigger_log_entry',
      incidentId: id,
      alertId: null,
      serviceId: service.id,
      at,
      channel: JSON.stringify({ ...restChannel, summary: input.title }),
      agent: JSON.stringify(agent),
      summary: `Triggered through the API by ${agent.summary}.`,
      note: null,
    };
    await insertLogEntry(tx, entry);
    await enqueueIncidentEvent(tx, 'incident.triggered', id, service.id, entry);
    const ctx: StepContext = { tx, at, fallbackEmails: deps.fallbackEmails };
    if (assignees.length > 0) {
      if (service.auto_resolve_timeout)
        await insertTimer(
          tx,
          { kind: 'auto_resolve', incidentId: id, dueAt: after(at, service.auto_resolve_timeout) },
          at,
        );
      await directAssignment(ctx, id, assignees, agent);
    } else await timersForNewIncident(tx, id, service.auto_resolve_timeout, at);
    const [view] = await incidentViews(tx.db, [(await incidents.findIncident(tx.db, id))!]);
    return view!;
  });
}
