// A local fake of the Slack Web API subset Tocsin uses, which can also click a button as a person.
import { randomBytes } from 'node:crypto';
import { startFakeHttp } from './fake-http.js';
import type { FakeHttpServer, FakeResponse } from './fake-http.js';
import { Recorder } from './recorder.js';
import { slackApi } from './slack-api.js';
import type { SlackCall, SlackMessage } from './slack-api.js';
import { slackSignature } from './slack-signature.js';

/** The bot token, signing secret, channels, users and the app's interactivity Request URL. */
export interface SlackFakeOptions {
  botToken?: string;
  signingSecret?: string;
  channels?: { id: string; name: string }[];
  users?: { id: string; name: string }[];
  interactivityUrl?: string;
}

/** A button click: who clicked which button on which message; the overrides forge a bad request. */
export interface SlackClick {
  userId: string;
  channel: string;
  ts: string;
  actionId: string;
  value?: string;
  blockId?: string;
  /** Sign with another timestamp (seconds) or secret, to test that the app refuses it. */
  timestamp?: number;
  signingSecret?: string;
}

/** A running Slack fake; point Tocsin's Slack API base URL at `${baseUrl}/api/`. */
export interface SlackFake extends FakeHttpServer {
  botToken: string;
  signingSecret: string;
  posts: Recorder<SlackCall>;
  updates: Recorder<SlackCall>;
  /** The current version of a message (after updates). */
  message(channel: string, ts: string): SlackMessage | undefined;
  /** Posts a signed block_actions interaction to the interactivity URL; resolves with the app's answer. */
  click(click: SlackClick, url?: string): Promise<{ status: number; body: string }>;
}

const faultResponse = (status: number): FakeResponse =>
  status === 429
    ? { status, body: { ok: false, error: 'ratelimited' }, headers: { 'retry-after': '1' } }
    : {
        status,
        body: `<html><body>${status} upstream error</body></html>`,
        headers: { 'content-type': 'text/html' },
      };

/** Starts the fake on 127.0.0.1 with an ephemeral port. */
export async function startSlackFake(options: SlackFakeOptions = {}): Promise<SlackFake> {
  const botToken = options.botToken ?? `xoxb-1-2-${randomBytes(12).toString('hex')}`;
  const signingSecret = options.signingSecret ?? randomBytes(16).toString('hex');
  const users = options.users ?? [{ id: 'U0ANA00001', name: 'ana' }];
  const ws = {
    botToken,
    botUserId: 'U0TOCSINBOT',
    channels: options.channels ?? [{ id: 'C0INCIDENT1', name: 'incidents' }],
    users,
    posts: new Recorder<SlackCall>(),
    updates: new Recorder<SlackCall>(),
    messages: new Map<string, SlackMessage>(),
  };
  const server = await startFakeHttp(slackApi(ws), faultResponse);

  return {
    ...server,
    botToken,
    signingSecret,
    posts: ws.posts,
    updates: ws.updates,
    message: (channel, ts) => ws.messages.get(`${channel}/${ts}`),
    async click(click, url = options.interactivityUrl) {
      if (!url) throw new Error('no interactivityUrl configured');
      const message = ws.messages.get(`${click.channel}/${click.ts}`);
      if (!message) throw new Error(`no message ${click.ts} in ${click.channel}`);
      const user = users.find((u) => u.id === click.userId);
      const now = Date.now() / 1000;
      const payload = {
        type: 'block_actions',
        user: { id: click.userId, username: user?.name, name: user?.name, team_id: 'T0TOCSIN01' },
        api_app_id: 'A0TOCSIN01',
        token: 'deprecated-verification-token',
        container: { type: 'message', message_ts: click.ts, channel_id: click.channel, is_ephemeral: false },
        trigger_id: `${Math.floor(now)}.1.${randomBytes(8).toString('hex')}`,
        team: { id: 'T0TOCSIN01', domain: 'tocsin' },
        channel: {
          id: click.channel,
          name: ws.channels.find((c) => c.id === click.channel)?.name ?? 'directmessage',
        },
        message,
        response_url: `${server.baseUrl}/actions/${randomBytes(8).toString('hex')}`,
        actions: [
          {
            type: 'button',
            action_id: click.actionId,
            block_id: click.blockId ?? 'actions',
            value: click.value,
            action_ts: now.toFixed(6),
          },
        ],
      };
      const body = new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
      const timestamp = String(click.timestamp ?? Math.floor(now));
      const response = await fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          'user-agent': 'Slackbot 1.0 (+https://api.slack.com/robots)',
          'x-slack-request-timestamp': timestamp,
          'x-slack-signature': slackSignature(click.signingSecret ?? signingSecret, timestamp, body),
        },
        body,
      });
      return { status: response.status, body: await response.text() };
    },
  };
}
