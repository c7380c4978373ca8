import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled } from '@apollo/server/plugin/disabled';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { expressMiddleware } from '@as-integrations/express5';
import type { MikroORM } from '@mikro-orm/postgresql';
import cors from 'cors';
import express from 'express';
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AppConfig } from './config/env';
import { formatError, isExpectedError } from './common/format-error';
import { apolloLogger, type Logger } from './common/logger';
import { ANONYMOUS, createContext, type AppContext } from './context/context';
import { createSchema } from './schema';
import { graphqlArmor } from './hardening/graphql-limits';
import { nodeLimitPlugin, rejectInvalidUtf8, tokenLimitMiddleware } from './hardening/operation-limits';
import { createRateLimiter, rateLimitMiddleware, type RateLimiter } from './hardening/rate-limit';
import { requestTimeout } from './hardening/request-timeout';
import { sharedReadiness } from './db/readiness';
import { ErrorCode } from './common/errors';
import { tokenSettings } from './modules/identity/sessions';
import { identifyMiddleware, refuseBadCredentials } from './modules/identity/identity.http';
import { auditPlugin, introspectionForStaffPlugin, onePasswordPerRequestPlugin } from './modules/identity/identity.plugins';
import { EXPLORER_PATH, explorerAssets, landingPagePlugin } from './explorer/explorer';
import { REPLAYED_HEADER } from './idempotency/idempotency.headers';
import { idempotencyPlugin } from './idempotency/idempotency.plugin';

export interface AppServer {
  app: express.Express;
  httpServer: http.Server;
  apollo: ApolloServer<AppContext>;
  /** Listens on `port` (0 picks a free one); resolves with the port. */
  listen(port: number): Promise<number>;
  /** Stops taking requests and waits for those in flight. */
  stop(): Promise<void>;
}

/**
 * Logs each operation once it is done (name, duration, error count) and every unexpected
 * error with the request id. Never variables: they may hold personal data.
 */
function operationLogPlugin(inFlight: { count: number }): ApolloServerPlugin<AppContext> {
  return {
    async requestDidStart({ contextValue }) {
      const started = process.hrtime.bigint();
      inFlight.count += 1;
      return {
        async didEncounterErrors({ errors, operationName }) {
          for (const error of errors) {
            if (!isExpectedError(error)) {
              contextValue.logger.error({ err: error.originalError ?? error, operationName: operationName ?? null, path: error.path }, 'unexpected error (masked for the client)');
              continue;
            }
            const code = formatError({ message: error.message }, error).extensions?.code;
            if (code === ErrorCode.SERVICE_UNAVAILABLE) {
              contextValue.logger.warn({ operationName: operationName ?? null }, 'database unavailable');
            } else if (code === ErrorCode.TRY_AGAIN) {
              // Not a bug in the request, but a deadlock means two writers lock in different orders.
              contextValue.logger.warn({ operationName: operationName ?? null, path: error.path }, 'transaction rolled back by the database (deadlock or concurrent update); the client was told to try again');
            }
          }
        },
        async willSendResponse({ operationName, errors }) {
          inFlight.count -= 1;
          const durationMs = Number(process.hrtime.bigint() - started) / 1e6;
          contextValue.logger.info({ operationName: operationName ?? null, durationMs: Math.round(durationMs * 10) / 10, errors: errors?.length ?? 0 }, 'graphql operation');
        },
      };
    },
  };
}

/**
 * Largest JSON body /graphql takes. The documented inline import (importServiceRecords, up to
 * 5,000 records) is ~2.2 MB, so 1 MB refused it; the document itself stays bounded by the token,
 * depth and alias limits whatever the body size.
 */
export const MAX_BODY_BYTES = 8 * 1024 * 1024;

function requestIdOf(req: express.Request): string {
  const given = req.header('x-request-id');
  return given && /^[A-Za-z0-9._-]{1,100}$/.test(given) ? given : randomUUID();
}

/** Headers a page on another origin may read: the request id to quote, and the rate limit's. */
const EXPOSED_HEADERS = ['x-request-id', 'RateLimit-Remaining', 'Retry-After', REPLAYED_HEADER];

/**
 * Gives every /graphql request its id first, so every answer carries it (also a 400, 401, 413 or
 * 429 answered before GraphQL runs) and the errors logged outside GraphQL name it.
 */
function assignRequestId(req: express.Request, res: express.Response, next: express.NextFunction): void {
  const requestId = requestIdOf(req);
  res.locals.requestId = requestId;
  res.setHeader('x-request-id', requestId);
  next();
}

/**
 * How long stop() may take: the HTTP drain (open connections finish, then are closed) and then the
 * wait for operations still running (clients that hung up). main.ts's shutdown deadline adds its own
 * steps to the sum: equal to it, a slow but orderly stop was cut off with exit 1.
 */
export const STOP_BUDGET_MS = { drain: 10_000, inFlight: 10_000 } as const;
/** main.ts's deadline for the whole shutdown: stop() at most, then closing the pool and stopping the embedded database. */
export const SHUTDOWN_DEADLINE_MS = STOP_BUDGET_MS.drain + STOP_BUDGET_MS.inFlight + 10_000;

