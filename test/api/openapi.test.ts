import { Ajv } from 'ajv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends } from '../harness/backends.js';
import { startTestApp, type TestApp } from '../harness/test-app.js';

type Json = Record<string, unknown>;

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace'];

/** The structure OpenAPI 3.0 requires of a document (a subset of the official schema, enough to catch drift). */
const openApi30 = {
  type: 'object',
  required: ['openapi', 'info', 'paths'],
  properties: {
    openapi: { type: 'string', pattern: '^3\\.0\\.\\d+$' },
    info: {
      type: 'object',
      required: ['title', 'version'],
      properties: { title: { type: 'string' }, version: { type: 'string' } },
    },
    servers: { type: 'array', items: { type: 'object', required: ['url'] } },
    components: { type: 'object' },
    paths: {
      type: 'object',
      propertyNames: { pattern: '^/' },
      additionalProperties: {
        type: 'object',
        propertyNames: { enum: [...METHODS, 'summary', 'description', 'parameters', 'servers', '$ref'] },
        patternProperties: { [`^(${METHODS.join('|')})$`]: { $ref: '#/definitions/operation' } },
      },
    },
  },
  definitions: {
    operation: {
      type: 'object',
      required: ['responses'],
      properties: {
        operationId: { type: 'string' },
        summary: { type: 'string' },
        tags: { type: 'array', items: { type: 'string' } },
        parameters: {
          type: 'array',
          items: {
            type: 'object',
            required: ['name', 'in'],
            properties: {
              name: { type: 'string' },
              in: { enum: ['query', 'header', 'path', 'cookie'] },
              required: { type: 'boolean' },
              schema: { type: 'object' },
            },
            if: { properties: { in: { const: 'path' } } },
            then: { required: ['name', 'in', 'required'], properties: { required: { const: true } } },
          },
        },
        requestBody: {
          type: 'object',
          required: ['content'],
          properties: { content: { type: 'object', minProperties: 1 } },
        },
        responses: {
          type: 'object',
          minProperties: 1,
          propertyNames: { pattern: '^([1-5](\\d\\d|XX)|default)$' },
          additionalProperties: { type: 'object', required: ['description'] },
        },
      },
    },
  },
};

/** `/api/v2/services/:id` → `/api/v2/services/{id}` (Fastify's path syntax to OpenAPI's). */
const templated = (url: string) => url.replace(/:([A-Za-z0-9_]+)/g, '{$1}');

for (const backend of backends()) {
  describe(backend.name, () => {
    describe('the OpenAPI document', () => {
      let t: TestApp;
      let doc: Json & { paths: Record<string, Record<string, Json>> };
      beforeAll(async () => {
        t = await startTestApp(backend.fresh());
        const res = await t.app.inject({ method: 'GET', url: '/openapi.json' });
        expect(res.statusCode).toBe(200);
        doc = res.json();
      });
      afterAll(async () => {
        await t.close();
        await backend.cleanup();
      });

      it('is a structurally valid OpenAPI 3.0 document', () => {
        const ajv = new Ajv({ allErrors: true });
        const validate = ajv.compile(openApi30);
        expect(validate(doc), JSON.stringify(validate.errors?.slice(0, 5))).toBe(true);
        const ids = Object.values(doc.paths)
          .flatMap((item) => Object.values(item))
          .map((op) => op.operationId)
          .filter((id) => id !== undefined);
        expect(new Set(ids).size).toBe(ids.length);
      });

      it('declares every parameter its path templates name', () => {
        const problems: string[] = [];
        for (const [path, item] of Object.entries(doc.paths)) {
          const names = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
          for (const [method, op] of Object.entries(item)) {
            const declared = ((op.parameters ?? []) as Json[])
              .filter((p) => p.in === 'path')
              .map((p) => p.name);
            for (const name of names)
              if (!declared.includes(name)) problems.push(`${method} ${path} lacks path parameter ${name}`);
          }
        }
        expect(problems).toEqual([]);
      });

      it('lists every /api/v2 route Fastify registered, and the Events API', () => {
        const documented = new Set(
          Object.entries(doc.paths).flatMap(([path, item]) =>
            Object.keys(item).map((method) => `${method.toUpperCase()} ${path}`),
          ),
        );
        const registered = t.app.registeredRoutes
          .filter((r) => r.url.startsWith('/api/v2/'))
          .map((r) => `${r.method} ${templated(r.url)}`);
        expect(registered.length).toBeGreaterThan(50);
        expect(registered.filter((r) => !documented.has(r))).toEqual([]);
        expect([...documented]).toEqual(
          expect.arrayContaining(['POST /v2/enqueue', 'POST /v2/change/enqueue']),
        );
        expect(doc.paths['/api/v2/maintenance_windows']?.get).toMatchObject({
          operationId: 'listMaintenanceWindows',
          tags: ['Maintenance Windows'],
        });
        expect(doc.paths['/api/v2/escalation_policies/{id}']?.get?.tags).toEqual(['Escalation Policies']);
        expect(doc.paths['/v2/enqueue']?.post?.tags).toEqual(['Events API']);
        expect(doc.paths['/v2/enqueue']?.post?.security).toBeUndefined();
        expect(doc.paths['/api/v2/services']?.get?.security).toEqual([
          { api_token: [] },
          { oauth_token: [] },
          { session: [] },
        ]);
        // Signing in needs no credentials.
        expect(doc.paths['/api/v2/session']?.post?.security).toBeUndefined();
        // The docs themselves are not part of the API.
        expect(Object.keys(doc.paths).filter((p) => p.startsWith('/docs') || p === '/openapi.json')).toEqual(
          [],
        );
      });

      it('serves the docs page as HTML', async () => {
        const page = await t.app.inject({ method: 'GET', url: '/docs/api' });
        expect(page.statusCode).toBe(200);
        expect(page.headers['content-type']).toMatch(/^text\/html/);
        expect(page.body).toContain('swagger-ui');
        const script = await t.app.inject({ method: 'GET', url: '/docs/api/static/swagger-initializer.js' });
        expect(script.statusCode).toBe(200);
      });
    });
  });
}
