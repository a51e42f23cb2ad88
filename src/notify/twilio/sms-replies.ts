import type { Verb } from './incident-actions.js';

/** What an inbound SMS asks for. */
export type SmsCommand =
  | { kind: 'one'; verb: Verb; number: number }
  | { kind: 'all'; verb: Verb }
  | { kind: 'last'; verb: Verb }
  | { kind: 'stop' }
  | { kind: 'start' }
  | { kind: 'help' };

/** Twilio's opt-out and opt-in keywords (its Advanced Opt-Out defaults), and the help ones. */
const STOP = new Set(['stop', 'stopall', 'unsubscribe', 'cancel', 'end', 'quit', 'optout', 'revoke']);
const START = new Set(['start', 'yes', 'unstop']);

const VERBS: Record<string, Verb> = {
  a: 'acknowledge',
  ack: 'acknowledge',
  acknowledge: 'acknowledge',
  r: 'resolve',
  res: 'resolve',
  resolve: 'resolve',
  c: 'resolve',
  close: 'resolve',
};
const VERB = '(a|ack|acknowledge|r|res|resolve|c|close)';

/**
 * Reads a reply: `12a`/`12r` (the incident number and a verb, also `12 ack`, `#12c`), `ack 12`,
 * `resolve 12`, `aa`/`rr` (all of the person's open incidents; `12aa` as well), a bare verb (the last
 * incident sent to the number), STOP/START and their synonyms. Case, spaces, `#` and quotes do not
 * matter. Anything else asks for help.
 */
export function parseSmsReply(body: string): SmsCommand {
  const words = body
    .toLowerCase()
    .replace(/["'`‘’“”]/g, '')
    .trim()
    .replace(/[.!]+$/, '')
    .replace(/\s+/g, ' ');
  if (STOP.has(words) || words === 'stop all' || words === 'opt out') return { kind: 'stop' };
  if (START.has(words)) return { kind: 'start' };
  const text = words.replace(/[\s#]/g, '');
  const all = /^\d*(aa|rr|cc)$/.exec(text);
  if (all) return { kind: 'all', verb: all[1] === 'aa' ? 'acknowledge' : 'resolve' };
  const after = new RegExp(`^(\\d+)${VERB}$`).exec(text);
  if (after) return { kind: 'one', verb: VERBS[after[2]!]!, number: Number(after[1]) };
  const before = new RegExp(`^${VERB}(\\d+)$`).exec(text);
  if (before) return { kind: 'one', verb: VERBS[before[1]!]!, number: Number(before[2]) };
  if (Object.hasOwn(VERBS, text)) return { kind: 'last', verb: VERBS[text]! };
  return { kind: 'help' };
}
