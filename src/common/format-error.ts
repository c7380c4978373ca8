import type { GraphQLFormattedError } from 'graphql';
import { GraphQLError } from 'graphql';
import { AppError, ErrorCode } from './errors';
import type { Logger } from './logger';
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

/**
 * The one place errors leave the server. Client errors (our typed AppErrors, GraphQL
 * syntax/validation errors, argument validation) pass with their code; anything else is
 * logged with the request id and replaced by a generic INTERNAL_SERVER_ERROR.
 */
export function createErrorFormatter(logger: Logger, options: { exposeStack: boolean }) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const original = error instanceof GraphQLError ? (error.originalError ?? error) : error;
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
      return { message: translated.message, locations, path, extensions: { ...translated.extensions } };
    }

    // GraphQL's own errors (syntax, unknown field, bad variable) carry no originalError.
    if (error instanceof GraphQLError && !error.originalError) {
      const { stacktrace: _stack, ...extensions } = formatted.extensions ?? {};
      return { ...formatted, extensions: { ...extensions, code: extensions.code ?? ErrorCode.BAD_USER_INPUT } };
    }
    if (original instanceof GraphQLError && typeof original.extensions?.code === 'string' && original.extensions.code !== ErrorCode.INTERNAL_SERVER_ERROR) {
      const { stacktrace: _stack, ...extensions } = formatted.extensions ?? {};
      return { ...formatted, extensions };
    }

    logger.error({ err: original, path }, 'unexpected error');
    return {
      message: 'Internal server error',
      locations,
      path,
      extensions: {
        code: ErrorCode.INTERNAL_SERVER_ERROR,
        ...(options.exposeStack && original instanceof Error ? { debugMessage: original.message } : {}),
      },
    };
  };
}
