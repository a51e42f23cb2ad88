import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startFakeHttp } from './fake-http.js';
import type { FakeHttpServer, FakeRequest } from './fake-http.js';
import { startTwilioFake } from './twilio-fake.js';
import type { TwilioFake } from './twilio-fake.js';
import { isValidTwilioSignature } from './twilio-signature.js';

const TO = '+15005550006';
const FROM = '+15017122661';

/** A stand-in for Tocsin's webhooks: records each request and whether its signature is valid. */
async function startApp(authToken: () => string) {
  const received: { path: string; params: Record<string, string>; signed: boolean }[] = [];
  let app: FakeHttpServer | undefined = undefined;
  app = await startFakeHttp(
    ({ url, headers, body }: FakeRequest) => {
      const params = Object.fromEntries(new URLSearchParams(body.toString()));
      const fullUrl = `${app?.baseUrl}${url.pathname}${url.search}`;
      const signature = headers['x-twilio-signature'] as string | undefined;
      received.push({
        path: url.pathname,
        params,
        signed: isValidTwilioSignature(authToken(), signature, fullUrl, params),
      });
      const xml = (inner: string) => ({
        status: 200,
        body: `<Response>${inner}</Response>`,
        headers: { 'content-type': 'text/xml' },
      });
      if (url.pathname === '/voice') {
        return xml(
          '<Say>Checkout is down.</Say><Gather action="/voice/keys" numDigits="1"><Say>Press 1 to acknowledge.</Say></Gather>',
        );
      }
      if (url.pathname === '/voice/keys')
        return xml(`<Say>${params.Digits === '1' ? 'Acknowledged.' : 'Unknown key.'}</Say><Hangup/>`);
      if (url.pathname === '/sms') return xml('<Message>Incident 4 acknowledged</Message>');
      return { status: 204, body: '' };
    },
    (status) => ({ status, body: '' }),
  );
  return { app, received };
}

