import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startFakeHttp } from './fake-http.js';
import type { FakeHttpServer } from './fake-http.js';
import { startSlackFake } from './slack-fake.js';
import type { SlackFake } from './slack-fake.js';
import { isValidSlackSignature } from './slack-signature.js';
import { blocks, slackCall } from './slack-test-support.js';

interface Interaction {
  type: string;
  user: { id: string };
  container: { message_ts: string; channel_id: string };
  actions: { action_id: string; value?: string }[];
}

describe('slack fake interactions', () => {
  let slack: SlackFake;
  let app: FakeHttpServer;
  const interactions: Interaction[] = [];
  beforeEach(async () => {
    interactions.length = 0;
    // A stand-in for Tocsin's interactivity endpoint: verifies the signature, records the payload.
    app = await startFakeHttp(
      ({ headers, body }) => {
        const raw = body.toString();
        const [ts, sig] = [headers['x-slack-request-timestamp'], headers['x-slack-signature']] as string[];
        if (!isValidSlackSignature(slack.signingSecret, ts, raw, sig))
          return { status: 401, body: 'bad signature' };
        interactions.push(JSON.parse(new URLSearchParams(raw).get('payload') ?? '') as Interaction);
        return { status: 200, body: '' };
      },
      (status) => ({ status, body: '' }),
    );
    slack = await startSlackFake({ interactivityUrl: `${app.baseUrl}/slack/interactivity` });
  });
  afterEach(async () => {
    await slack.stop();
    await app.stop();
  });

  const call = (method: string, args: Record<string, unknown>, token?: string | null) =>
    slackCall(slack, method, args, token);

  it('clicks a button as a person: a signed block_actions payload the app can verify', async () => {
    const { ts } = await call('chat.postMessage', { channel: 'C0INCIDENT1', text: 'Incident 4', blocks });
    const reply = await slack.click({
      userId: 'U0ANA00001',
      channel: 'C0INCIDENT1',
      ts: ts!,
      actionId: 'ack',
      value: 'PINC4',
    });
    expect(reply.status).toBe(200);
    expect(interactions[0]).toMatchObject({
      type: 'block_actions',
      user: { id: 'U0ANA00001' },
      container: { message_ts: ts, channel_id: 'C0INCIDENT1' },
      actions: [{ action_id: 'ack', value: 'PINC4' }],
    });
    const stale = Math.floor(Date.now() / 1000) - 600;
    const forged = { userId: 'U0ANA00001', channel: 'C0INCIDENT1', ts: ts!, actionId: 'ack' };
    expect((await slack.click({ ...forged, timestamp: stale })).status).toBe(401);
    expect((await slack.click({ ...forged, signingSecret: 'not-the-secret' })).status).toBe(401);
    expect(interactions).toHaveLength(1);
  });
});
