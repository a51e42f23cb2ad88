import { createHmac, timingSafeEqual } from 'node:crypto';

/** How far a request's timestamp may be from now (Slack's guidance: 5 minutes), against replays. */
export const SLACK_MAX_AGE_SECONDS = 300;

/**
 * Checks Slack's request signature: `v0=` + hex HMAC-SHA256 of `v0:<timestamp>:<raw body>` under
 * the signing secret, with a timestamp within five minutes of `nowSeconds`.
 */
export function verifySlackSignature(
  secret: string,
  timestamp: string | undefined,
  rawBody: string,
  signature: string | undefined,
  nowSeconds: number,
): boolean {
  if (!timestamp || !/^\d+$/.test(timestamp) || !signature) return false;
  if (Math.abs(nowSeconds - Number(timestamp)) > SLACK_MAX_AGE_SECONDS) return false;
  const expected = Buffer.from(
    `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${rawBody}`).digest('hex')}`,
  );
  const given = Buffer.from(signature);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
