import type { Logger } from 'pino';
import type { Config } from '../../config/config.js';
import { ProviderRegistry } from '../provider.js';
import { emailProvider } from './email-provider.js';
import { logProvider } from './log-provider.js';

/** Every contact-method type Tocsin knows (for the settings API). */
export const contactTypes = [
  'email_contact_method',
  'sms_contact_method',
  'phone_contact_method',
  'push_notification_contact_method',
  'slack_contact_method',
  'webhook_contact_method',
] as const;

/** The providers configured by the environment; unconfigured channels use the log channel. */
export function buildRegistry(
  config: Partial<Pick<Config, 'smtpUrl' | 'emailFrom'>>,
  logger: Logger,
): ProviderRegistry {
  const registry = new ProviderRegistry(
    logProvider((fields, text) => logger.info(fields, `notification (log channel): ${text}`)),
  );
  if (config.smtpUrl)
    registry.register(
      'email_contact_method',
      emailProvider({ url: config.smtpUrl, from: config.emailFrom ?? 'Tocsin <tocsin@localhost>' }),
    );
  return registry;
}
