import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { Config } from '../config/config.js';
import { IngestPipeline } from '../events/ingest-pipeline.js';
import { SlidingWindowLimiter } from '../events/rate-limiter.js';
import { eventsRoutes } from '../events/routes.js';
import { incidentsRoutes } from '../incidents/routes.js';
import type { Clock } from '../lib/clock.js';
import { Engine } from '../engine/engine.js';
import { Dispatcher } from '../notify/dispatcher.js';
import { actionRoutes } from '../notify/action-routes.js';
import { auditRoutes } from '../audit/routes.js';
import { buildRegistry, type ChannelSettings } from '../notify/providers/registry.js';
import { notificationSettingsRoutes } from '../notify/settings-routes.js';
import { testNotificationRoutes } from '../notify/test-notification-routes.js';
import { verificationRoutes } from '../notify/verification-routes.js';
import { twilioRoutes } from '../notify/twilio/twilio-routes.js';
import { pushRoutes } from '../notify/push/push-routes.js';
import { serviceWorkerRoute } from '../notify/push/service-worker.js';
import { slackRoutes } from '../notify/slack/slack-routes.js';
import { servicesRoutes } from '../services/routes.js';
import { escalationPoliciesRoutes } from '../escalation/routes.js';
import { oncallsRoutes } from '../escalation/oncalls-routes.js';
import { calendarRoutes } from '../schedules/calendar-routes.js';
import { schedulesRoutes } from '../schedules/routes.js';
import { teamsRoutes } from '../users/team-routes.js';
import { usersRoutes } from '../users/routes.js';
import { WebhookDispatcher } from '../webhooks/webhook-dispatcher.js';
import { webhooksRoutes } from '../webhooks/routes.js';
import type { DomainRoutesDeps } from './routes-deps.js';
import { findIntegrationByKey } from '../services/integration-store.js';
import type { Store } from '../store/store.js';
import { requireAuth } from './auth-plugin.js';
import { appsRoutes } from '../apps/routes.js';
import { appPageRoutes } from '../apps/page-routes.js';
import { accountInfo } from '../apps/install.js';
import { accountRoutes } from '../auth/routes.js';
import fastifyCookie from '@fastify/cookie';
import { createMetrics } from './metrics.js';
import { registerOpenApi } from './openapi.js';
import { maintenanceRoutes } from '../maintenance/routes.js';
import { droppedEventsRoutes } from '../services/dropped-events-routes.js';
import { abilitiesRoutes } from '../abilities/routes.js';
import { analyticsRoutes } from '../analytics/routes.js';
import { Links } from './rest.js';
import { restErrorHandler } from './rest-errors.js';
import { sendWebAppPage, webApp } from './web-app.js';
import { incidentStreamRoutes } from '../incidents/stream-routes.js';

/** What the HTTP app is built from. */
export interface AppDeps {
  store: Store;
  clock: Clock;
  config: Pick<Config, 'baseUrl' | 'eventsRateLimit'> &
    Partial<
      Pick<
        Config,
        | 'enginePollMs'
        | 'unassignedFallback'
        | 'deliveryLeaseSeconds'
        | 'smtpUrl'
        | 'emailFrom'
        | 'twilio'
        | 'accountName'
      >
    > &
    ChannelSettings;
  logger: Logger;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** This node's engine (started by the server, driven by hand in tests). */
    engine: Engine;
  }
}

