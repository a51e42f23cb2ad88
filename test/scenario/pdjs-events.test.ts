import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { event } from '@pagerduty/pdjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, type DatabaseTarget } from '../../src/config/config.js';
import { startServer, type RunningServer } from '../../src/main.js';
import { openStore } from '../../src/store/store.js';
import { backends } from '../harness/backends.js';
import { insertServiceWithIntegration } from '../harness/factories.js';

/*
 * The official PagerDuty JavaScript client against the real server. pdjs's event() always builds
 * `https://${server}/v2/enqueue`, so the test puts a small HTTPS reverse proxy with a certificate made
 * at test time (openssl) in front of Tocsin, and hands pdjs an agent that trusts that certificate.
 */

const ADMIN_TOKEN = 'scenario-admin-token-0123456789';
type EventParameters = Parameters<typeof event>[0];

/** A self-signed certificate for 127.0.0.1, made with the openssl binary; undefined when it is missing. */
function makeCertificate(): { key: string; cert: string } | undefined {
  const dir = mkdtempSync(join(tmpdir(), 'tocsin-tls-'));
  try {
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-keyout',
        join(dir, 'key.pem'),
        '-out',
        join(dir, 'cert.pem'),
        '-days',
        '1',
        '-subj',
        '/CN=localhost',
        '-addext',
        'subjectAltName=IP:127.0.0.1,DNS:localhost',
      ],
      { stdio: 'ignore' },
    );
    return {
      key: readFileSync(join(dir, 'key.pem'), 'utf8'),
      cert: readFileSync(join(dir, 'cert.pem'), 'utf8'),
    };
  } catch {
    return undefined;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** An HTTPS server that forwards every request to `target` (plain HTTP) and remembers what it forwarded. */
async function startHttpsProxy(target: string, tls: { key: string; cert: string }) {
  const forwarded: { method: string; path: string; userAgent: string }[] = [];
  const upstream = new URL(target);
  const server = https.createServer(tls, (req, res) => {
    forwarded.push({
      method: req.method ?? '',
      path: req.url ?? '',
      userAgent: req.headers['user-agent'] ?? '',
    });
    const proxied = http.request(
      {
        host: upstream.hostname,
        port: upstream.port,
        method: req.method,
        path: req.url,
        headers: req.headers,
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    proxied.on('error', (error) => res.writeHead(502).end(String(error)));
    req.pipe(proxied);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    host: `127.0.0.1:${port}`,
    forwarded,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const tls = makeCertificate();
if (!tls) {
  if (process.env.TOCSIN_CI === '1')
    throw new Error('TOCSIN_CI=1 but openssl is missing: the pdjs scenario cannot run');
  console.warn('[tocsin tests] openssl not found: the pdjs scenario (which needs HTTPS) is skipped');
}

for (const backend of backends()) {
  describe.skipIf(!tls)(`the pdjs Events client against a running Tocsin on ${backend.name}`, () => {
    let target: DatabaseTarget;
    let server: RunningServer;
    let proxy: Awaited<ReturnType<typeof startHttpsProxy>>;
    let agent: https.Agent;
    let routingKey: string;
    let serviceId: string;
    let dedupKey: string;
    let restAvailable = true;

    /** Sends one event with pdjs's event() through the HTTPS proxy. */
    async function send(action: 'trigger' | 'acknowledge' | 'resolve') {
      const parameters: EventParameters & { agent: https.Agent } = {
        server: proxy.host,
        agent,
        data: {
          routing_key: routingKey,
          event_action: action,
          ...(action === 'trigger' ? {} : { dedup_key: dedupKey }),
          payload: {
            summary: 'Checkout latency above 2 s',
            source: 'checkout-1',
            severity: 'critical',
            component: 'checkout',
            custom_details: { p99_ms: 2400 },
          },
          links: [{ href: 'https://grafana.example.com/d/checkout', text: 'Dashboard' }],
        },
      };
      return event(parameters);
    }

    /** The service's incidents through the REST API, or undefined while that API is not there yet. */
    async function restIncidents(): Promise<{ id: string; status: string }[] | undefined> {
      if (!restAvailable) return undefined;
      const response = await fetch(
        `${server.url}/api/v2/incidents?service_ids[]=${serviceId}&date_range=all`,
        {
          headers: {
            authorization: `Token token=${ADMIN_TOKEN}`,
            accept: 'application/vnd.pagerduty+json;version=2',
          },
        },
      );
      if (response.status === 404) {
        restAvailable = false;
        console.warn(
          '[tocsin tests] GET /api/v2/incidents is not there yet: the pdjs scenario reads the store',
        );
        return undefined;
      }
      expect(response.status).toBe(200);
      return ((await response.json()) as { incidents: { id: string; status: string }[] }).incidents;
    }

    beforeAll(async () => {
      target = backend.fresh();
      // The service is made in the store before the server starts: SQLite is held exclusively while it runs.
      const store = await openStore(target);
      ({ key: routingKey, serviceId } = await insertServiceWithIntegration(store));
      await store.close();
      const config = loadConfig({
        PORT: '0',
        HOST: '127.0.0.1',
        TOCSIN_DATABASE_URL: target.kind === 'sqlite' ? target.file : target.url,
        TOCSIN_ADMIN_TOKEN: ADMIN_TOKEN,
        TOCSIN_LOG_LEVEL: 'silent',
      });
      // The target itself carries the test's PostgreSQL schema, which the URL cannot.
      server = await startServer({ ...config, database: target });
      proxy = await startHttpsProxy(server.url, tls!);
      agent = new https.Agent({ ca: tls!.cert });
    });
    afterAll(async () => {
      agent?.destroy();
      await proxy?.close();
      await server?.stop();
      await backend.cleanup();
    });

    it('triggers an alert with pdjs over HTTPS and gets 202 with a generated dedup key', async () => {
      const response = await send('trigger');
      expect(response.status).toBe(202);
      const data = response.data as { dedup_key: string };
      expect(data.dedup_key).toMatch(/^[0-9a-f]{32}$/);
      expect(data).toEqual({ status: 'success', message: 'Event processed', dedup_key: data.dedup_key });
      dedupKey = data.dedup_key;
      // It really went through the HTTPS proxy, sent by pdjs.
      expect(proxy.forwarded.map(({ method, path }) => `${method} ${path}`)).toEqual(['POST /v2/enqueue']);
      expect(proxy.forwarded[0]?.userAgent).toMatch(/^pdjs\//);
      const incidents = await restIncidents();
      if (incidents) expect(incidents).toMatchObject([{ status: 'triggered' }]);
    });

    it('acknowledges the alert with pdjs', async () => {
      const response = await send('acknowledge');
      expect(response.status).toBe(202);
      expect(response.data).toEqual({ status: 'success', message: 'Event processed', dedup_key: dedupKey });
      const incidents = await restIncidents();
      if (incidents) expect(incidents).toMatchObject([{ status: 'acknowledged' }]);
    });

    it('resolves the alert with pdjs', async () => {
      const response = await send('resolve');
      expect(response.status).toBe(202);
      expect(response.data).toEqual({ status: 'success', message: 'Event processed', dedup_key: dedupKey });
      const incidents = await restIncidents();
      if (incidents) expect(incidents).toMatchObject([{ status: 'resolved' }]);
    });

    it('kept one incident that was triggered, acknowledged and resolved, in that order', async () => {
      await server.stop();
      const store = await openStore(target);
      try {
        const incidents = await store.db
          .selectFrom('incidents')
          .select(['id', 'status', 'title'])
          .where('service_id', '=', serviceId)
          .execute();
        expect(incidents.map(({ status, title }) => ({ status, title }))).toEqual([
          { status: 'resolved', title: 'Checkout latency above 2 s' },
        ]);
        const log = await store.db
          .selectFrom('log_entries')
          .select('type')
          .where('incident_id', '=', incidents[0]!.id)
          // The engine's own entries (assignment, notifications) are not the client's doing.
          .where('type', 'in', ['trigger_log_entry', 'acknowledge_log_entry', 'resolve_log_entry'])
          .orderBy('created_at')
          .orderBy('id')
          .execute();
        expect(log.map((entry) => entry.type)).toEqual([
          'trigger_log_entry',
          'acknowledge_log_entry',
          'resolve_log_entry',
        ]);
        const alerts = await store.db
          .selectFrom('alerts')
          .select(['alert_key', 'status'])
          .where('service_id', '=', serviceId)
          .execute();
        expect(alerts).toEqual([{ alert_key: dedupKey, status: 'resolved' }]);
      } finally {
        await store.close();
      }
    });
  });
}
