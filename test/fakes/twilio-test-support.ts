// Helpers of the Twilio fake's own tests: an app stand-in that answers webhooks, and a REST client.
import { startFakeHttp } from './fake-http.js';
import type { FakeHttpServer, FakeRequest } from './fake-http.js';
import type { TwilioFake } from './twilio-fake.js';
import { isValidTwilioSignature } from './twilio-signature.js';

/** The number Tocsin pages. */
export const TO = '+15005550006';
/** Tocsin's Twilio number. */
export const FROM = '+15017122661';

/** A stand-in for Tocsin's webhooks (TwiML at /voice, /voice/keys, /sms): records each request and whether its signature is valid. */
export async function startApp(authToken: () => string) {
  const received: { path: string; params: Record<string, string>; signed: boolean }[] = [];
  let app: FakeHttpServer | undefined = undefined;
  app = await startFakeHttp(
    ({ url, headers, body }: FakeRequest) => {
      const params = Object.fromEntries(new URLSearchParams(body.toString()));
      const fullUrl = `${app?.baseUrl}${url.pathname}${url.search}`;
      const signature = headers['x-twilio-signature'] as string | undefined;
      received.push({
        path: url.pathname,
        params,
        signed: isValidTwilioSignature(authToken(), signature, fullUrl, params),
      });
      const xml = (inner: string) => ({
        status: 200,
        body: `<Response>${inner}</Response>`,
        headers: { 'content-type': 'text/xml' },
      });
      if (url.pathname === '/voice') {
        return xml(
          '<Say>Checkout is down.</Say><Gather action="/voice/keys" numDigits="1"><Say>Press 1 to acknowledge.</Say></Gather>',
        );
      }
      if (url.pathname === '/voice/keys')
        return xml(`<Say>${params.Digits === '1' ? 'Acknowledged.' : 'Unknown key.'}</Say><Hangup/>`);
      if (url.pathname === '/sms') return xml('<Message>Incident 4 acknowledged</Message>');
      return { status: 204, body: '' };
    },
    (status) => ({ status, body: '' }),
  );
  return { app, received };
}

/** Creates a resource (Messages, Calls) on the fake with form parameters and Basic auth. */
export function twilioPost(
  twilio: TwilioFake,
  resource: string,
  params: Record<string, string>,
  auth = `${twilio.accountSid}:${twilio.authToken}`,
  sid = twilio.accountSid,
): Promise<Response> {
  return fetch(`${twilio.baseUrl}/2010-04-01/Accounts/${sid}/${resource}.json`, {
    method: 'POST',
    headers: {
      authorization: `Basic ${Buffer.from(auth).toString('base64')}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: new URLSearchParams(params),
  });
}
