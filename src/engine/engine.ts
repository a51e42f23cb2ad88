import { performance } from 'node:perf_hooks';
import type { Logger } from 'pino';
import type { Clock } from '../lib/clock.js';
import {
  dueTimers,
  tryLockIncident,
  tryLockTimer,
  withSavepoint,
  type ClaimedTimer,
} from '../store/row-claims.js';
import type { Store, Tx } from '../store/store.js';
import { runTimer } from './run-timer.js';
import { insertTimer } from './timer.js';

/** How the engine runs. */
export interface EngineOptions {
  /** Timers claimed per transaction. */
  batchSize?: number;
  /** Longest sleep between passes when nothing pokes the engine (work from other nodes). */
  pollMs?: number;
  /** Emails paged for unassigned incidents; empty = every admin. */
  fallbackEmails?: readonly string[];
  /** Sends queued notifications after the steps that queued them (none: they stay queued). */
  dispatcher?: { runDue(): Promise<number> };
  /** Observes how late each step ran, in seconds (metrics, benchmarks). */
  onLateness?: (seconds: number) => void;
}

/** Seconds before a failed step is tried again, by attempt (then the last value). */
const RETRY_SECONDS = [5, 15, 60, 300];

/**
 * The engine: runs due timers. Each pass is one transaction that takes due timers oldest first, takes
 * each one's incident lock without waiting (PostgreSQL: SKIP LOCKED, so nodes share the work and never
 * run a step twice), deletes the timer and runs its step in a savepoint. The step's effects and the
 * timer's deletion commit together: a node killed mid-pass loses nothing and repeats nothing.
 */
