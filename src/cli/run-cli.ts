import { ConfigError } from '../config/env';
import { AppError } from '../common/errors';
import { isDatabaseUnavailable, sqlStateOf } from '../common/transaction';

/** A mistake in how a command was called (a missing flag, an unknown name): one line, no stack. */
export class CliError extends Error {}

/**
 * One line for a database that is down, unreachable or refuses us (a missing database, a wrong
 * role): the driver's own words, the end kept when long (a failed statement's message starts with
 * its SQL). An AggregateError (every address of `localhost` refused) has no message: its code.
 */
function databaseFailure(error: unknown): string {
  const { message, code } = error as { message?: string; code?: string };
  const text = message || code || String(error);
  return `cannot use the database: ${text.length > 400 ? `… ${text.slice(-400)}` : text}`;
}

/** Runs a command-line entry point: one clear line on a configuration error, an exit code always. */
export function runCli(main: () => Promise<number>): void {
  main().then(
    (code) => process.exit(code),
    (error: unknown) => {
      if (error instanceof ConfigError || error instanceof AppError || error instanceof CliError) console.error(error.message);
      else if (isDatabaseUnavailable(error) || sqlStateOf(error) !== undefined) {
        console.error(databaseFailure(error));
        if (process.env.LOG_LEVEL === 'debug') console.error(error);
      } else console.error(error);
      process.exit(1);
    },
  );
}
