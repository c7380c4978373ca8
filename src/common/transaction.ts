import {
  ForeignKeyConstraintViolationException,
  IsolationLevel,
  NotNullConstraintViolationException,
  OptimisticLockError,
  UniqueConstraintViolationException,
  type EntityManager,
} from '@mikro-orm/postgresql';
import type { AppContext } from '../context/context';
import { AppError, ErrorCode, badInput, conflict } from './errors';

/**
 * Runs a mutation's work all-or-nothing in one transaction, and turns constraint
 * violations the database caught (a duplicate code raced past the service's check)
 * into the same typed errors the services throw.
 *
 * A transaction PostgreSQL rolls back because of another one (a deadlock, a serialization
 * failure) is run again, up to TRANSACTION_ATTEMPTS times in all, after a short random pause,
 * before the client is answered TRY_AGAIN: see retryableCollision for what is and is not.
 * Each attempt re-runs all of `work` from the start on a fresh fork, after the request's
 * identity map and DataLoaders are emptied: the failed attempt left its changes on the entities
 * it touched (and marked them as written), so none of them may be seen again. `work` must
 * therefore load what it changes through `em`, never change an entity loaded before it.
 */
export async function inTransaction<T>(ctx: AppContext, work: (em: EntityManager) => Promise<T>): Promise<T> {
  // Called from inside another inTransaction of the same request: part of the caller's unit of
  // work, on its transaction. ctx.em cannot tell (MikroORM keeps the transaction on a fork of its
  // own), and a second transaction would commit on its own connection even when the caller rolls
  // back, and be run again by itself on a collision.
  const callers = openTransactions.get(ctx);
  if (callers) return work(callers);
  for (let attempt = 1; ; attempt++) {
    try {
      return await ctx.em.transactional(async (em) => {
        openTransactions.set(ctx, em);
        try {
          const result = await work(em);
          refuseCommitAfterTimeout(ctx);
          return result;
        } finally {
          openTransactions.delete(ctx);
        }
      });
    } catch (error) {
      const sqlState = retryableCollision(error);
      // Not inside a transaction the caller opened on ctx.em itself (the seed: the collision
      // aborted all of it, only its owner may start again), and not once the client was answered
      // REQUEST_TIMEOUT (the attempt could not commit anyway).
      if (sqlState && attempt < TRANSACTION_ATTEMPTS && !ctx.em.isInTransaction() && !ctx.timedOut?.()) {
        const delayMs = retryDelayMs();
        // The SQLSTATE only: a deadlock's detail quotes the other session's statement, values included.
        ctx.logger?.info({ sqlState, attempt, attempts: TRANSACTION_ATTEMPTS, delayMs }, 'transaction rolled back by the database in a collision with another writer; running it again');
        retriesSoFar += 1;
        forgetAttempt(ctx);
        await new Promise((resolve) => setTimeout(resolve, delayMs));
        continue;
      }
      // A value a column cannot hold, in a mutation's writes: the input checks should have caught it
      // (one counted otherwise than the column), but it is the request's value, not a server fault.
      // Only here: in a query the same codes would be a bug of ours.
      if (isValueThatDoesNotFit(error)) throw badInput('input', 'a value does not fit what can be stored (too long, too large, or a date out of range); nothing was changed');
      throw translateDatabaseError(error);
    }
  }
}

/**
 * Runs a query's reads on one snapshot (a read-only REPEATABLE READ transaction): figures read by
 * several statements (a total and its rows) then describe the same moment, even while imports and
 * request steps commit between the statements. Nothing to retry: such a transaction never collides.
 */
export function onOneSnapshot<T>(ctx: AppContext, work: (em: EntityManager) => Promise<T>): Promise<T> {
  return ctx.em.transactional(work, { isolationLevel: IsolationLevel.REPEATABLE_READ, readOnly: true });
}

/** The transaction each request context's inTransaction has open (see the nesting rule in inTransaction). */
const openTransactions = new WeakMap<AppContext, EntityManager>();

let retriesSoFar = 0;

/**
 * How many times this process has run a transaction again after a collision. A race fixed to
 * queue instead of deadlocking would otherwise break again unseen (its retry succeeds): its test
 * checks this does not move.
 */
export function transactionRetriesSoFar(): number {
  return retriesSoFar;
}

/** How many times inTransaction runs a mutation's work when PostgreSQL keeps rolling it back in a collision. */
export const TRANSACTION_ATTEMPTS = 3;

/** The pause before running it again: 10 to 50 ms, at random, so two writers that collided do not collide again in step. */
function retryDelayMs(): number {
  return 10 + Math.floor(Math.random() * 41);
}

/**
 * Drops what the failed attempt loaded and changed: the request's identity map (which the
 * transaction's fork shared, and whose entities now hold the rolled-back values as if written)
 * and its DataLoaders' caches. Contexts of command-line tools may have no loaders.
 */
function forgetAttempt(ctx: AppContext): void {
  if (ctx.loaders) ctx.loaders.forget();
  ctx.em.clear();
}