export class Engine {
  private readonly batchSize: number;
  private readonly pollMs: number;
  private running = false;
  private loopDone: Promise<void> | undefined;
  private wake: (() => void) | undefined;
  private poked = false;
  private chain: Promise<unknown> = Promise.resolve();
  /** The dispatcher's run under way in the loop, and whether more was queued meanwhile. */
  private dispatching: Promise<void> | undefined;
  private dispatchAgain = false;

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly options: EngineOptions = {},
  ) {
    this.batchSize = options.batchSize ?? 100;
    this.pollMs = options.pollMs ?? 250;
  }

  /** Starts the loop on real time (tests leave it stopped and call `runDue`). */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.loopDone = this.ensureHandoffPlanner()
      .catch((error: unknown) => this.logger.error({ err: error }, 'could not plan handoff notices'))
      .then(() => this.loop());
  }

  /** Makes sure the recurring handoff-notice planner has its timer (one for the whole cluster). */
  async ensureHandoffPlanner(): Promise<void> {
    const at = this.clock.now().toISOString();
    await this.store.transaction((tx) =>
      insertTimer(tx, { kind: 'handoff_plan', incidentId: null, dueAt: at, dedupKey: 'handoff_plan' }, at),
    );
  }

  /** Stops the loop after the pass under way. */
  async stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loopDone;
    await this.chain.catch(() => undefined);
    await this.dispatching;
  }

  /** Says timers may be due now (after a commit that added some). */
  poke(): void {
    this.poked = true;
    this.wake?.();
  }

  /** Runs the steps due now without sending what they queue (tests that stop delivery midway). */
  async runStepsOnly(): Promise<number> {
    let total = 0;
    for (let ran = await this.pass(); ran > 0; ran = await this.pass()) total += ran;
    return total;
  }

  /**
   * Runs every step due now, pass after pass, until a pass runs nothing, then the dispatcher; returns
   * the steps run and notifications handled. (Tests drive the engine with it; the loop overlaps the two.)
   */
  runDue(): Promise<number> {
    const run = this.chain.then(async () => {
      const steps = await this.stepsDue();
      // Steps queue notifications; the dispatcher sends them (and retries those due again).
      return this.options.dispatcher ? steps + (await this.options.dispatcher.runDue()) : steps;
    });
    this.chain = run.catch(() => undefined);
    return run;
  }

  /** Runs the due steps, pass after pass, serialized with other runs on this node. */
  private runSteps(): Promise<number> {
    // Each pass commits its steps' notifications: the dispatcher may start on them at once.
    const run = this.chain.then(() => this.stepsDue(() => this.kickDispatcher()));
    this.chain = run.catch(() => undefined);
    return run;
  }

  private async stepsDue(afterPass?: () => void): Promise<number> {
    let total = 0;
    const started = performance.now();
    for (;;) {
      const ran = await this.pass();
      total += ran;
      if (ran === 0) break;
      afterPass?.();
    }
    if (total > 0) this.logger.debug({ steps: total, ms: performance.now() - started }, 'ran due steps');
    return total;
  }

  /**
   * Starts the dispatcher unless it is running, in which case it runs once more when done. Sending
   * waits on providers, so the loop does not wait for it: steps (new assignments) go on meanwhile,
   * and notifications they queue are sent by the next run without waiting for a whole batch of steps.
   */
  private kickDispatcher(): void {
    const dispatcher = this.options.dispatcher;
    if (!dispatcher) return;
    if (this.dispatching) {
      this.dispatchAgain = true;
      return;
    }
    this.dispatching = (async () => {
      do {
        this.dispatchAgain = false;
        try {
          await dispatcher.runDue();
        } catch (error) {
          this.logger.error({ err: error }, 'dispatching notifications failed');
        }
      } while (this.dispatchAgain && this.running);
    })().finally(() => {
      this.dispatching = undefined;
    });
  }

  private async loop(): Promise<void> {
    while (this.running) {
      this.poked = false;
      this.kickDispatcher();
      try {
        await this.runSteps();
      } catch (error) {
        this.logger.error({ err: error }, 'engine pass failed');
      }
      this.kickDispatcher();
      if (!this.running || this.poked) continue;
      const wait = await this.untilNextDue();
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, wait);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wake = undefined;
    }
  }

  private async untilNextDue(): Promise<number> {
    try {
      const row = await this.store.db
        .selectFrom('timers')
        .select((eb) => eb.fn.min('due_at').as('next'))
        .executeTakeFirst();
      const next = row?.next ? Date.parse(String(row.next)) - this.clock.now().getTime() : this.pollMs;
      // At least a few ms: due timers another node holds must not make this loop spin.
      return Math.max(20, Math.min(this.pollMs, next));
    } catch {
      return this.pollMs;
    }
  }

  /** One transaction: claims and runs up to a batch of due timers; returns how many steps ran. */
  private pass(): Promise<number> {
    return this.store.transaction(async (tx) => {
      const at = this.clock.now().toISOString();
      const ctx = { tx, at, fallbackEmails: this.options.fallbackEmails ?? [] };
      const locked = new Set<string>();
      let ran = 0;
      for (const timer of await dueTimers(tx, at, this.batchSize)) {
        if (!(await this.claim(tx, timer, locked))) continue;
        try {
          const done = await withSavepoint(tx, 'engine_step', async () => {
            if ((await tx.raw.run(`DELETE FROM timers WHERE id = ?`, [timer.id])) === 0) return false;
            await runTimer(ctx, timer);
            return true;
          });
          if (done) {
            ran++;
            this.options.onLateness?.((Date.parse(at) - Date.parse(timer.due_at)) / 1000);
          }
        } catch (error) {
          await this.postpone(tx, timer, at, error);
        }
      }
      return ran;
    });
  }

  private async claim(tx: Tx, timer: ClaimedTimer, locked: Set<string>): Promise<boolean> {
    if (timer.incident_id === null) return tryLockTimer(tx, timer.id);
    if (locked.has(timer.incident_id)) return true;
    if (!(await tryLockIncident(tx, timer.incident_id))) return false;
    locked.add(timer.incident_id);
    return true;
  }

  private async postpone(tx: Tx, timer: ClaimedTimer, at: string, error: unknown): Promise<void> {
    const wait = RETRY_SECONDS[Math.min(timer.attempts, RETRY_SECONDS.length - 1)]!;
    this.logger.error(
      { err: error, timer: timer.id, kind: timer.kind, attempts: timer.attempts + 1 },
      'engine step failed; retrying later',
    );
    await tx.raw.run(`UPDATE timers SET attempts = attempts + 1, due_at = ? WHERE id = ?`, [
      new Date(Date.parse(at) + wait * 1000).toISOString(),
      timer.id,
    ]);
  }
}
