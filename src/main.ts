import 'reflect-metadata';
import type { MikroORM } from '@mikro-orm/postgresql';
import { ConfigError, loadConfig, type AppConfig } from './config/env';
import { createLogger, serializeError, type Logger } from './common/logger';
import { databaseFailure, describeError } from './cli/run-cli';
import { initOrm, migrateUp, openDatabase, type DatabaseHandle } from './db/database';
import { releaseEmbeddedPostgresSignals } from './db/embedded-postgres';
import { seedDemoRecords } from './modules/service-data/demo-records';
import { entityManagerRunner } from './modules/service-data/rollups';
import { holidaysKnownThrough, holidaysOutOfDate, readAdjustments } from './modules/calendar/work-calendar';
import { hasAreas } from './seed/demo-city';
import { DEMO_PASSWORD, DEMO_PORTAL_KEY } from './seed/demo-accounts';
import { seedDemo } from './seed/demo';
import { SHUTDOWN_DEADLINE_MS, createServer, type AppServer } from './server';
import { sqlStateOf } from './common/transaction';
import { warmAnalytics } from '../analytics';

/** Start-up: config → database (embedded unless DATABASE_URL) → migrations → demo data → listen. */
async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.LOG_LEVEL);
  const database = await openDatabase(config, logger);
  // Detached, the embedded postmaster outlives this process: a start-up failing after it started
  // (the HTTP port taken, a migration) stops it again, as the shutdown does (unless another uses it).
  const orm = await initOrm(database.url, config).catch(async (error: unknown) => {
    await database.embedded?.stop().catch(() => undefined);
    throw error;
  });
  const server = await serve(orm, database, config, logger).catch(async (error: unknown) => {
    await orm.close(true).catch(() => undefined);
    await database.embedded?.stop().catch(() => undefined);
    throw error;
  });

  // npm forwards the signal it receives, so the same SIGTERM/SIGINT can arrive twice:
  // later signals join the shutdown already under way; a deadline guards against a hang.
  let stopping: Promise<void> | undefined;
  const shutdown = (signal: string) => {
    if (stopping) return stopping;
    logger.info({ signal }, 'shutting down: finishing in-flight requests');
    const deadline = setTimeout(() => {
      logger.error(`shutdown took over ${SHUTDOWN_DEADLINE_MS / 1000} s: exiting anyway`);
      process.exit(1);
    }, SHUTDOWN_DEADLINE_MS);
    deadline.unref();
    stopping = (async () => {
      try {
        await server.stop();
        await orm.close(true);
        await database.embedded?.stop();
        logger.info('stopped');
        process.exit(0);
      } catch (error) {
        logger.error({ err: error }, 'error during shutdown');
        await database.embedded?.stop().catch(() => undefined);
        process.exit(1);
      }
    })();
    return stopping;
  };
  // The shutdown above stops the embedded cluster itself, after the requests in flight.
  releaseEmbeddedPostgresSignals();
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  // A promise nobody awaited failed: a bug in one request's work. Node would stop the server for
  // everyone; log it (with its stack, masked like any error) and keep serving.
  process.on('unhandledRejection', (reason) => logger.error({ err: reason }, 'unhandled promise rejection'));
}

/** Migrations, the demo data when the database is empty, then the API listening on config.PORT. */
async function serve(orm: MikroORM, database: DatabaseHandle, config: AppConfig, logger: Logger): Promise<AppServer> {
  const applied = await migrateUp(orm);
  if (applied.length) logger.info({ applied }, 'migrations applied');
  const calendarLag = holidaysOutOfDate(new Date(), holidaysKnownThrough(await readAdjustments(entityManagerRunner(orm.em.fork()))));
  if (calendarLag) logger.warn(calendarLag);

  if (config.SEED_DEMO && !(await hasAreas(orm.em.fork()))) {
    logger.info({ scale: config.SEED_SCALE }, 'empty database: loading the demo city');
    const em = orm.em.fork();
    const { city, requests, accounts } = await em.transactional((tem) => seedDemo(tem, { scale: config.SEED_SCALE, withAccounts: config.NODE_ENV !== 'production' }));
    logger.info({ counts: { ...city, ...requests } }, 'demo city loaded');
    if (accounts.length) {
      logger.info({ accounts: accounts.map((account) => `${account.username} (${account.role}, ${account.scope})`) }, `demo sign-ins loaded: password "${DEMO_PASSWORD}", portal key "${DEMO_PORTAL_KEY}" (see README)`);
    }
    if (config.SEED_RECORDS > 0) {
      // After the city commits: the import runs its own batch transactions on its own connections.
      const records = await seedDemoRecords(database.url, { records: config.SEED_RECORDS });
      logger.info(
        { inserted: records.inserted, rejected: records.rejected, firstDay: records.firstDay, lastDay: records.lastDay, seconds: records.seconds },
        'demo one-window records loaded',
      );
    }
  }

  const warmStarted = Date.now();
  warmAnalytics();
  logger.info({ ms: Date.now() - warmStarted }, 'analytics warmed (danfojs loaded, text classifier trained)');

  const server = await createServer({ config, orm, logger });
  const port = await server.listen(config.PORT);
  logger.info({ port, embeddedDatabase: Boolean(database.embedded) }, `Gongjian API ready at http://localhost:${port}/graphql`);
  return server;
}

/**
 * One readable line, as the command-line tools word a failure (run-cli.ts): a database that cannot
 * be used or a refused statement says what failed and on what, never the statement, its values or
 * the `detail` MikroORM appends (a migration or the demo seed refused on a row printed the row's
 * name, phone and ID number); any other error its message as logs show it (serializeError), the
 * end kept when long. A cancelled statement names the setting that cancelled it.
 */
function startupFailure(error: unknown): string {
  const hint = sqlStateOf(error) === '57014' ? ' (DB_STATEMENT_TIMEOUT_MS cancelled it: raise it, or start with SEED_DEMO=false)' : '';
  const database = databaseFailure(error);
  if (database !== undefined) return `${database}${hint}`;
  const safe = serializeError(error) as { message?: unknown } | undefined;
  const message = typeof safe?.message === 'string' ? safe.message : String(error);
  return message.length > 400 ? `… ${message.slice(-400)}` : message;
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) {
    console.error(error.message);
  } else {
    console.error('start-up failed:', startupFailure(error));
    // The stack and the error's plain fields, as serializeError leaves them: never its values.
    if (process.env.LOG_LEVEL === 'debug') console.error(describeError(serializeError(error)));
  }
  process.exit(1);
});
