import { loadEscalationIncident } from '../../escalation/incident-state.js';
import { loadPolicy } from '../../escalation/incident-state.js';
import { escalateToLevel } from '../../escalation/manual-steps.js';
import type { AgentRef } from '../../incidents/transitions.js';
import { AppError } from '../../lib/errors.js';
import type { Tx as WriteTx } from '../../store/store.js';
import { actOnIncident, agentOf } from './incident-actions.js';
import { xml } from './twilio-signature.js';

const CHANNEL = { type: 'phone' } as const;
const MENU = 'Press 4 to acknowledge, 6 to resolve, 5 to escalate, 1 to repeat.';

interface CallIncident {
  id: string;
  incident_number: number;
  title: string;
  service_name: string;
  urgency: string;
  status: string;
}

/** The call's person and incidents: the notification's, and those sent with it in one bundle. */
async function callSubject(tx: WriteTx, notificationId: string) {
  const [n] = await tx.raw.all<{ user_id: string; provider_ref: string | null; incident_id: string | null }>(
    `SELECT user_id, provider_ref, incident_id FROM notifications WHERE id = ?`,
    [notificationId],
  );
  if (!n) return undefined;
  const incidents = await tx.raw.all<CallIncident>(
    `SELECT i.id, i.incident_number, i.title, s.name AS service_name, i.urgency, i.status
     FROM incidents i JOIN services s ON s.id = i.service_id
     WHERE i.id IN (SELECT incident_id FROM notifications WHERE id = ? OR (provider_ref IS NOT NULL AND provider_ref = ?))
     ORDER BY i.incident_number`,
    [notificationId, n.provider_ref],
  );
  return { userId: n.user_id, incidents };
}

const twiml = (body: string) => `<?xml version="1.0" encoding="UTF-8"?><Response>${body}</Response>`;
const say = (text: string) => `<Say>${xml(text)}</Say>`;

function spoken(i: CallIncident): string {
  const title = i.title.trim() === '' ? 'No summary provided' : i.title;
  return `Incident ${i.incident_number} on ${i.service_name}, ${i.urgency} urgency: ${title}.`;
}

/**
 * The TwiML of a call: who is calling and why (service, title, urgency, read with `<Say>`), then a
 * one-key `<Gather>` that posts to `/twilio/voice/gather?notification=<id>`.
 */
export async function callTwiml(tx: WriteTx, notificationId: string): Promise<string> {
  const subject = await callSubject(tx, notificationId);
  if (!subject || subject.incidents.length === 0)
    return twiml(`${say('This is Tocsin. This call is no longer valid. Goodbye.')}<Hangup/>`);
  const lead =
    subject.incidents.length === 1
      ? 'This is Tocsin.'
      : `This is Tocsin with ${subject.incidents.length} new incidents.`;
  const action = `/twilio/voice/gather?notification=${encodeURIComponent(notificationId)}`;
  return twiml(
    say(`${lead} ${subject.incidents.map(spoken).join(' ')}`) +
      `<Gather numDigits="1" action="${xml(action)}" method="POST">${say(MENU)}</Gather>` +
      say('No key was pressed. Goodbye.') +
      '<Hangup/>',
  );
}

async function escalate(
  tx: WriteTx,
  i: CallIncident,
  agent: AgentRef,
  at: string,
  fallbackEmails: readonly string[],
) {
  const incident = (await loadEscalationIncident(tx, i.id))!;
  if (incident.status === 'resolved') return `Incident ${i.incident_number} is already resolved.`;
  const policy = await loadPolicy(tx, incident.escalation_policy_id);
  const level = incident.escalation_level + 1;
  if (!policy || level > policy.rules.length)
    return `Incident ${i.incident_number} is at its last escalation level.`;
  try {
    // escalateToLevel checks the level and who is on call before it writes anything.
    await escalateToLevel({ tx, at, fallbackEmails }, incident, level, agent, CHANNEL);
  } catch (error) {
    if (error instanceof AppError) return `Incident ${i.incident_number} could not be escalated.`;
    throw error;
  }
  return `Incident ${i.incident_number} escalated to level ${level}.`;
}

/**
 * Acts on a keypress as the called person (channel `phone`): 4 acknowledges, 6 resolves, 5 escalates
 * to the next level, 1 repeats; anything else repeats the menu. Answers with a `<Say>` of the outcome.
 * Returns the TwiML and whether something changed.
 */
export async function gatherTwiml(
  tx: WriteTx,
  notificationId: string,
  digits: string,
  at: string,
  fallbackEmails: readonly string[],
): Promise<{ twiml: string; changed: boolean }> {
  const key = digits.slice(0, 1);
  if (key === '1') return { twiml: await callTwiml(tx, notificationId), changed: false };
  const subject = await callSubject(tx, notificationId);
  const agent = subject && (await agentOf(tx, subject.userId));
  if (!subject || !agent || subject.incidents.length === 0)
    return { twiml: twiml(`${say('This call is no longer valid. Goodbye.')}<Hangup/>`), changed: false };
  const outcomes: string[] = [];
  let changed = false;
  for (const i of subject.incidents) {
    if (key === '4' || key === '6') {
      const verb = key === '4' ? 'acknowledge' : 'resolve';
      const r = (await actOnIncident(tx, i.id, verb, agent, CHANNEL, at))!;
      changed ||= r.changed;
      outcomes.push(
        r.changed
          ? `Incident ${r.number} ${verb === 'acknowledge' ? 'acknowledged' : 'resolved'}.`
          : `Incident ${r.number} is already ${r.status}.`,
      );
    } else if (key === '5') {
      const text = await escalate(tx, i, agent, at, fallbackEmails);
      changed ||= text.includes('escalated to');
      outcomes.push(text);
    } else {
      const action = `/twilio/voice/gather?notification=${encodeURIComponent(notificationId)}`;
      return {
        twiml: twiml(
          say('Sorry, that key does nothing.') +
            `<Gather numDigits="1" action="${xml(action)}" method="POST">${say(MENU)}</Gather><Hangup/>`,
        ),
        changed: false,
      };
    }
  }
  return { twiml: twiml(`${say(`${outcomes.join(' ')} Goodbye.`)}<Hangup/>`), changed };
}
