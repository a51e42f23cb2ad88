import { parseArgs, type ParseArgsConfig } from 'node:util';

type OptionsConfig = NonNullable<ParseArgsConfig['options']>;

/** Where a command writes; injected so that tests can capture the output. */
export interface CliIo {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
}

/** The process's own streams. */
export const processIo: CliIo = { stdout: process.stdout, stderr: process.stderr };

/** A mistake on the command line: printed with the command's usage, exit code 2. */
export class UsageError extends Error {
  constructor(
    message: string,
    readonly usage: string,
  ) {
    super(message);
  }
}

/** A failure reported by the server or the network: printed, exit code 1. */
export class CommandError extends Error {}

/** The options every command that talks to a server accepts. */
export const connectionOptions = {
  url: { type: 'string' },
  token: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies OptionsConfig;

/** node:util parseArgs (strict, no positionals) that reports mistakes as a UsageError. */
export function parseOptions<const T extends OptionsConfig>(args: string[], options: T, usage: string) {
  try {
    return parseArgs<{ args: string[]; options: T; strict: true; allowPositionals: false }>({
      args,
      options,
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error), usage);
  }
}

/** A subcommand's handler. */
export type Subcommand = (args: string[], env: NodeJS.ProcessEnv, io: CliIo) => Promise<number>;

/** Runs `<group> <sub> …`: the named handler, the group's usage for help, a usage error otherwise. */
export async function runSubcommand(
  group: string,
  args: string[],
  handlers: Record<string, Subcommand>,
  usage: string,
  env: NodeJS.ProcessEnv,
  io: CliIo,
): Promise<number> {
  const [sub, ...rest] = args;
  const handler = sub === undefined ? undefined : handlers[sub];
  if (handler) return handler(rest, env, io);
  if (sub === undefined || sub === 'help' || sub === '--help' || sub === '-h') {
    io.stdout.write(usage);
    return 0;
  }
  throw new UsageError(`unknown ${group} command "${sub}"`, usage);
}
