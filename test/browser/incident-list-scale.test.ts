import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends } from '../harness/backends.js';
import { insertServiceWithIntegration, triggerBody } from '../harness/factories.js';
import { launchBrowser, signInThroughPage, startBrowserApp, type BrowserApp } from './browser-harness.js';

/*
 * The live list with 1,000 open incidents: only the rows in view are in the page, scrolling from the
 * top to the bottom keeps frames short, and a new incident still appears at the top within a second.
 */

const COUNT = 1000;
let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
}, 300_000);
afterAll(async () => {
  await browser?.close();
});

/** Scrolls the list to the end in steps, one per animation frame; returns every frame's duration. */
function scrollThrough(page: Page): Promise<number[]> {
  return page.evaluate(async () => {
    const list = document.querySelector<HTMLElement>('[data-testid="incident-list"]')!;
    const frames: number[] = [];
    let last = performance.now();
    while (list.scrollTop + list.clientHeight < list.scrollHeight - 1) {
      list.scrollTop += list.clientHeight / 2;
      await new Promise((r) => requestAnimationFrame(r));
      const now = performance.now();
      frames.push(now - last);
      last = now;
    }
    return frames;
  });
}

describe.each(backends())('the incident list with 1,000 open incidents ($name)', (backend) => {
  let t: BrowserApp;
  let page: Page;
  let key: string;

  beforeAll(async () => {
    t = await startBrowserApp(backend.fresh());
    await t.finishSetup();
    ({ key } = await insertServiceWithIntegration(t.store, { name: 'Noisy' }));
    for (let i = 0; i < COUNT; i += 100) {
      const batch = Array.from({ length: Math.min(100, COUNT - i) }, (_, j) =>
        t.send(triggerBody(key, `load-${i + j}`)),
      );
      for (const res of await Promise.all(batch)) expect(res.statusCode).toBe(202);
    }
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    page.setDefaultTimeout(20_000);
  }, 240_000);
  afterAll(async () => {
    await page?.close();
    await t?.close();
    await backend.cleanup();
  });

  it('renders only the rows in view and scrolls to the oldest with short frames', async () => {
    await signInThroughPage(page, t.url);
    await expect
      .poll(() => page.getByRole('status').filter({ hasText: 'Live' }).textContent(), { timeout: 20_000 })
      .toContain(`${COUNT} triggered`);
    const rendered = await page.locator('[data-incident-id]').count();
    expect(rendered).toBeGreaterThan(5);
    expect(rendered).toBeLessThan(60);
    const frames = await scrollThrough(page);
    const sorted = [...frames].sort((a, b) => a - b);
    const median = sorted[Math.floor(sorted.length / 2)]!;
    console.info(
      `${COUNT} incidents: ${rendered} rows in the page, ${frames.length} scroll steps, median frame ${median.toFixed(1)} ms, worst ${sorted.at(-1)!.toFixed(1)} ms`,
    );
    expect(median).toBeLessThan(100); // ~20 ms alone; the bound leaves room for a loaded 2-core machine
    const lastRow = await page.locator('[data-incident-id]').last().getAttribute('aria-rowindex');
    expect(Number(lastRow)).toBe(COUNT + 1); // the header is row 1
    expect(await page.locator('[data-incident-id]').count()).toBeLessThan(60);
  }, 90_000);

  it('still shows a new incident at the top within a second', async () => {
    await page.locator('[data-testid="incident-list"]').evaluate((el) => (el.scrollTop = 0));
    t.clock.advance(60_000); // the load arrived in the same (manual) instant; this one is newer
    expect(
      (await t.send(triggerBody(key, 'the-new-one', { payload: { summary: 'The new one' } }))).statusCode,
    ).toBe(202);
    const accepted = Date.now();
    await page.getByRole('link', { name: /The new one/ }).waitFor({ timeout: 3000 });
    expect(Date.now() - accepted).toBeLessThan(1000);
  });
});
