import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { Clock } from '../lib/clock.js';
import type { Store } from '../store/store.js';
import { claimDue, settleDelivery, type ClaimedDelivery, type SettledOutcome } from './delivery-store.js';
import { postWebhook, type SendResult } from './send.js';
import type { CustomHeader } from './webhook-subscription.js';

/** How the webhook dispatcher runs. */
export interface WebhookDispatcherOptions {
  /** How long a claim holds; well over the 5 s send timeout. */
  leaseSeconds?: number;
  batchSize?: number;
  /** How long a receiver has to answer (PagerDuty: 5 s). */
  timeoutMs?: number;
}

/** Retries stop this long after the webhook was enqueued (PagerDuty: 48 h). */
export const RETRY_WINDOW_MS = 48 * 3600 * 1000;
/** How long a subscription stays disabled after 3 consecutive drops. */
export const DISABLE_MS = 24 * 3600 * 1000;
/** Seconds before the next attempt, by attempts made so far (then the last value, hourly). */
const BACKOFF_SECONDS = [30, 60, 120, 300, 600, 1800, 3600];

/** What to store for an attempt's result (pure: the retry schedule and the 48 h window). */
export function outcomeOf(d: ClaimedDelivery, result: SendResult, now: Date): SettledOutcome {
  if (result.kind === 'delivered') return { status: 'delivered', statusCode: result.statusCode, error: null };
  if (result.kind === 'drop')
    return { status: 'dropped', statusCode: result.statusCode, error: result.error };
  const wait = BACKOFF_SECONDS[Math.min(d.attempts - 1, BACKOFF_SECONDS.length - 1)]! * 1000;
  const next = now.getTime() + wait;
  if (next - Date.parse(d.created_at) > RETRY_WINDOW_MS)
    return { status: 'failed', statusCode: result.statusCode, error: `${result.error}; gave up after 48 h` };
  return {
    status: 'queued',
    statusCode: result.statusCode,
    error: result.error,
    nextAttemptAt: new Date(next).toISOString(),
  };
}

/**
 * Sends the webhook outbox, at least once, as the notification dispatcher sends notifications: a
 * claim (one short transaction) takes due rows with a lease; the POST happens outside any transaction;
 * the outcome is written only while the claim holds. A node that dies mid-send leaves a lapsed lease
 * and another node sends again with the same `X-Webhook-Id` and bytes, so receivers can deduplicate.
 */
export class WebhookDispatcher {
  private readonly node = randomUUID().slice(0, 8);

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly options: WebhookDispatcherOptions = {},
  ) {}

  /** Sends everything due now, batch after batch; returns how many attempts were made. */
  async runDue(): Promise<number> {
    let total = 0;
    for (;;) {
      const claimed = await this.claim();
      if (claimed.length === 0) return total;
      await Promise.all(claimed.map((d) => this.attempt(d)));
      total += claimed.length;
    }
  }

  private claim(): Promise<ClaimedDelivery[]> {
    const now = this.clock.now();
    const lease = new Date(now.getTime() + (this.options.leaseSeconds ?? 30) * 1000).toISOString();
    const claim = `${this.node}:${randomUUID()}`;
    return this.store.transaction((tx) =>
      claimDue(tx, now.toISOString(), claim, lease, this.options.batchSize ?? 50),
    );
  }

  private async attempt(d: ClaimedDelivery): Promise<void> {
    const result = await postWebhook({
      url: d.url,
      body: d.body,
      secret: d.secret,
      webhookId: d.id,
      subscriptionId: d.subscription_id,
      customHeaders: JSON.parse(d.custom_headers) as CustomHeader[],
      timeoutMs: this.options.timeoutMs ?? 5000,
    });
    if (result.kind !== 'delivered')
      this.logger.warn(
        { webhook: d.id, subscription: d.subscription_id, result: result.kind, err: result.error },
        'webhook attempt failed',
      );
    const now = this.clock.now();
    const at = now.toISOString();
    const outcome = outcomeOf(d, result, now);
    const disableUntil = new Date(now.getTime() + DISABLE_MS).toISOString();
    const kept = await this.store.transaction((tx) => settleDelivery(tx, d, outcome, at, disableUntil));
    if (!kept) this.logger.warn({ webhook: d.id }, 'webhook outcome dropped: its claim had lapsed');
  }
}
