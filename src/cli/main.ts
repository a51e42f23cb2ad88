import { ConfigError } from '../config/config.js';
import { runCli } from './run-cli.js';

// The `tocsin` command's entry point: exit codes 0 ok, 1 failure, 2 usage.
runCli(process.argv.slice(2), process.env).then(
  (code) => {
    if (code !== undefined) process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(
      `${error instanceof ConfigError || error instanceof Error ? error.message : String(error)}\n`,
    );
    process.exitCode = 1;
  },
);
