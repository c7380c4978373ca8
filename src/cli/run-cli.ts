import { inspect } from 'node:util';
import { ConfigError } from '../config/env';
import { AppError } from '../common/errors';
import { driverSentence, refusedStatement, serializeError } from '../common/logger';
import { isDatabaseUnavailable, sqlStateOf } from '../common/transaction';

/** A mistake in how a command was called (a missing flag, an unknown name): one line, no stack. */
export class CliError extends Error {}

/**
 * SQLSTATEs of a server that refuses us before any statement runs: class 28 (a wrong role or
 * password, no pg_hba.conf entry), 3D000 (no such database), class 08 but 08P01 (a value the server
 * could not read is a statement's fault), 53300 (too many connections), 57P01-57P03 (shutting down,
 * starting up).
 */
const CONNECTION_SQLSTATE = /^(28|3D|08(?!P01)|53300|57P0[123])/;

/**
 * A database that is down, unreachable or refuses us: a SQLSTATE of those above, or with none (a
 * socket's error, a pool's timeout) isDatabaseUnavailable. Any other SQLSTATE is a failed statement,
 * even when its quoted value reads "terminating connection".
 */
function isConnectionFailure(error: unknown): boolean {
  const sqlState = sqlStateOf(error);
  return sqlState === undefined ? isDatabaseUnavailable(error) : CONNECTION_SQLSTATE.test(sqlState);
}

/**
 * One line for a database that cannot be used: the driver's own words (its quotes name a database,
 * role or host, no row's value), without the statement knex puts in front when a connection drops
 * under a query (driverSentence), the end kept when long. An AggregateError (every address of
 * `localhost` refused) has no message: its code.
 */
function connectionFailure(error: unknown): string {
  const { message, code } = error as { message?: string; code?: string };
  const sentence = message ? driverSentence(message) : undefined;
  const text = sentence || code || (message ? String((serializeError(error) as { message?: unknown }).message) : String(error));
  return `cannot use the database: ${text.length > 400 ? `… ${text.slice(-400)}` : text}`;
}

/**
 * One line for a statement that failed (refusedStatement, as the import command words a refused
 * batch): never the statement, its values or `detail` (a row's phone, ID number, name).
 */
function statementFailure(error: unknown): string {
  const { on, sentence } = refusedStatement(error);
  return `the database refused a statement (${on}): ${sentence}`;
}

/**
 * Any error as serializeError leaves it (its type, masked message, plain fields such as a SQLSTATE,
 * stack frames and cause), for the terminal: never the statement, row values or records an error
 * carries, whatever LOG_LEVEL says (debug adds the stack, not the values).
 */
export function describeError(serialized: unknown): string {
  if (typeof serialized !== 'object' || serialized === null) return String(serialized);
  const { type, message, stack, cause, ...fields } = serialized as Record<string, unknown>;
  if (fields.name === type) delete fields.name;
  const lines = [`${type}: ${message}${Object.keys(fields).length ? ` ${inspect({ ...fields }, { breakLength: Infinity })}` : ''}`];
  if (typeof stack === 'string' && stack) lines.push(stack);
  if (cause !== undefined) lines.push(`caused by ${describeError(cause)}`);
  return lines.join('\n');
}

/**
 * The one line for a database that cannot be used or refused a statement (connectionFailure,
 * statementFailure), or undefined for any other error. The server's start-up (main.ts) says it so
 * too: its migrations and demo seed run statements on rows, whose values the raw message carries.
 */
export function databaseFailure(error: unknown): string | undefined {
  if (isConnectionFailure(error)) return connectionFailure(error);
  return sqlStateOf(error) !== undefined ? statementFailure(error) : undefined;
}

/**
 * Runs a command-line entry point: one clear line on a configuration error or a database that
 * cannot be used or refused a statement, an exit code always. No personal data reaches the
 * terminal: database errors and any other error go through the logger's serializer, and
 * LOG_LEVEL=debug adds the stack, never the statement's values or `detail`.
 */
export function runCli(main: () => Promise<number>): void {
  main().then(
    (code) => process.exit(code),
    (error: unknown) => {
      if (error instanceof ConfigError || error instanceof AppError || error instanceof CliError) console.error(error.message);
      else if (databaseFailure(error) !== undefined) {
        console.error(databaseFailure(error));
        if (process.env.LOG_LEVEL === 'debug') console.error(describeError(serializeError(error)));
      } else console.error(describeError(serializeError(error)));
      process.exit(1);
    },
  );
}
