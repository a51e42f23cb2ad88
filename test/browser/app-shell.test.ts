import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends } from '../harness/backends.js';
import { insertServiceWithIntegration, triggerBody } from '../harness/factories.js';
import {
  launchBrowser,
  screenshots,
  signInThroughPage,
  startBrowserApp,
  type BrowserApp,
} from './browser-harness.js';

/*
 * The shell every page shares: keyboard first (skip link), themes (system preference and the switch),
 * no sideways scrolling at 390 px, and the PWA parts (manifest, icons, the /sw.js service worker).
 */

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
}, 300_000);
afterAll(async () => {
  await browser?.close();
});

describe.each(backends())('the app shell ($name)', (backend) => {
  let t: BrowserApp;
  beforeAll(async () => {
    t = await startBrowserApp(backend.fresh());
    await t.finishSetup();
  }, 120_000);
  afterAll(async () => {
    await t?.close();
    await backend.cleanup();
  });

  it('starts keyboard users at a skip link that moves focus to the page', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await signInThroughPage(page, t.url);
    await page.getByRole('heading', { name: 'Incidents' }).waitFor();
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Skip to content');
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('main');
    // Every control on the page has a name a screen reader can say.
    const unnamed = await page.evaluate(
      () =>
        [...document.querySelectorAll('input, select, button, a')].filter(
          (el) =>
            !(el.getAttribute('aria-label') || (el as HTMLElement).innerText?.trim() || el.closest('label')),
        ).length,
    );
    expect(unnamed).toBe(0);
    await context.close();
  });

  it('follows the system theme and the theme switch', async () => {
    const context = await browser.newContext({ colorScheme: 'dark', viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    await signInThroughPage(page, t.url);
    const background = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    expect(await background()).toBe('rgb(20, 23, 28)');
    const { key } = await insertServiceWithIntegration(t.store, { name: 'Web' });
    for (const [n, severity] of [
      [1, 'critical'],
      [2, 'warning'],
    ] as const)
      await t.send(
        triggerBody(key, `dark-${n}`, { payload: { summary: `Latency high on web-${n}`, severity } }),
      );
    await page.getByRole('link', { name: /Latency high on web-2/ }).waitFor();
    if (backend.name === 'sqlite') await screenshots(page, 'incidents-dark');
    await page.getByLabel('Theme').selectOption('light');
    expect(await background()).toBe('rgb(246, 247, 249)');
    await page.reload();
    await page.getByRole('heading', { name: 'Incidents' }).waitFor();
    expect(await background()).toBe('rgb(246, 247, 249)'); // remembered on this device
    await page.getByLabel('Theme').selectOption('system');
    expect(await background()).toBe('rgb(20, 23, 28)');
    await context.close();
  });

  it('fits a 390 px wide phone without sideways scrolling', async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true });
    const page = await context.newPage();
    await signInThroughPage(page, t.url);
    for (const path of ['/incidents', '/services']) {
      await page.goto(`${t.url}${path}`);
      await page.getByRole('heading', { level: 1 }).waitFor();
      expect(await page.evaluate(() => document.documentElement.scrollWidth), path).toBeLessThanOrEqual(390);
    }
    await context.close();
  });

  it('is installable: a manifest with icons, and the push service worker registered', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await signInThroughPage(page, t.url);
    const manifest = await page.evaluate(async () => {
      const href = document.querySelector('link[rel=manifest]')!.getAttribute('href')!;
      return (await fetch(href)).json() as Promise<{
        display: string;
        icons: { src: string; sizes: string }[];
      }>;
    });
    expect(manifest.display).toBe('standalone');
    expect(manifest.icons.map((i) => i.sizes)).toEqual(expect.arrayContaining(['192x192', '512x512']));
    for (const icon of manifest.icons) expect((await fetch(`${t.url}${icon.src}`)).status).toBe(200);
    const script = await page.evaluate(async () => {
      const registration = await navigator.serviceWorker.ready;
      return registration.active?.scriptURL;
    });
    expect(script).toBe(`${t.url}/sw.js`);
    await context.close();
  });
});
