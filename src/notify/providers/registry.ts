import type { Agent } from 'node:https';
import type { Logger } from 'pino';
import type { Config } from '../../config/config.js';
import type { Clock } from '../../lib/clock.js';
import type { Store } from '../../store/store.js';
import { ProviderRegistry } from '../provider.js';
import { emailProvider } from './email-provider.js';
import { logProvider } from './log-provider.js';
import { pushProvider } from './push-provider.js';
import { slackProvider } from './slack-provider.js';
import { disableGoneSubscription } from '../push/push-subscriptions.js';
import { smsProvider } from './sms-provider.js';
import { voiceProvider } from './voice-provider.js';

/** Every contact-method type Tocsin knows (for the settings API). */
export const contactTypes = [
  'email_contact_method',
  'sms_contact_method',
  'phone_contact_method',
  'push_notification_contact_method',
  'slack_contact_method',
  'webhook_contact_method',
] as const;

/**
 * Push and Slack settings; `pushAgent` is the HTTPS agent for push services (tests trust a local one);
 * `providerTimeoutMs` bounds each provider request (default 10 s; fault tests shorten it).
 */
export type ChannelSettings = Partial<
  Pick<Config, 'vapid' | 'slackApiUrl' | 'slackBotToken' | 'slackSigningSecret'>
> & { pushAgent?: Agent; providerTimeoutMs?: number };

/** The providers configured by the environment; unconfigured channels use the log channel. */
export function buildRegistry(
  config: Partial<Pick<Config, 'smtpUrl' | 'emailFrom' | 'twilio' | 'baseUrl'>> & ChannelSettings,
  logger: Logger,
  /** For providers that update contact methods (a push subscription that ended). */
  deps?: { store: Store; clock: Clock },
): ProviderRegistry {
  const timeout = config.providerTimeoutMs !== undefined && { timeoutMs: config.providerTimeoutMs };
  const registry = new ProviderRegistry(
    logProvider((fields, text) => logger.info(fields, `notification (log channel): ${text}`)),
  );
  if (config.smtpUrl)
    registry.register(
      'email_contact_method',
      emailProvider({
        url: config.smtpUrl,
        from: config.emailFrom ?? 'Tocsin <tocsin@localhost>',
        ...timeout,
      }),
    );
  if (config.twilio) {
    const publicUrl = config.baseUrl ?? 'http://localhost:8080';
    const twilio = { ...config.twilio, ...timeout };
    registry.register('sms_contact_method', smsProvider(twilio, publicUrl));
    registry.register('phone_contact_method', voiceProvider(twilio, publicUrl));
  }
  if (config.vapid)
    registry.register(
      'push_notification_contact_method',
      pushProvider({
        ...config.vapid,
        ...timeout,
        ...(config.pushAgent && { agent: config.pushAgent }),
        ...(deps && { onGone: disableGoneSubscription(deps.store, () => deps.clock.now()) }),
      }),
    );
  if (config.slackBotToken)
    registry.register(
      'slack_contact_method',
      slackProvider({
        apiUrl: config.slackApiUrl ?? 'https://slack.com/api',
        botToken: config.slackBotToken,
        ...timeout,
      }),
    );
  return registry;
}
