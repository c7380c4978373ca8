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

/** What MikroORM appends to the driver's message (PostgreSqlExceptionConverter): values, always dropped. */
const APPENDED_BY_MIKRO_ORM = ['\n - detail: ', '\n - hint: '];

/**
 * What MikroORM appended to `error`'s message, exactly as PostgreSqlExceptionConverter appends it: its
 * `detail` and `hint`, each after its marker. Cut where it was appended, not at the first marker read
 * outside quotes: a value the sentence quotes may hold quotes and a marker of its own.
 */
function appendedByMikroOrm(error: ErrorLike): string {
  let appended = '';
  for (const [field, marker] of [['detail', APPENDED_BY_MIKRO_ORM[0]], ['hint', APPENDED_BY_MIKRO_ORM[1]]] as const) {
    const value = error[field] as { toString(): string } | null | undefined;
    if (value?.toString().trim()) appended += marker + value.toString();
  }
  return appended;
}

/**
 * A database error's message read as SQL, to tell the statement knex puts in front (`<sql with its
 * values inlined> - <driver message>`, query-executioner.js) from the driver's sentence: either
 * may hold " - " inside a quoted value (a name `王建国 - 李四`), so only a " - " outside every
 * '…' or E'…' literal, "…" identifier or driver-quoted value, and outside comments, may separate
 * (`cuts`: where the text after each begins); the statement's own (`"age" - 1`) come before knex's.
 * The text is read up to `end`, or, when not given, up to MikroORM's `\n - detail: …` or
 * `\n - hint: …` outside quotes. Undefined when the quotes do not pair up (a value holding a double
 * quote, which PostgreSQL does not escape): then no part can be told apart from a value.
 */
function readDatabaseMessage(message: string, end?: number): { end: number; cuts: number[] } | undefined {
  const scanMarkers = end === undefined;
  let stop = end ?? message.length;
  const cuts: number[] = [];
  let i = 0;
  scan: while (i < stop) {
    const c = message[i];
    if (c === "'" || c === '"') {
      // E'…' (node-pg's escapeLiteral for a value with a backslash) takes backslash escapes; both double the quote.
      const backslashes = c === "'" && /[Ee]/.test(message[i - 1] ?? '') && !/[\w$]/.test(message[i - 2] ?? '');
      for (i++; ; i++) {
        if (i >= stop) return undefined;
        if (backslashes && message[i] === '\\') i++;
        else if (message[i] === c) {
          if (message[i + 1] !== c) break;
          i++;
        }
      }
      i++;
      continue;
    }
    if (c === '-' && message[i + 1] === '-') {
      const newline = message.indexOf('\n', i);
      i = newline < 0 || newline > stop ? stop : newline;
      continue;
    }
    if (c === '/' && message[i + 1] === '*') {
      const close = message.indexOf('*/', i + 2);
      if (close < 0 || close + 2 > stop) return undefined;
      i = close + 2;
      continue;
    }
    if (scanMarkers) {
      for (const marker of APPENDED_BY_MIKRO_ORM) {
        if (message.startsWith(marker, i)) {
          stop = i;
          break scan;
        }
      }
    }
    if (message.startsWith(' - ', i) && i + 3 <= stop) {
      cuts.push(i + 3);
      i += 3;
      continue;
    }
    i++;
  }
  return { end: stop, cuts };
}

/**
 * The driver's own sentence of a database error, as it wrote it: without the statement knex put in
 * front or what MikroORM appended (readDatabaseMessage), its quotes kept. Only for failures to
 * connect (runCli), whose quotes name a database, role or host, never a row's value; undefined
 * when it cannot be told apart.
 */
export function driverSentence(message: string): string | undefined {
  const read = readDatabaseMessage(message);
  return read && message.slice(read.cuts.at(-1) ?? 0, read.end);
}

/**
 * The words after which PostgreSQL quotes an identifier (`new row for relation "t" violates check
 * constraint "c"`, `null value in column "c" of relation "t"`, `invalid byte sequence for encoding
 * "UTF8"`, `password authentication failed for user "u"`): a name from the schema or the
 * connection, never a row's value, and holding no quote of its own.
 */
