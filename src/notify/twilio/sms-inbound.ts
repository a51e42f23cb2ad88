import type { AgentRef } from '../../incidents/transitions.js';
import type { WriteTx } from '../../store/write-task.js';
import {
  actOnIncident,
  agentOf,
  assignedOpenIncidents,
  incidentByNumber,
  type ActResult,
  type Verb,
} from './incident-actions.js';
import { contactsAtNumber } from './phone-numbers.js';
import { resetIdleReplies, takeIdleReply } from './reply-limit.js';
import { parseSmsReply } from './sms-replies.js';

/** The help text for a reply Tocsin does not understand. */
export const SMS_HELP =
  'Tocsin: reply 12a to acknowledge or 12r to resolve incident #12, aa or rr for all of yours, STOP to stop SMS';

const CHANNEL = { type: 'sms' } as const;
const past: Record<Verb, string> = { acknowledge: 'Acknowledged', resolve: 'Resolved' };

/** What to answer (undefined: nothing) and whether something changed. */
interface Answer {
  text: string | undefined;
  changed: boolean;
}

async function lastIncidentSent(tx: WriteTx, contactIds: string[]): Promise<string | undefined> {
  const [row] = await tx.raw.all<{ incident_id: string }>(
    `SELECT incident_id FROM notifications WHERE contact_method_id IN (${contactIds.map(() => '?').join(', ')})
       AND incident_id IS NOT NULL AND status IN ('sent', 'delivered')
     ORDER BY delivered_at DESC, id DESC LIMIT 1`,
    contactIds,
  );
  return row?.incident_id;
}

function worded(verb: Verb, r: ActResult): string {
  return r.changed ? `${past[verb]} #${r.number}` : `#${r.number} is already ${r.status}`;
}

async function act(
  tx: WriteTx,
  command: ReturnType<typeof parseSmsReply>,
  agent: AgentRef,
  contactIds: string[],
  at: string,
): Promise<Answer> {
  if (command.kind === 'one' || command.kind === 'last') {
    const id =
      command.kind === 'one'
        ? await incidentByNumber(tx, command.number)
        : await lastIncidentSent(tx, contactIds);
    if (!id)
      return {
        text:
          command.kind === 'one'
            ? `Tocsin: there is no incident #${command.number}`
            : 'Tocsin: no incident was sent to this number yet; reply 12a to acknowledge incident #12',
        changed: false,
      };
    const result = (await actOnIncident(tx, id, command.verb, agent, CHANNEL, at))!;
    return { text: worded(command.verb, result), changed: result.changed };
  }
  if (command.kind === 'all') {
    const results: ActResult[] = [];
    for (const id of await assignedOpenIncidents(tx, agent.id, command.verb)) {
      const r = await actOnIncident(tx, id, command.verb, agent, CHANNEL, at);
      if (r?.changed) results.push(r);
    }
    if (results.length === 0)
      return {
        text:
          command.verb === 'acknowledge'
            ? 'Tocsin: none of your incidents is waiting for an acknowledgement'
            : 'Tocsin: you have no open incidents',
        changed: false,
      };
    return { text: `${past[command.verb]} ${results.map((r) => `#${r.number}`).join(', ')}`, changed: true };
  }
  return { text: SMS_HELP, changed: false };
}

/**
 * Handles an inbound SMS and returns the reply text, or undefined for silence. Unknown numbers and
 * numbers whose SMS contact methods are all disabled get silence (never a reply that costs money).
 * STOP and its synonyms disable the SMS contact methods at that number (calls to it go on); START
 * enables them again; both are answered by Twilio itself. Replies that change nothing are capped
 * per number (reply-limit.ts).
 */
export async function handleInboundSms(
  tx: WriteTx,
  from: string,
  body: string,
  at: string,
): Promise<{ reply: string | undefined; changed: boolean }> {
  const contacts = await contactsAtNumber(tx, 'sms_contact_method', from);
  if (contacts.length === 0) return { reply: undefined, changed: false };
  const command = parseSmsReply(body);
  if (command.kind === 'stop' || command.kind === 'start') {
    const ids = contacts.map((c) => c.id);
    await tx.raw.run(
      `UPDATE contact_methods SET enabled = ?, updated_at = ? WHERE id IN (${ids.map(() => '?').join(', ')})`,
      [command.kind === 'start' ? 1 : 0, at, ...ids],
    );
    return { reply: undefined, changed: false };
  }
  const live = contacts.filter((c) => c.enabled === 1);
  if (live.length === 0) return { reply: undefined, changed: false };
  // Several people may share a number (a team phone): the one Tocsin texted last is the one answering.
  const agent = await agentOf(tx, live[0]!.user_id);
  const answer = agent
    ? await act(
        tx,
        command,
        agent,
        live.filter((c) => c.user_id === agent.id).map((c) => c.id),
        at,
      )
    : { text: 'Tocsin: your role cannot act on incidents', changed: false };
  if (answer.changed) {
    await resetIdleReplies(tx, from);
    return { reply: answer.text, changed: true };
  }
  return { reply: (await takeIdleReply(tx, from, at)) ? answer.text : undefined, changed: false };
}
