import { ConfigError } from '../config/env';
import { AppError } from '../common/errors';

/** A mistake in how a command was called (a missing flag, an unknown name): one line, no stack. */
export class CliError extends Error {}

/** Runs a command-line entry point: one clear line on a configuration error, an exit code always. */
export function runCli(main: () => Promise<number>): void {
  main().then(
    (code) => process.exit(code),
    (error: unknown) => {
      if (error instanceof ConfigError || error instanceof AppError || error instanceof CliError) console.error(error.message);
      else console.error(error);
      process.exit(1);
    },
  );
}
