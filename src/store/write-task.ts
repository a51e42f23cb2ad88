import type { RawSql } from './raw-sql.js';

/** What write-path code needs of a transaction: raw SQL, per-key locks and incident numbers. */
export interface WriteTx {
  raw: RawSql;
  /** Which SQL engine runs the transaction (for the few statements that differ). */
  dialect: 'sqlite' | 'postgres';
  /** Serializes concurrent transactions (on other nodes too) that touch the same keys. */
  lockKeys(keys: readonly string[]): Promise<void>;
  /** The next incident number: a sequence on PostgreSQL, a counter row on SQLite (one writer). */
  nextIncidentNumber(): Promise<number>;
}

/**
 * A unit of write work the store may run off the main thread (SQLite's writer worker). It names its
 * module and export instead of passing a function, because a worker can only import code by URL; the
 * payload and the result must be plain (structured-clonable) data.
 */
export interface WriteTask<P, R> {
  module: string;
  name: string;
  /** Phantom: ties the payload and result types to the task. */
  readonly types?: (payload: P) => R;
}

/** The function a write task's module exports under the task's name. */
export type WriteTaskFunction<P, R> = (tx: WriteTx, payload: P) => Promise<R>;

const loaded = new Map<string, Promise<Record<string, unknown>>>();

/** Imports a task's function (once per module). */
export async function loadTask<P, R>(task: WriteTask<P, R>): Promise<WriteTaskFunction<P, R>> {
  let module = loaded.get(task.module);
  if (!module) {
    module = import(task.module) as Promise<Record<string, unknown>>;
    loaded.set(task.module, module);
  }
  const fn = (await module)[task.name];
  if (typeof fn !== 'function') throw new Error(`write task ${task.name} not found in ${task.module}`);
  return fn as WriteTaskFunction<P, R>;
}
