import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bootstrapAdmin } from '../../src/auth/bootstrap.js';
import { runCli } from '../../src/cli/run-cli.js';
import { loadConfig } from '../../src/config/config.js';
import { startServer, type RunningServer } from '../../src/main.js';
import { openStore } from '../../src/store/store.js';
import { insertServiceWithIntegration } from '../harness/factories.js';

const TOKEN = 'cli-test-admin-token-0123456789';

/** What one CLI run printed and returned. */
interface Run {
  code: number | undefined;
  stdout: string;
  stderr: string;
}

let dir: string;
let server: RunningServer;
let env: NodeJS.ProcessEnv;
/** The integration key of a service seeded in the store before the server started. */
let seededKey: string;

async function cli(argv: string[], extraEnv: NodeJS.ProcessEnv = {}): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(
    argv,
    { ...env, ...extraEnv },
    {
      stdout: { write: (text: string) => (stdout += text) },
      stderr: { write: (text: string) => (stderr += text) },
    },
  );
  return { code, stdout, stderr };
}

async function openIncidents(): Promise<number> {
  const text = await (await fetch(`${server.url}/metrics`)).text();
  return Number(/^tocsin_open_incidents (\d+)/m.exec(text)?.[1]);
}

/** A stand-in server that records requests and answers with `reply`. */
async function fakeServer(
  reply: (request: IncomingMessage, body: string) => { status: number; body: unknown },
): Promise<{
  url: string;
  requests: { url: string; headers: IncomingMessage['headers']; body: string }[];
  close(): Promise<void>;
}> {
  const requests: { url: string; headers: IncomingMessage['headers']; body: string }[] = [];
  const http: Server = createServer((request: IncomingMessage, response: ServerResponse) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      requests.push({ url: request.url ?? '', headers: request.headers, body });
      const answer = reply(request, body);
      response.writeHead(answer.status, { 'content-type': 'application/json' });
      response.end(JSON.stringify(answer.body));
    });
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const { port } = http.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise<void>((resolve) => http.close(() => resolve())),
  };
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tocsin-cli-'));
  const config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    TOCSIN_DATABASE_URL: join(dir, 'tocsin.db'),
    TOCSIN_ADMIN_TOKEN: TOKEN,
    TOCSIN_LOG_LEVEL: 'silent',
  });
  // The running server holds the SQLite file exclusively, so the fixture is written before it starts
  // (and the admin is bootstrapped here, so the server prints no first-start banner).
  const store = await openStore(config.database);
  await bootstrapAdmin(store.db, TOKEN, new Date());
  seededKey = (await insertServiceWithIntegration(store, { name: 'Seeded' })).key;
  await store.close();
  server = await startServer(config);
  env = { TOCSIN_URL: server.url, TOCSIN_TOKEN: TOKEN };
});

