import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends } from '../harness/backends.js';
import { ADMIN_TOKEN } from '../harness/test-app.js';
import {
  ADMIN,
  launchBrowser,
  screenshots,
  signInThroughPage,
  startBrowserApp,
  type BrowserApp,
} from './browser-harness.js';

/*
 * The seed walkthrough's part these pages cover, in Chromium against a listening Tocsin: first-run
 * setup, sign out and in, create a service and an Events API v2 integration, copy its key, send an
 * event, watch the incident appear live, acknowledge, add a note, resolve from the source, read the
 * timeline. Screenshots of each page at 1280 and 390 px go to docs/screenshots (SQLite run only).
 */

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
}, 300_000);
afterAll(async () => {
  await browser?.close();
});

async function sendEvent(url: string, body: unknown): Promise<number> {
  const res = await fetch(`${url}/v2/enqueue`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return res.status;
}

describe.each(backends())('the incident walkthrough in a browser ($name)', (backend) => {
  const shoot = backend.name === 'sqlite';
  let t: BrowserApp;
  let context: BrowserContext;
  let page: Page;
  let serviceId: string;
  let key: string;

  beforeAll(async () => {
    t = await startBrowserApp(backend.fresh());
    context = await browser.newContext({ viewport: { width: 1280, height: 800 }, colorScheme: 'light' });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: t.url });
    page = await context.newPage();
    page.setDefaultTimeout(10_000);
  }, 120_000);
  afterAll(async () => {
    await context?.close();
    await t?.close();
    await backend.cleanup();
  });

  it('asks for first-run setup, then signs the new admin in', async () => {
    await page.goto(t.url);
    await page.waitForURL(/\/setup$/);
    if (shoot) await screenshots(page, 'setup');
    await page.getByLabel('Admin token').fill(ADMIN_TOKEN);
    await page.getByLabel('Your name').fill('Ada Admin');
    await page.getByLabel('Email').fill(ADMIN.email);
    await page.getByLabel('Password').fill(ADMIN.password);
    await page.getByRole('button', { name: 'Create the administrator' }).click();
    await page.waitForURL(/\/incidents/);
    await expect.poll(() => page.getByText('Ada Admin').isVisible()).toBe(true);
  });

  it('signs out and back in through the sign-in page', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(/\/sign-in/);
    await page.getByLabel('Email').fill(ADMIN.email);
    await page.getByLabel('Password').fill('wrong password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('do not match');
    if (shoot) await screenshots(page, 'sign-in');
    await signInThroughPage(page, t.url);
    if (shoot) {
      await page.goto(`${t.url}/forgot-password`);
      await screenshots(page, 'forgot-password');
      await page.goto(`${t.url}/reset-password?token=example`);
      await screenshots(page, 'reset-password');
      await page.goto(`${t.url}/incidents`);
    }
  });

  it('creates a service on a policy and an Events API v2 integration, and copies its key', async () => {
    const me = (await t.api('GET', '/api/v2/users?query=admin')).json<{ users: { id: string }[] }>()
      .users[0]!;
    const policy = await t.api('POST', '/api/v2/escalation_policies', {
      escalation_policy: {
        name: 'Ops on call',
        escalation_rules: [
          { escalation_delay_in_minutes: 5, targets: [{ id: me.id, type: 'user_reference' }] },
        ],
      },
    });
    expect(policy.statusCode, policy.body).toBe(201);

    await page.getByRole('link', { name: 'Services', exact: true }).click();
    await page.getByRole('button', { name: 'New service' }).click();
    await page.getByLabel('Name').fill('Checkout');
    await page.getByLabel('Escalation policy').selectOption({ label: 'Ops on call' });
    await page.getByRole('button', { name: 'Create service' }).click();
    await page.waitForURL(/\/services\/\w+\/integrations$/);
    serviceId = /\/services\/(\w+)\//.exec(page.url())![1]!;

    await page.getByRole('button', { name: 'New integration' }).click();
    await page.getByLabel('Type').selectOption('events_api_v2_inbound_integration');
    await page.getByLabel('Name', { exact: true }).fill('Prometheus');
    await page.getByRole('button', { name: 'Add integration' }).click();
    const shown = page.getByTestId('integration-key');
    await expect.poll(() => shown.count()).toBe(1);
    await page.getByRole('button', { name: 'Copy the key of Prometheus' }).click();
    key = await page.evaluate(() => navigator.clipboard.readText());
    expect(key).toMatch(/^[0-9a-f]{32}$/);
    expect(await shown.textContent()).toBe(key);
    await expect.poll(() => page.getByText('curl -sS -X POST').textContent()).toContain(key);
    if (shoot) await screenshots(page, 'service-integrations');
  });

  it('shows a new incident live, within a second, without a reload', async () => {
    await page.getByRole('link', { name: 'Incidents', exact: true }).click();
    await expect.poll(() => page.getByText('Live', { exact: false }).first().textContent()).toContain('Live');
    // Under tsx the SQLite writer thread compiles on first use (seconds); start it before timing.
    await sendEvent(t.url, { routing_key: key, event_action: 'acknowledge', dedup_key: 'warm-up' });
    expect(
      await sendEvent(t.url, {
        routing_key: key,
        event_action: 'trigger',
        dedup_key: 'disk-db-1',
        payload: {
          summary: 'Disk 95% full on db-1',
          source: 'db-1',
          severity: 'critical',
          custom_details: { free: '2.1 GB', mount: '/var/lib/postgresql' },
        },
        links: [{ href: 'https://grafana.example.com/d/disk', text: 'Disk dashboard' }],
      }),
    ).toBe(202);
    const accepted = Date.now(); // the incident exists once the event is answered 202
    await page.getByRole('link', { name: /Disk 95% full on db-1/ }).waitFor({ timeout: 3000 });
    const appearedMs = Date.now() - accepted;
    expect(appearedMs).toBeLessThan(1000);
    if (shoot) await screenshots(page, 'incidents');
  });

  it('acknowledges, adds a note, sees the source resolve it and reads the timeline', async () => {
    await page.getByRole('link', { name: /Disk 95% full on db-1/ }).click();
    await page.waitForURL(/\/incidents\/\w+$/);
    await page.getByRole('button', { name: 'Acknowledge' }).click();
    await expect.poll(() => page.locator('.badge-acknowledged').count()).toBeGreaterThan(0);
    await page.getByLabel('Add a note').fill('Rotating logs; space back in 10 minutes.');
    await page.getByRole('button', { name: 'Add note' }).click();
    const timeline = page.getByRole('list', { name: 'Timeline' });
    await expect.poll(() => timeline.textContent()).toContain('Rotating logs; space back in 10 minutes.');
    await expect.poll(() => page.getByText('Disk dashboard').count()).toBe(1);
    expect(await page.getByText('/var/lib/postgresql').count()).toBe(1);

    expect(
      await sendEvent(t.url, { routing_key: key, event_action: 'resolve', dedup_key: 'disk-db-1' }),
    ).toBe(202);
    await expect.poll(() => page.locator('.badge-resolved').count(), { timeout: 5000 }).toBeGreaterThan(0);
    const text = (await timeline.textContent()) ?? '';
    expect(text).toContain('Triggered');
    expect(text).toContain('Acknowledged');
    expect(text).toContain('Note');
    expect(text).toContain('Resolved');
    expect(text).toMatch(/by Ada Admin/);
    if (shoot) await screenshots(page, 'incident');
  });

  it('acknowledges and resolves several incidents at once from the list', async () => {
    for (const n of [1, 2, 3])
      await sendEvent(t.url, {
        routing_key: key,
        event_action: 'trigger',
        dedup_key: `bulk-${n}`,
        payload: { summary: `Bulk ${n}`, source: 'bulk', severity: 'warning' },
      });
    await page.goto(`${t.url}/incidents`);
    await expect.poll(() => page.locator('[data-incident-id]').count()).toBe(3);
    await page.getByLabel('Select all incidents').check();
    await page.getByRole('button', { name: /^Acknowledge \(3\)/ }).click();
    await expect.poll(() => page.locator('.incident-row .badge-acknowledged').count()).toBe(3);
    await page.getByLabel('Select incident #2').check();
    await page.getByLabel('Select incident #3').check();
    await page.getByRole('button', { name: /^Resolve/ }).click();
    await expect.poll(() => page.locator('[data-incident-id]').count()).toBe(1);
  });

  it('shows the services list, settings, and drops events while the service is disabled', async () => {
    await page.getByRole('link', { name: 'Services', exact: true }).click();
    await page.getByRole('link', { name: 'Checkout' }).waitFor();
    if (shoot) await screenshots(page, 'services');
    await page.getByRole('link', { name: 'Checkout' }).click();
    await page.getByRole('link', { name: 'Settings' }).click();
    await page.getByLabel('Acknowledgement timeout (minutes)').fill('45');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'Saved.' }).count()).toBe(1);
    const saved = (await t.api('GET', `/api/v2/services/${serviceId}`)).json<{
      service: { acknowledgement_timeout: number };
    }>();
    expect(saved.service.acknowledgement_timeout).toBe(2700);
    if (shoot) await screenshots(page, 'service-settings');

    await page.getByRole('button', { name: 'Disable service' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Disable' }).click();
    await page.getByRole('button', { name: 'Enable service' }).waitFor();
    await sendEvent(t.url, {
      routing_key: key,
      event_action: 'trigger',
      payload: { summary: 'While disabled', source: 'x', severity: 'info' },
    });
    await page.getByRole('link', { name: 'Dropped events' }).click();
    await expect.poll(() => page.getByText('While disabled').count(), { timeout: 5000 }).toBe(1);
    if (shoot) await screenshots(page, 'service-dropped-events');
    await page.getByRole('button', { name: 'Enable service' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Enable' }).click();
    await page.getByRole('button', { name: 'Disable service' }).waitFor();
  });
});
