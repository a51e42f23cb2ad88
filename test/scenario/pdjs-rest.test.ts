import http from 'node:http';
import type { AddressInfo } from 'node:net';
import net from 'node:net';
import { api } from '@pagerduty/pdjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.js';
import { startServer, type RunningServer } from '../../src/main.js';
import { backends } from '../harness/backends.js';

/*
 * The official PagerDuty JavaScript client's REST side (`api()` with a full `url`) against a listening
 * Tocsin. pdjs finds a response's resource (and `api.all` concatenates pages of it) with the pattern
 * `.+.com\/(\w+)`, i.e. the first path segment after a `.com/` host without a port, as on
 * api.pagerduty.com. So the client is given `http://api.tocsin.com/<resource>` URLs and an HTTP agent
 * whose every connection goes to a small local proxy that maps `/<path>` to Tocsin's `/api/v2/<path>`
 * (what a reverse proxy in front of a real install would do for an `api.` host).
 */

const ADMIN_TOKEN = 'scenario-admin-token-0123456789';
const ADMIN_EMAIL = 'admin@tocsin.local';
const BASE = 'http://api.tocsin.com';

type Json = Record<string, unknown>;
type Ref = Json & { id: string };

/** An HTTP server that forwards `/<path>` to `<target>/api/v2/<path>` and remembers what it forwarded. */
async function startApiProxy(target: string) {
  const upstream = new URL(target);
  const forwarded: string[] = [];
  const server = http.createServer((req, res) => {
    forwarded.push(`${req.method} ${req.url}`);
    const proxied = http.request(
      {
        host: upstream.hostname,
        port: upstream.port,
        method: req.method,
        path: `/api/v2${req.url ?? '/'}`,
        headers: { ...req.headers, host: upstream.host },
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
  // Every connection the client opens, whatever host it names, goes to the proxy.
  const agent = new http.Agent({ keepAlive: false });
  agent.createConnection = () => net.connect(port, '127.0.0.1');
  return {
    agent,
    forwarded,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

for (const backend of backends()) {
  describe(`the pdjs REST client against a running Tocsin on ${backend.name}`, () => {
    let server: RunningServer;
    let proxy: Awaited<ReturnType<typeof startApiProxy>>;
    let pd: ReturnType<typeof api>;
    let userId: string;
    let policyId: string;
    let serviceId: string;

    const from = { From: ADMIN_EMAIL };
    /** A call through pdjs; fails the test with the body unless it answered `status`. */
    async function call(method: 'get' | 'post' | 'put', path: string, data?: Json, status = 200) {
      const response = await pd[method](path, { url: `${BASE}/${path}`, data, headers: from });
      expect(response.status, JSON.stringify(response.data)).toBe(status);
      return response;
    }

    beforeAll(async () => {
      const target = backend.fresh();
      const config = loadConfig({
        PORT: '0',
        HOST: '127.0.0.1',
        TOCSIN_DATABASE_URL: target.kind === 'sqlite' ? target.file : target.url,
        TOCSIN_ADMIN_TOKEN: ADMIN_TOKEN,
        TOCSIN_LOG_LEVEL: 'silent',
      });
      server = await startServer({ ...config, database: target });
      proxy = await startApiProxy(server.url);
      pd = api({ token: ADMIN_TOKEN, agent: proxy.agent } as Parameters<typeof api>[0]);
    });
    afterAll(async () => {
      await proxy?.close();
      await server?.stop();
      await backend.cleanup();
    });

    it('creates a user, a schedule and a policy, and lists and gets schedules', async () => {
      const user = await call(
        'post',
        'users',
        { user: { type: 'user', name: 'Rita Ops', email: 'rita@example.com' } },
        201,
      );
      userId = (user.resource as Ref).id;
      const schedule = await call(
        'post',
        'schedules',
        {
          schedule: {
            type: 'schedule',
            name: 'Primary',
            time_zone: 'UTC',
            schedule_layers: [
              {
                start: '2026-01-01T00:00:00Z',
                rotation_virtual_start: '2026-01-01T00:00:00Z',
                rotation_turn_length_seconds: 86_400,
                users: [{ user: { id: userId, type: 'user_reference' } }],
              },
            ],
          },
        },
        201,
      );
      const scheduleId = (schedule.resource as Ref).id;
      expect(schedule.resource).toMatchObject({ type: 'schedule', name: 'Primary' });
      const listed = await call('get', 'schedules');
      expect((listed.resource as Ref[]).map((s) => s.id)).toContain(scheduleId);
      const got = await call('get', `schedules/${scheduleId}`);
      expect(got.data).toMatchObject({ schedule: { id: scheduleId, time_zone: 'UTC' } });
      const policy = await call(
        'post',
        'escalation_policies',
        {
          escalation_policy: {
            type: 'escalation_policy',
            name: 'Ops',
            escalation_rules: [
              { escalation_delay_in_minutes: 30, targets: [{ id: scheduleId, type: 'schedule_reference' }] },
            ],
          },
        },
        201,
      );
      policyId = (policy.resource as Ref).id;
    });

    it('creates, updates and pages through services with api.all', async () => {
      const made: string[] = [];
      for (const name of ['Checkout', 'Search', 'Payments']) {
        const res = await call(
          'post',
          'services',
          {
            service: {
              type: 'service',
              name,
              escalation_policy: { id: policyId, type: 'escalation_policy_reference' },
            },
          },
          201,
        );
        expect(res.resource).toMatchObject({ type: 'service', name });
        made.push((res.resource as Ref).id);
      }
      serviceId = made[0]!;
      const updated = await call('put', `services/${made[1]!}`, {
        service: { type: 'service', description: 'Product search' },
      });
      expect(updated.resource).toMatchObject({ id: made[1], description: 'Product search' });
      const all = await pd.all('services', { url: `${BASE}/services`, data: { limit: 2 } });
      expect(all.data).toHaveLength(2); // two pages of two and one
      expect((all.resource as Ref[]).map((s) => s.id).sort()).toEqual([...made].sort());
    });

    it('creates, lists page by page, acknowledges, annotates, merges and resolves incidents', async () => {
      const ids: string[] = [];
      for (const title of ['Checkout 502s', 'Checkout latency', 'Checkout errors']) {
        const res = await call(
          'post',
          'incidents',
          {
            incident: {
              type: 'incident',
              title,
              service: { id: serviceId, type: 'service_reference' },
              urgency: 'high',
            },
          },
          201,
        );
        expect(res.resource).toMatchObject({ type: 'incident', title, status: 'triggered' });
        ids.push((res.resource as Ref).id);
      }
      const duplicate = await pd.post('incidents', {
        url: `${BASE}/incidents`,
        headers: from,
        data: { incident: { type: 'incident', title: 'x', service: { id: serviceId }, incident_key: 'k' } },
      });
      expect(duplicate.status).toBe(201);
      const again = await pd.post('incidents', {
        url: `${BASE}/incidents`,
        headers: from,
        data: { incident: { type: 'incident', title: 'x', service: { id: serviceId }, incident_key: 'k' } },
      });
      expect(again.status).toBe(400);
      expect(again.data).toMatchObject({ error: { code: 2001 } });
      ids.push((duplicate.resource as Ref).id);

      const pages = await pd.all('incidents', {
        url: `${BASE}/incidents`,
        data: { limit: 3, 'service_ids[]': [serviceId], total: true },
      });
      expect(pages.data).toHaveLength(2);
      expect((pages.resource as Ref[]).map((i) => i.id)).toEqual(ids);

      const [a, b, c, d] = ids as [string, string, string, string];
      const ack = await call('put', `incidents/${a}`, {
        incident: { type: 'incident_reference', status: 'acknowledged' },
      });
      expect(ack.resource).toMatchObject({ id: a, status: 'acknowledged' });
      const note = await call('post', `incidents/${a}/notes`, {
        note: { content: 'Rolled back the deploy.' },
      });
      expect(note.data).toMatchObject({ note: { content: 'Rolled back the deploy.' } });
      const notes = await call('get', `incidents/${a}/notes`);
      expect((notes.data as { notes: Json[] }).notes).toHaveLength(1);
      const merged = await call('put', `incidents/${a}/merge`, {
        source_incidents: [
          { id: b, type: 'incident_reference' },
          { id: c, type: 'incident_reference' },
        ],
      });
      expect(merged.data).toMatchObject({ incident: { id: a, type: 'incident_reference' } });
      const resolved = await call('put', 'incidents', {
        incidents: [
          { id: a, type: 'incident_reference', status: 'resolved', resolution: 'Deploy rolled back' },
          { id: d, type: 'incident_reference', status: 'resolved' },
        ],
      });
      expect((resolved.data as { incidents: Json[] }).incidents.map((i) => i.status)).toEqual([
        'resolved',
        'resolved',
      ]);
      const source = await call('get', `incidents/${b}`);
      expect(source.data).toMatchObject({
        incident: {
          status: 'resolved',
          resolve_reason: { type: 'merge_resolve_reason', incident: { id: a } },
        },
      });
      const open = await call('get', 'incidents', {
        'statuses[]': ['triggered', 'acknowledged'],
        'service_ids[]': [serviceId],
      });
      expect(open.resource).toEqual([]);
      const log = await call('get', `incidents/${a}/log_entries`, { is_overview: true });
      // pdjs names the resource after the first path segment (`incidents`), so nested lists are read from data.
      const types = (log.data as { log_entries: Json[] }).log_entries.map((e) => e.type);
      expect(types).toEqual(
        expect.arrayContaining([
          'trigger_log_entry',
          'acknowledge_log_entry',
          'annotate_log_entry',
          'resolve_log_entry',
        ]),
      );
      expect(proxy.forwarded.some((f) => f.startsWith('GET /incidents?') && f.includes('offset=3'))).toBe(
        true,
      );
    });
  });
}
