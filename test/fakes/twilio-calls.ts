// A call as Twilio runs it: fetch the TwiML from the call's Url, then post keypresses to <Gather>.
import { callParams, sendTwilioWebhook } from './twilio-webhooks.js';
import type { CallState } from './twilio-webhooks.js';
import { readTwiml } from './twiml.js';
import type { Twiml } from './twiml.js';

async function fetchTwiml(
  authToken: string,
  url: string,
  method: string,
  params: Record<string, string>,
): Promise<Twiml> {
  const reply = await sendTwilioWebhook(authToken, url, params, method);
  // Twilio fails the call (error 11200) when the TwiML URL does not answer 2xx.
  if (reply.status < 200 || reply.status > 299)
    throw new Error(`TwiML request to ${url} answered ${reply.status}`);
  return readTwiml(reply.body);
}

/** Answers the call: fetches its TwiML from Url (or reads the inline Twiml) and makes it current. */
export async function answerCall(authToken: string, call: CallState): Promise<Twiml> {
  call.status = 'in-progress';
  const twiml = call.url
    ? await fetchTwiml(authToken, call.url, call.method, callParams(call))
    : readTwiml(call.inlineTwiml ?? '');
  call.current = { url: call.url, twiml };
  return twiml;
}

/** Presses keys during the current <Gather>: sends Digits to its action and makes the answer current. */
export async function pressKeys(authToken: string, call: CallState, digits: string): Promise<Twiml> {
  const gather = call.current?.twiml.gather;
  if (!call.current || !gather) throw new Error(`call ${call.sid} is not waiting in a <Gather>`);
  // Without an action Twilio posts to the document's own URL; a relative action resolves against it.
  const action = gather.action ?? call.current.url;
  if (!action) throw new Error('a <Gather> without action in inline TwiML has nowhere to post');
  const url = new URL(action, call.current.url).toString();
  const pressed = gather.numDigits ? digits.slice(0, gather.numDigits) : digits;
  const twiml = await fetchTwiml(authToken, url, gather.method, {
    ...callParams(call),
    Digits: pressed,
    FinishedOnKey: '',
  });
  call.current = { url, twiml };
  return twiml;
}
