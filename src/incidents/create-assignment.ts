import { assign, type StepContext } from '../escalation/assignment.js';
import { loadEscalationIncident, loadPolicy } from '../escalation/incident-state.js';
import { restChannel } from './incident-agent.js';
import { acknowledgeIncident, type AgentRef } from './transitions.js';

/**
 * Assigns a new REST-made incident directly to users (no escalation follows), in the create transaction.
 */
export async function directAssignment(
  ctx: StepContext,
  incidentId: string,
  userIds: string[],
  agent: AgentRef,
) {
  const incident = (await loadEscalationIncident(ctx.tx, incidentId))!;
  await assign(
    ctx,
    incident,
    await loadPolicy(ctx.tx, incident.escalation_policy_id),
    { level: 0, loops: 0, via: 'direct_assignment', userIds },
    'assigned',
    // No agent on the entry: a new incident's first assignment is not an `incident.reassigned` event.
    { type: 'assign_log_entry', lead: `Assigned by ${agent.summary} to`, agent: null, channel: restChannel },
  );
  // PagerDuty: assigning only yourself opens the incident acknowledged.
  if (userIds.length === 1 && userIds[0] === agent.id) {
    const state = {
      id: incident.id,
      service_id: incident.service_id,
      status: 'triggered',
      acknowledgements: '[]',
    };
    await acknowledgeIncident(ctx.tx, state, agent, restChannel, ctx.at);
  }
}
