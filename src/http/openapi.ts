import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';

/** A route as Fastify registered it (HEAD twins of GET routes left out). */
export interface RegisteredRoute {
  method: string;
  url: string;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Every route registered after `registerOpenApi`, in order (for the docs and their tests). */
    registeredRoutes: RegisteredRoute[];
  }
}

/** Any one of these authenticates an /api/v2 request. */
const API_SECURITY: Record<string, string[]>[] = [{ api_token: [] }, { oauth_token: [] }, { session: [] }];

/** `/api/v2/escalation_policies/:id` → `Escalation Policies`; events and other routes get their own tags. */
export function tagOf(url: string): string {
  if (/^\/(v2|generic|integration)\//.test(url)) return 'Events API';
  const resource = /^\/api\/v2\/([^/]+)/.exec(url)?.[1];
  if (resource === undefined) return 'Tocsin';
  return resource
    .split('_')
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join(' ');
}

/**
 * Describes Tocsin's HTTP API in OpenAPI 3 from the routes' own TypeBox schemas (the single source):
 * `GET /openapi.json`, and a browsable page at `/docs/api`. Call before any route is registered, so that
 * every later route is seen by the generator and by the route list.
 */
export async function registerOpenApi(app: FastifyInstance, baseUrl: string): Promise<void> {
  const routes: RegisteredRoute[] = [];
  app.decorate('registeredRoutes', routes);
  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const method of methods) if (method !== 'HEAD') routes.push({ method, url: route.url });
    // Group the docs page by resource without touching every route: a tag from the path when none is set.
    if (route.schema?.tags === undefined) route.schema = { ...route.schema, tags: [tagOf(route.url)] };
    // The /api/v2 routes take any of the three credentials, except those marked public (sign-in, setup…).
    const isPublic = route.config?.public === true;
    if (route.url.startsWith('/api/v2/') && !isPublic && route.schema.security === undefined)
      route.schema = { ...route.schema, security: API_SECURITY };
  });
  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'Tocsin API',
        description:
          "Tocsin's REST API v2 (PagerDuty's shapes, under /api/v2) and Events API endpoints. " +
          'Differences from PagerDuty are listed in docs/api-compatibility.md.',
        version: '2',
      },
      servers: [{ url: baseUrl }],
      components: {
        securitySchemes: {
          api_token: {
            type: 'apiKey',
            in: 'header',
            name: 'Authorization',
            description: 'Token token=<API token>',
          },
          oauth_token: { type: 'http', scheme: 'bearer', description: 'An OAuth access token' },
          session: {
            type: 'apiKey',
            in: 'cookie',
            name: 'tocsin_session',
            description: "The web app's session; unsafe methods also send X-CSRF-Token",
          },
        },
      },
    },
  });
  await app.register(fastifySwaggerUi, {
    routePrefix: '/docs/api',
    // Swagger UI's default CSP adds upgrade-insecure-requests, which breaks the page on plain-HTTP installs.
    staticCSP:
      "default-src 'self'; base-uri 'self'; img-src 'self' data:; object-src 'none'; script-src 'self'; " +
      "style-src 'self' https:; font-src 'self' https: data:; frame-ancestors 'self'",
  });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
}