/**
 * The SQLSTATE when `error` is PostgreSQL's own answer that it rolled this transaction back
 * because of another one, so running the same work again is safe and likely to succeed:
 * 40P01 deadlock, 40001 serialization failure. Only a code the server sent (sqlStateOf): it
 * means the transaction is rolled back, even in reply to COMMIT, whereas a connection lost
 * during COMMIT (no SQLSTATE, or class 08/57P0x) leaves unknown whether it committed and is
 * never retried (it stays SERVICE_UNAVAILABLE). Not 55P03 (lock_timeout): that limit is an
 * administrator's bound on how long a statement may wait, and trying again would wait it out
 * up to three times over behind the same holder; it stays an immediate TRY_AGAIN.
 */
function retryableCollision(error: unknown): string | undefined {
  if (error instanceof AppError || isDatabaseUnavailable(error)) return undefined;
  const sqlState = sqlStateOf(error);
  return sqlState !== undefined && RETRIED_COLLISION_CODES.has(sqlState) ? sqlState : undefined;
}

/**
 * Called just before a mutation commits (inTransaction, the API import's batch): when the client
 * was already answered REQUEST_TIMEOUT while it ran, throws so the write is rolled back rather than
 * stored behind the client's back (a retry would then add it twice).
 */
export function refuseCommitAfterTimeout(ctx: Pick<AppContext, 'timedOut'>): void {
  if (ctx.timedOut?.()) throw new AppError(ErrorCode.REQUEST_TIMEOUT, 'The request took too long and was answered REQUEST_TIMEOUT; this change was rolled back.');
}

/**
 * inTransaction for a refusal that must be remembered (a wrong password counted, a replayed token's
 * session revoked): work returns the refusal instead of throwing it, so what it wrote commits, and
 * the refusal is thrown after the commit.
 */
export async function inTransactionKeepingRefusal<T>(ctx: AppContext, work: (em: EntityManager) => Promise<T | AppError>): Promise<T> {
  const outcome = await inTransaction(ctx, work);
  if (outcome instanceof AppError) throw outcome;
  return outcome;
}

export function translateDatabaseError(error: unknown): unknown {
  if (error instanceof AppError) return error;
  if (isDatabaseUnavailable(error)) {
    return new AppError(ErrorCode.SERVICE_UNAVAILABLE, 'The database is unavailable right now; nothing was changed. Retry shortly.');
  }
  if (isStatementCancelled(error)) {
    // A configured limit, not a bug: the transaction the statement ran in is rolled back.
    return new AppError(ErrorCode.REQUEST_TIMEOUT, 'A database statement took longer than allowed (DB_STATEMENT_TIMEOUT_MS) and was cancelled; nothing was changed. Narrow the request or retry.');
  }
  if (isRolledBackByCollision(error)) {
    // Not the request's fault and not a bug: PostgreSQL aborted the whole transaction. By the
    // time a mutation's collision gets here, inTransaction has already run it again
    // (TRANSACTION_ATTEMPTS in all; a lock timeout is not retried), so the client is told to.
    // The API import's batch (outside inTransaction, on the importer's connection) is not run
    // again here: its client resends, and the source ids make that add nothing twice.
    return new AppError(ErrorCode.TRY_AGAIN, 'The database rolled this change back because another one was writing the same records at the same moment; nothing was changed. Send the same request again.');
  }
  if (error instanceof OptimisticLockError) {
    return conflict('the record changed while you were acting on it; reload it and try again', 'version');
  }
  if (error instanceof UniqueConstraintViolationException) {
    const { columns, values } = parseKeyDetail(error);
    // Echo the value only for codes: other keys (ID numbers, phones) may be personal data.
    const shown = columns === 'code' ? ` "${values}"` : '';
    return conflict(columns ? `${columns}${shown} is already taken` : 'a record with the same key already exists', columns ? `input.${camel(columns.split(', ').pop()!)}` : undefined);
  }
  if (error instanceof ForeignKeyConstraintViolationException) {
    const { columns } = parseKeyDetail(error);
    return badInput(columns ? `input.${camel(columns)}` : 'input', 'refers to a record that does not exist or is still in use');
  }
  if (error instanceof NotNullConstraintViolationException) {
    return badInput('input', 'a required value is missing');
  }
  return error;
}

/**
 * PostgreSQL puts `Key (code)=(370199) already exists.` in the error detail; for an index on an
 * expression, `Key (lower(username::text))=(wang.li)`, read as its column (username).
 */
function parseKeyDetail(error: Error): { columns?: string; values?: string } {
  const detail = String((error as { detail?: string }).detail ?? (error.cause as { detail?: string } | undefined)?.detail ?? error.message);
  const match = /Key \((.+?)\)=\(([^)]*)\)/.exec(detail);
  return match ? { columns: match[1]!.replace(/::[a-z ]+/g, '').replace(/\b\w+\(([^()]*)\)/g, '$1'), values: match[2] } : {};
}

function camel(column: string): string {
  return column.trim().replace(/_id$/, 'Id').replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
}