/** Builds the HTTP app and Apollo server without listening, so tests can reuse it. */
export async function createServer(options: { config: AppConfig; orm: MikroORM; logger: Logger; rateLimiter?: RateLimiter }): Promise<AppServer> {
  const { config, orm, logger } = options;
  const production = config.NODE_ENV === 'production';
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', config.TRUST_PROXY);
  const httpServer = http.createServer(app);
  // Operations still executing, even for clients that hung up: stop() waits for them before the pool closes.
  const inFlight = { count: 0 };
  const tokens = tokenSettings(config);
  const armor = graphqlArmor({ production });
  const rateLimiter = options.rateLimiter ?? createRateLimiter({ redisUrl: config.REDIS_URL, settings: { perMinute: config.RATE_LIMIT_PER_MINUTE, burst: config.RATE_LIMIT_BURST }, logger });
  const schema = await createSchema();
  const apollo = new ApolloServer<AppContext>({
    schema,
    logger: apolloLogger(logger),
    formatError,
    includeStacktraceInErrorResponses: false,
    // In production only staff may introspect (introspectionForStaffPlugin refuses the others).
    introspection: true,
    allowBatchedHttpRequests: false,
    csrfPrevention: true,
    // main.ts owns SIGINT/SIGTERM (drain, wait for in-flight work, close the pool, stop the embedded
    // database). Apollo's own handlers (on outside NODE_ENV=test) ran a second stop() beside ours,
    // which in @apollo/server 5.5 never returns: every shutdown waited out the 20 s deadline and
    // exited 1 without stopping the embedded database.
    stopOnTerminationSignals: false,
    validationRules: armor.validationRules,
    plugins: [
      ...armor.plugins,
      nodeLimitPlugin(),
      onePasswordPerRequestPlugin(),
      ApolloServerPluginDrainHttpServer({ httpServer, stopGracePeriodMillis: STOP_BUDGET_MS.drain }),
      // No field sets a cache hint, so no answer is cacheable and the header never appears; the
      // default-installed plugin still wrapped every field resolver (~10 % of a nested overview's CPU).
      ApolloServerPluginCacheControlDisabled(),
      operationLogPlugin(inFlight),
      idempotencyPlugin(),
      auditPlugin(),
      ...(production ? [introspectionForStaffPlugin()] : []),
      landingPagePlugin(production),
    ],
  });
  await apollo.start();

  if (!production) app.use(EXPLORER_PATH, explorerAssets(schema));
  app.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });
  const readiness = sharedReadiness(orm.config.get('clientUrl')!);
  app.get('/ready', async (_req, res) => {
    const answer = await readiness();
    res.status(answer.status === 'ready' ? 200 : 503).json(answer);
  });
  app.use(
    '/graphql',
    // CORS first: a 401 (the dashboard's cue to refresh its session) or a 429 without
    // Access-Control-Allow-Origin is hidden from a page on another origin, which sees a network
    // error; and a preflight is answered here, before it could spend the rate-limit bucket.
    cors<cors.CorsRequest>({ exposedHeaders: EXPOSED_HEADERS }),
    assignRequestId,
    requestTimeout(config.REQUEST_TIMEOUT_MS),
    identifyMiddleware(orm, tokens),
    rateLimitMiddleware(rateLimiter),
    refuseBadCredentials(logger),
    express.json({ limit: MAX_BODY_BYTES, verify: rejectInvalidUtf8 }),
    tokenLimitMiddleware(),
    expressMiddleware(apollo, {
      // The viewer was read by identifyMiddleware; a bad credential never gets this far (401).
      context: async ({ res }) => {
        const requestId = res.locals.requestId as string;
        const context = createContext(orm, logger, requestId, undefined, res.locals.viewer ?? ANONYMOUS, tokens);
        context.timedOut = () => res.locals.timedOut === true;
        return context;
      },
    }),
  );

  // Body-level refusals (malformed JSON, invalid UTF-8, too large) in the same shape as GraphQL errors.
  app.use((error: { status?: number; statusCode?: number; message?: string; type?: string }, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
    const status = error.status ?? error.statusCode ?? 500;
    if (status >= 500) logger.error({ err: error, requestId: res.locals.requestId ?? null }, 'unexpected HTTP error');
    const message =
      status === 413 ? `The request body is larger than the ${MAX_BODY_BYTES / 1024 / 1024} MB limit`
      // JSON.parse quotes the body around the error, and a body may hold a phone or ID number: not echoed.
      : error.type === 'entity.parse.failed' ? 'The request body is not valid JSON'
      : status < 500 ? (error.message ?? 'Bad request')
      : 'Internal server error';
    res.status(status).json({
      errors: [{ message, extensions: { code: status === 413 ? 'PAYLOAD_TOO_LARGE' : status < 500 ? 'BAD_REQUEST' : ErrorCode.INTERNAL_SERVER_ERROR } }],
    });
  });

  return {
    app,
    httpServer,
    apollo,
    listen: (port) =>
      new Promise((resolve, reject) => {
        httpServer.once('error', reject);
        httpServer.listen(port, () => {
          const address = httpServer.address();
          resolve(typeof address === 'object' && address ? address.port : port);
        });
      }),
    stop: async () => {
      await apollo.stop();
      for (const deadline = Date.now() + STOP_BUDGET_MS.inFlight; inFlight.count > 0 && Date.now() < deadline; ) await new Promise((resolve) => setTimeout(resolve, 25));
      await rateLimiter.close();
    },
  };
}
