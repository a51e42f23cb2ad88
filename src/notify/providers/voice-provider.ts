import type { TwilioConfig } from '../../config/config.js';
import type { Provider } from '../provider.js';
import { createTwilioResource, e164 } from '../twilio/twilio-client.js';

/**
 * Phone calls through Twilio's Calls API. When the call is answered Twilio fetches its TwiML from
 * `/twilio/voice?notification=<id>` (text-to-speech and a keypress menu); the call's status callback
 * marks the notification delivered (answered) or failed (busy, no answer, failed).
 */
export function voiceProvider(
  settings: TwilioConfig & { timeoutMs?: number },
  publicBaseUrl: string,
): Provider {
  return {
    name: 'twilio_voice',
    send: async (message) => {
      const id = encodeURIComponent(message.notificationId);
      const sid = await createTwilioResource(
        settings,
        'Calls',
        {
          To: e164(message.contact),
          From: settings.from,
          Url: `${publicBaseUrl}/twilio/voice?notification=${id}`,
          StatusCallback: `${publicBaseUrl}/twilio/status?notification=${id}`,
        },
        settings.timeoutMs,
      );
      return { status: 'sent', providerRef: sid };
    },
  };
}
