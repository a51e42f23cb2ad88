/** The one way the web app talks to Tocsin: `fetch` on `/api/v2`, with the session cookie and CSRF token. */

/** A failed API call, with PagerDuty's error message and field errors turned into one sentence. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly code: number | undefined,
    readonly errors: readonly string[],
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** Query parameters; arrays become `key[]=a&key[]=b` as PagerDuty's API expects. */
export type Query = Record<string, string | number | boolean | readonly string[] | undefined>;

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

let csrfToken: string | null = null;
let unauthorizedHandler: (() => void) | null = null;

/** Remembers the CSRF token of the signed-in session (sent on every unsafe request). */
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/** What to do when the API says the session is gone (401): the session provider sends people to sign in. */
export function onUnauthorized(handler: (() => void) | null): void {
  unauthorizedHandler = handler;
}

/** Builds `/api/v2/<path>?<query>`. */
export function apiUrl(path: string, query: Query = {}): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined) continue;
    if (Array.isArray(value)) for (const v of value as readonly string[]) params.append(`${key}[]`, v);
    else params.append(key, String(value));
  }
  const search = params.toString();
  return `/api/v2/${path.replace(/^\//, '')}${search ? `?${search}` : ''}`;
}

interface PagerDutyErrorBody {
  error?: { message?: string; code?: number; errors?: string[] };
  message?: string;
}

/** Turns a PagerDuty error body (`{error: {message, code, errors}}`) into an ApiError. */
export async function errorFrom(response: Response): Promise<ApiError> {
  let body: PagerDutyErrorBody = {};
  try {
    body = (await response.json()) as PagerDutyErrorBody;
  } catch {
    // Not JSON (a proxy's page, an empty body): the status text says enough.
  }
  const errors = body.error?.errors ?? [];
  const base = body.error?.message ?? body.message ?? (response.statusText || `HTTP ${response.status}`);
  const message = errors.length > 0 ? `${base}: ${errors.join('; ')}` : base;
  return new ApiError(response.status, message, body.error?.code, errors);
}

/** Options of one call. */
export interface CallOptions {
  query?: Query;
  body?: unknown;
  /** Do not treat 401 as "signed out" (the sign-in form shows it instead). */
  expectUnauthorized?: boolean;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

/** Calls the REST API; resolves with the parsed JSON (undefined for 204), rejects with ApiError. */
export async function call<T>(method: Method, path: string, options: CallOptions = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json', ...options.headers };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;
  const response = await fetch(apiUrl(path, options.query), {
    method,
    headers,
    credentials: 'same-origin',
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
    signal: options.signal,
  });
  if (!response.ok) {
    if (response.status === 401 && !options.expectUnauthorized) unauthorizedHandler?.();
    throw await errorFrom(response);
  }
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

/** Shorthands for the common verbs. */
export const api = {
  get: <T>(path: string, query?: Query, signal?: AbortSignal) => call<T>('GET', path, { query, signal }),
  post: <T>(path: string, body?: unknown, headers?: Record<string, string>) =>
    call<T>('POST', path, { body, headers }),
  put: <T>(path: string, body?: unknown, headers?: Record<string, string>) =>
    call<T>('PUT', path, { body, headers }),
  delete: (path: string) => call<void>('DELETE', path),
};

/** A message to show for any thrown value. */
export function messageOf(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
