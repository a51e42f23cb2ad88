// The requests the Twilio fake makes to the app: signed webhooks, status callbacks, inbound SMS.
import { randomUUID } from 'node:crypto';
import { twilioSid } from './twilio-rest.js';
import { twilioSignature } from './twilio-signature.js';
import type { Twiml } from './twiml.js';

/** What the app answered to a webhook. */
export interface WebhookReply {
  status: number;
  contentType: string | undefined;
  body: string;
}

/** A message as the fake tracks it for its status callbacks. */
export interface MessageState {
  sid: string;
  accountSid: string;
  status: string;
  to: string;
  from: string | undefined;
  body: string;
  statusCallback: string | undefined;
  params: Record<string, string>;
}

/** A call as the fake drives it: who, where its TwiML comes from, and the document it is on. */
export interface CallState {
  sid: string;
  accountSid: string;
  from: string;
  to: string;
  status: string;
  url: string | undefined;
  method: string;
  inlineTwiml: string | undefined;
  statusCallback: string | undefined;
  statusCallbackMethod: string;
  params: Record<string, string>;
  /** The TwiML the call is executing and the URL it came from. */
  current: { url: string | undefined; twiml: Twiml } | undefined;
}

/** Sends a webhook as Twilio does: form-encoded POST (or GET with a query string), signed with the auth token. */
export async function sendTwilioWebhook(
  authToken: string,
  url: string,
  params: Record<string, string>,
  method = 'POST',
): Promise<WebhookReply> {
  const get = method.toUpperCase() === 'GET';
  const target = get
    ? `${url}${url.includes('?') ? '&' : '?'}${new URLSearchParams(params).toString()}`
    : url;
  const response = await fetch(target, {
    method: get ? 'GET' : 'POST',
    headers: {
      ...(get ? {} : { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' }),
      'x-twilio-signature': twilioSignature(authToken, target, get ? {} : params),
      'i-twilio-idempotency-token': randomUUID(),
      'user-agent': 'TwilioProxy/1.1',
    },
    body: get ? undefined : new URLSearchParams(params).toString(),
  });
  return {
    status: response.status,
    contentType: response.headers.get('content-type') ?? undefined,
    body: await response.text(),
  };
}

/** The parameters Twilio sends with every request about a call. */
export function callParams(call: CallState): Record<string, string> {
  return {
    AccountSid: call.accountSid,
    ApiVersion: '2010-04-01',
    CallSid: call.sid,
    CallStatus: call.status,
    Called: call.to,
    Caller: call.from,
    Direction: 'outbound-api',
    From: call.from,
    To: call.to,
  };
}

/** The form fields of a message status callback. */
export function messageStatusParams(message: MessageState, errorCode?: string): Record<string, string> {
  const service = message.params.MessagingServiceSid;
  return {
    AccountSid: message.accountSid,
    ApiVersion: '2010-04-01',
    MessageSid: message.sid,
    MessageStatus: message.status,
    SmsSid: message.sid,
    SmsStatus: message.status,
    To: message.to,
    ...(message.from ? { From: message.from } : {}),
    ...(service ? { MessagingServiceSid: service } : {}),
    ...(errorCode ? { ErrorCode: errorCode } : {}),
  };
}

/** The form fields of an inbound SMS webhook. */
export function inboundSmsParams(
  accountSid: string,
  sms: { from: string; to: string; body: string },
): Record<string, string> {
  const sid = twilioSid('SM');
  return {
    AccountSid: accountSid,
    ApiVersion: '2010-04-01',
    Body: sms.body,
    From: sms.from,
    To: sms.to,
    MessageSid: sid,
    SmsSid: sid,
    SmsMessageSid: sid,
    NumMedia: '0',
    NumSegments: '1',
    SmsStatus: 'received',
  };
}

/** The form fields of a call status callback; a completed call reports its duration. */
export function callStatusParams(call: CallState, durationSeconds: number): Record<string, string> {
  const done = call.status === 'completed';
  return {
    ...callParams(call),
    CallbackSource: 'call-progress-events',
    Timestamp: new Date().toUTCString().replace('GMT', '+0000'),
    ...(done
      ? { CallDuration: String(durationSeconds), Duration: String(Math.ceil(durationSeconds / 60)) }
      : {}),
  };
}
