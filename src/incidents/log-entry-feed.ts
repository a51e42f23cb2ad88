import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import { longIdFloor, longIdTime } from '../lib/ids.js';
import type { Database } from '../store/database.js';
import { latestLogEntryId, logEntriesAfter, type FeedEntry } from './log-entry-feed-store.js';

/** Rows read per query. */
const PAGE = 2000;

/** Receives each batch of new log entries. */
export type FeedListener = (entries: FeedEntry[]) => void;

/** How the feed polls. */
export interface FeedOptions {
  pollMs?: number;
  /**
   * How far back each poll looks again. Log entry ids carry the writing node's time, and a transaction
   * that began earlier can commit after a later one; re-reading this window (skipping ids already sent)
   * catches such late commits and clock skew between nodes up to this much.
   */
  lookbackMs?: number;
}

/**
 * One poller per server: while anyone listens, it reads the log entries table by id cursor every
 * ~500 ms and fans new entries out to every listener. It reads the database rather than this node's
 * own writes, so a change made through any node reaches clients connected to every node.
 */
export class LogEntryFeed {
  private readonly listeners = new Set<FeedListener>();
  private readonly sent = new Map<string, number>();
  private cursor: string | undefined;
  private starting: Promise<void> = Promise.resolve();
  private timer: NodeJS.Timeout | undefined;
  /** Bumped by stop(): a poll of an earlier generation does not schedule another. */
  private generation = 0;
  private readonly pollMs: number;
  private readonly lookbackMs: number;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly logger: Pick<Logger, 'warn'>,
    options: FeedOptions = {},
  ) {
    this.pollMs = options.pollMs ?? 500;
    this.lookbackMs = options.lookbackMs ?? 5000;
  }

  /**
   * Adds a listener; resolves (with the unsubscribe function) once the feed's cursor is set, so every
   * entry committed after that is delivered. The first listener starts the poller.
   */
  async subscribe(listener: FeedListener): Promise<() => void> {
    this.listeners.add(listener);
    if (this.listeners.size === 1) {
      this.starting = this.start();
    }
    await this.starting;
    return () => {
      this.listeners.delete(listener);
      if (this.listeners.size === 0) this.stop();
    };
  }

  /** Sets the cursor at the newest entry (what is in the look-back window counts as sent), then polls. */
  private async start(): Promise<void> {
    try {
      const cursor = await latestLogEntryId(this.db);
      const newest = longIdTime(cursor);
      this.cursor = cursor;
      if (newest !== undefined)
        for (const row of await this.readAfter(longIdFloor(newest - this.lookbackMs))) this.remember(row.id);
    } catch (error) {
      this.logger.warn({ err: error }, 'live incident feed: start failed');
      this.cursor = '';
    }
    if (this.listeners.size > 0) this.schedule(this.pollMs);
  }

  /** Stops polling and forgets the cursor (the next subscriber starts from the newest entry). */
  stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.generation++;
    this.cursor = undefined;
    this.sent.clear();
  }

  private schedule(ms: number): void {
    const generation = this.generation;
    this.timer = setTimeout(() => {
      void this.poll().then(() => {
        if (generation === this.generation && this.listeners.size > 0) this.schedule(this.pollMs);
      });
    }, ms);
  }

  /** One round: new entries since the cursor's look-back floor that were not sent yet. */
  async poll(): Promise<void> {
    const cursor = this.cursor;
    if (cursor === undefined) return;
    try {
      const newest = longIdTime(cursor);
      const floor = newest === undefined ? cursor : longIdFloor(newest - this.lookbackMs);
      const rows = await this.readAfter(floor < cursor ? floor : cursor);
      const fresh = rows.filter((row) => !this.sent.has(row.id));
      for (const row of fresh) this.remember(row.id);
      this.forgetBefore((longIdTime(this.cursor ?? '') ?? 0) - this.lookbackMs);
      if (fresh.length > 0) for (const listener of [...this.listeners]) listener(fresh);
    } catch (error) {
      this.logger.warn({ err: error }, 'live incident feed: poll failed');
    }
  }

  /**
   * Every entry after an id, a page at a time: with more entries in the look-back window than one
   * page, stopping at the first page would leave the cursor where it is and the newest entries unread.
   */
  private async readAfter(after: string): Promise<FeedEntry[]> {
    const all: FeedEntry[] = [];
    for (;;) {
      const rows = await logEntriesAfter(this.db, after, PAGE);
      all.push(...rows);
      if (rows.length < PAGE) return all;
      after = rows[rows.length - 1]!.id;
    }
  }

  private remember(id: string): void {
    if (id === '') return;
    const at = longIdTime(id) ?? 0;
    this.sent.set(id, at);
    if (id > (this.cursor ?? '')) this.cursor = id;
  }

  /** Ids below the look-back floor are never read again, so they need not be remembered. */
  private forgetBefore(ms: number): void {
    for (const [id, at] of this.sent) if (at < ms) this.sent.delete(id);
  }
}
