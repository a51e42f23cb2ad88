import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { Clock } from '../lib/clock.js';
import type { Store } from '../store/store.js';
import { claimQueued, messageContext, type ClaimedNotification } from './delivery-store.js';
import { buildMessage } from './message.js';
import { ProviderError, type OutboundMessage, type ProviderRegistry } from './provider.js';
import { actionSecret, grantAction } from './action-tokens.js';
import { channelNames, recordOutcome, type Outcome } from './delivery-outcome.js';

/** How the dispatcher runs. */
export interface DispatcherOptions {
  /** How long a claim holds; a send must finish well within it (providers time out sooner). */
  leaseSeconds?: number;
  batchSize?: number;
  /** The public URL, for links in messages. */
  baseUrl: string;
}

/**
 * Delivers queued notifications through their providers, at least once. A claim (one short
 * transaction) takes due rows with a lease; the send happens outside any transaction; the outcome is
 * written only if the claim still holds. A node that dies mid-send leaves a lapsed lease, and another
 * node sends again: the one duplicate no system can rule out (the provider accepted, the node died
 * before recording it), narrowed by providers passing the notification's idempotency key on.
 */
export class Dispatcher {
  private readonly node = randomUUID().slice(0, 8);

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly registry: ProviderRegistry,
    private readonly options: DispatcherOptions,
  ) {}

  /** Sends everything due now, batch after batch; returns how many attempts were made. */
  async runDue(): Promise<number> {
    let total = 0;
    for (;;) {
      const claimed = await this.claim();
      if (claimed.length === 0) return total;
      await Promise.all(claimed.map((n) => this.attempt(n)));
      total += claimed.length;
    }
  }

  /** Acknowledge and resolve links for an incident message (stable across retries). */
  private actionLinks(n: ClaimedNotification, message: OutboundMessage) {
    const at = this.clock.now().toISOString();
    const channel = channelNames[message.contact.type] ?? 'email';
    return this.store.transaction(async (tx) => {
      const secret = await actionSecret(tx);
      const grant = (action: 'acknowledge' | 'resolve') =>
        grantAction(
          tx,
          secret,
          { notificationId: n.id, incidentId: n.incident_id!, userId: n.user_id, action, channel },
          at,
        );
      const url = (token: string) => `${this.options.baseUrl}/actions/${token}`;
      return { acknowledgeUrl: url(await grant('acknowledge')), resolveUrl: url(await grant('resolve')) };
    });
  }

  private claim(): Promise<ClaimedNotification[]> {
    const now = this.clock.now();
    const lease = new Date(now.getTime() + (this.options.leaseSeconds ?? 60) * 1000).toISOString();
    const claim = `${this.node}:${randomUUID()}`;
    return this.store.transaction((tx) =>
      claimQueued(tx, now.toISOString(), claim, lease, this.options.batchSize ?? 20),
    );
  }

  private async attempt(n: ClaimedNotification): Promise<void> {
    const context = await this.store.transaction((tx) => messageContext(tx, n));
    const built = buildMessage(n, context, this.options.baseUrl);
    let outcome: Outcome;
    if ('skip' in built) outcome = built.skip;
    else {
      if (built.message.incident) built.message.actions = await this.actionLinks(n, built.message);
      const provider = this.registry.providerFor(built.message.contact.type);
      try {
        const sent = await provider.send(built.message);
        outcome = { kind: 'sent', channel: provider.name, result: sent };
      } catch (error) {
        const retryable = !(error instanceof ProviderError) || error.retryable;
        const message = error instanceof Error ? error.message : String(error);
        outcome = { kind: 'error', channel: provider.name, retryable, message };
        this.logger.warn(
          { notification: n.id, channel: provider.name, err: message },
          'notification attempt failed',
        );
      }
    }
    const at = this.clock.now().toISOString();
    const kept = await this.store.transaction((tx) => recordOutcome(tx, n, context, outcome, at));
    if (!kept) this.logger.warn({ notification: n.id }, 'notification outcome dropped: its claim had lapsed');
  }
}