/**
 * Answers a CONFLICT on `field` with `answer()`: a duplicate that raced past a service's own check
 * hits the unique key, and the client should read the same as when the check caught it.
 */
export async function sameConflictWhenRaced<T>(work: Promise<T>, field: string, answer: () => AppError): Promise<T> {
  try {
    return await work;
  } catch (error) {
    if (error instanceof AppError && error.code === ErrorCode.CONFLICT && error.extensions.field === field) throw answer();
    throw error;
  }
}

/**
 * Copies the keys of `patch` that were given onto `target`: `undefined` leaves a value
 * alone, `null` clears it, except for `required` keys where null is a BAD_USER_INPUT.
 */
export function applyPatch<T extends object, P extends object>(target: T, patch: P, required: readonly (keyof P & string)[] = []): void {
  refuseNulls(patch, required);
  for (const [key, value] of Object.entries(patch)) {
    if (value !== undefined) (target as Record<string, unknown>)[key] = value;
  }
}

/**
 * A patch's `required` keys given as null: BAD_USER_INPUT on the first (a value that cannot be
 * cleared; left out, it stays as it is). Silently taken as "unchanged", a form that sent null to
 * clear a field showed success and the old value.
 */
export function refuseNulls<P extends object>(patch: P, required: readonly (keyof P & string)[]): void {
  for (const key of required) if (patch[key] === null) throw badInput(`input.${key}`, 'cannot be null');
}

/** SQLSTATE classes and socket errors that mean "cannot reach the database", not "bad request". */
const UNAVAILABLE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', '57P01', '57P02', '57P03', '53300']);

type ErrorLike = { code?: string; severity?: string; name?: string; message?: string; cause?: unknown };

/** An error and the causes it wraps (MikroORM and knex wrap the driver's), at most five deep. */
function* errorChain(error: unknown): Generator<ErrorLike> {
  for (let current = error as ErrorLike | undefined, depth = 0; current && depth < 5; current = current.cause as ErrorLike | undefined, depth++) yield current;
}

/** Whether the error, or one it wraps, carries one of these SQLSTATEs. */
function hasSqlState(error: unknown, codes: ReadonlySet<string>): boolean {
  for (const current of errorChain(error)) if (typeof current.code === 'string' && codes.has(current.code)) return true;
  return false;
}

/**
 * The SQLSTATE of the server's error the error is or wraps, if any: the code of an error PostgreSQL
 * sent (node-pg gives those a `severity`), not a socket's (EPIPE and EPERM have the same shape).
 */
export function sqlStateOf(error: unknown): string | undefined {
  for (const current of errorChain(error)) {
    if (typeof current.code === 'string' && typeof current.severity === 'string' && /^[0-9A-Z]{5}$/.test(current.code)) return current.code;
  }
  return undefined;
}

/** SQLSTATE 57014: the statement timeout (or an administrator) cancelled the statement. */
const STATEMENT_CANCELLED = new Set(['57014']);

function isStatementCancelled(error: unknown): boolean {
  return hasSqlState(error, STATEMENT_CANCELLED);
}

/**
 * SQLSTATEs that abort the whole transaction because of another one, not because of this request:
 * 40P01 deadlock (PostgreSQL picked this transaction as the victim), 40001 serialization failure,
 * 55P03 lock not available (a lock_timeout an administrator may set for the role or database).
 */
const COLLISION_CODES = new Set(['40P01', '40001', '55P03']);

/** The collisions inTransaction runs the work again for (retryableCollision says why not 55P03). */
const RETRIED_COLLISION_CODES: ReadonlySet<string> = new Set(['40P01', '40001']);

/**
 * SQLSTATEs for a value the column cannot hold: 22001 a string longer than varchar(n), 22003 a
 * number out of its type's range, 22007 and 22008 a date or time PostgreSQL cannot read or hold.
 */
const DOES_NOT_FIT_CODES = new Set(['22001', '22003', '22007', '22008']);

function isValueThatDoesNotFit(error: unknown): boolean {
  return hasSqlState(error, DOES_NOT_FIT_CODES);
}

function isRolledBackByCollision(error: unknown): boolean {
  return hasSqlState(error, COLLISION_CODES);
}

export function isDatabaseUnavailable(error: unknown): boolean {
  for (const current of errorChain(error)) {
    // Class 08 is connection trouble, except 08P01: a message the server could not read (a NUL in a text value) is the request's fault.
    if (typeof current.code === 'string' && (UNAVAILABLE_CODES.has(current.code) || (current.code.startsWith('08') && current.code !== '08P01'))) return true;
    if (current.name === 'KnexTimeoutError' || current.name === 'ConnectionException') return true;
    // The last one: knex's word for a transaction whose connection died under it.
    if (/Connection terminated|Timeout acquiring a connection|connect ECONNREFUSED|Client has encountered a connection error|terminating connection|Transaction query already complete/i.test(current.message ?? '')) return true;
    // node-pg's own words when a new connection gets no answer within connectionTimeoutMillis (a
    // server that accepts the socket and then says nothing: frozen, or a dead proxy in between).
    if (current.message === 'timeout expired') return true;
  }
  return false;
}
