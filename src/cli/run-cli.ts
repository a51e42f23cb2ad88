import { loadConfig } from '../config/config.js';
import { serve } from '../main.js';
import { migrateToLatest } from '../store/migrate.js';
import { openStore } from '../store/store.js';

const USAGE = `Usage: tocsin <command>

  serve                         start the server (settings from environment variables, see README)
  migrate                       apply database migrations and exit
`;

/** Runs one CLI command; returns the exit code, or undefined for a server that keeps running. */
export async function runCli(argv: string[], env: NodeJS.ProcessEnv): Promise<number | undefined> {
  const [command] = argv;
  switch (command) {
    case 'serve':
      await serve(env);
      return undefined;
    case 'migrate': {
      const config = loadConfig(env);
      const store = await openStore(config.database, { migrate: false, pgPoolSize: 2 });
      try {
        const applied = await migrateToLatest(store.db);
        process.stdout.write(
          applied.length ? `applied: ${applied.join(', ')}\n` : 'migrations are current\n',
        );
      } finally {
        await store.close();
      }
      return 0;
    }
    default:
      process.stdout.write(USAGE);
      return command === undefined || command === 'help' || command === '--help' ? 0 : 2;
  }
}
