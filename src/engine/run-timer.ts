import type { StepContext } from '../escalation/assignment.js';
import { escalateOnTimer, startEscalation } from '../escalation/escalation-steps.js';
import { loadEscalationIncident } from '../escalation/incident-state.js';
import { unacknowledge } from '../escalation/manual-steps.js';
import { resolveIncident } from '../incidents/transitions.js';
import { produceNotification } from '../notify/notification-delivery.js';
import { planHandoffNotices, sendHandoffNotice } from '../notify/handoff-notices.js';
import type { ClaimedTimer } from '../store/row-claims.js';
import type { TimerKind } from './timer.js';

type Payload = { seq?: number; retry?: boolean; notificationId?: string };

/** Runs one due timer's step in the engine's transaction (the caller holds the incident's lock). */
export async function runTimer(ctx: StepContext, timer: ClaimedTimer): Promise<void> {
  const payload = JSON.parse(timer.payload) as Payload;
  const incident = timer.incident_id ? await loadEscalationIncident(ctx.tx, timer.incident_id) : undefined;
  if (timer.incident_id && !incident) return; // its incident is gone: nothing to do
  const kind = timer.kind as TimerKind;
  switch (kind) {
    case 'assign':
      return startEscalation(ctx, incident!, payload.retry === true);
    case 'escalate':
      return escalateOnTimer(ctx, incident!, payload.seq ?? -1);
    case 'notify':
      return produceNotification(ctx, payload.notificationId ?? '', payload.seq, incident);
    case 'ack_timeout':
      if (incident!.status !== 'acknowledged') return;
      await unacknowledge(ctx, incident!, 'the acknowledgement timed out', null, { type: 'timeout' });
      return;
    case 'unsnooze':
      if (incident!.status !== 'acknowledged') return;
      await unacknowledge(ctx, incident!, 'the snooze ended', null, { type: 'timeout' });
      return;
    case 'auto_resolve': {
      const service = {
        id: incident!.service_id,
        type: 'service_reference',
        summary: incident!.service_name,
      };
      await resolveIncident(ctx.tx, incident!, service, { type: 'timeout' }, ctx.at);
      return;
    }
    case 'handoff_plan':
      return planHandoffNotices(ctx);
    case 'handoff_notify':
      return sendHandoffNotice(ctx, JSON.parse(timer.payload) as Parameters<typeof sendHandoffNotice>[1]);
  }
}
