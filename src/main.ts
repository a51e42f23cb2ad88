import type { FastifyInstance } from 'fastify';
import pino, { type Logger } from 'pino';
import { bootstrapAdmin } from './auth/bootstrap.js';
import { loadConfig, type Config } from './config/config.js';
import { buildApp } from './http/build-app.js';
import { systemClock, type Clock } from './lib/clock.js';
import { openStore } from './store/store.js';

/** A running Tocsin: its address and a graceful stop. */
export interface RunningServer {
  url: string;
  /** Stops accepting, finishes in-flight requests, flushes ingest, closes the database. */
  stop(): Promise<void>;
}

/** Prints first-start secrets once, to stderr, away from the JSON logs. */
function announceFirstStart(
  first: NonNullable<Awaited<ReturnType<typeof bootstrapAdmin>>>,
  baseUrl: string,
): void {
  const lines = [
    '',
    'Tocsin first start: an admin was created. These secrets are shown once and never again.',
    `  admin email:      ${first.adminEmail}`,
    first.generated
      ? `  admin API token:  ${first.token}`
      : '  admin API token:  the value of TOCSIN_ADMIN_TOKEN',
    `  finish setup at:  ${baseUrl}/setup  (choose the admin's name, email and password with the token)`,
    '',
  ];
  process.stderr.write(lines.join('\n') + '\n');
}

/**
 * Closes the app gracefully: no new requests, in-flight ones finish (their events commit), and each
 * keep-alive connection is closed as soon as it falls idle instead of lingering until its timeout.
 */
async function closeGracefully(app: FastifyInstance, deadlineMs = 30_000): Promise<void> {
  const sweep = setInterval(() => app.server.closeIdleConnections(), 25);
  const deadline = setTimeout(() => app.server.closeAllConnections(), deadlineMs);
  try {
    await app.close();
  } finally {
    clearInterval(sweep);
    clearTimeout(deadline);
  }
}

/** Composition root: config → store → domain services → http, listening. */
export async function startServer(
  config: Config,
  options: { clock?: Clock; logger?: Logger } = {},
): Promise<RunningServer> {
  const logger = options.logger ?? pino({ level: config.logLevel });
  const clock = options.clock ?? systemClock;
  const target = config.database;
  const store = await openStore(target, { pgPoolSize: config.pgPoolSize });
  try {
    const first = await bootstrapAdmin(store.db, config.adminToken, clock.now());
    if (first) announceFirstStart(first, config.baseUrl);
    const app = await buildApp({ store, clock, config, logger });
    const address = await app.listen({ port: config.port, host: config.host });
    // TOCSIN_ENGINE_POLL_MS=0 runs a node that serves HTTP only; the other nodes run the steps.
    if (config.enginePollMs > 0) app.engine.start();
    logger.info({ address, database: store.kind }, 'Tocsin is listening');
    let stopping: Promise<void> | undefined;
    return {
      url: address.replace('0.0.0.0', '127.0.0.1').replace('[::]', '127.0.0.1'),
      stop: () =>
        (stopping ??= (async () => {
          await closeGracefully(app);
          await store.close();
        })()),
    };
  } catch (error) {
    await store.close();
    throw error;
  }
}

/** Runs the server until SIGTERM or SIGINT, then shuts down gracefully. */
export async function serve(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const config = loadConfig(env);
  const logger = pino({ level: config.logLevel });
  const server = await startServer(config, { logger });
  const shutdown = (signal: string) => {
    logger.info({ signal }, 'shutting down: finishing accepted events');
    server.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
}