/** Builds the Fastify server without listening (tests use `app.inject()`); closing it drains ingest. */
export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const { store, clock, config, logger } = deps;
  const app = Fastify({
    // pino's Logger and Fastify's base logger differ only in generics; Fastify accepts it at run time.
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion
    loggerInstance: logger as FastifyBaseLogger,
    // Per-request log lines would dominate the ingest hot path; errors are still logged.
    logController: new LogController({ disableRequestLogging: true }),
    forceCloseConnections: 'idle',
    ajv: { customOptions: { coerceTypes: 'array', removeAdditional: false, allErrors: true } },
  });
  // First: the OpenAPI generator must see every route registered after it.
  await registerOpenApi(app, config.baseUrl);
  const metrics = createMetrics(async () => {
    const row = await store.db
      .selectFrom('incidents')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('status', '<>', 'resolved')
      .executeTakeFirst();
    return Number(row?.n ?? 0);
  });
  const registry = buildRegistry(config, logger, { store, clock });
  const dispatcher = new Dispatcher(store, clock, logger, registry, {
    baseUrl: config.baseUrl,
    leaseSeconds: config.deliveryLeaseSeconds ?? 60,
  });
  const webhooks = new WebhookDispatcher(store, clock, logger);
  const engine = new Engine(store, clock, logger, {
    // Notifications first, then the webhook outbox; one failing does not stop the other.
    dispatcher: { runDue: () => runBoth(dispatcher, webhooks) },
    pollMs: config.enginePollMs || 250,
    fallbackEmails: config.unassignedFallback ?? [],
    onLateness: (s) => metrics.timerLateness.observe(s),
  });
  app.decorate('engine', engine);
  const pipeline = new IngestPipeline(store, clock, logger, metrics.ingestBatchSize, () => engine.poke());
  const links = new Links(config.baseUrl);
  app.addHook('onClose', async () => {
    await pipeline.drain();
    await engine.stop();
    registry.close();
  });
  const domain: DomainRoutesDeps = {
    store,
    clock,
    links,
    poke: () => engine.poke(),
    fallbackEmails: config.unassignedFallback ?? [],
  };

  // At the root: the API's session cookie and the web app's routes both read cookies.
  await app.register(fastifyCookie);
  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async (_request, reply) => {
    try {
      await store.ping();
      if (!(await store.migrationsCurrent())) return reply.code(503).send({ status: 'migrations pending' });
      return { status: 'ready', database: store.kind };
    } catch {
      return reply.code(503).send({ status: 'database unreachable' });
    }
  });
  app.get('/metrics', async (_request, reply) => {
    const text = await metrics.registry.metrics();
    return reply.type(metrics.registry.contentType).send(text);
  });

  await app.register(
    eventsRoutes({
      pipeline,
      metrics,
      limiter: new SlidingWindowLimiter(config.eventsRateLimit, clock),
      findIntegration: async (key) => {
        const found = await findIntegrationByKey(store.db, key);
        return found && { type: found.type, config: found.config };
      },
    }),
  );

  await app.register(calendarRoutes(domain));
  await app.register(actionRoutes(domain));
  if (config.twilio)
    await app.register(
      twilioRoutes({ ...domain, baseUrl: config.baseUrl, authToken: config.twilio.authToken }),
    );
  await app.register(serviceWorkerRoute);
  await app.register(slackRoutes(domain, config));
  await app.register(
    appPageRoutes({
      store,
      clock,
      // The connect pages are the web app's page once the request and session are checked.
      serveWebApp: (_request, reply) => sendWebAppPage(reply),
    }),
  );
  await app.register(
    async (api) => {
      api.setErrorHandler(restErrorHandler);
      requireAuth(api, { store, clock });
      await api.register(accountRoutes(domain, config, logger));
      await api.register(
        appsRoutes({ store, clock, links, account: accountInfo(config.baseUrl, config.accountName) }),
      );
      await api.register(servicesRoutes({ store, clock, links }));
      await api.register(incidentsRoutes(domain));
      await api.register(incidentStreamRoutes({ store, logger }));
      await api.register(maintenanceRoutes(domain));
      await api.register(droppedEventsRoutes(domain));
      await api.register(abilitiesRoutes);
      await api.register(analyticsRoutes(domain));
      await api.register(usersRoutes(domain));
      await api.register(teamsRoutes(domain));
      await api.register(schedulesRoutes(domain));
      await api.register(escalationPoliciesRoutes(domain));
      await api.register(oncallsRoutes(domain));
      await api.register(auditRoutes(domain));
      await api.register(notificationSettingsRoutes(registry));
      await api.register(testNotificationRoutes(domain));
      await api.register(verificationRoutes(domain));
      await api.register(pushRoutes(domain, config.vapid?.publicKey));
      await api.register(
        webhooksRoutes({ store, clock, baseUrl: config.baseUrl, poke: () => engine.poke() }),
      );
    },
    { prefix: '/api/v2' },
  );
  // Last: the web app answers every GET no server route took (see web-app.ts).
  await app.register(webApp());
  return app;
}

/** Runs both dispatchers even when the first throws; returns their attempts (rethrows the first error). */
async function runBoth(...dispatchers: { runDue(): Promise<number> }[]): Promise<number> {
  let total = 0;
  let failure: Error | undefined;
  for (const d of dispatchers) {
    try {
      total += await d.runDue();
    } catch (error) {
      failure ??= error instanceof Error ? error : new Error(String(error));
    }
  }
  if (failure !== undefined) throw failure;
  return total;
}
