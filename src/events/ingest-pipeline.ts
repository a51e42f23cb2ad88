import type { Logger } from 'pino';
import { recordTestDelivery, type IngestOutcome } from '../incidents/ingest-service.js';
import { ingestTask } from '../incidents/ingest-task.js';
import type { Clock } from '../lib/clock.js';
import { GroupCommitter } from '../lib/group-committer.js';
import type { Store } from '../store/store.js';
import type { InboundEvent } from './event.js';

/**
 * The durable front door for events: each submitted event is applied inside a shared (group) commit and
 * its promise resolves only after that commit, so a sender's 2xx always means "on disk".
 */
export class IngestPipeline {
  private readonly committer: GroupCommitter<InboundEvent, IngestOutcome>;

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    logger: Logger,
    batchSize?: { observe(size: number): void },
    /** Called after a commit that opened incidents (their first step is due now). */
    onNewIncidents?: () => void,
  ) {
    this.committer = new GroupCommitter<InboundEvent, IngestOutcome>(
      async (events) => {
        batchSize?.observe(events.length);
        try {
          const outcomes = await store.runWriteTask(ingestTask, { events, now: clock.now().toISOString() });
          if (outcomes.some((o) => o.status === 'accepted' && o.result === 'incident_created'))
            onNewIncidents?.();
          return outcomes;
        } catch (error) {
          logger.error({ err: error, events: events.length }, 'ingest batch failed');
          throw error;
        }
      },
      { maxBatch: 500, concurrency: 8 },
    );
  }

  /** Applies one event durably. */
  submit(event: InboundEvent): Promise<IngestOutcome> {
    return this.committer.submit(event);
  }

  /** Records an adapter's test delivery; false when the key is unknown. */
  recordTest(routingKey: string, body: unknown): Promise<boolean> {
    return this.store.transaction((tx) => recordTestDelivery(tx, routingKey, body, this.clock.now()));
  }

  /** Finishes every accepted event (graceful shutdown). */
  drain(): Promise<void> {
    return this.committer.drain();
  }
}