afterAll(async () => {
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('tocsin (no command)', () => {
  it('prints the usage and exits 0 when asked for help', async () => {
    const run = await cli(['--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Usage: tocsin <command>');
    expect(run.stdout).toContain('send');
  });

  it('exits 2 with the usage for an unknown command', async () => {
    const run = await cli(['frobnicate']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('unknown command "frobnicate"');
    expect(run.stderr).toContain('Usage: tocsin <command>');
  });

  it('exits 2 with the group usage for an unknown subcommand, and 0 for the group alone', async () => {
    const unknown = await cli(['service', 'frobnicate']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown service command "frobnicate"');
    expect(unknown.stderr).toContain('tocsin service list');
    const usage = await cli(['integration']);
    expect(usage.code).toBe(0);
    expect(usage.stdout).toContain('tocsin integration create');
  });
});

describe('tocsin send', () => {
  it('triggers an incident and prints the 202 answer with its dedup key', async () => {
    const before = await openIncidents();
    const run = await cli(['send', '-k', seededKey, '-d', 'disk-full-db-1', '-s', 'Disk full on db-1']);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({
      status: 'success',
      message: 'Event processed',
      dedup_key: 'disk-full-db-1',
    });
    expect(run.stderr).toBe('');
    expect(await openIncidents()).toBe(before + 1);
  });

  it('resolves the incident of a dedup key', async () => {
    await cli(['send', '-k', seededKey, '-d', 'cpu-hot', '-s', 'CPU hot']);
    const before = await openIncidents();
    const run = await cli(['send', '-k', seededKey, '-t', 'resolve', '-d', 'cpu-hot']);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ status: 'success', dedup_key: 'cpu-hot' });
    expect(await openIncidents()).toBe(before - 1);
  });

  it('returns the dedup key the server generated when none is given', async () => {
    const run = await cli(['send', '-k', seededKey, '-s', 'No key given', '--severity', 'warning']);
    expect(run.code).toBe(0);
    expect((JSON.parse(run.stdout) as { dedup_key: string }).dedup_key).toMatch(/^[0-9a-f]{32}$/);
  });

  it('exits 1 and prints the server message for an unknown routing key', async () => {
    const run = await cli(['send', '-k', 'f'.repeat(32), '-s', 'Nobody listens']);
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout)).toMatchObject({
      status: 'invalid event',
      errors: ['Invalid routing key'],
    });
    expect(run.stderr).toContain('Invalid routing key');
  });

  it('sends the pd-send options as an Events API v2 body without a token', async () => {
    const fake = await fakeServer(() => ({ status: 202, body: { status: 'success', dedup_key: 'x' } }));
    try {
      const run = await cli(
        [
          'send',
          ...['-k', 'k'.repeat(32), '-t', 'trigger', '-d', 'x', '-s', 'Summary'],
          ...['--source', 'web-1', '--severity', 'critical', '--component', 'nginx', '--class', 'http'],
          ...['-f', 'region=eu-west-1', '-f', 'query=a=b'],
        ],
        { TOCSIN_URL: fake.url },
      );
      expect(run.code).toBe(0);
      const [request] = fake.requests;
      expect(request?.url).toBe('/v2/enqueue');
      expect(request?.headers.authorization).toBeUndefined();
      expect(JSON.parse(request?.body ?? '')).toEqual({
        routing_key: 'k'.repeat(32),
        event_action: 'trigger',
        dedup_key: 'x',
        payload: {
          summary: 'Summary',
          source: 'web-1',
          severity: 'critical',
          component: 'nginx',
          class: 'http',
          custom_details: { region: 'eu-west-1', query: 'a=b' },
        },
        client: 'tocsin send',
      });
    } finally {
      await fake.close();
    }
  });

  it('exits 2 with the usage when the routing key is missing', async () => {
    const run = await cli(['send', '-s', 'No key']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('send needs -k <routing key>');
    expect(run.stderr).toContain('Usage: tocsin send');
  });

  it('exits 2 when an acknowledge names no dedup key', async () => {
    const run = await cli(['send', '-k', seededKey, '-t', 'acknowledge']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('-t acknowledge needs -d <dedup key>');
  });

  it('exits 2 for an unknown option or a field without a value', async () => {
    expect((await cli(['send', '-k', seededKey, '-s', 'x', '--colour', 'red'])).code).toBe(2);
    expect((await cli(['send', '-k', seededKey, '-s', 'x', '-f', 'novalue'])).code).toBe(2);
  });

  it('exits 1 with a clear message when the server cannot be reached', async () => {
    const closed = await fakeServer(() => ({ status: 500, body: {} }));
    await closed.close();
    const run = await cli(['send', '-k', seededKey, '-s', 'x', '--url', closed.url]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`cannot reach Tocsin at ${closed.url}: connect ECONNREFUSED`);
  });
});

describe('tocsin service', () => {
  it('exits 2 when no API token is given', async () => {
    const run = await cli(['service', 'list'], { TOCSIN_TOKEN: '' });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--token or set TOCSIN_TOKEN');
  });

  it('prints the server message and exits 1 when the token is wrong', async () => {
    const run = await cli(['service', 'list', '--token', 'not-a-real-token-at-all']);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/tocsin: .*HTTP 401/);
  });

  it('follows the pages of the list until more is false', async () => {
    const fake = await fakeServer((request) => {
      const offset = Number(new URL(request.url ?? '', 'http://x').searchParams.get('offset'));
      const services = offset === 0 ? [{ id: 'PAAAAAA', name: 'First', status: 'active' }] : [];
      if (offset === 100) services.push({ id: 'PBBBBBB', name: 'Second', status: 'critical' });
      return { status: 200, body: { services, limit: 100, offset, more: offset === 0, total: null } };
    });
    try {
      const run = await cli(['service', 'list'], { TOCSIN_URL: fake.url });
      expect(run.code).toBe(0);
      expect(fake.requests.map((r) => r.url)).toEqual([
        '/api/v2/services?limit=100&offset=0',
        '/api/v2/services?limit=100&offset=100',
      ]);
      expect(fake.requests[0]?.headers.authorization).toBe(`Token token=${TOKEN}`);
      expect(run.stdout.split('\n')).toEqual([
        'ID       NAME    STATUS',
        'PAAAAAA  First   active',
        'PBBBBBB  Second  critical',
        '',
      ]);
    } finally {
      await fake.close();
    }
  });

  it('creates a service and then lists it', async () => {
    const created = await cli(['service', 'create', '--name', 'Checkout', '--urgency', 'low']);
    expect(created.code).toBe(0);
    const id = /^id:\s+(\S+)$/m.exec(created.stdout)?.[1];
    expect(id).toMatch(/^P[0-9A-Z]{6}$/);
    expect(created.stdout).toMatch(/^name:\s+Checkout$/m);
    const listed = await cli(['service', 'list']);
    expect(listed.code).toBe(0);
    expect(listed.stdout).toMatch(new RegExp(`^${id}\\s+Checkout\\s+active$`, 'm'));
    expect(listed.stdout).toMatch(/\s+Seeded\s+/);
  });

  it('exits 2 when create has no name', async () => {
    const run = await cli(['service', 'create']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('service create needs --name');
  });
});

describe('tocsin integration', () => {
  it('creates an Events API v2 integration whose key accepts events', async () => {
    const service = await cli(['service', 'create', '--name', 'Payments']);
    const serviceId = /^id:\s+(\S+)$/m.exec(service.stdout)?.[1] ?? '';
    const run = await cli(['integration', 'create', '--service', serviceId]);
    expect(run.code).toBe(0);
    const key = /^integration_key:\s+([0-9a-f]{32})$/m.exec(run.stdout)?.[1] ?? '';
    expect(run.stdout).toMatch(/^events_url:\s+http\S+\/v2\/enqueue$/m);
    const sent = await cli(['send', '-k', key, '-s', 'Payments are failing']);
    expect(sent.code).toBe(0);
  });

  it('creates a generic JSON webhook with its own events URL', async () => {
    const service = await cli(['service', 'create', '--name', 'Webhooks']);
    const serviceId = /^id:\s+(\S+)$/m.exec(service.stdout)?.[1] ?? '';
    const run = await cli(['integration', 'create', '--service', serviceId, '--type', 'generic_json']);
    expect(run.code).toBe(0);
    const key = /^integration_key:\s+(\S+)$/m.exec(run.stdout)?.[1] ?? '';
    expect(run.stdout).toContain(`/integration/${key}/enqueue`);
  });

  it('prints the server message and exits 1 for an unknown service', async () => {
    const run = await cli(['integration', 'create', '--service', 'PNOSUCH']);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/tocsin: .*HTTP 404/);
  });

  it('exits 2 for an unknown integration type', async () => {
    const run = await cli(['integration', 'create', '--service', 'PABCDEF', '--type', 'nagios']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(
      '--type must be one of events_api_v2, events_api_v1, thousandeyes, generic_json',
    );
  });
});

describe('tocsin incidents', () => {
  it('lists open incidents with their number, status, urgency, title and service', async () => {
    await cli(['send', '-k', seededKey, '-d', 'listed-1', '-s', 'Queue backlog growing']);
    await cli(['send', '-k', seededKey, '-d', 'listed-2', '-s', 'Queue consumer down']);
    await cli(['send', '-k', seededKey, '-t', 'acknowledge', '-d', 'listed-2']);
    const run = await cli(['incidents', '--status', 'triggered,acknowledged']);
    expect(run.code).toBe(0);
    const lines = run.stdout.split('\n');
    expect(lines[0]).toMatch(/^NUMBER\s+STATUS\s+URGENCY\s+TITLE\s+SERVICE$/);
    expect(run.stdout).toMatch(/^#\d+\s+triggered\s+high\s+Queue backlog growing\s+Seeded$/m);
    expect(run.stdout).toMatch(/^#\d+\s+acknowledged\s+high\s+Queue consumer down\s+Seeded$/m);
    expect(run.stdout).not.toContain('resolved');
  });

  it('shows only the statuses asked for', async () => {
    await cli(['send', '-k', seededKey, '-d', 'only-ack', '-s', 'Only acknowledged']);
    await cli(['send', '-k', seededKey, '-t', 'acknowledge', '-d', 'only-ack']);
    const run = await cli(['incidents', '--status', 'acknowledged']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Only acknowledged');
    expect(run.stdout).not.toMatch(/\striggered\s/);
  });

  it('sends the status and service filters as PagerDuty array parameters', async () => {
    const fake = await fakeServer(() => ({ status: 200, body: { incidents: [], more: false } }));
    try {
      const run = await cli(
        ['incidents', '--status', 'triggered,acknowledged', '--service', 'PAAAAAA', '--service', 'PBBBBBB'],
        { TOCSIN_URL: fake.url },
      );
      expect(run.code).toBe(0);
      expect(run.stdout).toBe('No incidents.\n');
      const query = new URL(fake.requests[0]?.url ?? '', 'http://x').searchParams;
      expect(query.getAll('statuses[]')).toEqual(['triggered', 'acknowledged']);
      expect(query.getAll('service_ids[]')).toEqual(['PAAAAAA', 'PBBBBBB']);
    } finally {
      await fake.close();
    }
  });

  it('exits 2 for an unknown status', async () => {
    const run = await cli(['incidents', '--status', 'open']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--status takes triggered, acknowledged, resolved (got "open")');
  });
});
