import { parentPort, receiveMessageOnPort, workerData } from 'node:worker_threads';
import { nextIncidentNumber, sqliteRawSql } from './raw-sql.js';
import { cachedPrepare, openSqliteConnection } from './sqlite.js';
import { loadTask, type WriteTask, type WriteTx } from './write-task.js';

// The SQLite writer thread: runs write tasks (ingest batches) in its own connection, so that statement
// work and the commit's fsync do not block the main thread's event loop. Tasks that queue up while a
// commit is under way are merged into the next transaction: one fsync serves all of them.

/** A task request from the main thread. */
export type TaskRequest = { id: number; task: WriteTask<unknown, unknown>; payload: unknown };
/** A request from the main thread: a task, or the order to close. */
export type WriterRequest = TaskRequest | { id: 0; close: true };
/** A reply to the main thread. */
export type WriterReply =
  { id: number; result: unknown } | { id: number; error: { message: string; code?: string } };

/** Most task requests merged into one transaction. */
const MAX_GROUP = 32;

const port = parentPort!;
const db = openSqliteConnection((workerData as { file: string }).file);
const raw = sqliteRawSql(cachedPrepare(db));
const tx: WriteTx = {
  raw,
  dialect: 'sqlite',
  lockKeys: () => Promise.resolve(), // one writer: nothing to serialize against
  nextIncidentNumber: () => nextIncidentNumber(raw, 'sqlite'),
};

function failure(id: number, error: unknown): WriterReply {
  const e = error as { message?: string; code?: string };
  return { id, error: { message: e.message ?? String(error), ...(e.code ? { code: e.code } : {}) } };
}

/** Runs requests in one transaction; all succeed and commit together, or it throws and rolls back. */
async function runTogether(requests: TaskRequest[]): Promise<WriterReply[]> {
  const runs = await Promise.all(requests.map((r) => loadTask(r.task)));
  db.exec('BEGIN IMMEDIATE');
  try {
    const replies: WriterReply[] = [];
    for (const [i, request] of requests.entries())
      replies.push({ id: request.id, result: await runs[i]!(tx, request.payload) });
    db.exec('COMMIT');
    return replies;
  } catch (error) {
    if (db.inTransaction) db.exec('ROLLBACK');
    throw error;
  }
}

/** Runs a group; if the shared transaction fails, each request runs alone so one failure stays its own. */
async function runGroup(requests: TaskRequest[]): Promise<void> {
  try {
    for (const reply of await runTogether(requests)) port.postMessage(reply);
  } catch (error) {
    if (requests.length === 1) {
      port.postMessage(failure(requests[0]!.id, error));
      return;
    }
    for (const request of requests) {
      try {
        const [reply] = await runTogether([request]);
        port.postMessage(reply);
      } catch (single) {
        port.postMessage(failure(request.id, single));
      }
    }
  }
}

const queue: WriterRequest[] = [];
let draining = false;

/** Works through the queue, taking every request that arrived meanwhile into the next group. */
async function drain(): Promise<void> {
  draining = true;
  while (queue.length > 0) {
    for (let m = receiveMessageOnPort(port); m; m = receiveMessageOnPort(port))
      queue.push(m.message as WriterRequest);
    const closeAt = queue.findIndex((r) => 'close' in r);
    const group = queue.splice(
      0,
      Math.min(closeAt === -1 ? queue.length : closeAt, MAX_GROUP),
    ) as TaskRequest[];
    if (group.length > 0) await runGroup(group);
    else if (closeAt === 0) {
      db.close();
      port.close();
      return;
    }
  }
  draining = false;
}

port.on('message', (request: WriterRequest) => {
  queue.push(request);
  if (!draining) void drain();
});
