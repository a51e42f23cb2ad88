import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setPassword } from '../harness/accounts.js';
import { backends } from '../harness/backends.js';
import { createUser, type CreatedUser } from '../harness/people.js';
import { launchBrowser, signInThroughPage, startBrowserApp, type BrowserApp } from './browser-harness.js';

/*
 * The incident page's other actions (reassign, escalate, snooze, merge) in a browser, and what a
 * responder sees of a service: no settings to change, no integrations to add or delete, no disable;
 * the server refuses the change anyway.
 */

const PASSWORD = 'responder password 1';
let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
}, 300_000);
afterAll(async () => {
  await browser?.close();
});

interface Incident {
  id: string;
  status: string;
  escalation_level: number;
  assignments: { assignee: { id: string } }[];
}

describe.each(backends())('incident actions and roles in a browser ($name)', (backend) => {
  let t: BrowserApp;
  let context: BrowserContext;
  let page: Page;
  let rita: CreatedUser;
  let serviceId: string;
  let key: string;

  const incident = async (dedupKey: string): Promise<Incident> => {
    const res = await t.api('GET', `/api/v2/incidents?incident_key=${dedupKey}&date_range=all`);
    return res.json<{ incidents: Incident[] }>().incidents[0]!;
  };
  const trigger = (dedupKey: string, summary: string) =>
    t.send({
      routing_key: key,
      event_action: 'trigger',
      dedup_key: dedupKey,
      payload: { summary, source: 'x', severity: 'error' },
    });

  beforeAll(async () => {
    t = await startBrowserApp(backend.fresh());
    await t.finishSetup();
    rita = await createUser(t, { name: 'Rita Responder', email: 'rita@example.com', role: 'responder' });
    await setPassword(t, rita.id, PASSWORD);
    const admin = (await t.api('GET', '/api/v2/users?query=admin')).json<{ users: { id: string }[] }>()
      .users[0]!;
    const policy = await t.api('POST', '/api/v2/escalation_policies', {
      escalation_policy: {
        name: 'Two levels',
        escalation_rules: [
          { escalation_delay_in_minutes: 30, targets: [{ id: admin.id, type: 'user_reference' }] },
          { escalation_delay_in_minutes: 30, targets: [{ id: rita.id, type: 'user_reference' }] },
        ],
      },
    });
    const policyId = policy.json<{ escalation_policy: { id: string } }>().escalation_policy.id;
    const service = await t.api('POST', '/api/v2/services', {
      service: { name: 'Payments', escalation_policy: { id: policyId, type: 'escalation_policy_reference' } },
    });
    serviceId = service.json<{ service: { id: string } }>().service.id;
    const integration = await t.api('POST', `/api/v2/services/${serviceId}/integrations`, {
      integration: { type: 'events_api_v2_inbound_integration', name: 'Alerts' },
    });
    key = integration.json<{ integration: { integration_key: string } }>().integration.integration_key;
    for (const [k, s] of [
      ['pay-1', 'Payments failing'],
      ['pay-2', 'Payments slow'],
    ] as const)
      expect((await trigger(k, s)).statusCode).toBe(202);
    context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    page = await context.newPage();
    page.setDefaultTimeout(10_000);
  }, 120_000);
  afterAll(async () => {
    await context?.close();
    await t?.close();
    await backend.cleanup();
  });

  it('reassigns, escalates, snoozes and merges from the incident page', async () => {
    await signInThroughPage(page, t.url);
    const first = await incident('pay-1');
    await page.goto(`${t.url}/incidents/${first.id}`);
    await page.getByLabel('Reassign to').selectOption({ label: 'Rita Responder' });
    await page.getByRole('button', { name: 'Reassign', exact: true }).click();
    await expect
      .poll(async () => (await incident('pay-1')).assignments.map((a) => a.assignee.id))
      .toEqual([rita.id]);

    await page.getByLabel('Escalate to level').selectOption('2');
    await page.getByRole('button', { name: 'Escalate', exact: true }).click();
    await expect.poll(async () => (await incident('pay-1')).escalation_level).toBe(2);

    await page.getByRole('button', { name: 'Acknowledge' }).click();
    await expect.poll(async () => (await incident('pay-1')).status).toBe('acknowledged');
    await page.getByLabel('Snooze for').selectOption({ label: '4 hours' });
    await page.getByRole('button', { name: 'Snooze', exact: true }).click();
    await expect.poll(() => page.getByRole('list', { name: 'Timeline' }).textContent()).toContain('Snoozed');

    const second = await incident('pay-2');
    await page.getByLabel('Merge into this one').selectOption({ value: second.id });
    await page.getByRole('button', { name: 'Merge', exact: true }).click();
    const byId = async (id: string) =>
      (await t.api('GET', `/api/v2/incidents/${id}`)).json<{ incident: Incident }>().incident;
    await expect.poll(async () => (await byId(second.id)).status).toBe('resolved');
    await expect.poll(() => page.getByRole('heading', { name: /^Alerts \(2\)/ }).count()).toBe(1);
  });

  it('shows a responder a service without anything to change, and the server refuses a change', async () => {
    const responder = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const rpage = await responder.newPage();
    rpage.setDefaultTimeout(10_000);
    await signInThroughPage(rpage, t.url, 'rita@example.com', PASSWORD);
    await rpage.goto(`${t.url}/services`);
    await rpage.getByRole('link', { name: 'Payments' }).waitFor();
    expect(await rpage.getByRole('button', { name: 'New service' }).count()).toBe(0);
    await rpage.goto(`${t.url}/services/${serviceId}/settings`);
    await rpage.getByText('Only admins and managers can change a service.').waitFor();
    expect(await rpage.getByLabel('Name').isDisabled()).toBe(true);
    expect(await rpage.getByRole('button', { name: 'Save settings' }).count()).toBe(0);
    expect(await rpage.getByRole('button', { name: /Disable service|Enable service/ }).count()).toBe(0);
    await rpage.getByRole('link', { name: 'Integrations' }).click();
    await rpage.getByTestId('integration-key').waitFor();
    expect(await rpage.getByRole('button', { name: 'New integration' }).count()).toBe(0);
    expect(await rpage.getByRole('button', { name: 'Delete' }).count()).toBe(0);
    const status = await rpage.evaluate(async (id) => {
      const session = (await (await fetch('/api/v2/session')).json()) as { csrf_token: string };
      const res = await fetch(`/api/v2/services/${id}`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json', 'x-csrf-token': session.csrf_token },
        body: JSON.stringify({ service: { name: 'Renamed by a responder' } }),
      });
      return res.status;
    }, serviceId);
    expect(status).toBe(403);
    await responder.close();
  });
});
