import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { build } from 'vite';
import type { DatabaseTarget } from '../../src/config/config.js';
import { setPassword } from '../harness/accounts.js';
import { startTestApp, type TestApp } from '../harness/test-app.js';

/** Debian's Chromium; playwright-core never downloads a browser. */
export const CHROMIUM = '/usr/bin/chromium';
/** The repository root. */
export const ROOT = new URL('../../', import.meta.url).pathname;
/** Where the browser tests save their screenshots (shown in the README). */
export const SHOTS = join(ROOT, 'docs', 'screenshots');
const WEB_OUT = join(ROOT, 'dist', 'web');
const LOCK = join(ROOT, '.tmp', 'web-build.lock');

/** The admin every browser app signs in as. */
export const ADMIN = { email: 'admin@tocsin.local', password: 'admin password 123', name: 'Administrator' };

function newestMtime(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return readdirSync(path).reduce((max, name) => Math.max(max, newestMtime(join(path, name))), stat.mtimeMs);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Whether dist/web is older than anything in web/ (sources, public files, index.html, config). */
export function webBuildIsStale(): boolean {
  const index = join(WEB_OUT, 'index.html');
  return !existsSync(index) || statSync(index).mtimeMs < newestMtime(join(ROOT, 'web'));
}

/**
 * Builds the web app into dist/web (where the server serves it from) unless that build is current.
 * Test files run in parallel: a lock directory makes one build while the others wait for it. Call it
 * before starting a server, since the server lists the built files when it starts.
 */
export async function ensureWebBuild(): Promise<void> {
  mkdirSync(join(ROOT, '.tmp'), { recursive: true });
  for (let waited = 0; ; waited += 200) {
    if (!webBuildIsStale()) return;
    try {
      mkdirSync(LOCK);
      break;
    } catch {
      // Another file is building; a lock older than two minutes is left over from a killed run.
      if (existsSync(LOCK) && Date.now() - statSync(LOCK).mtimeMs > 120_000)
        rmSync(LOCK, { recursive: true });
      if (waited > 180_000) throw new Error('timed out waiting for another web build');
      await sleep(200);
    }
  }
  try {
    if (webBuildIsStale()) {
      // Vitest sets NODE_ENV=test, which would make Vite bundle React's development build.
      const nodeEnv = process.env.NODE_ENV;
      process.env.NODE_ENV = 'production';
      try {
        await build({
          configFile: join(ROOT, 'web', 'vite.config.ts'),
          logLevel: 'warn',
          mode: 'production',
        });
      } finally {
        process.env.NODE_ENV = nodeEnv;
      }
    }
  } finally {
    rmSync(LOCK, { recursive: true, force: true });
  }
}

/** Launches headless Chromium (waiting up to two minutes for the system package to appear). */
export async function launchBrowser(): Promise<Browser> {
  for (let i = 0; i < 120 && !existsSync(CHROMIUM); i++) await sleep(1000);
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}

/** A TCP port nothing listens on now. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** A Tocsin listening on a port, with the web app built, for a browser to drive. */
export interface BrowserApp extends TestApp {
  /** `http://127.0.0.1:<port>`. */
  url: string;
  /** Gives the admin their password (first-run setup done), as most tests want. */
  finishSetup(): Promise<void>;
}

/**
 * Builds the web app if needed and starts Tocsin on a free port over a fresh database. The clock is the
 * test's manual clock set to now (so "3 min ago" reads right); move it with `clock.advance`.
 */
export async function startBrowserApp(target: DatabaseTarget): Promise<BrowserApp> {
  await ensureWebBuild();
  // The port is chosen first so the app's base URL (events URLs, links) is the address it serves.
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const t = await startTestApp(target, { config: { baseUrl: url } });
  t.clock.set(new Date());
  await t.app.listen({ port, host: '127.0.0.1' });
  // The engine assigns and notifies as in production (its timers run on the manual clock).
  t.app.engine.start();
  return {
    ...t,
    url,
    finishSetup: async () => {
      const admin = await t.store.db
        .selectFrom('users')
        .select('id')
        .where('email', '=', ADMIN.email)
        .executeTakeFirstOrThrow();
      await setPassword(t, admin.id, ADMIN.password);
    },
  };
}

/** Signs in through the sign-in page and waits for the incidents page. */
export async function signInThroughPage(
  page: Page,
  url: string,
  email = ADMIN.email,
  password = ADMIN.password,
) {
  await page.goto(`${url}/sign-in`);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(/\/incidents/);
}

/** Desktop and phone widths of the screenshots. */
export const WIDTHS = { desktop: { width: 1280, height: 800 }, phone: { width: 390, height: 844 } } as const;

/**
 * Saves `docs/screenshots/<name>-desktop.png` and `<name>-phone.png` of the current page (full page),
 * then puts the viewport back as it was.
 */
export async function screenshots(page: Page, name: string): Promise<void> {
  mkdirSync(SHOTS, { recursive: true });
  const before = page.viewportSize();
  for (const [label, size] of Object.entries(WIDTHS)) {
    await page.setViewportSize(size);
    await sleep(150); // let the layout and virtualised rows settle at the new width
    await page.screenshot({ path: join(SHOTS, `${name}-${label}.png`), fullPage: true });
  }
  if (before) await page.setViewportSize(before);
}
