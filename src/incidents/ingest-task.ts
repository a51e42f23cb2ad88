import type { InboundEvent } from '../events/event.js';
import type { WriteTask, WriteTx } from '../store/store.js';
import { applyEvents, type IngestOutcome } from './ingest-service.js';

/** One ingest batch as plain data: it may cross to the SQLite writer thread. */
export interface IngestPayload {
  events: InboundEvent[];
  /** The batch's time (ISO), from the injected clock of the thread that received the events. */
  now: string;
}

/** Applies one batch of events in the transaction the store runs it in. */
export function ingestBatch(tx: WriteTx, payload: IngestPayload): Promise<IngestOutcome[]> {
  return applyEvents(tx, payload.events, new Date(payload.now));
}

/** The ingest batch as a store write task. */
export const ingestTask: WriteTask<IngestPayload, IngestOutcome[]> = {
  module: import.meta.url,
  name: 'ingestBatch',
};