describe('twilio fake', () => {
  let twilio: TwilioFake;
  let app: Awaited<ReturnType<typeof startApp>>;
  beforeEach(async () => {
    app = await startApp(() => twilio.authToken);
    twilio = await startTwilioFake({ smsUrl: `${app.app.baseUrl}/sms` });
  });
  afterEach(async () => {
    await twilio.stop();
    await app.app.stop();
  });

  const post = (
    resource: string,
    params: Record<string, string>,
    auth = `${twilio.accountSid}:${twilio.authToken}`,
    sid = twilio.accountSid,
  ) =>
    fetch(`${twilio.baseUrl}/2010-04-01/Accounts/${sid}/${resource}.json`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(auth).toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams(params),
    });

  it("creates a message shaped like Twilio's and records it", async () => {
    const response = await post('Messages', {
      To: TO,
      From: FROM,
      Body: 'Incident 4: disk full. Reply 4a to ack',
      StatusCallback: `${app.app.baseUrl}/status`,
    });
    expect(response.status).toBe(201);
    const body = (await response.json()) as Record<string, unknown>;
    expect(body).toMatchObject({
      account_sid: twilio.accountSid,
      to: TO,
      from: FROM,
      status: 'queued',
      direction: 'outbound-api',
      api_version: '2010-04-01',
    });
    expect(body.sid).toMatch(/^SM[0-9a-f]{32}$/);
    expect(body.date_created).toMatch(/^\w{3}, \d{2} \w{3} \d{4} \d{2}:\d{2}:\d{2} \+0000$/);
    const recorded = await twilio.messages.waitFor((m) => m.to === TO, 1000);
    expect(recorded).toMatchObject({ sid: body.sid, body: 'Incident 4: disk full. Reply 4a to ack' });
    const fetched = await fetch(`${twilio.baseUrl}${String(body.uri)}`, {
      headers: {
        authorization: `Basic ${Buffer.from(`${twilio.accountSid}:${twilio.authToken}`).toString('base64')}`,
      },
    });
    expect(await fetched.json()).toMatchObject({ sid: body.sid, status: 'queued' });
  });

  it("rejects bad credentials, another account's URL and a missing or invalid field with Twilio's error JSON", async () => {
    const bad = await post('Messages', { To: TO, From: FROM, Body: 'x' }, `${twilio.accountSid}:wrong`);
    expect(bad.status).toBe(401);
    expect(bad.headers.get('www-authenticate')).toMatch(/^Basic/);
    expect(await bad.json()).toEqual({
      code: 20003,
      message: 'Authenticate',
      more_info: 'https://www.twilio.com/docs/errors/20003',
      status: 401,
    });
    expect(
      (await post('Messages', { To: TO, From: FROM, Body: 'x' }, undefined, `AC${'0'.repeat(32)}`)).status,
    ).toBe(401);
    const cases: [string, Record<string, string>, number][] = [
      ['Messages', { To: TO, From: FROM }, 21602],
      ['Messages', { From: FROM, Body: 'x' }, 21604],
      ['Messages', { To: '555-0100', From: FROM, Body: 'x' }, 21211],
      ['Messages', { To: TO, Body: 'x' }, 21603],
      ['Messages', { To: TO, From: FROM, Body: 'x', StatusCallback: 'not a url' }, 21609],
      ['Calls', { To: TO, From: FROM }, 21205],
      ['Calls', { From: FROM, Url: 'http://x.test/' }, 21201],
      ['Calls', { To: TO, Url: 'http://x.test/' }, 21213],
    ];
    for (const [resource, params, code] of cases) {
      const response = await post(resource, params);
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({
        code,
        status: 400,
        more_info: `https://www.twilio.com/docs/errors/${code}`,
      });
    }
    expect(twilio.messages.items).toHaveLength(0);
    expect(twilio.calls.items).toHaveLength(0);
  });

  it('sends signed status callbacks for messages and calls', async () => {
    const created = (await (
      await post('Messages', {
        To: TO,
        MessagingServiceSid: `MG${'a'.repeat(32)}`,
        Body: 'x',
        StatusCallback: `${app.app.baseUrl}/status?n=7`,
      })
    ).json()) as { sid: string; status: string };
    expect(created.status).toBe('accepted');
    expect((await twilio.sendMessageStatus(created.sid, 'delivered')).status).toBe(204);
    expect(app.received.at(-1)).toMatchObject({
      path: '/status',
      signed: true,
      params: { MessageSid: created.sid, MessageStatus: 'delivered', To: TO },
    });
    const call = (await (
      await post('Calls', {
        To: TO,
        From: FROM,
        Url: `${app.app.baseUrl}/voice`,
        StatusCallback: `${app.app.baseUrl}/call-status`,
      })
    ).json()) as { sid: string };
    await twilio.sendCallStatus(call.sid, 'completed', 42);
    expect(app.received.at(-1)).toMatchObject({
      signed: true,
      params: { CallSid: call.sid, CallStatus: 'completed', CallDuration: '42' },
    });
  });

  it("simulates an inbound SMS to the app's webhook, signed, and reads the reply", async () => {
    const reply = await twilio.receiveSms({ from: TO, to: FROM, body: '4a' });
    expect(reply.status).toBe(200);
    expect(reply.body).toContain('Incident 4 acknowledged');
    expect(app.received.at(-1)).toMatchObject({
      path: '/sms',
      signed: true,
      params: { From: TO, To: FROM, Body: '4a', AccountSid: twilio.accountSid },
    });
    expect(app.received.at(-1)?.params.MessageSid).toMatch(/^SM[0-9a-f]{32}$/);
  });

  it('answers a call by fetching its TwiML and presses a key into the <Gather> action', async () => {
    const call = (await (
      await post('Calls', { To: TO, From: FROM, Url: `${app.app.baseUrl}/voice` })
    ).json()) as { sid: string; status: string };
    expect(call).toMatchObject({ status: 'queued' });
    expect(call.sid).toMatch(/^CA[0-9a-f]{32}$/);
    const first = await twilio.answerCall(call.sid);
    expect(first.says).toEqual(['Checkout is down.', 'Press 1 to acknowledge.']);
    expect(app.received.at(-1)).toMatchObject({
      path: '/voice',
      signed: true,
      params: { CallSid: call.sid, From: FROM, To: TO },
    });
    const next = await twilio.press(call.sid, '1');
    expect(next.says).toEqual(['Acknowledged.']);
    expect(next.hangup).toBe(true);
    expect(app.received.at(-1)).toMatchObject({
      path: '/voice/keys',
      signed: true,
      params: { Digits: '1', CallSid: call.sid },
    });
    await expect(twilio.press(call.sid, '1')).rejects.toThrow(/<Gather>/);
  });

  it('answers injected 500s, delays, and refuses connections while down', async () => {
    const ok = { To: TO, From: FROM, Body: 'x' };
    twilio.fail({ status: 500, times: 1 });
    const failed = await post('Messages', ok);
    expect(failed.status).toBe(500);
    expect(await failed.json()).toMatchObject({ code: 20500, status: 500 });
    expect((await post('Messages', ok)).status).toBe(201);
    twilio.fail({ delayMs: 200, times: 1 });
    const started = Date.now();
    expect((await post('Messages', ok)).status).toBe(201);
    expect(Date.now() - started).toBeGreaterThanOrEqual(190);
    await twilio.down();
    await expect(post('Messages', ok)).rejects.toThrow();
    await twilio.up();
    expect((await post('Messages', ok)).status).toBe(201);
    expect(twilio.messages.items).toHaveLength(3);
    expect(twilio.attempts()).toBe(4); // the refused request never arrived
  });
});
