import { createServer } from 'node:net';
import type { Backend } from './backends.js';
import { startTwilioFake, type TwilioFake } from '../fakes/twilio-fake.js';
import { startTestApp, type TestApp } from './test-app.js';

/** Tocsin's Twilio number in the SMS and voice scenarios. */
export const TOCSIN_NUMBER = '+15559990000';

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** A listening test app wired to a Twilio fake (Twilio's webhooks reach it over HTTP). */
export interface TwilioTestApp {
  t: TestApp;
  twilio: TwilioFake;
  /** The app's public URL (its TOCSIN_BASE_URL). */
  url: string;
  close(): Promise<void>;
}

/**
 * Starts the Twilio fake and an app that uses it for SMS and calls, listening on a free local port;
 * `providerTimeoutMs` shortens the bound on each Twilio request (fault tests).
 */
export async function startTwilioApp(
  backend: Backend,
  options: { providerTimeoutMs?: number } = {},
): Promise<TwilioTestApp> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const twilio = await startTwilioFake({ smsUrl: `${url}/twilio/sms` });
  const t = await startTestApp(backend.fresh(), {
    config: {
      baseUrl: url,
      twilio: {
        baseUrl: twilio.baseUrl,
        accountSid: twilio.accountSid,
        authToken: twilio.authToken,
        from: TOCSIN_NUMBER,
      },
      ...options,
    },
  });
  await t.app.listen({ port, host: '127.0.0.1' });
  return {
    t,
    twilio,
    url,
    close: async () => {
      await t.close();
      await twilio.stop();
    },
  };
}
