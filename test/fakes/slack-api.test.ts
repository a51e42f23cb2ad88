import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startSlackFake } from './slack-fake.js';
import type { SlackFake } from './slack-fake.js';
import { blocks, slackCall } from './slack-test-support.js';

describe('slack fake Web API', () => {
  let slack: SlackFake;
  beforeEach(async () => {
    slack = await startSlackFake();
  });
  afterEach(async () => slack.stop());

  const call = (method: string, args: Record<string, unknown>, token?: string | null) =>
    slackCall(slack, method, args, token);

  it('posts to a channel by ID or #name, to a user by DM, and records each post', async () => {
    const posted = await call('chat.postMessage', {
      channel: 'C0INCIDENT1',
      text: 'Incident 4: disk full',
      blocks,
    });
    expect(posted).toMatchObject({
      ok: true,
      channel: 'C0INCIDENT1',
      message: { text: 'Incident 4: disk full', blocks },
    });
    expect(posted.ts).toMatch(/^\d{10}\.\d{6}$/);
    expect(await call('chat.postMessage', { channel: '#incidents', text: 'x' })).toMatchObject({
      ok: true,
      channel: 'C0INCIDENT1',
    });
    const dm = await call('conversations.open', { users: 'U0ANA00001' });
    expect(dm).toMatchObject({ ok: true, channel: { id: 'D0ANA00001' } });
    expect(await call('chat.postMessage', { channel: 'D0ANA00001', text: 'you are on call' })).toMatchObject({
      ok: true,
    });
    const form = await fetch(`${slack.baseUrl}/api/chat.postMessage`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        token: slack.botToken,
        channel: 'U0ANA00001',
        text: 'by form',
        blocks: JSON.stringify(blocks),
      }),
    });
    expect(await form.json()).toMatchObject({ ok: true, channel: 'D0ANA00001', message: { blocks } });
    expect(slack.posts.items.map((p) => p.channel)).toEqual([
      'C0INCIDENT1',
      'C0INCIDENT1',
      'D0ANA00001',
      'D0ANA00001',
    ]);
  });

  it("answers Slack's errors: not_authed, invalid_auth, channel_not_found, no_text, message_not_found, user_not_found", async () => {
    expect(await call('chat.postMessage', { channel: 'C0INCIDENT1', text: 'x' }, null)).toEqual({
      ok: false,
      error: 'not_authed',
    });
    expect(await call('chat.postMessage', { channel: 'C0INCIDENT1', text: 'x' }, 'xoxb-wrong')).toEqual({
      ok: false,
      error: 'invalid_auth',
    });
    expect(await call('chat.postMessage', { channel: 'C0NOPE', text: 'x' })).toEqual({
      ok: false,
      error: 'channel_not_found',
    });
    expect(await call('chat.postMessage', { text: 'x' })).toEqual({ ok: false, error: 'channel_not_found' });
    expect(await call('chat.postMessage', { channel: 'C0INCIDENT1' })).toEqual({
      ok: false,
      error: 'no_text',
    });
    expect(await call('chat.update', { channel: 'C0INCIDENT1', ts: '1.000001', text: 'x' })).toEqual({
      ok: false,
      error: 'message_not_found',
    });
    expect(await call('conversations.open', { users: 'U0NOBODY' })).toEqual({
      ok: false,
      error: 'user_not_found',
    });
    expect(slack.posts.items).toHaveLength(0);
  });

  it('updates a posted message and keeps its current version', async () => {
    const { ts } = await call('chat.postMessage', { channel: 'C0INCIDENT1', text: 'Triggered', blocks });
    const updated = await call('chat.update', {
      channel: 'C0INCIDENT1',
      ts,
      text: 'Acknowledged by Ana',
      blocks: [],
    });
    expect(updated).toMatchObject({
      ok: true,
      channel: 'C0INCIDENT1',
      ts,
      message: { text: 'Acknowledged by Ana' },
    });
    expect(slack.updates.items).toHaveLength(1);
    expect(slack.message('C0INCIDENT1', ts!)?.text).toBe('Acknowledged by Ana');
    // chat.update checks the token, the channel and that the ts is a message of that channel.
    const update = { channel: 'C0INCIDENT1', ts, text: 'Resolved' };
    expect(await call('chat.update', update, 'xoxb-wrong')).toEqual({ ok: false, error: 'invalid_auth' });
    expect(await call('chat.update', { ...update, channel: 'C0NOPE' })).toEqual({
      ok: false,
      error: 'channel_not_found',
    });
    expect(await call('chat.update', { ...update, channel: 'D0ANA00001' })).toEqual({
      ok: false,
      error: 'message_not_found',
    });
    expect(await call('chat.update', { ...update, ts: undefined })).toEqual({
      ok: false,
      error: 'message_not_found',
    });
    expect(slack.updates.items).toHaveLength(1);
  });

  it('answers an injected 429 with Retry-After, and refuses connections while down', async () => {
    slack.fail({ status: 429, times: 1 });
    const limited = await fetch(`${slack.baseUrl}/api/chat.postMessage`, { method: 'POST' });
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('1');
    await slack.down();
    await expect(call('chat.postMessage', { channel: 'C0INCIDENT1', text: 'x' })).rejects.toThrow();
    await slack.up();
    expect(await call('chat.postMessage', { channel: 'C0INCIDENT1', text: 'x' })).toMatchObject({ ok: true });
  });
});
