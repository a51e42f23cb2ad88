import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import pino from 'pino';
import { bootstrapAdmin } from '../../src/auth/bootstrap.js';
import type { DatabaseTarget } from '../../src/config/config.js';
import { buildApp, type AppDeps } from '../../src/http/build-app.js';
import { ManualClock } from '../../src/lib/clock.js';
import { openStore, type Store } from '../../src/store/store.js';

/** The admin token every test app is bootstrapped with. */
export const ADMIN_TOKEN = 'test-admin-token-0123456789';

/** An app built on a fresh store, with a manual clock and an admin token. */
export interface TestApp {
  app: FastifyInstance;
  store: Store;
  clock: ManualClock;
  baseUrl: string;
  /** `app.inject` with the admin token and JSON. */
  api(
    method: InjectOptions['method'],
    url: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<LightMyRequestResponse>;
  /** Posts an Events API body to a path (default `/v2/enqueue`). */
  send(body: unknown, path?: string): Promise<LightMyRequestResponse>;
  close(): Promise<void>;
}

/** Builds the app without listening (the `app.inject()` tier). */
export async function startTestApp(
  target: DatabaseTarget,
  options: { eventsRateLimit?: number; config?: Partial<AppDeps['config']> } = {},
): Promise<TestApp> {
  const store: Store = await openStore(target, { pgPoolSize: 4 });
  const clock = new ManualClock();
  await bootstrapAdmin(store.db, ADMIN_TOKEN, clock.now());
  const baseUrl = 'http://tocsin.test';
  const app = await buildApp({
    store,
    clock,
    config: { baseUrl, eventsRateLimit: options.eventsRateLimit ?? 0, ...options.config },
    logger: pino({ level: 'silent' }),
  });
  return {
    app,
    store,
    clock,
    baseUrl,
    api: (method, url, body, headers = {}) =>
      app.inject({
        method,
        url,
        headers: {
          authorization: `Token token=${ADMIN_TOKEN}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...headers,
        },
        ...(body === undefined ? {} : { payload: JSON.stringify(body) }),
      }),
    send: (body, path = '/v2/enqueue') =>
      app.inject({
        method: 'POST',
        url: path,
        headers: { 'content-type': 'application/json' },
        payload: typeof body === 'string' ? body : JSON.stringify(body),
      }),
    close: async () => {
      await app.close();
      await store.close();
    },
  };
}
