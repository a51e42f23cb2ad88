import { ProviderError } from '../provider.js';

/** Where the Slack Web API is and the bot token that calls it. */
export interface SlackSettings {
  apiUrl: string;
  botToken: string;
  timeoutMs?: number;
}

/** A Web API client: `call` answers Slack's JSON or throws a ProviderError saying whether to retry. */
export type SlackCall = (method: string, args: Record<string, unknown>) => Promise<Record<string, unknown>>;

/** Slack errors that may pass on their own; every other `{ok: false}` error is permanent. */
const TRANSIENT = new Set([
  'ratelimited',
  'rate_limited',
  'internal_error',
  'fatal_error',
  'service_unavailable',
  'request_timeout',
]);

/**
 * Calls Slack's Web API with a JSON body and the bot token. Slack answers most errors with HTTP 200
 * and `{ok: false, error}`: `invalid_auth`, `not_authed`, `channel_not_found` and the like will not
 * get better by retrying; `ratelimited`, HTTP 429, 5xx, timeouts and connection errors may.
 */
export function slackClient(settings: SlackSettings): SlackCall {
  const base = settings.apiUrl.replace(/\/+$/, '');
  return async (method, args) => {
    let response: Response;
    try {
      response = await fetch(`${base}/${method}`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json; charset=utf-8',
          authorization: `Bearer ${settings.botToken}`,
        },
        body: JSON.stringify(args),
        signal: AbortSignal.timeout(settings.timeoutMs ?? 10_000),
      });
    } catch (error) {
      throw new ProviderError(
        `Slack ${method}: ${error instanceof Error ? error.message : String(error)}`,
        true,
      );
    }
    if (response.status === 429 || response.status >= 500)
      throw new ProviderError(`Slack ${method}: HTTP ${response.status}`, true);
    let body: Record<string, unknown>;
    try {
      body = (await response.json()) as Record<string, unknown>;
    } catch {
      throw new ProviderError(`Slack ${method}: HTTP ${response.status}, not JSON`, response.status >= 500);
    }
    if (body.ok !== true) {
      const error = typeof body.error === 'string' ? body.error : `HTTP ${response.status}`;
      throw new ProviderError(`Slack ${method}: ${error}`, TRANSIENT.has(error));
    }
    return body;
  };
}
