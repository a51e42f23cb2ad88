import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Whether `X-Twilio-Signature` is Twilio's: base64 HMAC-SHA1, keyed with the auth token, of the full
 * URL Twilio requested (query string included) followed by each POST parameter's name and value,
 * sorted by name. Compared in constant time.
 */
export function validTwilioSignature(
  authToken: string,
  signature: string | undefined,
  url: string,
  params: Record<string, string>,
): boolean {
  if (!signature) return false;
  let data = url;
  for (const name of Object.keys(params).sort()) data += name + params[name];
  const expected = Buffer.from(createHmac('sha1', authToken).update(data, 'utf8').digest('base64'));
  const received = Buffer.from(signature);
  return expected.length === received.length && timingSafeEqual(expected, received);
}

const XML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
};

/** Escapes text for TwiML. */
export const xml = (text: string) => text.replace(/[&<>"']/g, (c) => XML_ESCAPES[c]!);
