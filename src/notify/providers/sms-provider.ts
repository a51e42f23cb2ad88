import type { TwilioConfig } from '../../config/config.js';
import type { Provider } from '../provider.js';
import { createTwilioResource, e164 } from '../twilio/twilio-client.js';
import { smsBody } from '../twilio/sms-text.js';

/**
 * SMS through Twilio's Messages API. The message is 'sent' when Twilio accepts it (providerRef = its
 * SM sid); Twilio's status callback to `/twilio/status?notification=<id>` later marks it delivered or
 * failed. Replies come back to `/twilio/sms`.
 */
export function smsProvider(
  settings: TwilioConfig & { timeoutMs?: number },
  publicBaseUrl: string,
): Provider {
  return {
    name: 'twilio_sms',
    send: async (message) => {
      const sid = await createTwilioResource(
        settings,
        'Messages',
        {
          To: e164(message.contact),
          From: settings.from,
          Body: smsBody(message),
          StatusCallback: `${publicBaseUrl}/twilio/status?notification=${encodeURIComponent(message.notificationId)}`,
        },
        settings.timeoutMs,
      );
      return { status: 'sent', providerRef: sid };
    },
  };
}
