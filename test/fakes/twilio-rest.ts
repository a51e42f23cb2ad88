// The Twilio REST shapes the fake answers with: resources, errors, and the checks on their input.
import { randomBytes } from 'node:crypto';

/** Twilio's JSON error body. */
export interface TwilioErrorBody {
  code: number;
  message: string;
  more_info: string;
  status: number;
}

/** An HTTP status with Twilio's error JSON, as the REST API answers a bad request. */
export class TwilioRestError extends Error {
  constructor(
    readonly status: number,
    readonly code: number,
    message: string,
  ) {
    super(message);
  }

  /** The body Twilio sends with this error. */
  body(): TwilioErrorBody {
    const { code, message, status } = this;
    return { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status };
  }
}

/** A Twilio SID: two-letter prefix and 32 lower-case hex digits (34 characters). */
export function twilioSid(prefix: 'SM' | 'CA' | 'AC' | 'MG'): string {
  return prefix + randomBytes(16).toString('hex');
}

/** Twilio's date format (RFC 2822 in UTC), e.g. `Thu, 24 Aug 2023 05:01:45 +0000`. */
export function twilioDate(date: Date): string {
  return date.toUTCString().replace('GMT', '+0000');
}

const E164 = /^\+[1-9]\d{6,14}$/;

function checkUrl(value: string | undefined, code: number, message: string): void {
  if (value === undefined) return;
  try {
    if (!/^https?:$/.test(new URL(value).protocol)) throw new Error();
  } catch {
    throw new TwilioRestError(400, code, message);
  }
}

/** Rejects a Messages.json create request the way Twilio does (first problem wins). */
export function checkMessageParams(p: Record<string, string>): void {
  if (!p.To) throw new TwilioRestError(400, 21604, "A 'To' phone number is required.");
  if (!E164.test(p.To))
    throw new TwilioRestError(400, 21211, `The 'To' number ${p.To} is not a valid phone number.`);
  if (!p.From && !p.MessagingServiceSid)
    throw new TwilioRestError(400, 21603, "A 'From' phone number is required.");
  if (p.From && !E164.test(p.From) && !/^[A-Za-z0-9 ]{1,11}$/.test(p.From)) {
    throw new TwilioRestError(
      400,
      21212,
      `The 'From' number ${p.From} is not a valid phone number, shortcode, or alphanumeric sender ID.`,
    );
  }
  if (p.MessagingServiceSid && !/^MG[0-9a-f]{32}$/.test(p.MessagingServiceSid)) {
    throw new TwilioRestError(400, 21701, `The Messaging Service Sid ${p.MessagingServiceSid} is invalid.`);
  }
  if (!p.Body && !p.MediaUrl) throw new TwilioRestError(400, 21602, 'Message body is required.');
  if ((p.Body ?? '').length > 1600) {
    throw new TwilioRestError(400, 21617, 'The concatenated message body exceeds the 1600 character limit.');
  }
  checkUrl(p.StatusCallback, 21609, 'Invalid StatusCallback url');
}

/** Rejects a Calls.json create request the way Twilio does (first problem wins). */
export function checkCallParams(p: Record<string, string>): void {
  if (!p.To) throw new TwilioRestError(400, 21201, "No 'To' number is specified");
  if (!E164.test(p.To))
    throw new TwilioRestError(400, 21211, `The 'To' number ${p.To} is not a valid phone number.`);
  if (!p.From) throw new TwilioRestError(400, 21213, "No 'From' number is specified");
  if (!E164.test(p.From))
    throw new TwilioRestError(400, 21212, `The 'From' number ${p.From} is not a valid phone number.`);
  if (!p.Url && !p.Twiml) throw new TwilioRestError(400, 21205, 'Url parameter is required.');
  checkUrl(p.Url, 21205, `Url is not a valid URL: ${p.Url}`);
  checkUrl(p.StatusCallback, 21609, 'Invalid StatusCallback url');
  for (const key of ['Method', 'StatusCallbackMethod'] as const) {
    const method = p[key];
    if (method !== undefined && !/^(GET|POST)$/i.test(method)) {
      throw new TwilioRestError(400, 21200, `${key} must be GET or POST`);
    }
  }
}
