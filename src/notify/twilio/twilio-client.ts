import type { TwilioConfig } from '../../config/config.js';
import { ProviderError } from '../provider.js';

/** How long one Twilio API request may take before it counts as a (retryable) failure. */
export const TWILIO_TIMEOUT_MS = 10_000;

/** The `sid` of a created Twilio resource (a message `SM…` or a call `CA…`). */
interface Created {
  sid: string;
}

/**
 * Creates a Twilio resource (`Messages` or `Calls`) with form parameters under Basic auth. Twilio's
 * 4xx answers (an invalid number, a bad request, wrong credentials) will not succeed on a retry and
 * become non-retryable ProviderErrors, so the dispatcher falls back to the person's next rule; 429,
 * 5xx, network errors and timeouts are retryable.
 */
export async function createTwilioResource(
  settings: TwilioConfig,
  resource: 'Messages' | 'Calls',
  params: Record<string, string>,
  timeoutMs = TWILIO_TIMEOUT_MS,
): Promise<string> {
  const url = `${settings.baseUrl}/2010-04-01/Accounts/${encodeURIComponent(settings.accountSid)}/${resource}.json`;
  const auth = Buffer.from(`${settings.accountSid}:${settings.authToken}`).toString('base64');
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: {
        authorization: `Basic ${auth}`,
        'content-type': 'application/x-www-form-urlencoded; charset=utf-8',
        accept: 'application/json',
      },
      body: new URLSearchParams(params).toString(),
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    const text = error instanceof Error ? error.message : String(error);
    throw new ProviderError(`Twilio: ${text}`, true);
  }
  const body = await response.text().catch(() => '');
  if (response.ok) {
    const created = JSON.parse(body) as Partial<Created>;
    if (typeof created.sid !== 'string') throw new ProviderError('Twilio: the answer has no sid', true);
    return created.sid;
  }
  let detail = body.slice(0, 200);
  try {
    const parsed = JSON.parse(body) as { code?: number; message?: string };
    detail = `${parsed.message ?? 'error'}${parsed.code === undefined ? '' : ` (code ${parsed.code})`}`;
  } catch {
    // Not Twilio's JSON (a proxy's page): keep the start of the body.
  }
  const retryable = response.status === 429 || response.status >= 500;
  throw new ProviderError(`Twilio ${response.status}: ${detail}`, retryable);
}

/** The E.164 number of an SMS or phone contact method (`+<country code><address>`). */
export function e164(contact: { address: string; details: Record<string, unknown> }): string {
  if (contact.address.startsWith('+')) return contact.address;
  const code = contact.details.country_code;
  return `+${typeof code === 'number' ? code : 1}${contact.address}`;
}
