import { existsSync, mkdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setPassword, signIn } from '../harness/accounts.js';
import { backends } from '../harness/backends.js';
import { triggerBody } from '../harness/factories.js';
import { pkcePair, registerApp } from '../harness/oauth.js';
import { createUser } from '../harness/people.js';
import { startTestApp, type TestApp } from '../harness/test-app.js';
import { ensureWebBuild } from './browser-harness.js';

const CHROMIUM = '/usr/bin/chromium';
const ROOT = new URL('../../', import.meta.url).pathname;
const SHOTS = join(ROOT, 'docs', 'screenshots');
const PASSWORD = 'correct horse battery';

/** The fake monitoring tool: a "Connect to Tocsin" link and the pages Tocsin sends the browser back to. */
interface FakeTool {
  url: string;
  server: Server;
  /** Every URL Tocsin sent the browser back to, in order. */
  returns: URL[];
  setConnectLink(href: string): void;
}

async function startFakeTool(): Promise<FakeTool> {
  let connectLink = '#';
  const returns: URL[] = [];
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://fake.tool');
    res.setHeader('content-type', 'text/html; charset=utf-8');
    if (url.pathname === '/') {
      res.end(`<!doctype html><title>Fake monitor</title><h1>Fake monitor</h1>
        <a id="connect" href="${connectLink}">Connect to Tocsin</a>`);
      return;
    }
    if (url.pathname === '/favicon.ico') {
      res.statusCode = 404;
      res.end();
      return;
    }
    returns.push(url);
    const config = url.searchParams.get('config');
    const keys = config ? (JSON.parse(config) as { integration_keys: unknown[] }).integration_keys.length : 0;
    res.end(`<!doctype html><title>Fake monitor</title><h1 id="back">Back in the fake monitor</h1>
      <p id="keys">${keys} keys</p>`);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    server,
    returns,
    setConnectLink: (href) => (connectLink = href),
  };
}

let browser: Browser;
beforeAll(async () => {
  await ensureWebBuild();
  // Chromium comes from the system package; playwright-core never downloads one.
  for (let i = 0; i < 120 && !existsSync(CHROMIUM); i++) await new Promise((r) => setTimeout(r, 1000));
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}, 300_000);
afterAll(async () => {
  await browser?.close();
});

