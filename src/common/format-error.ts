import type { GraphQLFormattedError } from 'graphql';
import { GraphQLError, Kind, print, type ASTNode } from 'graphql';
import { AppError, ErrorCode } from './errors';
import { translateDatabaseError } from './transaction';

interface ValidationErrorLike {
  property: string;
  constraints?: Record<string, string>;
  children?: ValidationErrorLike[];
}

/** Flattens class-validator errors into `input.code: must be …` entries. */
function flattenValidation(errors: ValidationErrorLike[], prefix = ''): { field: string; message: string }[] {
  return errors.flatMap((error) => {
    const field = prefix ? `${prefix}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map((message) => ({ field, message: message.replace(new RegExp(`^${error.property} `), '') }));
    return [...own, ...flattenValidation(error.children ?? [], field)];
  });
}

function originalOf(error: unknown): unknown {
  return error instanceof GraphQLError ? (error.originalError ?? error) : error;
}

/**
 * True for errors meant for the client: our typed AppErrors, constraint violations we
 * translate, argument validation, and GraphQL's own syntax/validation errors. Everything
 * else is a bug or an outage: logged (see the operation log plugin) and masked.
 */
export function isExpectedError(error: unknown): boolean {
  const original = originalOf(error);
  if (translateDatabaseError(original) instanceof AppError) return true;
  if (Array.isArray((original as { extensions?: { validationErrors?: unknown } })?.extensions?.validationErrors)) return true;
  // GraphQL's and Apollo's own errors: the outer error carries a code (GRAPHQL_PARSE_FAILED, ...)
  // or wraps a plain GraphQLError that no resolver threw.
  for (const candidate of [error, original]) {
    if (!(candidate instanceof GraphQLError)) continue;
    const code = candidate.extensions?.code;
    if (typeof code === 'string' && code !== ErrorCode.INTERNAL_SERVER_ERROR) return true;
    // graphql-js's own errors are about the request (syntax, validation, variables, a field's
    // arguments: these point at the document, they have nodes) unless one arose while a field's
    // result was completed (a path, no place in the document): an Int out of range or a malformed
    // scalar in a result is a bug on our side, not the client's.
    if (!candidate.originalError) return !(error instanceof GraphQLError && error.path) || Boolean(candidate.nodes?.length);
  }
  return false;
}

const INVALID_VARIABLE = /^Variable "\$([_A-Za-z][_0-9A-Za-z]*)" got invalid value /;

/**
 * graphql-js echoes the offending input in variable-coercion errors (`Variable "$input" got
 * invalid value "13800138000" at "input.birthYear"; Int cannot represent non-integer value:
 * "13800138000"`), and input is often personal data. Keeps the variable, the path and the
 * reason; the value becomes `…`. The reason is the original error's message, which the message
 * ends with; anything not in that shape is cut to the variable's name.
 */
function withoutVariableValue(message: string, original: unknown): string {
  const match = INVALID_VARIABLE.exec(message);
  if (!match) return message;
  const name = match[1];
  const reason = original instanceof Error && original.message !== message && message.endsWith(`; ${original.message}`) ? original.message : undefined;
  if (reason === undefined) return `Variable "$${name}" got invalid value.`;
  const head = message.slice(match[0].length, message.length - reason.length - 2);
  // The path comes last in the head, after the value (which may contain anything).
  const at = head.lastIndexOf(` at "${name}`);
  const shown = at >= 0 ? head.slice(0, at) : head;
  const path = at >= 0 ? head.slice(at) : '';
  return `Variable "$${name}" got invalid value${path}; ${hideValue(reason, shown)}`;
}

/** Literal kinds a caller may write personal data in (an enum value names one of ours: kept). */
const LITERAL_KINDS: ReadonlySet<string> = new Set([Kind.STRING, Kind.INT, Kind.FLOAT, Kind.OBJECT, Kind.LIST]);

/**
 * The same for a literal written in the document (`accounts(first: "13812345678")` answers `Int
 * cannot represent non-integer value: "13812345678"`): graphql-js points the error at the literal,
 * so its printed form is known exactly and becomes `…`.
 */
function withoutLiteralValue(message: string, error: unknown): string {
  const node = (error instanceof GraphQLError ? error.nodes?.[0] : undefined) as ASTNode | undefined;
  if (!node || !LITERAL_KINDS.has(node.kind)) return message;
  // graphql-js prints the literal once, after the words (`…value: "x"`, `found "x"; reason`): only
  // that place is cut, and the raw value only in the scalar's reason after it, so a literal that is
  // also a word of the message (first: "value", first: "Int") leaves the rest readable.
  // A scalar that throws its own error (Value is not a valid LocalDate: x) names the raw value only.
  const printed = print(node);
  const raw = node.kind === Kind.STRING ? node.value : printed;
  const at = message.lastIndexOf(printed);
  if (at < 0) return raw.length >= 3 ? message.split(raw).join('…') : message;
  const reason = message.slice(at + printed.length);
  return `${message.slice(0, at)}…${raw.length >= 3 ? reason.split(raw).join('…') : reason}`;
}

/** The reason with the value removed: as graphql-js prints it (JSON for strings) and raw. */
function hideValue(reason: string, shown: string): string {
  let text = shown ? reason.split(shown).join('…') : reason;
  let raw = shown;
  try {
    if (shown.startsWith('"')) raw = String(JSON.parse(shown));
  } catch {
    // not a JSON string: the printed form is the raw one
  }
  if (raw.length >= 3) text = text.split(raw).join('…');
  return text;
}

/**
 * The one place errors leave the server. Client errors pass with their code; anything
 * else becomes a generic INTERNAL_SERVER_ERROR: never its message, SQL or stack, in any
 * environment.
 */
export function formatError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const original = originalOf(error);
  const { path, locations } = formatted;

  const validationErrors = (original as { extensions?: { validationErrors?: ValidationErrorLike[] } })?.extensions?.validationErrors;
  if (Array.isArray(validationErrors)) {
    const fields = flattenValidation(validationErrors);
    const first = fields[0];
    return {
      message: first ? `${first.field}: ${first.message}` : 'Invalid input',
      locations,
      path,
      extensions: { code: ErrorCode.BAD_USER_INPUT, field: first?.field, fields },
    };
  }

  const translated = translateDatabaseError(original);
  if (translated instanceof AppError) {
    // `http` only sets the response status (a bad credential answers 401); it is not for clients.
    const { http: _http, ...extensions } = translated.extensions;
    return { message: translated.message, locations, path, extensions };
  }

  if (isExpectedError(error)) {
    const { stacktrace: _stack, ...extensions } = formatted.extensions ?? {};
    const message = withoutLiteralValue(withoutVariableValue(formatted.message, original), error);
    return { ...formatted, message, extensions: { ...extensions, code: extensions.code ?? ErrorCode.BAD_USER_INPUT } };
  }

  return { message: 'Internal server error', locations, path, extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR } };
}
