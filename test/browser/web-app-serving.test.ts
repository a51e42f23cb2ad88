import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isServerPath, webApp } from '../../src/http/web-app.js';
import { backends } from '../harness/backends.js';
import { startTestApp, type TestApp } from '../harness/test-app.js';

/** A fake build: index.html, a hashed asset with its .gz, and the manifest. */
function fakeBuild(): string {
  const root = mkdtempSync(join(tmpdir(), 'tocsin-web-'));
  mkdirSync(join(root, 'assets'));
  writeFileSync(join(root, 'index.html'), '<!doctype html><title>Tocsin</title><div id="root"></div>');
  const js = `console.log(${JSON.stringify('x'.repeat(4000))});`;
  writeFileSync(join(root, 'assets', 'index-abc123.js'), js);
  writeFileSync(join(root, 'assets', 'index-abc123.js.gz'), gzipSync(js));
  writeFileSync(join(root, 'manifest.webmanifest'), '{"name":"Tocsin"}');
  return root;
}

describe('serving the web app', () => {
  let root: string;
  let app: FastifyInstance;

  beforeAll(async () => {
    root = fakeBuild();
    app = Fastify();
    app.get('/api/v2/things', async () => ({ things: [] }));
    await app.register(webApp({ root }));
    await app.ready();
  });
  afterAll(async () => {
    await app.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('sends hashed assets compressed and cached for a year', async () => {
    const res = await app.inject({ url: '/assets/index-abc123.js', headers: { 'accept-encoding': 'gzip' } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-encoding']).toBe('gzip');
    expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(res.headers['content-type']).toMatch(/javascript/);
  });

  it('sends the page itself with no-cache, also for client-side routes', async () => {
    for (const url of ['/', '/incidents', '/services/P123/integrations?x=1']) {
      const res = await app.inject({ url });
      expect(res.statusCode, url).toBe(200);
      expect(res.headers['cache-control']).toBe('no-cache');
      expect(res.headers['content-type']).toMatch(/text\/html/);
      expect(res.body).toContain('<div id="root">');
    }
  });

  it('compresses the page for browsers that accept brotli', async () => {
    const big = Fastify();
    writeFileSync(join(root, 'index.html'), `<!doctype html><div id="root"></div>${' '.repeat(3000)}`);
    await big.register(webApp({ root }));
    const res = await big.inject({ url: '/incidents', headers: { 'accept-encoding': 'br' } });
    expect(res.headers['content-encoding']).toBe('br');
    await big.close();
  });

  it('answers 404 for unknown server paths and missing assets instead of the page', async () => {
    for (const url of ['/api/v2/nothing', '/v2/nothing', '/assets/gone-123.js', '/healthz/x']) {
      const res = await app.inject({ url });
      expect(res.statusCode, url).toBe(404);
      expect(res.json()).toMatchObject({ statusCode: 404, error: 'Not Found' });
    }
    expect((await app.inject({ method: 'POST', url: '/incidents' })).statusCode).toBe(404);
  });

  it('leaves server routes to the server', async () => {
    expect((await app.inject({ url: '/api/v2/things' })).json()).toEqual({ things: [] });
  });

  it('knows which paths belong to the server', () => {
    expect(isServerPath('/api/v2/incidents')).toBe(true);
    expect(isServerPath('/sw.js')).toBe(true);
    expect(isServerPath('/healthz')).toBe(true);
    expect(isServerPath('/oauth/token')).toBe(true);
    expect(isServerPath('/oauth/authorize')).toBe(false);
    expect(isServerPath('/incidents/Q1')).toBe(false);
    expect(isServerPath('/v2x')).toBe(false);
  });
});

describe('the server without a built web app', () => {
  it('still starts and says at / that the web app is not built', async () => {
    const app = Fastify();
    await app.register(webApp({ root: null }));
    const res = await app.inject({ url: '/' });
    expect(res.statusCode).toBe(503);
    expect(res.body).toContain('web app is not built');
    await app.close();
  });
});

describe.each(backends())('the web app inside Tocsin ($name)', (backend) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(backend.fresh());
  });
  afterAll(async () => {
    await t.close();
    await backend.cleanup();
  });

  it('keeps the API, events and service worker routes as they were', async () => {
    expect((await t.api('GET', '/api/v2/services')).statusCode).toBe(200);
    expect((await t.api('GET', '/api/v2/nothing-here')).statusCode).toBe(404);
    const sw = await t.app.inject({ url: '/sw.js' });
    expect(sw.statusCode).toBe(200);
    expect(sw.body).toContain("addEventListener('push'");
    expect((await t.send({})).statusCode).toBe(400);
  });

  it('answers a page for client-side routes (built or not)', async () => {
    const res = await t.app.inject({ url: '/incidents' });
    expect([200, 503]).toContain(res.statusCode);
    expect(res.headers['content-type']).toMatch(/text\/html/);
  });
});
