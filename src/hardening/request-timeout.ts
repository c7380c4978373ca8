import type express from 'express';
import { ErrorCode, httpStatusOf } from '../common/errors';

/**
 * Answers 503 REQUEST_TIMEOUT when a request takes longer than `ms`, and drops whatever
 * the late handler writes afterwards. The database's statement timeout ends the work itself; a
 * transaction still open then is rolled back rather than committed (`res.locals.timedOut`, read by
 * refuseCommitAfterTimeout), so the client's 503 means "not stored" unless the commit was already under way.
 */
export function requestTimeout(ms: number): express.RequestHandler {
  return (_req, res, next) => {
    const timer = setTimeout(() => {
      if (res.headersSent) return;
      // Read before a mutation commits (refuseCommitAfterTimeout): a write answered REQUEST_TIMEOUT is rolled back.
      res.locals.timedOut = true;
      res.status(httpStatusOf(ErrorCode.REQUEST_TIMEOUT)).json({ errors: [{ message: `The request took longer than ${ms} ms`, extensions: { code: ErrorCode.REQUEST_TIMEOUT } }] });
      // The handler may still finish later: its response has nowhere to go.
      const ignore = (() => res) as never;
      res.json = ignore;
      res.send = ignore;
      res.status = ignore;
      res.setHeader = ignore;
      res.set = ignore;
    }, ms);
    res.on('finish', () => clearTimeout(timer));
    res.on('close', () => clearTimeout(timer));
    next();
  };
}
