// Helpers of the Slack fake's own tests: a Web API client and a message with a button.
import type { SlackFake } from './slack-fake.js';

/** What the Web API answers, in the parts these tests read. */
export interface SlackAnswer {
  ok: boolean;
  error?: string;
  channel?: unknown;
  ts?: string;
  message?: { text: string };
}

/** Calls a Web API method with a JSON body and the bot token (or another, or none). */
export async function slackCall(
  slack: SlackFake,
  method: string,
  args: Record<string, unknown>,
  token: string | null = slack.botToken,
): Promise<SlackAnswer> {
  const response = await fetch(`${slack.baseUrl}/api/${method}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json; charset=utf-8',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify(args),
  });
  return (await response.json()) as SlackAnswer;
}

/** Blocks with an Acknowledge button, as Tocsin would post. */
export const blocks = [
  {
    type: 'actions',
    elements: [
      { type: 'button', action_id: 'ack', value: 'PINC4', text: { type: 'plain_text', text: 'Acknowledge' } },
    ],
  },
];
