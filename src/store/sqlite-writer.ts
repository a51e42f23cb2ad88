import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { WriterReply, WriterRequest } from './sqlite-writer-worker.js';
import type { WriteTask } from './write-task.js';

interface Waiting {
  resolve: (result: unknown) => void;
  reject: (error: Error) => void;
}

/**
 * Starts the writer thread from the compiled `.js` next to this file; when this file runs as TypeScript
 * source (the test suite), a tiny bootstrap registers tsx's loader in the thread first.
 */
function spawnWorker(file: string): Worker {
  if (!import.meta.url.endsWith('.ts')) {
    return new Worker(new URL('./sqlite-writer-worker.js', import.meta.url), { workerData: { file } });
  }
  const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx/esm/api')).href.replace(
    /\.cjs$/,
    '.mjs',
  );
  const entry = new URL('./sqlite-writer-worker.ts', import.meta.url).href;
  const bootstrap = `import(${JSON.stringify(tsx)}).then((api) => { api.register(); return import(${JSON.stringify(entry)}); })`;
  return new Worker(bootstrap, { eval: true, workerData: { file } });
}

/**
 * The main thread's handle on the SQLite writer thread: sends write tasks, resolves each promise with
 * the task's result after its commit. If the thread dies, pending tasks fail (their senders get an
 * error and retry) and the next task starts a new thread.
 */
export class SqliteWriter {
  private worker: Worker | undefined;
  private readonly waiting = new Map<number, Waiting>();
  private nextId = 1;

  constructor(private readonly file: string) {}

  /** Runs a task in one transaction on the writer thread. */
  run<P, R>(task: WriteTask<P, R>, payload: P): Promise<R> {
    const worker = this.worker ?? this.start();
    const id = this.nextId++;
    return new Promise<R>((resolve, reject) => {
      this.waiting.set(id, { resolve: resolve as (r: unknown) => void, reject });
      const request: WriterRequest = { id, task: task as WriteTask<unknown, unknown>, payload };
      worker.postMessage(request);
    });
  }

  /** Lets queued tasks finish, then stops the thread and closes its connection. */
  async close(): Promise<void> {
    const worker = this.worker;
    if (!worker) return;
    this.worker = undefined;
    const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
    const request: WriterRequest = { id: 0, close: true };
    worker.postMessage(request);
    await exited;
  }

  private start(): Worker {
    const worker = spawnWorker(this.file);
    worker.on('message', (reply: WriterReply) => {
      const waiting = this.waiting.get(reply.id);
      this.waiting.delete(reply.id);
      if (!waiting) return;
      if ('error' in reply)
        waiting.reject(Object.assign(new Error(reply.error.message), { code: reply.error.code }));
      else waiting.resolve(reply.result);
    });
    const fail = (error: Error) => {
      if (this.worker === worker) this.worker = undefined;
      for (const waiting of this.waiting.values()) waiting.reject(error);
      this.waiting.clear();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`the SQLite writer thread exited (code ${code})`)));
    this.worker = worker;
    return worker;
  }
}
