import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** A Tocsin server running in a process of its own (`tocsin serve` through tsx, on the sources). */
export interface NodeProcess {
  name: string;
  url: string;
  child: ChildProcess;
  /** Everything it printed (for a failing test's message). */
  output(): string;
  /** Resolves with the exit code or signal once the process has ended. */
  exited: Promise<number | string | null>;
}

/**
 * A PostgreSQL URL whose connections use `schema` as their search path: pg reads the libpq `options`
 * parameter from the URL, so `serve` needs no setting of its own to run in a test's schema.
 */
export function urlWithSchema(url: string, schema: string): string {
  const parsed = new URL(url);
  parsed.searchParams.set('options', `-c search_path=${schema}`);
  return parsed.toString();
}

/** Starts `tocsin serve` on a free port and waits until it says it is listening. */
export async function startNode(
  name: string,
  env: Record<string, string>,
  timeoutMs = 20_000,
): Promise<NodeProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'serve'], {
    cwd: root,
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', TOCSIN_LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const exited = new Promise<number | string | null>((resolve) =>
    child.once('exit', (code, signal) => resolve(signal ?? code)),
  );
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} did not start:\n${out}`)), timeoutMs);
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      const match = /"address":"(http:\/\/[^"]+)"[^\n]*Tocsin is listening/.exec(out);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()));
    void exited.then((how) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited (${String(how)}) before listening:\n${out}`));
    });
  });
  return { name, url, child, output: () => out, exited };
}

/** Sends a signal and waits for the process to end (SIGKILL after `graceMs`). */
export async function stopNode(node: NodeProcess, signal: NodeJS.Signals, graceMs = 15_000) {
  if (node.child.exitCode !== null || node.child.signalCode !== null) return node.exited;
  node.child.kill(signal);
  const timer = setTimeout(() => node.child.kill('SIGKILL'), graceMs);
  try {
    return await node.exited;
  } finally {
    clearTimeout(timer);
  }
}
