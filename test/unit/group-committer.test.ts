import { describe, expect, it } from 'vitest';
import { GroupCommitter } from '../../src/lib/group-committer.js';

describe('group committer', () => {
  it('runs jobs submitted together as one batch and answers each after the batch', async () => {
    const batches: number[][] = [];
    const committer = new GroupCommitter<number, number>(
      async (jobs) => {
        batches.push(jobs);
        return jobs.map((j) => j * 2);
      },
      { maxBatch: 100, concurrency: 1 },
    );
    const results = await Promise.all([1, 2, 3].map((n) => committer.submit(n)));
    expect(results).toEqual([2, 4, 6]);
    expect(batches).toEqual([[1, 2, 3]]);
  });

  it('caps batches at maxBatch', async () => {
    const sizes: number[] = [];
    const committer = new GroupCommitter<number, number>(
      async (jobs) => {
        sizes.push(jobs.length);
        return jobs;
      },
      { maxBatch: 4, concurrency: 1 },
    );
    await Promise.all(Array.from({ length: 10 }, (_, i) => committer.submit(i)));
    expect(sizes).toEqual([4, 4, 2]);
  });

  it('retries a failed batch job by job so that only the bad job fails', async () => {
    const committer = new GroupCommitter<number, number>(
      async (jobs) => {
        if (jobs.includes(13)) throw new Error('unlucky');
        return jobs;
      },
      { maxBatch: 10, concurrency: 1 },
    );
    const settled = await Promise.allSettled([1, 13, 2].map((n) => committer.submit(n)));
    expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
  });

  it('drains queued jobs on shutdown and refuses new ones', async () => {
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    const committer = new GroupCommitter<number, number>(
      async (jobs) => {
        await gate;
        return jobs;
      },
      { maxBatch: 2, concurrency: 1 },
    );
    const pending = [1, 2, 3, 4, 5].map((n) => committer.submit(n));
    const drained = committer.drain();
    await expect(committer.submit(6)).rejects.toThrow(/shutting down/);
    release();
    await drained;
    expect(await Promise.all(pending)).toEqual([1, 2, 3, 4, 5]);
    expect(committer.backlog).toBe(0);
  });
});
