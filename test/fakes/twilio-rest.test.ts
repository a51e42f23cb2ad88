import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startTwilioFake } from './twilio-fake.js';
import type { TwilioFake } from './twilio-fake.js';
import { FROM, TO, twilioPost } from './twilio-test-support.js';

const STATUS_URL = 'https://tocsin.test/twilio/status';

describe('twilio fake REST API', () => {
  let twilio: TwilioFake;
  beforeEach(async () => {
    twilio = await startTwilioFake();
  });
  afterEach(async () => twilio.stop());

  const post = (resource: string, params: Record<string, string>, auth?: string, sid?: string) =>
    twilioPost(twilio, resource, params, auth, sid);

  it("creates a message shaped like Twilio's and records it", async () => {
    const response = await post('Messages', {
      To: TO,
      From: FROM,
      Body: 'Incident 4: disk full. Reply 4a to ack',
      StatusCallback: STATUS_URL,
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
