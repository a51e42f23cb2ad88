import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { Logger } from 'pino';
import type { Clock } from '../lib/clock.js';
import type { Store } from '../store/store.js';
import type { WriteTx } from '../store/write-task.js';
import { actionSecret, grantAction } from './action-tokens.js';
import { channelNames, recordOutcome, type Outcome } from './delivery-outcome.js';
import {
  claimQueued,
  messageContext,
  type ClaimedNotification,
  type MessageContext,
} from './delivery-store.js';
import { buildMessage, bundleMessage } from './message.js';
import { ProviderError, type OutboundMessage, type ProviderRegistry } from './provider.js';
import { SLACK_MESSAGE_UPDATE, supersededUpdate } from './slack/slack-channel-posts.js';
import { overtaken, throttledUntil, throttles } from './throttle.js';

/** How the dispatcher runs. */
export interface DispatcherOptions {
  /** How long a claim holds; a send must finish well within it (providers time out sooner). */
  leaseSeconds?: number;
  /** Notifications claimed per transaction and sent concurrently (default 50). */
  batchSize?: number;
  /** The public URL, for links in messages. */
  baseUrl: string;
}

/** A claimed notification made ready: its context and its message, or why it is not sent. */
interface Prepared {
  n: ClaimedNotification;
  context: MessageContext;
  message?: OutboundMessage;
  skip?: Outcome;
}

/**
 * Delivers queued notifications through their providers, at least once. A claim (one short
 * transaction) takes due rows with a lease; the send happens outside any transaction; the outcome is
 * written only if the claim still holds. A node that dies mid-send leaves a lapsed lease, and another
 * node sends again: the one duplicate no system can rule out (the provider accepted, the node died
 * before recording it), narrowed by providers passing the notification's idempotency key on.
 * Throttled channels (SMS, voice) wait for their window; what waited together goes out as one bundle.
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

  /** Sends everything due now, batch after batch; returns how many notifications were handled. */
  async runDue(): Promise<number> {
    let total = 0;
    for (;;) {
      const prepared = await this.claimAndPrepare();
      if (prepared.length === 0) return total;
      const outcomes: [Prepared[], Outcome][] = [];
      const groups = new Map<string, Prepared[]>();
      for (const p of prepared) {
        if (!p.message) {
          outcomes.push([[p], p.skip!]);
          continue;
        }
        // Incident messages to one throttled contact method travel together as one bundle.
        const bundles = p.message.incident !== undefined && throttles[p.message.contact.type] !== undefined;
        const key = bundles ? `cm:${p.n.contact_method_id}` : `n:${p.n.id}`;
        groups.set(key, [...(groups.get(key) ?? []), p]);
      }
      const t0 = performance.now();
      const sent = await Promise.all([...groups.values()].map(async (g) => [g, await this.send(g)] as const));
      const t1 = performance.now();
      await this.record([...outcomes, ...sent]);
      this.logger.debug(
        { notifications: prepared.length, sendMs: t1 - t0, recordMs: performance.now() - t1 },
        'dispatched a batch',
      );
      total += prepared.length;
    }
  }

  /** One transaction: claims due notifications and prepares each one's message (or why not). */
  private claimAndPrepare(): Promise<Prepared[]> {
    const now = this.clock.now();
    const at = now.toISOString();
    const lease = new Date(now.getTime() + (this.options.leaseSeconds ?? 60) * 1000).toISOString();
    const claim = `${this.node}:${randomUUID()}`;
    return this.store.transaction(async (tx) => {
      const claimed = await claimQueued(tx, at, claim, lease, this.options.batchSize ?? 50);
      const prepared: Prepared[] = [];
      // One read of the action-link secret per batch, not per notification.
      let secret: string | undefined;
      const secretOnce = async () => (secret ??= await actionSecret(tx));
      for (const n of claimed) prepared.push(await this.prepare(tx, n, at, secretOnce));
      return prepared;
    });
  }

  private async prepare(
    tx: WriteTx,
    n: ClaimedNotification,
    at: string,
    secretOnce: () => Promise<string>,
  ): Promise<Prepared> {
    const context = await messageContext(tx, n);
    const built = buildMessage(n, context, this.options.baseUrl);
    if ('skip' in built) return { n, context, skip: built.skip };
    if (n.reason === SLACK_MESSAGE_UPDATE) {
      if (await supersededUpdate(tx, n))
        return { n, context, skip: { kind: 'cancel', message: 'superseded by a newer update' } };
      return { n, context, message: built.message };
    }
    if (await overtaken(tx, n, at))
      return { n, context, skip: { kind: 'cancel', message: 'collapsed into a newer notification' } };
    const message = built.message;
    const until = await throttledUntil(tx, n.contact_method_id!, message.contact.type, at);
    if (until)
      return { n, context, skip: { kind: 'hold', until, message: 'too many messages to it lately' } };
    // Links act as a person; a Slack channel post has none (its buttons act as whoever clicks).
    if (message.incident && n.contact_method_id !== null) {
      const secret = await secretOnce();
      const channel = channelNames[message.contact.type] ?? 'email';
      const grant = async (action: 'acknowledge' | 'resolve') =>
        `${this.options.baseUrl}/actions/${await grantAction(
          tx,
          secret,
          { notificationId: n.id, incidentId: n.incident_id!, userId: n.user_id, action, channel },
          at,
        )}`;
      message.actions = { acknowledgeUrl: await grant('acknowledge'), resolveUrl: await grant('resolve') };
    }
    return { n, context, message };
  }

  private async send(group: Prepared[]): Promise<Outcome> {
    const message = group.length === 1 ? group[0]!.message! : bundleMessage(group.map((p) => p.message!));
    const provider = this.registry.providerFor(message.contact.type);
    let outcome: Outcome;
    try {
      const result = await provider.send(message);
      outcome = { kind: 'sent', channel: provider.name, result, sendId: message.idempotencyKey };
    } catch (error) {
      const retryable = !(error instanceof ProviderError) || error.retryable;
      const text = error instanceof Error ? error.message : String(error);
      outcome = { kind: 'error', channel: provider.name, retryable, message: text };
      this.logger.warn(
        { notification: message.notificationId, channel: provider.name, err: text },
        'notification attempt failed',
      );
    }
    return outcome;
  }

  /** One transaction: every outcome of the batch, each written only while its claim holds. */
  private async record(results: (readonly [Prepared[], Outcome])[]): Promise<void> {
    const at = this.clock.now().toISOString();
    const lapsed = await this.store.transaction(async (tx) => {
      const lost: string[] = [];
      for (const [group, outcome] of results)
        for (const { n, context } of group)
          if (!(await recordOutcome(tx, n, context, outcome, at))) lost.push(n.id);
      return lost;
    });
    for (const id of lapsed)
      this.logger.warn({ notification: id }, 'notification outcome dropped: its claim had lapsed');
  }
}
