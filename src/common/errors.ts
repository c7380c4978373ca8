import { GraphQLError } from 'graphql';

/**
 * Every error code a client may branch on. One place: resolvers and services throw
 * through the helpers below; `formatError` (src/common/format-error.ts) maps anything
 * else to INTERNAL_SERVER_ERROR and logs it.
 */
export enum ErrorCode {
  BAD_USER_INPUT = 'BAD_USER_INPUT',
  NOT_FOUND = 'NOT_FOUND',
  CONFLICT = 'CONFLICT',
  /** A state machine refused a move (e.g. closing out a request that is not resolved). */
  ILLEGAL_TRANSITION = 'ILLEGAL_TRANSITION',
  INTERNAL_SERVER_ERROR = 'INTERNAL_SERVER_ERROR',
  /** The database (or another part we need) is unreachable right now; retry shortly. */
  SERVICE_UNAVAILABLE = 'SERVICE_UNAVAILABLE',
  RATE_LIMITED = 'RATE_LIMITED',
  /** No valid credentials: sign in, or send a valid token or API key. */
  UNAUTHENTICATED = 'UNAUTHENTICATED',
  /** Signed in, but this role or scope may not do it. */
  FORBIDDEN = 'FORBIDDEN',
  REQUEST_TIMEOUT = 'REQUEST_TIMEOUT',
  /**
   * The database rolled the whole transaction back because another one ran into it at the same
   * moment (a deadlock, a serialization failure, a lock wait timeout): nothing was changed, and
   * sending the same request again will very likely succeed.
   */
  TRY_AGAIN = 'TRY_AGAIN',
}

/**
 * The HTTP status of a response that carries one of these codes. The answers written outside
 * GraphQL (a refused credential, a timed-out request, a rate-limited client) use it, and so does
 * unauthenticated() from inside GraphQL; any other code there is answered 200 with the error in
 * `errors`. A code not listed here is 500 outside GraphQL.
 */
const HTTP_STATUS: Readonly<Partial<Record<ErrorCode, number>>> = {
  [ErrorCode.UNAUTHENTICATED]: 401,
  [ErrorCode.RATE_LIMITED]: 429,
  // Retry: the database was unreachable, too slow for this request, or aborted it in a collision.
  [ErrorCode.SERVICE_UNAVAILABLE]: 503,
  [ErrorCode.REQUEST_TIMEOUT]: 503,
  [ErrorCode.TRY_AGAIN]: 503,
};

export function httpStatusOf(code: ErrorCode): number {
  return HTTP_STATUS[code] ?? 500;
}

/** An error meant for the client: its message and extensions are sent as they are. */
export class AppError extends GraphQLError {
  constructor(code: ErrorCode, message: string, extensions: Record<string, unknown> = {}) {
    super(message, { extensions: { code, ...extensions } });
  }

  get code(): ErrorCode {
    return this.extensions.code as ErrorCode;
  }
}

/** Input that fails a rule. `field` is the input path, e.g. `input.code`. */
export function badInput(field: string, message: string): AppError {
  return new AppError(ErrorCode.BAD_USER_INPUT, `${field}: ${message}`, { field });
}

/** A referenced record that does not exist. `field` names the argument that pointed at it. */
export function notFound(typeName: string, id: string, field?: string): AppError {
  return new AppError(ErrorCode.NOT_FOUND, `${typeName} ${id} not found`, field ? { field, typeName } : { typeName });
}

/** A uniqueness rule would be broken (duplicate code, a unit already in an alliance, ...). */
export function conflict(message: string, field?: string): AppError {
  return new AppError(ErrorCode.CONFLICT, message, field ? { field } : {});
}

/** A move the state machine does not allow from the current state. */
export function illegalTransition(message: string, details: { from: string; action: string; field?: string }): AppError {
  return new AppError(ErrorCode.ILLEGAL_TRANSITION, message, details);
}

export function unauthenticated(message = 'Sign in, or send a valid token or API key'): AppError {
  return new AppError(ErrorCode.UNAUTHENTICATED, message, { http: { status: httpStatusOf(ErrorCode.UNAUTHENTICATED) } });
}

/** `field`, when given, names the input that asked for it (a message starting with it says what to do instead). */
export function forbidden(message: string, field?: string): AppError {
  return new AppError(ErrorCode.FORBIDDEN, field ? `${field}: ${message}` : message, field ? { field } : {});
}
