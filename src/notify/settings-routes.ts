import type { FastifyInstance } from 'fastify';
import { AppError } from '../lib/errors.js';
import type { ProviderRegistry } from './provider.js';
import { contactTypes } from './providers/registry.js';

/** GET /settings/notifications (admins): which provider delivers each contact-method type. */
export function notificationSettingsRoutes(registry: ProviderRegistry) {
  return async function plugin(app: FastifyInstance): Promise<void> {
    app.get('/settings/notifications', async (request) => {
      if (request.actor.role !== 'admin') throw new AppError('forbidden');
      return { notification_settings: { providers: registry.describe(contactTypes) } };
    });
  };
}
