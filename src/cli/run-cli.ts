import { ConfigError } from '../config/env';

/** Runs a command-line entry point: one clear line on a configuration error, an exit code always. */
export function runCli(main: () => Promise<number>): void {
  main().then(
    (code) => process.exit(code),
    (error: unknown) => {
      if (error instanceof ConfigError) console.error(error.message);
      else console.error(error);
      process.exit(1);
    },
  );
}
