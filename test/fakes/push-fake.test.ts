import https from 'node:https';
import webpush from 'web-push';
import type { WebPushError } from 'web-push';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startPushFake } from './push-fake.js';
import type { PushFake } from './push-fake.js';

const vapid = webpush.generateVAPIDKeys();
const vapidDetails = {
  subject: 'mailto:ops@tocsin.test',
  publicKey: vapid.publicKey,
  privateKey: vapid.privateKey,
};

function statusOf(promise: Promise<unknown>): Promise<number> {
  return promise.then(
    () => 0,
    (error: WebPushError) => error.statusCode,
  );
}

describe('push fake', () => {
  let push: PushFake;
  beforeEach(async () => {
    push = await startPushFake();
  });
  afterEach(async () => push.stop());

  it("round-trips a JSON payload sent by web-push's sendNotification (VAPID, aes128gcm)", async () => {
    const subscription = push.createSubscription({ applicationServerKey: vapid.publicKey });
    const payload = {
      title: 'Incident 4: disk full',
      incidentId: 'PINC4',
      actions: ['acknowledge', 'resolve'],
    };
    const result = await webpush.sendNotification(subscription, JSON.stringify(payload), {
      vapidDetails,
      TTL: 60,
      urgency: 'high',
      topic: 'PINC4',
      agent: push.agent,
    });
    expect(result.statusCode).toBe(201);
    const received = await push.received.waitFor((p) => p.endpoint === subscription.endpoint, 1000);
    expect(received).toMatchObject({ json: payload, ttl: 60, urgency: 'high', topic: 'PINC4' });
    expect(received.vapid).toMatchObject({ subject: 'mailto:ops@tocsin.test', publicKey: vapid.publicKey });
  });

  it('decrypts a large payload (3000 bytes, near the 4096-byte limit)', async () => {
    const subscription = push.createSubscription();
    const text = 'x'.repeat(3000);
    await webpush.sendNotification(subscription, text, { vapidDetails, agent: push.agent });
    expect((await push.received.waitFor()).payload).toBe(text);
  });

  /** Posts a request web-push built, with some headers replaced (undefined removes one). */
  function post(
    endpoint: string,
    headers: Record<string, string | undefined>,
    body: Buffer | null,
  ): Promise<number> {
    const clean = Object.fromEntries(
      Object.entries(headers).filter((e): e is [string, string] => e[1] !== undefined),
    );
    return new Promise((resolve, reject) => {
      const request = https.request(
        endpoint,
        { method: 'POST', headers: clean, agent: push.agent },
        (response) => {
          response.resume();
          response.on('end', () => resolve(response.statusCode ?? 0));
        },
      );
      request.on('error', reject);
      request.end(body ?? undefined);
    });
  }

  it('refuses a push without VAPID (401), or with a bad signature, audience, expiry or key (403)', async () => {
    const subscription = push.createSubscription({ applicationServerKey: vapid.publicKey });
    const { headers, body } = webpush.generateRequestDetails(subscription, 'hi', { vapidDetails, TTL: 60 });
    const now = Math.floor(Date.now() / 1000);
    const jwt = (audience: string, expiration: number) =>
      webpush.getVapidHeaders(
        audience,
        vapidDetails.subject,
        vapid.publicKey,
        vapid.privateKey,
        'aes128gcm',
        expiration,
      ).Authorization;
    const tampered = headers.Authorization!.replace(
      /t=([^.]+\.[^.]+\.)(.)/,
      (_, head: string, c: string) => `t=${head}${c === 'A' ? 'B' : 'A'}`,
    );
    expect(await post(subscription.endpoint, { ...headers, Authorization: undefined }, body)).toBe(401);
    expect(await post(subscription.endpoint, { ...headers, Authorization: tampered }, body)).toBe(403);
    expect(
      await post(
        subscription.endpoint,
        { ...headers, Authorization: jwt('https://push.example.net', now + 600) },
        body,
      ),
    ).toBe(403);
    expect(
      await post(subscription.endpoint, { ...headers, Authorization: jwt(push.baseUrl, now - 10) }, body),
    ).toBe(403);
    const other = webpush.generateVAPIDKeys();
    const otherDetails = { ...vapidDetails, publicKey: other.publicKey, privateKey: other.privateKey };
    const sent = webpush.sendNotification(subscription, 'hi', {
      vapidDetails: otherDetails,
      agent: push.agent,
    });
    expect(await statusOf(sent)).toBe(403);
    expect(await post(subscription.endpoint, headers, body)).toBe(201);
    expect(push.received.items).toHaveLength(1);
  });

  it('refuses a push without TTL, one encrypted for another subscription, and pushes to ended or unknown subscriptions', async () => {
    const subscription = push.createSubscription();
    const { headers, body } = webpush.generateRequestDetails(subscription, 'hi', { vapidDetails, TTL: 60 });
    expect(await post(subscription.endpoint, { ...headers, TTL: undefined }, body)).toBe(400);
    const stranger = push.createSubscription();
    const forStranger = webpush.generateRequestDetails(stranger, 'hi', { vapidDetails, TTL: 60 });
    expect(await post(subscription.endpoint, forStranger.headers, forStranger.body)).toBe(400);
    push.unsubscribe(subscription.endpoint);
    expect(
      await statusOf(webpush.sendNotification(subscription, 'hi', { vapidDetails, agent: push.agent })),
    ).toBe(410);
    expect(await post(`${push.baseUrl}/push/unknown`, headers, body)).toBe(404);
    expect(push.received.items).toHaveLength(0);
  });

  it('answers injected faults and refuses connections while down', async () => {
    const subscription = push.createSubscription();
    push.fail({ status: 503, times: 1 });
    expect(
      await statusOf(webpush.sendNotification(subscription, 'a', { vapidDetails, agent: push.agent })),
    ).toBe(503);
    await push.down();
    await expect(
      webpush.sendNotification(subscription, 'b', { vapidDetails, agent: push.agent }),
    ).rejects.toThrow(/ECONNREFUSED/);
    await push.up();
    expect(
      (await webpush.sendNotification(subscription, 'c', { vapidDetails, agent: push.agent })).statusCode,
    ).toBe(201);
    expect(push.received.items.map((p) => p.payload)).toEqual(['c']);
  });
});
