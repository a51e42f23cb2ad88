import { CommandError, UsageError } from './cli-io.js';

/** Where the server is and the API token to send to it. */
export interface Connection {
  url: string;
  token: string | undefined;
}

/** A server's answer: its status and its parsed JSON body (or its text when it is not JSON). */
export interface ApiResponse {
  status: number;
  body: unknown;
}

/** Takes --url/--token, else TOCSIN_URL/TOCSIN_TOKEN, else http://localhost:8080 and no token. */
export function connectionFrom(
  values: { url?: string | undefined; token?: string | undefined },
  env: NodeJS.ProcessEnv,
  usage: string,
): Connection {
  const url = values.url || env.TOCSIN_URL || 'http://localhost:8080';
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new UsageError(`--url must be an http(s) URL (got "${url}")`, usage);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')
    throw new UsageError(`--url must be an http(s) URL (got "${url}")`, usage);
  return { url: url.replace(/\/+$/, ''), token: values.token || env.TOCSIN_TOKEN || undefined };
}

/** Sends one JSON request; `auth` adds `Authorization: Token token=…`. Network failures throw. */
export async function request(
  connection: Connection,
  method: string,
  path: string,
  options: { body?: unknown; auth: boolean },
): Promise<ApiResponse> {
  const headers: Record<string, string> = { accept: 'application/vnd.pagerduty+json;version=2' };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (options.auth && connection.token) headers.authorization = `Token token=${connection.token}`;
  let response: Response;
  try {
    response = await fetch(connection.url + path, {
      method,
      headers,
      ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
      signal: AbortSignal.timeout(30_000),
    });
  } catch (error) {
    const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
    throw new CommandError(
      `cannot reach Tocsin at ${connection.url}: ${cause instanceof Error ? cause.message : String(cause)}`,
    );
  }
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // Not JSON (a proxy's error page, say): keep the text for the error message.
  }
  return { status: response.status, body };
}

/** The message of a PagerDuty-style error body (REST `{error:{…}}` or Events `{message, errors}`). */
export function errorMessage(response: ApiResponse): string {
  const body = response.body;
  const top = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
  const inner =
    typeof top.error === 'object' && top.error !== null ? (top.error as Record<string, unknown>) : top;
  const message = typeof inner.message === 'string' ? inner.message : undefined;
  const errors = Array.isArray(inner.errors) ? inner.errors.map(String) : [];
  if (message === undefined) {
    const text = typeof body === 'string' ? body.trim().slice(0, 200) : '';
    return `HTTP ${response.status}${text ? `: ${text}` : ''}`;
  }
  return `${message}${errors.length ? ` (${errors.join('; ')})` : ''} [HTTP ${response.status}]`;
}

/** A REST API v2 call that must succeed: returns the body, or throws with the server's message. */
export async function restCall<T>(
  connection: Connection,
  method: string,
  path: string,
  usage: string,
  body?: unknown,
): Promise<T> {
  if (!connection.token)
    throw new UsageError('an API token is needed: pass --token or set TOCSIN_TOKEN', usage);
  const response = await request(connection, method, path, { body, auth: true });
  if (response.status < 200 || response.status > 299) throw new CommandError(errorMessage(response));
  return response.body as T;
}

/**
 * Reads every page of a classic paginated list (limit 100, offset until `more` is false), stopping at
 * PagerDuty's 10 000-row depth limit.
 */
export async function listAll<T>(
  connection: Connection,
  path: string,
  key: string,
  query: URLSearchParams,
  usage: string,
): Promise<T[]> {
  const items: T[] = [];
  const limit = 100;
  for (let offset = 0; offset + limit <= 10_000; offset += limit) {
    const page = new URLSearchParams(query);
    page.set('limit', String(limit));
    page.set('offset', String(offset));
    const body = await restCall<Record<string, unknown>>(
      connection,
      'GET',
      `${path}?${page.toString()}`,
      usage,
    );
    const rows = Array.isArray(body[key]) ? (body[key] as T[]) : [];
    items.push(...rows);
    if (body.more !== true || rows.length === 0) break;
  }
  return items;
}
