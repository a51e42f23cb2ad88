import type { OutboundMessage } from '../provider.js';

/** Twilio refuses bodies over 1600 characters; titles are cut well before that. */
const MAX_BODY = 1600;
const MAX_TITLE = 80;

const cut = (text: string, max: number) => (text.length <= max ? text : `${text.slice(0, max - 1)}…`);

/**
 * The SMS body of a notification. An incident: `Tocsin #12: Disk full (Checkout, high). Reply 12a to
 * ack, 12r to resolve` (the reply code is the incident number). A bundle: `3 new incidents: #12 …;
 * #13 …. Reply aa to ack all, rr to resolve all`. Anything else (a handoff notice) is its plain text.
 */
export function smsBody(message: OutboundMessage): string {
  const i = message.incident;
  if (i) {
    const lead = message.reason === 'unassigned_fallback' ? 'Tocsin (unassigned)' : 'Tocsin';
    return `${lead} #${i.number}: ${cut(i.title, MAX_TITLE)} (${i.service}, ${i.urgency}). Reply ${i.number}a to ack, ${i.number}r to resolve`;
  }
  if (message.bundle && message.bundle.length > 0) {
    const tail = '. Reply aa to ack all, rr to resolve all';
    const head = `${message.bundle.length} new incidents: `;
    let list = [...message.bundle]
      .sort((x, y) => x.number - y.number)
      .map((b) => `#${b.number} ${cut(b.title, 40)} (${b.service})`)
      .join('; ');
    if (head.length + list.length + tail.length > MAX_BODY)
      list = `${cut(list, MAX_BODY - head.length - tail.length - 1)}`;
    return head + list + tail;
  }
  return cut(message.text, MAX_BODY);
}
