/** Options of a group committer. */
export interface GroupCommitterOptions {
  /** Most jobs in one batch. */
  maxBatch: number;
  /** Batches that may run at once (1 for SQLite's single writer; a few for PostgreSQL). */
  concurrency: number;
}

interface Pending<J, R> {
  job: J;
  resolve: (result: R) => void;
  reject: (error: unknown) => void;
}

/**
 * Shares one commit among the jobs that arrive together: jobs submitted during one event-loop turn (and
 * while a batch is committing) run as one batch; each submitter's promise settles only after that batch
 * has committed. When a batch fails, its jobs are retried one by one, so one bad job fails alone.
 */
export class GroupCommitter<J, R> {
  private queue: Pending<J, R>[] = [];
  private running = 0;
  private scheduled = false;
  private idleWaiters: (() => void)[] = [];
  private closed = false;

  constructor(
    private readonly runBatch: (jobs: J[]) => Promise<R[]>,
    private readonly options: GroupCommitterOptions,
  ) {}

  /** Queues a job; resolves with its result once its batch has committed. */
  submit(job: J): Promise<R> {
    if (this.closed) return Promise.reject(new Error('The ingest pipeline is shutting down'));
    return new Promise<R>((resolve, reject) => {
      this.queue.push({ job, resolve, reject });
      this.schedule();
    });
  }

  /** Jobs waiting for a batch. */
  get backlog(): number {
    return this.queue.length;
  }

  /** Refuses new jobs and waits until every queued job has committed (graceful shutdown). */
  async drain(): Promise<void> {
    this.closed = true;
    if (this.queue.length === 0 && this.running === 0) return;
    await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    // setImmediate lets every request already read from the sockets join this batch.
    setImmediate(() => {
      this.scheduled = false;
      this.pump();
    });
  }

  private pump(): void {
    while (this.running < this.options.concurrency && this.queue.length > 0) {
      const batch = this.queue.splice(0, this.options.maxBatch);
      this.running++;
      void this.execute(batch).finally(() => {
        this.running--;
        if (this.queue.length > 0) this.pump();
        else if (this.running === 0) this.idleWaiters.splice(0).forEach((wake) => wake());
      });
    }
  }

  private async execute(batch: Pending<J, R>[]): Promise<void> {
    try {
      const results = await this.runBatch(batch.map((p) => p.job));
      batch.forEach((p, i) => p.resolve(results[i] as R));
    } catch (error) {
      if (batch.length === 1) {
        batch[0]?.reject(error);
        return;
      }
      for (const pending of batch) {
        try {
          const [result] = await this.runBatch([pending.job]);
          pending.resolve(result as R);
        } catch (single) {
          pending.reject(single);
        }
      }
    }
  }
}
