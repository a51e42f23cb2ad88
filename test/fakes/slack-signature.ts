// Slack's request signature (X-Slack-Signature), as Slack signs interaction and event requests.
import { createHmac, timingSafeEqual } from 'node:crypto';

/** `v0=` + hex HMAC-SHA256, keyed with the signing secret, of `v0:<timestamp>:<raw body>`. */
export function slackSignature(signingSecret: string, timestamp: number | string, body: string): string {
  return `v0=${createHmac('sha256', signingSecret).update(`v0:${timestamp}:${body}`, 'utf8').digest('hex')}`;
}

/** Whether a request's signature matches and its timestamp is within five minutes of now (Slack's advice). */
export function isValidSlackSignature(
  signingSecret: string,
  timestamp: string | undefined,
  body: string,
  signature: string | undefined,
  nowMs = Date.now(),
): boolean {
  if (!timestamp || !signature || !/^\d+$/.test(timestamp)) return false;
  if (Math.abs(nowMs / 1000 - Number(timestamp)) > 300) return false;
  const expected = Buffer.from(slackSignature(signingSecret, timestamp, body));
  const received = Buffer.from(signature);
  return expected.length === received.length && timingSafeEqual(expected, received);
}
