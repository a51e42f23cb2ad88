// The Twilio REST endpoints the fake serves: Basic auth, form parameters, Messages and Calls.
import type { FakeRequest, FakeResponse } from './fake-http.js';
import type { Recorder } from './recorder.js';
import { callResource, messageResource } from './twilio-resources.js';
import { TwilioRestError, checkCallParams, checkMessageParams, twilioSid } from './twilio-rest.js';
import type { CallState, MessageState } from './twilio-webhooks.js';

/** What the REST handler works on: the one account and the records it keeps. */
export interface TwilioAccount {
  accountSid: string;
  authToken: string;
  messages: Recorder<MessageState>;
  calls: Recorder<CallState>;
}

/** An injected fault worded as Twilio words a server error. */
export function twilioFaultResponse(status: number): FakeResponse {
  const message = status === 429 ? 'Too Many Requests' : 'Internal Server Error';
  return { status, body: new TwilioRestError(status, 20000 + status, message).body() };
}

/** The request handler of the Twilio REST API for one account. */
export function twilioApi({
  accountSid,
  authToken,
  messages,
  calls,
}: TwilioAccount): (request: FakeRequest) => FakeResponse {
  const base = `/2010-04-01/Accounts/${accountSid}`;
  const route = (method: string, path: string, p: Record<string, string>): FakeResponse => {
    if (method === 'POST' && path === `${base}/Messages.json`) {
      checkMessageParams(p);
      const sid = twilioSid('SM');
      const status = p.From ? 'queued' : 'accepted'; // a Messaging Service accepts, then picks a sender
      messages.push({
        sid,
        accountSid,
        status,
        to: p.To!,
        from: p.From,
        body: p.Body ?? '',
        statusCallback: p.StatusCallback,
        params: p,
      });
      return { status: 201, body: messageResource(accountSid, sid, p, status, new Date()) };
    }
    if (method === 'POST' && path === `${base}/Calls.json`) {
      checkCallParams(p);
      const sid = twilioSid('CA');
      const [method, statusCallbackMethod] = [p.Method ?? 'POST', p.StatusCallbackMethod ?? 'POST'];
      calls.push({
        sid,
        accountSid,
        from: p.From!,
        to: p.To!,
        status: 'queued',
        url: p.Url,
        method: method.toUpperCase(),
        inlineTwiml: p.Twiml,
        current: undefined,
        statusCallback: p.StatusCallback,
        statusCallbackMethod: statusCallbackMethod.toUpperCase(),
        params: p,
      });
      return { status: 201, body: callResource(accountSid, sid, p, 'queued', new Date()) };
    }
    const [, kind, sid] = /^\/2010-04-01\/Accounts\/\w+\/(Messages|Calls)\/(\w+)\.json$/.exec(path) ?? [];
    const message = kind === 'Messages' ? messages.items.find((m) => m.sid === sid) : undefined;
    const call = kind === 'Calls' ? calls.items.find((c) => c.sid === sid) : undefined;
    if (method === 'GET' && message)
      return {
        status: 200,
        body: messageResource(accountSid, message.sid, message.params, message.status, new Date()),
      };
    if (method === 'GET' && call)
      return { status: 200, body: callResource(accountSid, call.sid, call.params, call.status, new Date()) };
    throw new TwilioRestError(404, 20404, `The requested resource ${path} was not found`);
  };

  return ({ method, url, headers, body }: FakeRequest): FakeResponse => {
    try {
      // Basic auth with the account SID and auth token, for this account's URLs only.
      const [user, password] = Buffer.from((headers.authorization ?? '').replace(/^Basic /i, ''), 'base64')
        .toString()
        .split(':');
      const pathSid = /^\/2010-04-01\/Accounts\/([^/]+)\//.exec(url.pathname)?.[1];
      if (
        user !== accountSid ||
        password !== authToken ||
        (pathSid !== undefined && pathSid !== accountSid)
      ) {
        return {
          ...twilioFaultResponse(401),
          body: new TwilioRestError(401, 20003, 'Authenticate').body(),
          headers: { 'www-authenticate': 'Basic realm="Twilio API"' },
        };
      }
      // Twilio reads parameters from a form body only.
      const form = /^application\/x-www-form-urlencoded/i.test(headers['content-type'] ?? '');
      return route(
        method,
        url.pathname,
        Object.fromEntries(new URLSearchParams(form ? body.toString('utf8') : '')),
      );
    } catch (error) {
      if (!(error instanceof TwilioRestError)) throw error;
      return { status: error.status, body: error.body() };
    }
  };
}
