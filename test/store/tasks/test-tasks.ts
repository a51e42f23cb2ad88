import type { WriteTask, WriteTx } from '../../../src/store/store.js';

/** Inserts a meta row, then fails: the transaction must roll back. */
export async function insertThenFail(tx: WriteTx, key: string): Promise<never> {
  await tx.raw.run(`INSERT INTO meta (key, value) VALUES (?, 'x')`, [key]);
  throw new Error(`failed after inserting ${key}`);
}

/** Inserts a meta row. */
export async function insert(tx: WriteTx, key: string): Promise<string> {
  await tx.raw.run(`INSERT INTO meta (key, value) VALUES (?, 'x')`, [key]);
  return key;
}

/** Ends the thread it runs in (on SQLite, the writer thread). */
export function crash(): Promise<never> {
  process.exit(3);
}

const module = import.meta.url;
/** The tasks above, as write tasks. */
export const tasks = {
  insertThenFail: { module, name: 'insertThenFail' } as WriteTask<string, never>,
  insert: { module, name: 'insert' } as WriteTask<string, string>,
  crash: { module, name: 'crash' } as WriteTask<null, never>,
};
