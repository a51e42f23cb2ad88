import type { StepContext } from '../escalation/assignment.js';
import type { EscalationIncident } from '../escalation/incident-state.js';
import { queueNotification } from './delivery-store.js';
import { findNotification, settleNotification } from './notification-store.js';

/**
 * The `notify` step: a planned notification falls due. It is queued for the dispatcher, which sends it
 * through its channel's provider; one whose incident is no longer triggered, or whose assignment has
 * been replaced, is cancelled instead.
 */
export async function produceNotification(
  ctx: StepContext,
  notificationId: string,
  seq: number | undefined,
  incident: EscalationIncident | undefined,
): Promise<void> {
  const n = await findNotification(ctx.tx, notificationId);
  if (!n || n.status !== 'pending') return;
  if (
    incident &&
    (incident.status !== 'triggered' || (seq !== undefined && seq !== incident.assignment_seq))
  ) {
    await settleNotification(ctx.tx, n.id, { status: 'cancelled', channel: null }, ctx.at);
    return;
  }
  await queueNotification(ctx.tx, n.id, ctx.at);
}
