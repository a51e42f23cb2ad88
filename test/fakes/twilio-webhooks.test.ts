import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startTwilioFake } from './twilio-fake.js';
import type { TwilioFake } from './twilio-fake.js';
import { FROM, TO, startApp, twilioPost } from './twilio-test-support.js';

describe('twilio fake webhooks', () => {
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

  const post = (resource: string, params: Record<string, string>, auth?: string, sid?: string) =>
    twilioPost(twilio, resource, params, auth, sid);

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
});
