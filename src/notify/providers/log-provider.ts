import type { Provider } from '../provider.js';

/**
 * The built-in channel used where no real provider is configured: the message is written to the
 * server log and counts as delivered (the incident's timeline shows it), so a page is never silently
 * dropped for want of configuration.
 */
export function logProvider(log: (message: object, text: string) => void): Provider {
  return {
    name: 'log',
    send: async (message) => {
      log(
        { notification: message.notificationId, to: message.contact.address, type: message.contact.type },
        message.text,
      );
      return { status: 'delivered' };
    },
  };
}