const IDENTIFIER_BEFORE = /\b(?:relation|table|column|constraint|index|sequence|view|trigger|function|procedure|schema|database|role|user|host|encoding|type|domain|enum|parameter|statement|cursor|portal|savepoint|policy|extension|collation|operator|field|record|attribute|reference|tablespace|language|channel|rule|server|publication|subscription) $/;

/**
 * Quoted parts blanked. An identifier (quoted after one of the words above) is blanked as a pair;
 * any other quoted part is a value, wherever the sentence puts it: at its end after ": "
 * (`invalid input syntax for type bigint: "…"`), in its middle (`value "…" is out of range for type
 * integer`, `time zone "…" not recognized`) or at its start (`"…" is out of range for type double
 * precision`). The server does not escape quotes inside a value, so a value is blanked from its
 * opening quote to the sentence's last quote as one: `"请"王建国"回电"` or `"99999999999 "王"建国"`,
 * blanked pair by pair, printed the name. A quote left unpaired blanks everything after it.
 */
function blankQuoted(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c !== '"' && c !== "'") {
      out += c;
      continue;
    }
    out += `${c}…${c}`;
    if (IDENTIFIER_BEFORE.test(text.slice(0, i))) {
      const close = text.indexOf(c, i + 1);
      if (close < 0) return out;
      i = close;
      continue;
    }
    const last = Math.max(text.lastIndexOf('"'), text.lastIndexOf("'"));
    return last > i ? out + text.slice(last + 1) : out;
  }
  return out;
}

/**
 * How the statements knex, MikroORM and this code send begin (followed by a space: not
 * `set-returning functions…`, a sentence): the text in front of knex's " - ".
 */
