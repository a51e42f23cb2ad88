import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../../src/store/store.js';
import { backends } from '../harness/backends.js';
import { tasks } from './tasks/test-tasks.js';

for (const backend of backends()) {
  describe(`write tasks on ${backend.name}`, () => {
    let store: Store;
    const metaKeys = async () =>
      (await store.db.selectFrom('meta').select('key').execute()).map((r) => r.key);

    beforeAll(async () => {
      store = await openStore(backend.fresh(), { pgPoolSize: 4 });
    });
    afterAll(async () => {
      await store.close();
      await backend.cleanup();
    });

    it('commits a task and returns its result', async () => {
      expect(await store.runWriteTask(tasks.insert, 'committed')).toBe('committed');
      expect(await metaKeys()).toContain('committed');
    });

    it('rolls a failing task back and reports its error', async () => {
      await expect(store.runWriteTask(tasks.insertThenFail, 'rolled-back')).rejects.toThrow(
        'failed after inserting rolled-back',
      );
      expect(await metaKeys()).not.toContain('rolled-back');
    });

    it('keeps concurrent tasks apart: one failing task does not undo the others', async () => {
      const results = await Promise.allSettled([
        store.runWriteTask(tasks.insert, 'a1'),
        store.runWriteTask(tasks.insertThenFail, 'bad'),
        store.runWriteTask(tasks.insert, 'a2'),
      ]);
      expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
      const keys = await metaKeys();
      expect(keys).toEqual(expect.arrayContaining(['a1', 'a2']));
      expect(keys).not.toContain('bad');
    });

    // Only SQLite has a writer thread; on PostgreSQL tasks run on pooled connections of this thread.
    if (backend.name === 'sqlite')
      it('fails pending tasks when the writer thread dies, then starts a new one', async () => {
        await expect(store.runWriteTask(tasks.crash, null)).rejects.toThrow(/exited/);
        expect(await store.runWriteTask(tasks.insert, 'after-crash')).toBe('after-crash');
        expect(await metaKeys()).toContain('after-crash');
      });
  });
}
