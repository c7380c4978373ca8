import type { MikroORM } from '@mikro-orm/postgresql';
import type express from 'express';
import { AppError, ErrorCode, httpStatusOf } from '../../common/errors';
import type { Logger } from '../../common/logger';
import { translateDatabaseError } from '../../common/transaction';
import { identify } from './identify';
import type { TokenSettings } from './sessions';

/**
 * Reads the caller's credential (bearer token or X-Api-Key) before anything else, so the rate
 * limiter can key on a verified identity. A bad credential is kept, not answered yet: the
 * request first pays from its address's bucket, then refuseBadCredentials answers 401.
 */
export function identifyMiddleware(orm: MikroORM, tokens: TokenSettings): express.RequestHandler {
  return async (req, res, next) => {
    try {
      res.locals.viewer = await identify(orm, tokens, { authorization: req.header('authorization'), apiKey: req.header('x-api-key') });
    } catch (error) {
      res.locals.credentialError = error;
    }
    next();
  };
}

/** Answers a request whose credential was refused: 401 UNAUTHENTICATED (or 503 while the database is down or too slow; statuses from httpStatusOf). */
export function refuseBadCredentials(logger: Logger): express.RequestHandler {
  return (_req, res, next) => {
    const error = res.locals.credentialError as unknown;
    if (!error) return next();
    const translated = translateDatabaseError(error);
    if (!(translated instanceof AppError)) logger.error({ err: error, requestId: res.locals.requestId ?? null }, 'unexpected error while reading credentials');
    const code = translated instanceof AppError ? translated.code : ErrorCode.INTERNAL_SERVER_ERROR;
    res.status(httpStatusOf(code)).json({ errors: [{ message: translated instanceof AppError ? translated.message : 'Internal server error', extensions: { code } }] });
  };
}