const STATEMENT_START = /^[\s(]*(?:select|insert|update|delete|with|create|alter|drop|truncate|begin|commit|rollback|savepoint|release|set|reset|lock|copy|explain|analyze|vacuum|refresh|do|call)(?=[\s(])/i;

/** How PostgreSQL's sentences begin: with a lowercase word or the quote of a value. */
const SENTENCE_START = /^[a-z"]/;

/**
 * The driver's own sentence with its quoted parts blanked (blankQuoted), the bytes of a character it
 * could not convert or read (`character with byte sequence 0xe7 0x8e 0x8b …`: 王), and long digit
 * runs. What MikroORM appended (`appended`, appendedByMikroOrm) is cut where it was appended.
 *
 * A message that begins as no statement does is the sentence whole (node-pg's own error, as the
 * import and roll-up commands get it). After a statement, the sentence begins at the last " - "
 * read outside quotes (readDatabaseMessage) only where no other " - " is followed by what could begin
 * a sentence (SENTENCE_START): a value holding quotes of its own pairs them up with its opening and
 * closing ones, so a " - " inside it reads as outside quotes, and the text after it (`jianguo" x"
 * is out of range…`, a name in pinyin) begins with a lowercase word as knex's cut does. Then, and
 * when the quotes do not pair up, only what follows the last quote is kept (afterTheLastQuote).
 */
function safeDatabaseMessage(message: string, appended = ''): string {
  const end = appended && message.endsWith(appended) ? message.length - appended.length : message.length;
  const text = message.slice(0, end);
  const read = readDatabaseMessage(message, end);
  const sentenceStarts = read?.cuts.filter((cut) => SENTENCE_START.test(text.slice(cut))) ?? [];
  let safe: string;
  if (!STATEMENT_START.test(text) || read?.cuts.length === 0) safe = blankQuoted(text);
  else if (read && sentenceStarts.length === 1 && sentenceStarts[0] === read.cuts.at(-1)) safe = blankQuoted(text.slice(sentenceStarts[0]));
  else safe = afterTheLastQuote(text);
  return safe.replace(/0x[0-9a-f]{2}(?: 0x[0-9a-f]{2})*/gi, '0x…').replace(/\d{6,}/g, '…');
}

/**
 * What of a database message no quoted value can reach: the text after its last quote, the quoted
 * part before it blanked as one ("…"); when that text holds a " - ", what follows the last one (the
 * sentence, quoting nothing, after the statement).
 */
function afterTheLastQuote(text: string): string {
  const last = Math.max(text.lastIndexOf('"'), text.lastIndexOf("'"));
  const tail = text.slice(last + 1);
  const cut = tail.lastIndexOf(' - ');
  if (cut >= 0) return tail.slice(cut + 3);
  return last < 0 ? tail : `${text[last]}…${text[last]}${tail}`;
}

function stackFrames(stack: unknown): string | undefined {
  if (typeof stack !== 'string') return undefined;
  return stack.split('\n').filter((line) => line.trim().startsWith('at ')).join('\n');
}

/** privacy.ts's maskFreeText, loaded on the first error that needs it (privacy.ts builds its patterns at load: ~1 s a CLI logging no error should not pay). */
let maskFreeText: ((text: string) => string) | undefined;

/**
 * Keys whose values never reach a log line: personal data and secrets (see createLogger). An
 * account's displayName is its holder's name (a member's, a liaison's), and its password hash can
 * be cracked offline: neither is a personalField (Account is for administrators only), both are here.
 */
const REDACTED_KEYS = [
  ...PERSONAL_DATA_FIELDS, 'displayName',
  'password', 'passwordHash', 'currentPassword', 'newPassword', 'token', 'accessToken', 'refreshToken', 'deviceToken',
];

/**
 * Keys whose quoted values an error's message may print (an inspected record: `phone: '138…'`, JSON:
 * `"name":"…"`): every redacted key, names, and usernames (often people's names: logs name an
 * account by its id, viewerLogId), which an inspected account prints beside its displayName.
 */
const QUOTED_PERSONAL_VALUE = new RegExp(`(\\b(?:${['name', 'username', ...REDACTED_KEYS].join('|')})\\b['"]?\\s*[:=]\\s*)('(?:[^'\\\\]|\\\\.)*'|"(?:[^"\\\\]|\\\\.)*")`, 'gi');

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
/**
 * A statement the database refused, for one line on a terminal (the CLI, the import command): what
 * failed and on what (`SQLSTATE 23505, table t, constraint c`) and the driver's sentence with its
 * quoted values blanked, as serializeError logs them; never the statement, its values or `detail`.
 */
export function refusedStatement(error: unknown): { on: string; sentence: string } {
  const safe = serializeError(error) as Record<string, unknown>;
  const on = [`SQLSTATE ${safe.code}`, ...(['table', 'column', 'constraint'] as const).filter((key) => typeof safe[key] === 'string' && safe[key]).map((key) => `${key} ${String(safe[key])}`)];
  return { on: on.join(', '), sentence: typeof safe.message === 'string' ? safe.message : '' };
}

export function serializeError(error: unknown): unknown {
  if (!isErrorLike(error)) return error;
  const database = databaseErrorIn(error);
  if (!database) return serializeOtherError(error);
  // No prototype: pino's own err serializer, which runs again on what we return, then keeps our `type`.
  const safe: Record<string, unknown> = Object.assign(Object.create(null), { type: error.name || 'Error', message: safeDatabaseMessage(database.message, appendedByMikroOrm(database)) });
  if (database !== error) safe.databaseErrorType = database.name;
  for (const field of SAFE_DATABASE_FIELDS) if (typeof database[field] === 'string' || typeof database[field] === 'number') safe[field] = database[field];
  safe.stack = stackFrames(error.stack);
  return safe;
}

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

/**
 * Apollo Server's own log lines (start-up notices, an unexpected error in a plugin hook) through
 * `logger` at their levels, an error as `{ err }` (serializeError) and any other line's text made
 * safe as an error message is (safeMessage): left to Apollo's default, they went to the console
 * untouched, past the masking every other line gets.
 */
export function apolloLogger(logger: Logger): Record<'debug' | 'info' | 'warn' | 'error', (message?: unknown) => void> {
  const apollo = logger.child({ component: 'apollo' });
  const at = (level: 'debug' | 'info' | 'warn' | 'error') => (message?: unknown) =>
    isErrorLike(message) ? apollo[level]({ err: message }, 'apollo server error') : apollo[level](safeMessage(String(message)));
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}
