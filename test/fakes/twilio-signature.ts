// Twilio's request signature (X-Twilio-Signature), as Twilio computes it for webhooks.
import { createHmac, timingSafeEqual } from 'node:crypto';

/** POST parameters of a webhook; a repeated parameter carries several values. */
export type TwilioParams = Record<string, string | readonly string[]>;

/**
 * The X-Twilio-Signature value: base64 of HMAC-SHA1, keyed with the auth token, over the full URL
 * (query string included) followed by every POST parameter's name and value, sorted by name.
 */
export function twilioSignature(authToken: string, url: string, params: TwilioParams = {}): string {
  let data = url;
  for (const name of Object.keys(params).sort()) {
    const value = params[name] ?? '';
    const values = typeof value === 'string' ? [value] : [...value].sort();
    for (const v of values) data += name + v;
  }
  return createHmac('sha1', authToken).update(data, 'utf8').digest('base64');
}

/** Whether a received X-Twilio-Signature matches the URL and parameters (constant-time compare). */
export function isValidTwilioSignature(
  authToken: string,
  signature: string | undefined,
  url: string,
  params: TwilioParams = {},
): boolean {
  if (!signature) return false;
  const expected = Buffer.from(twilioSignature(authToken, url, params));
  const received = Buffer.from(signature);
  return expected.length === received.length && timingSafeEqual(expected, received);
}