for (const backend of backends()) {
  describe(backend.name, () => {
    describe('connect flow in a browser', () => {
      let t: TestApp;
      let tool: FakeTool;
      let tocsin: string;
      let page: Page;
      afterAll(async () => {
        await page?.close();
        await t?.close();
        await new Promise((r) => tool?.server.close(r));
        await backend.cleanup();
      });

      it('connects two services (one already connected), returns both keys, and a key opens an incident', async () => {
        t = await startTestApp(backend.fresh());
        await t.app.listen({ port: 0, host: '127.0.0.1' });
        tocsin = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
        tool = await startFakeTool();
        const user = await createUser(t, { name: 'Mia Manager', email: 'mia@example.com', role: 'manager' });
        await setPassword(t, user.id, PASSWORD);
        // First-run setup is done: the admin has a password (else the web app asks for setup first).
        const admin = await t.store.db
          .selectFrom('users')
          .select('id')
          .where('role', '=', 'admin')
          .executeTakeFirstOrThrow();
        await setPassword(t, admin.id, 'admin password 123');
        const serviceIds: Record<string, string> = {};
        for (const [name, extra] of [
          ['Web', {}],
          ['Payments', {}],
          ['Batch jobs', { alert_creation: 'create_incidents' }],
        ] as const) {
          const res = await t.api('POST', '/api/v2/services', { service: { name, ...extra } });
          serviceIds[name] = res.json<{ service: { id: string } }>().service.id;
        }
        const app = await registerApp(t, {
          name: 'Fake monitor',
          description: 'Sends its alerts to Tocsin',
          redirect_uris: [`${tool.url}/callback`, `${tool.url}/oauth/callback`],
          scopes: ['read', 'incidents.write'],
        });
        // The tool was connected to Web before: its key there must come back as it is.
        const earlier = await signIn(t, 'mia@example.com', PASSWORD);
        const first = await t.app.inject({
          method: 'POST',
          url: '/api/v2/install/integration',
          headers: {
            cookie: earlier.cookie,
            'x-csrf-token': earlier.csrf,
            'content-type': 'application/json',
          },
          payload: JSON.stringify({
            app_id: app.id,
            redirect_url: `${tool.url}/callback`,
            service_ids: [serviceIds.Web],
          }),
        });
        const webKey = first.json<{ results: { integration: { integration_key: string } }[] }>().results[0]!
          .integration.integration_key;

        const redirectUrl = `${tool.url}/callback?state=s-123`;
        tool.setConnectLink(
          `${tocsin}/install/integration?app_id=${app.id}&redirect_url=${encodeURIComponent(redirectUrl)}&version=2`,
        );
        page = await browser.newPage({ viewport: { width: 900, height: 800 } });
        await page.goto(tool.url);
        await page.click('#connect');
        await page.waitForSelector('input[type=email]');
        await page.fill('input[type=email]', 'mia@example.com');
        await page.fill('input[type=password]', PASSWORD);
        await page.click('button[type=submit]');

        await page.getByRole('heading', { name: 'Connect Fake monitor to Tocsin' }).waitFor();
        const pick = (name: string) => page.locator('label.service-pick', { hasText: name }).locator('input');
        expect(await pick('Batch jobs').isDisabled()).toBe(true);
        await expect
          .poll(() => page.locator('label.service-pick', { hasText: 'Batch jobs' }).innerText())
          .toContain('The service does not create alerts and incidents');
        await pick('Web').check();
        await pick('Payments').check();
        if (backend.name === 'sqlite') {
          mkdirSync(SHOTS, { recursive: true });
          await page.screenshot({ path: join(SHOTS, 'install-page.png'), fullPage: true });
        }
        await page.getByRole('button', { name: 'Connect 2 services' }).click();

        await page.locator('.install-results').waitFor();
        const status = (name: string) =>
          page.locator('.install-result', { hasText: name }).getAttribute('data-status');
        expect(await status('Web')).toBe('existing');
        expect(await status('Payments')).toBe('created');
        if (backend.name === 'sqlite')
          await page.screenshot({ path: join(SHOTS, 'install-results.png'), fullPage: true });
        await page.getByRole('link', { name: 'Continue to Fake monitor' }).click();
        await page.locator('#back').waitFor();

        const back = tool.returns.at(-1)!;
        expect(back.pathname).toBe('/callback');
        expect(back.searchParams.get('state')).toBe('s-123');
        const config = JSON.parse(back.searchParams.get('config')!) as {
          integration_keys: { integration_key: string; name: string; type: string }[];
          account: { subdomain: string; name: string };
        };
        expect(config.integration_keys.map((k) => [k.name, k.type])).toEqual([
          ['Web', 'service'],
          ['Payments', 'service'],
        ]);
        expect(config.integration_keys[0]!.integration_key).toBe(webKey);
        expect(config.account).toEqual({ subdomain: 'tocsin', name: 'tocsin' });

        const paymentsKey = config.integration_keys[1]!.integration_key;
        const sent = await fetch(`${tocsin}/v2/enqueue`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(triggerBody(paymentsKey, 'checkout-down')),
        });
        expect(sent.status).toBe(202);
        const incidents = await t.store.db.selectFrom('incidents').select(['service_id', 'status']).execute();
        expect(incidents).toEqual([{ service_id: serviceIds.Payments, status: 'triggered' }]);

        // The same person authorizes the tool's REST access on the consent page.
        const { verifier, challenge } = pkcePair();
        const authorize = new URLSearchParams({
          client_id: app.client_id,
          redirect_uri: `${tool.url}/oauth/callback`,
          response_type: 'code',
          scope: 'read incidents.write',
          state: 'o-456',
          code_challenge: challenge,
          code_challenge_method: 'S256',
        });
        await page.goto(`${tocsin}/oauth/authorize?${authorize.toString()}`);
        await page.getByRole('heading', { name: 'Allow Fake monitor to use your Tocsin account?' }).waitFor();
        if (backend.name === 'sqlite')
          await page.screenshot({ path: join(SHOTS, 'consent-page.png'), fullPage: true });
        await page.getByRole('button', { name: 'Allow' }).click();
        await page.locator('#back').waitFor();
        const oauthBack = tool.returns.at(-1)!;
        expect(oauthBack.searchParams.get('state')).toBe('o-456');
        const token = await fetch(`${tocsin}/oauth/token`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({
            grant_type: 'authorization_code',
            client_id: app.client_id,
            client_secret: app.client_secret!,
            code: oauthBack.searchParams.get('code')!,
            redirect_uri: `${tool.url}/oauth/callback`,
            code_verifier: verifier,
          }),
        });
        expect(token.status).toBe(200);
        const { access_token: accessToken } = (await token.json()) as { access_token: string };
        const listed = await fetch(`${tocsin}/api/v2/incidents`, {
          headers: { authorization: `Bearer ${accessToken}` },
        });
        expect(((await listed.json()) as { incidents: unknown[] }).incidents).toHaveLength(1);
      }, 120_000);
    });
  });
}
