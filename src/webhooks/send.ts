import { createHmac } from 'node:crypto';
import type { CustomHeader } from './webhook-subscription.js';

/** `v1=` + hex HMAC-SHA256 of the raw body with the subscription's secret (PagerDuty's signature). */
export function signature(secret: string, body: string): string {
  return `v1=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

/** What one POST came to. */
export type SendResult =
  | { kind: 'delivered'; statusCode: number }
  | { kind: 'retry'; statusCode: number | null; error: string }
  | { kind: 'drop'; statusCode: number | null; error: string };

/** What one POST is made of. */
export interface WebhookRequest {
  url: string;
  body: string;
  secret: string;
  webhookId: string;
  subscriptionId: string;
  customHeaders: readonly CustomHeader[];
  timeoutMs: number;
}

/**
 * POSTs one webhook. 2xx delivers; timeouts, 5xx, 429 and connection errors are retried; any other
 * status (4xx, redirects, which are not followed) drops it (notes §4). Custom headers go first so they
 * can never replace the signature or ids.
 */
export async function postWebhook(r: WebhookRequest): Promise<SendResult> {
  const headers: Record<string, string> = {};
  for (const h of r.customHeaders) headers[h.name] = h.value;
  Object.assign(headers, {
    'Content-Type': 'application/json',
    'User-Agent': 'PagerDuty-Webhook/V3.0',
    'X-PagerDuty-Signature': signature(r.secret, r.body),
    'X-Webhook-Id': r.webhookId,
    'X-Webhook-Subscription': r.subscriptionId,
  });
  let response: Response;
  try {
    response = await fetch(r.url, {
      method: 'POST',
      headers,
      body: r.body,
      redirect: 'manual',
      signal: AbortSignal.timeout(r.timeoutMs),
    });
  } catch (error) {
    const timedOut = error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
    const cause = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : '';
    const message = timedOut
      ? `No answer within ${r.timeoutMs / 1000} s`
      : `${error instanceof Error ? error.message : String(error)}${cause}`;
    return { kind: 'retry', statusCode: null, error: message };
  }
  // The answer's body is not used; reading it frees the connection.
  await response.arrayBuffer().catch(() => undefined);
  const status = response.status;
  if (status >= 200 && status < 300) return { kind: 'delivered', statusCode: status };
  if (status >= 500 || status === 429) return { kind: 'retry', statusCode: status, error: `HTTP ${status}` };
  return { kind: 'drop', statusCode: status, error: `HTTP ${status}` };
}
