import { DriverException } from '@mikro-orm/core';
import pino, { type Logger } from 'pino';
import { PERSONAL_DATA_FIELDS } from './personal-fields';

/**
 * What a database error may say in a log: which statement class failed and on what, never
 * with what. The driver's message starts with the SQL text with its parameters inlined (knex
 * formats them in), and `detail`, `hint`, `where` and the bindings carry values: phones, ID
 * numbers, names.
 */
const SAFE_DATABASE_FIELDS = ['code', 'severity', 'constraint', 'table', 'column', 'schema', 'dataType', 'routine'] as const;

type ErrorLike = Error & Record<string, unknown>;

function isErrorLike(value: unknown): value is ErrorLike {
  return typeof value === 'object' && value !== null && typeof (value as { message?: unknown }).message === 'string';
}

/** A driver or ORM error: PostgreSQL's (SQLSTATE + severity), knex's (sql, bindings) or MikroORM's wrapper of either. */
function isDatabaseError(error: ErrorLike): boolean {
  if (typeof error.code === 'string' && /^[0-9A-Z]{5}$/.test(error.code) && 'severity' in error) return true;
  return error instanceof DriverException || 'sql' in error || 'bindings' in error || 'parameters' in error || 'params' in error || 'query' in error;
}

/** The database error inside `error` (itself, its GraphQL originalError or a cause), if any. */
function databaseErrorIn(error: ErrorLike): ErrorLike | undefined {
  const seen = new Set<unknown>();
  const queue: unknown[] = [error];
  while (queue.length && seen.size < 10) {
    const current = queue.shift();
    if (!isErrorLike(current) || seen.has(current)) continue;
    seen.add(current);
    if (isDatabaseError(current)) return current;
    queue.push(current.originalError, current.cause);
  }
  return undefined;
}

/**
 * The driver's own sentence without the statement (knex puts `<sql with values> - ` before it,
 * MikroORM appends `\n - detail: …`), with quoted literals and long digit runs blanked: PostgreSQL
 * quotes offending values (`invalid input syntax for type bigint: "13800138000"`).
 */
function safeDatabaseMessage(message: string): string {
  let text = message.split('\n - ')[0];
  const separator = text.lastIndexOf(' - ');
  if (separator >= 0) text = text.slice(separator + 3);
  return text.replace(/"[^"]*"/g, '"…"').replace(/\d{6,}/g, '…');
}

function stackFrames(stack: unknown): string | undefined {
  if (typeof stack !== 'string') return undefined;
  return stack.split('\n').filter((line) => line.trim().startsWith('at ')).join('\n');
}

/** privacy.ts's maskFreeText, loaded on the first error that needs it (privacy.ts builds its patterns at load: ~1 s a CLI logging no error should not pay). */
let maskFreeText: ((text: string) => string) | undefined;

/** Keys whose quoted values an error's message may print (an inspected record: `phone: '138…'`, JSON: `"name":"…"`). */
const QUOTED_PERSONAL_VALUE = new RegExp(`(\\b(?:${['name', ...PERSONAL_DATA_FIELDS].join('|')})\\b['"]?\\s*[:=]\\s*)('(?:[^'\\\\]|\\\\.)*'|"(?:[^"\\\\]|\\\\.)*")`, 'gi');

/**
 * What any error's message may say in a log: as written, but with the values a library quotes
 * made safe. MikroORM prints the record (`Value for Person.x is required … entity: Person { name:
 * '张三', phone: '138…' }`), graphql-js and graphql-scalars the value they could not serialize,
 * and that is stored personal data: names after personal keys are redacted, and phone, ID and
 * other personal numbers masked as in free text (maskFreeText).
 */
function safeMessage(message: string): string {
  maskFreeText ??= (require('./privacy') as typeof import('./privacy')).maskFreeText;
  return maskFreeText(message.replace(QUOTED_PERSONAL_VALUE, '$1[redacted]'));
}

/** Fields of an error kept as they are: codes and numbers that say what failed (code, errno, syscall, port). */
const PLAIN_FIELD = (key: string, value: unknown) =>
  (typeof value === 'number' || typeof value === 'boolean' || (typeof value === 'string' && value.length <= 100)) && !(REDACTED_KEYS as readonly string[]).includes(key);

/**
 * Any error that is no database error: its type, message (safeMessage), stack frames (the
 * stack's first line repeats the message), its plain fields, and its cause (the same way).
 * Nothing else: errors carry the objects they were about (MikroORM's `entity`, class-validator's
 * `target`), which pino's serializer would log whole, personal fields and all.
 */
function serializeOtherError(error: ErrorLike, depth = 0): Record<string, unknown> {
  const safe: Record<string, unknown> = Object.assign(Object.create(null), { type: error.constructor?.name && error.constructor.name !== 'Object' ? error.constructor.name : error.name || 'Error', message: safeMessage(error.message) });
  for (const [key, value] of Object.entries(error)) {
    if (key === 'message' || key === 'stack' || key === 'cause' || key === 'type') continue;
    if (PLAIN_FIELD(key, value)) safe[key] = typeof value === 'string' ? safeMessage(value) : value;
  }
  safe.stack = stackFrames(error.stack);
  if (isErrorLike(error.cause) && depth < 5) safe.cause = serializeOtherError(error.cause, depth + 1);
  return safe;
}

/**
 * The one serializer for errors in logs (`{ err }`): anything that is or wraps a database
 * error keeps its code (SQLSTATE), constraint, table and column and loses the query text,
 * parameters and `detail` values; any other error keeps what failed and where, not the values
 * it quotes or carries (serializeOtherError).
 */
export function serializeError(error: unknown): unknown {
  if (!isErrorLike(error)) return error;
  const database = databaseErrorIn(error);
  if (!database) return serializeOtherError(error);
  // No prototype: pino's own err serializer, which runs again on what we return, then keeps our `type`.
  const safe: Record<string, unknown> = Object.assign(Object.create(null), { type: error.name || 'Error', message: safeDatabaseMessage(database.message) });
  if (database !== error) safe.databaseErrorType = database.name;
  for (const field of SAFE_DATABASE_FIELDS) if (typeof database[field] === 'string' || typeof database[field] === 'number') safe[field] = database[field];
  safe.stack = stackFrames(error.stack);
  return safe;
}

/** Keys whose values never reach a log line: personal data and secrets (see createLogger). */
const REDACTED_KEYS = [
  ...PERSONAL_DATA_FIELDS,
  'password', 'currentPassword', 'newPassword', 'token', 'accessToken', 'refreshToken', 'deviceToken',
];

/**
 * Structured JSON logs. Redaction is a safety net for personal data and secrets
 * that must never be logged; code should not log them in the first place. Errors are logged as
 * `{ err }` and go through serializeError here, once: every logger (and its children) comes
 * from this function. `destination`: stdout unless given (tests capture the lines).
 */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  const options: pino.LoggerOptions = {
    level,
    base: { service: 'gongjian' },
    serializers: { err: serializeError },
    redact: {
      // pino's * is one level: each key under any object, and under an input in `variables`.
      paths: [...REDACTED_KEYS.flatMap((key) => [`*.${key}`, `variables.*.${key}`]), 'req.headers.authorization'],
      censor: '[redacted]',
    },
  };
  return destination ? pino(options, destination) : pino(options);
}

export type { Logger };
