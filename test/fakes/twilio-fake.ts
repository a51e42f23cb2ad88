// A local fake of the Twilio REST API subset Tocsin uses (Messages, Calls), with its webhooks.
import { startFakeHttp } from './fake-http.js';
import type { FakeHttpServer } from './fake-http.js';
import { Recorder } from './recorder.js';
import { twilioApi, twilioFaultResponse } from './twilio-api.js';
import { twilioSid } from './twilio-rest.js';
import { answerCall, pressKeys } from './twilio-calls.js';
import {
  callStatusParams,
  inboundSmsParams,
  messageStatusParams,
  sendTwilioWebhook,
} from './twilio-webhooks.js';
import type { CallState, MessageState, WebhookReply } from './twilio-webhooks.js';
import type { Twiml } from './twiml.js';

/** A message Tocsin created, with the form parameters it sent. */
export type RecordedMessage = MessageState;

/** A call Tocsin created, with the form parameters it sent and the TwiML it is on. */
export type RecordedCall = CallState;

/** Credentials of the fake account and where inbound SMS go. */
export interface TwilioFakeOptions {
  accountSid?: string;
  authToken?: string;
  /** The app's inbound SMS webhook (the phone number's "A message comes in" URL). */
  smsUrl?: string;
}

/** A running Twilio fake: the REST server (`baseUrl` stands in for https://api.twilio.com) and its webhooks. */
export interface TwilioFake extends FakeHttpServer {
  accountSid: string;
  authToken: string;
  messages: Recorder<RecordedMessage>;
  calls: Recorder<RecordedCall>;
  /** Posts a signed status callback (sent, delivered, undelivered, failed…) to the message's StatusCallback. */
  sendMessageStatus(sid: string, status: string, errorCode?: string): Promise<WebhookReply>;
  /** Posts a signed status callback (ringing, in-progress, completed, busy, no-answer…) to the call's StatusCallback. */
  sendCallStatus(sid: string, status: string, durationSeconds?: number): Promise<WebhookReply>;
  /** Delivers an inbound SMS to the app's webhook, signed; the reply may carry TwiML <Message>s. */
  receiveSms(sms: { from: string; to: string; body: string }, url?: string): Promise<WebhookReply>;
  /** Answers a call: fetches (signed, with CallSid, From, To) and parses its TwiML. */
  answerCall(sid: string): Promise<Twiml>;
  /** Presses keys in the call's current <Gather>; resolves with the next TwiML. */
  press(sid: string, digits: string): Promise<Twiml>;
}

/** Starts the fake on 127.0.0.1 with an ephemeral port. */
export async function startTwilioFake(options: TwilioFakeOptions = {}): Promise<TwilioFake> {
  const accountSid = options.accountSid ?? twilioSid('AC');
  const authToken = options.authToken ?? twilioSid('AC').slice(2);
  const messages = new Recorder<RecordedMessage>();
  const calls = new Recorder<RecordedCall>();

  const server = await startFakeHttp(
    twilioApi({ accountSid, authToken, messages, calls }),
    twilioFaultResponse,
  );
  const find = <T extends { sid: string }>(recorder: Recorder<T>, sid: string): T => {
    const found = recorder.items.find((item) => item.sid === sid);
    if (!found) throw new Error(`no record ${sid}`);
    return found;
  };
  return {
    ...server,
    accountSid,
    authToken,
    messages,
    calls,
    sendMessageStatus: (sid, status, errorCode) => {
      const message = find(messages, sid);
      message.status = status;
      if (!message.statusCallback) throw new Error(`message ${sid} has no StatusCallback`);
      return sendTwilioWebhook(authToken, message.statusCallback, messageStatusParams(message, errorCode));
    },
    sendCallStatus: (sid, status, durationSeconds = 0) => {
      const call = find(calls, sid);
      call.status = status;
      if (!call.statusCallback) throw new Error(`call ${sid} has no StatusCallback`);
      return sendTwilioWebhook(
        authToken,
        call.statusCallback,
        callStatusParams(call, durationSeconds),
        call.statusCallbackMethod,
      );
    },
    receiveSms: async (sms, url = options.smsUrl) => {
      if (!url) throw new Error('no smsUrl configured');
      return sendTwilioWebhook(authToken, url, inboundSmsParams(accountSid, sms));
    },
    answerCall: (sid) => answerCall(authToken, find(calls, sid)),
    press: (sid, digits) => pressKeys(authToken, find(calls, sid), digits),
  };
}
