import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import fastifyCompress from '@fastify/compress';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/**
 * Paths the server owns: a GET under one of them that matches no route is a real 404, never the web
 * app's page. Everything else the browser asks for is a page of the single-page app.
 */
export const SERVER_PATHS: readonly string[] = [
  '/api/',
  '/v1/',
  '/v2/',
  '/integration/',
  '/generic/',
  '/x-ere/',
  '/actions/',
  '/twilio/',
  '/slack/',
  '/calendars/',
  '/oauth/token',
  '/oauth/revoke',
  '/sw.js',
  '/healthz',
  '/readyz',
  '/metrics',
  '/openapi.json',
  '/docs/api',
  '/assets/', // a missing hashed asset is a 404, not HTML the browser would try to run
];

/** Whether a request path belongs to the server rather than to the web app. */
export function isServerPath(url: string): boolean {
  const path = url.split('?')[0] ?? url;
  return SERVER_PATHS.some((prefix) => path === prefix.replace(/\/$/, '') || path.startsWith(prefix));
}

const here = dirname(fileURLToPath(import.meta.url));

/** Where the built web app is: `dist/web` beside the compiled server, or from the sources (tests, tsx). */
export function defaultWebRoot(): string | undefined {
  const candidates = [resolve(here, '..', 'web'), resolve(here, '..', '..', 'dist', 'web')];
  return candidates.find((dir) => existsSync(join(dir, 'index.html')));
}

const NOT_BUILT = `<!doctype html><html lang="en"><meta charset="utf-8"><title>Tocsin</title>
<body style="font-family:system-ui;margin:3rem"><h1>Tocsin is running</h1>
<p>The web app is not built. Run <code>npm run build</code> (or <code>npm start</code>) and reload.</p>
<p>The REST API is at <code>/api/v2</code>.</p></body></html>`;

/** The root the web app plugin was built with (`null`: no plugin yet, so look for the default). */
let webRoot: string | undefined | null = null;

/**
 * Sends the web app's page (index.html, never cached so a new release is picked up at once). Server
 * routes that show a web app page after their own checks (the OAuth consent and install pages) use it.
 */
export async function sendWebAppPage(reply: FastifyReply) {
  return sendPage(reply, webRoot === null ? defaultWebRoot() : webRoot);
}

async function sendPage(reply: FastifyReply, root: string | undefined) {
  reply.header('cache-control', 'no-cache').header('x-content-type-options', 'nosniff');
  if (root === undefined) return reply.code(503).type('text/html; charset=utf-8').send(NOT_BUILT);
  const html = await readFile(join(root, 'index.html'), 'utf8');
  reply.type('text/html; charset=utf-8').header('vary', 'accept-encoding');
  // @fastify/compress hooks routes, not the not-found handler that serves this page: encode it here.
  const accepted = String(reply.request.headers['accept-encoding'] ?? '');
  if (html.length < 1024) return reply.send(html);
  if (/\bbr\b/.test(accepted)) return reply.header('content-encoding', 'br').send(brotliCompressSync(html));
  if (/\bgzip\b/.test(accepted)) return reply.header('content-encoding', 'gzip').send(gzipSync(html));
  return reply.send(html);
}

/** Options of the web app plugin. */
export interface WebAppOptions {
  /** The built app's directory; default: `defaultWebRoot()`. `null` = serve as if not built. */
  root?: string | null;
}

function notFound(request: FastifyRequest, reply: FastifyReply) {
  // Fastify's own 404 body, as the server answered before the web app existed.
  return reply.code(404).send({
    message: `Route ${request.method}:${request.url} not found`,
    error: 'Not Found',
    statusCode: 404,
  });
}

/**
 * Serves the built web app at `/`: hashed assets (compressed at build time) cached for a year, the
 * page itself `no-cache`, and the page for every GET that is not a server path (client-side routes).
 */
export function webApp(options: WebAppOptions = {}) {
  const root = options.root === null ? undefined : (options.root ?? defaultWebRoot());
  webRoot = root;
  return async function plugin(app: FastifyInstance): Promise<void> {
    // Registered in this context only: the API and events routes keep their bytes as they were.
    await app.register(fastifyCompress, { global: true, encodings: ['br', 'gzip'], threshold: 1024 });
    if (root !== undefined) {
      await app.register(fastifyStatic, {
        root,
        prefix: '/',
        wildcard: false,
        index: false,
        preCompressed: true,
        cacheControl: false,
        globIgnore: ['**/*.gz', '**/*.br', '**/index.html', '.vite/**'],
        setHeaders(reply, path) {
          const immutable = path.startsWith(join(root, 'assets'));
          reply.header(
            'cache-control',
            immutable ? 'public, max-age=31536000, immutable' : 'public, max-age=0, must-revalidate',
          );
        },
      });
    }
    app.setNotFoundHandler(async (request, reply) => {
      if ((request.method !== 'GET' && request.method !== 'HEAD') || isServerPath(request.url))
        return notFound(request, reply);
      return sendPage(reply, root);
    });
  };
}
