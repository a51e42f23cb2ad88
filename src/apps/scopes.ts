/**
 * OAuth scopes. Classic `read`/`write` cover the whole REST API; a per-resource scope names the first
 * path segment under `/api/v2` (`incidents.write`, `services.read`). A write scope also allows reading
 * that resource (apps that may change incidents need to see them first).
 */

/** Resources (first path segments under /api/v2) that have their own scopes. */
export const SCOPED_RESOURCES = [
  'abilities',
  'escalation_policies',
  'incidents',
  'log_entries',
  'maintenance_windows',
  'oncalls',
  'priorities',
  'schedules',
  'services',
  'teams',
  'users',
  'webhook_subscriptions',
] as const;

/** Every scope an app may be granted. */
export const ALL_SCOPES: readonly string[] = [
  'read',
  'write',
  ...SCOPED_RESOURCES.flatMap((r) => [`${r}.read`, `${r}.write`]),
];

/**
 * Paths under /api/v2 no OAuth token may use whatever its scope: managing apps, accounts and tokens, and
 * the consent and install endpoints (those need the person's own signed-in session).
 */
const SESSION_ONLY = new Set([
  'oauth_apps',
  'oauth',
  'install',
  'session',
  'sessions',
  'setup',
  'password_reset',
  'api_tokens',
]);

/** Whether a scope string is one Tocsin knows. */
export function isKnownScope(scope: string): boolean {
  return ALL_SCOPES.includes(scope);
}

/** Splits a space-separated scope string into unique scopes, in order. */
export function parseScopes(value: string | undefined | null): string[] {
  return [...new Set((value ?? '').split(/\s+/).filter((s) => s !== ''))];
}

/** The first path segment under /api/v2 (`/api/v2/incidents/P1/notes?x` → `incidents`). */
export function resourceOf(url: string): string {
  const path = url.split('?')[0] ?? '';
  const rest = path.replace(/^\/api\/v2\/?/, '');
  return rest.split('/')[0] ?? '';
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Whether a token with these scopes may make this request (method and URL under /api/v2). */
export function scopeAllows(scopes: readonly string[], method: string, url: string): boolean {
  const resource = resourceOf(url);
  if (SESSION_ONLY.has(resource)) return false;
  const reading = SAFE_METHODS.has(method.toUpperCase());
  if (scopes.includes('write') || scopes.includes(`${resource}.write`)) return true;
  return reading && (scopes.includes('read') || scopes.includes(`${resource}.read`));
}
