import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { backends } from '../harness/backends.js';
import { setPassword } from '../harness/accounts.js';
import {
  launchBrowser,
  screenshots,
  signInThroughPage,
  startBrowserApp,
  type BrowserApp,
} from './browser-harness.js';

/*
 * The configuration pages in Chromium against a listening Tocsin: create a schedule and a policy on it
 * in the UI, an override made by picking a shift changes who the on-call page shows, a responder's
 * forced service edit shows the API's 403 and the configuration controls are not offered to them.
 * Screenshots of every page at 1280 and 390 px go to docs/screenshots (SQLite run only).
 */

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
}, 300_000);
afterAll(async () => {
  await browser?.close();
});

type Json = Record<string, unknown>;
const RESPONDER = { email: 'rita@example.com', password: 'responder password 1' };

/** Follows a link of the main navigation. */
function nav(page: Page, name: string): Promise<void> {
  return page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name, exact: true }).click();
}

describe.each(backends())('the configuration pages in a browser ($name)', (backend) => {
  const shoot = backend.name === 'sqlite';
  let t: BrowserApp;
  let context: BrowserContext;
  let page: Page;
  let serviceId: string;
  let scheduleId: string;
  let policyId: string;

  const post = async (path: string, body: Json) => {
    const res = await t.api('POST', `/api/v2/${path}`, body);
    expect(res.statusCode, res.body).toBe(201);
    return res.json<Json>();
  };

  beforeAll(async () => {
    t = await startBrowserApp(backend.fresh());
    await t.finishSetup();
    for (const [name, email] of [
      ['Ann Lee', 'ann@example.com'],
      ['Bob Ray', 'bob@example.com'],
    ])
      await post('users', { user: { name, email, role: 'responder' } });
    const rita = (
      await post('users', { user: { name: 'Rita Responder', email: RESPONDER.email, role: 'responder' } })
    ).user as Json;
    await setPassword(t, rita.id as string, RESPONDER.password);
    serviceId = ((await post('services', { service: { name: 'Checkout' } })).service as Json).id as string;
    await post('teams', { team: { name: 'Payments' } });
    context = await browser.newContext({ viewport: { width: 1280, height: 800 }, colorScheme: 'light' });
    page = await context.newPage();
    page.setDefaultTimeout(10_000);
    await signInThroughPage(page, t.url);
  }, 120_000);
  afterEach(async (ctx) => {
    // A failing step leaves a picture of the page behind (outside the repository).
    if (ctx.task.result?.state === 'fail')
      await page?.screenshot({ path: `/tmp/config-pages-${backend.name}-failure.png`, fullPage: true });
  });
  afterAll(async () => {
    await context?.close();
    await t?.close();
    await backend.cleanup();
  });

  it('creates a schedule with a daily rotation of two people', async () => {
    await nav(page, 'Schedules');
    await page.getByRole('link', { name: 'New schedule' }).click();
    await page.getByLabel('Name', { exact: true }).fill('Primary');
    await page.getByLabel('Time zone').selectOption('UTC');
    for (const name of ['Ann Lee', 'Bob Ray']) {
      await page.getByLabel('Add a user to layer 1').selectOption({ label: name });
      await page.getByRole('button', { name: 'Add user to layer 1' }).click();
    }
    if (shoot) await screenshots(page, 'schedule-new');
    await page.getByRole('button', { name: 'Create schedule' }).click();
    await page.waitForURL(/\/schedules\/(?!new$)[^/]+$/);
    scheduleId = page.url().split('/').pop()!;
    await expect
      .poll(() => page.getByRole('list', { name: 'Final schedule' }).getByRole('button').count())
      .toBeGreaterThan(3);
    await expect
      .poll(() => page.getByLabel('On call now and next').textContent())
      .toMatch(/(Ann Lee|Bob Ray) until/);
  });

  it('creates an escalation policy that pages the schedule', async () => {
    await nav(page, 'Policies');
    await page.getByRole('link', { name: 'New escalation policy' }).click();
    await page.getByLabel('Name', { exact: true }).fill('Checkout on call');
    await page.getByLabel('Team').selectOption({ label: 'Payments' });
    await page.getByLabel('Add a user or schedule to level 1').selectOption({ label: 'Primary' });
    await page.getByRole('button', { name: 'Add to level 1' }).click();
    await page.getByLabel('Escalate after (minutes) if not acknowledged, level 1').fill('10');
    await page.getByRole('button', { name: 'Add level' }).click();
    await page.getByLabel('Add a user or schedule to level 2').selectOption({ label: 'Rita Responder' });
    await page.getByRole('button', { name: 'Add to level 2' }).click();
    await page.getByRole('button', { name: 'Create policy' }).click();
    await page.waitForURL(/\/policies\/(?!new$)[^/]+$/);
    policyId = page.url().split('/').pop()!;
    const stored = (await t.api('GET', `/api/v2/escalation_policies/${policyId}`)).json<{
      escalation_policy: {
        escalation_rules: { escalation_delay_in_minutes: number; targets: Json[] }[];
        teams: Json[];
      };
    }>().escalation_policy;
    expect(
      stored.escalation_rules.map((r) => [r.escalation_delay_in_minutes, r.targets.map((x) => x.type)]),
    ).toEqual([
      [10, ['schedule_reference']],
      [30, ['user_reference']],
    ]);
    expect(stored.teams).toHaveLength(1);
    await expect
      .poll(() => page.getByRole('article', { name: 'Who would be paged now' }).textContent())
      .toContain('Rita Responder');
    const put = await t.api('PUT', `/api/v2/services/${serviceId}`, {
      service: { escalation_policy: { id: policyId, type: 'escalation_policy_reference' } },
    });
    expect(put.statusCode, put.body).toBe(200);
    await page.reload();
    await expect
      .poll(() => page.getByRole('article', { name: 'Services using it' }).textContent())
      .toContain('Checkout');
    if (shoot) await screenshots(page, 'policy');
    await page.getByRole('link', { name: '← Escalation policies' }).click();
    await expect.poll(() => page.getByRole('cell', { name: 'Checkout on call' }).isVisible()).toBe(true);
    if (shoot) await screenshots(page, 'policies');
  });

  it('an override made by picking a shift changes who the on-call page shows', async () => {
    await nav(page, 'On call');
    const card = page.getByRole('article', { name: 'Checkout on call' });
    await expect.poll(() => card.textContent()).toMatch(/Ann Lee|Bob Ray/);
    const before = (await card.textContent())!.includes('Ann Lee') ? 'Ann Lee' : 'Bob Ray';
    const other = before === 'Ann Lee' ? 'Bob Ray' : 'Ann Lee';
    if (shoot) await screenshots(page, 'oncall');

    await page.goto(`${t.url}/schedules/${scheduleId}`);
    // The first shift of today's holder in a window starting at today's midnight is the current one.
    await page
      .getByRole('list', { name: 'Final schedule' })
      .getByRole('button', { name: `Override ${before}` })
      .first()
      .click();
    await page.getByLabel('Who takes it').selectOption({ label: other });
    if (shoot) await screenshots(page, 'schedule');
    await page.getByRole('button', { name: 'Create override' }).click();
    await expect.poll(() => page.getByRole('list', { name: 'Overrides' }).textContent()).toContain(other);
    await expect
      .poll(() => page.getByLabel('On call now and next').textContent())
      .toContain(`${other} until`);

    await nav(page, 'On call');
    await expect
      .poll(() => page.getByRole('article', { name: 'Checkout on call' }).textContent())
      .toContain(other);
    expect(await page.getByRole('article', { name: 'Checkout on call' }).textContent()).not.toContain(before);
  });

  it('edits the layers: a daily restriction saved through the layer editor', async () => {
    await nav(page, 'Schedules');
    await page.getByRole('link', { name: 'Primary' }).click();
    await page.getByRole('button', { name: 'Edit layers' }).click();
    await page.getByRole('button', { name: 'Add restriction to layer 1' }).click();
    await page.getByLabel('Layer 1 restriction 1 for hours').fill('10');
    await page.getByRole('button', { name: 'Save layers' }).click();
    await expect.poll(() => page.getByRole('button', { name: 'Edit layers' }).isVisible()).toBe(true);
    const stored = (await t.api('GET', `/api/v2/schedules/${scheduleId}`)).json<{
      schedule: { schedule_layers: { restrictions: Json[]; users: Json[] }[] };
    }>().schedule.schedule_layers;
    expect(stored).toHaveLength(1);
    expect(stored[0]!.users).toHaveLength(2);
    expect(stored[0]!.restrictions).toEqual([
      { type: 'daily_restriction', start_time_of_day: '09:00:00', duration_seconds: 36_000 },
    ]);
  });

  it('shows people, teams, my profile, analytics and the admin pages', async () => {
    await nav(page, 'People');
    await expect.poll(() => page.getByRole('link', { name: 'Rita Responder' }).isVisible()).toBe(true);
    if (shoot) await screenshots(page, 'people');
    await page.getByRole('link', { name: 'Ann Lee' }).click();
    await expect.poll(() => page.getByRole('heading', { name: 'Ann Lee' }).isVisible()).toBe(true);
    if (shoot) await screenshots(page, 'user');
    await page.getByRole('navigation', { name: 'People' }).getByRole('link', { name: 'Teams' }).click();
    await page.getByRole('link', { name: 'Payments' }).click();
    await page.getByLabel('Member to add').selectOption({ label: 'Ann Lee' });
    await page.getByRole('button', { name: 'Add to team' }).click();
    await expect.poll(() => page.getByRole('cell', { name: 'Ann Lee', exact: true }).isVisible()).toBe(true);
    if (shoot) await screenshots(page, 'team');

    await nav(page, 'My profile');
    await page.getByLabel('Address').fill('ada.pager@example.com');
    await page.getByRole('button', { name: 'Add contact method' }).click();
    await expect
      .poll(() => page.getByRole('button', { name: 'Send test to ada.pager@example.com' }).count())
      .toBeGreaterThan(0);
    await page.getByLabel('Token description').fill('laptop script');
    await page.getByRole('button', { name: 'Create token' }).click();
    await expect.poll(() => page.getByText('it is not shown again').isVisible()).toBe(true);
    if (shoot) await screenshots(page, 'profile');

    // Two incidents on Checkout: one acknowledged after 2 minutes and resolved after 5, one still open.
    const integration = await post(`services/${serviceId}/integrations`, {
      integration: { type: 'events_api_v2_inbound_integration' },
    });
    const key = (integration.integration as Json).integration_key as string;
    for (const dedup of ['disk-full', 'latency'])
      await t.send({
        routing_key: key,
        event_action: 'trigger',
        dedup_key: dedup,
        payload: { summary: dedup, source: 'web-1', severity: 'critical' },
      });
    await expect
      .poll(
        async () => (await t.api('GET', '/api/v2/incidents')).json<{ incidents: Json[] }>().incidents.length,
      )
      .toBe(2);
    const first = (await t.api('GET', '/api/v2/incidents')).json<{ incidents: { id: string }[] }>()
      .incidents[0]!.id;
    const change = async (status: string) => {
      const res = await t.api(
        'PUT',
        `/api/v2/incidents/${first}`,
        { incident: { type: 'incident_reference', status } },
        { from: 'admin@tocsin.local' },
      );
      expect(res.statusCode, res.body).toBe(200);
    };
    t.clock.advance(120_000);
    await change('acknowledged');
    t.clock.advance(180_000);
    await change('resolved');
    await nav(page, 'Analytics');
    await expect.poll(() => page.getByLabel('Totals').textContent()).toContain('2 min');
    await expect.poll(() => page.getByRole('heading', { name: 'Incidents per day' }).isVisible()).toBe(true);
    if (shoot) await screenshots(page, 'analytics');

    for (const [tab, name, heading] of [
      ['webhooks', 'admin-webhooks', 'Webhooks'],
      ['providers', 'admin-providers', 'Notification providers'],
      ['tokens', 'admin-tokens', 'Account tokens'],
      ['audit', 'admin-audit', 'Audit log'],
      ['apps', 'admin-apps', 'OAuth apps'],
    ] as const) {
      await page.goto(`${t.url}/admin/${tab}`);
      await expect
        .poll(() => page.getByRole('heading', { name: `Admin: ${heading}` }).isVisible())
        .toBe(true);
      await expect.poll(() => page.getByRole('status').filter({ hasText: 'Loading' }).count()).toBe(0);
      if (tab === 'audit')
        await expect
          .poll(() => page.getByRole('table').textContent())
          .toContain('create escalation policy Checkout on call');
      if (shoot) await screenshots(page, name);
    }
  });

  it('a responder is offered no configuration controls, and a forced service edit shows the 403', async () => {
    const responder = await browser.newContext({
      viewport: { width: 1280, height: 800 },
      colorScheme: 'dark',
    });
    const p = await responder.newPage();
    p.setDefaultTimeout(10_000);
    try {
      await signInThroughPage(p, t.url, RESPONDER.email, RESPONDER.password);
      expect(
        await p.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Admin' }).count(),
      ).toBe(0);
      await p.goto(`${t.url}/policies/${policyId}`);
      await expect
        .poll(() => p.getByText('Only admins and managers change escalation policies.').isVisible())
        .toBe(true);
      expect(await p.getByRole('button', { name: 'Save policy' }).count()).toBe(0);
      expect(await p.getByLabel('Name', { exact: true }).isDisabled()).toBe(true);
      await p.goto(`${t.url}/schedules`);
      await expect.poll(() => p.getByRole('link', { name: 'Primary' }).isVisible()).toBe(true);
      expect(await p.getByRole('link', { name: 'New schedule' }).count()).toBe(0);
      if (shoot) await screenshots(p, 'schedules');

      // The service's settings are shown read-only; forced (controls re-enabled), the API's 403 shows.
      await p.goto(`${t.url}/services/${serviceId}/settings`);
      const name = p.getByLabel('Name', { exact: true });
      await expect.poll(() => name.inputValue()).toBe('Checkout');
      const save = p.getByRole('button', { name: 'Save settings' });
      expect((await name.isDisabled()) || (await save.count()) === 0).toBe(true);
      if ((await save.count()) > 0) {
        await p.evaluate(() => {
          for (const el of document.querySelectorAll('[disabled]')) el.removeAttribute('disabled');
        });
        await name.fill('Checkout (renamed)');
        await save.click();
        await expect.poll(() => p.getByRole('alert').textContent()).toContain('Access Denied');
      } else {
        const status = await p.evaluate(async (id) => {
          const session = (await (await fetch('/api/v2/session')).json()) as { csrf_token: string };
          const res = await fetch(`/api/v2/services/${id}`, {
            method: 'PUT',
            headers: { 'content-type': 'application/json', 'x-csrf-token': session.csrf_token },
            body: JSON.stringify({ service: { name: 'Checkout (renamed)' } }),
          });
          return res.status;
        }, serviceId);
        expect(status).toBe(403);
      }
      const stored = (await t.api('GET', `/api/v2/services/${serviceId}`)).json<{
        service: { name: string };
      }>();
      expect(stored.service.name).toBe('Checkout');
    } finally {
      await responder.close();
    }
  });
});
