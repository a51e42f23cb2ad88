import { loadConfig } from '../config/config.js';
import { serve } from '../main.js';
import { openStore } from '../store/store.js';
import { CommandError, processIo, UsageError, type CliIo } from './cli-io.js';
import { incidentsCommand } from './incidents-command.js';
import { integrationCommand } from './integration-commands.js';
import { sendCommand } from './send-command.js';
import { serviceCommand } from './service-commands.js';

const USAGE = `Usage: tocsin <command> [options]

Server:
  serve                  start the server (settings from environment variables, see README)
  migrate                apply database migrations and exit

Client (talks to a running Tocsin; --url or $TOCSIN_URL, default http://localhost:8080):
  service create         create a service: --name <name> [--description <d>] [--urgency high|low|severity_based]
  service list           list services
  integration create     add an integration to a service and print its key: --service <id> [--type …] [--name …]
  send                   send an Events API v2 event, like pd-send: -k <routing key> [-t action] [-s summary] …
  incidents              list incidents: [--status triggered,acknowledged] [--service <id>]

REST commands need an API token: --token or $TOCSIN_TOKEN. \`tocsin <command> --help\` shows a command's options.
Exit codes: 0 success, 1 failure (the server's message is printed), 2 usage error.
`;

async function migrate(env: NodeJS.ProcessEnv, io: CliIo): Promise<number> {
  const config = loadConfig(env);
  const store = await openStore(config.database, { migrate: false, pgPoolSize: 2 });
  try {
    const applied = await store.migrate();
    io.stdout.write(applied.length ? `applied: ${applied.join(', ')}\n` : 'migrations are current\n');
  } finally {
    await store.close();
  }
  return 0;
}

/**
 * Runs one CLI command, writing to `io`; returns the exit code (0 ok, 1 failure, 2 usage), or undefined
 * for a server that keeps running.
 */
export async function runCli(
  argv: string[],
  env: NodeJS.ProcessEnv,
  io: CliIo = processIo,
): Promise<number | undefined> {
  const [command, ...args] = argv;
  try {
    switch (command) {
      case 'serve':
        await serve(env);
        return undefined;
      case 'migrate':
        return await migrate(env, io);
      case 'service':
      case 'services':
        return await serviceCommand(args, env, io);
      case 'integration':
      case 'integrations':
        return await integrationCommand(args, env, io);
      case 'send':
        return await sendCommand(args, env, io);
      case 'incidents':
        return await incidentsCommand(args, env, io);
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        io.stdout.write(USAGE);
        return 0;
      default:
        throw new UsageError(`unknown command "${command}"`, USAGE);
    }
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr.write(`tocsin: ${error.message}\n\n${error.usage}`);
      return 2;
    }
    if (error instanceof CommandError) {
      io.stderr.write(`tocsin: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
}
