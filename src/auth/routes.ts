import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { DomainRoutesDeps } from '../http/routes-deps.js';
import { apiTokenRoutes } from './api-token-routes.js';
import { passwordRoutes } from './password-routes.js';
import { resetMailer } from './reset-mailer.js';
import { sessionRoutes } from './session-routes.js';
import { setupRoutes } from './setup-routes.js';

/** REST: accounts (sessions, first-run setup, passwords and their reset, API tokens). */
export function accountRoutes(
  deps: DomainRoutesDeps,
  email: { smtpUrl?: string | undefined; emailFrom?: string | undefined },
  logger: Logger,
) {
  const mailer = resetMailer(email, logger);
  return async function plugin(app: FastifyInstance): Promise<void> {
    await app.register(sessionRoutes(deps));
    await app.register(setupRoutes(deps));
    await app.register(passwordRoutes({ ...deps, baseUrl: deps.links.baseUrl, mailer, logger }));
    await app.register(apiTokenRoutes(deps));
  };
}
