import 'reflect-metadata';
import { ConfigError, loadConfig } from './config/env';
import { createLogger } from './common/logger';
import { initOrm, migrateUp, openDatabase } from './db/database';
import { hasAreas, seedDemoCity } from './seed/demo-city';
import { createServer } from './server';

/** Start-up: config → database (embedded unless DATABASE_URL) → migrations → demo data → listen. */
async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.LOG_LEVEL);
  const database = await openDatabase(config, logger);
  const orm = await initOrm(database.url, config);
  const applied = await migrateUp(orm);
  if (applied.length) logger.info({ applied }, 'migrations applied');

  if (config.SEED_DEMO && !(await hasAreas(orm.em.fork()))) {
    logger.info({ scale: config.SEED_SCALE }, 'empty database: loading the demo city');
    const em = orm.em.fork();
    const counts = await em.transactional((tem) => seedDemoCity(tem, { scale: config.SEED_SCALE }));
    logger.info({ counts }, 'demo city loaded');
  }

  const server = await createServer({ config, orm, logger });
  const port = await server.listen(config.PORT);
  logger.info({ port, embeddedDatabase: Boolean(database.embedded) }, `Gongjian API ready at http://localhost:${port}/graphql`);

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) {
      logger.warn({ signal }, 'second signal: exiting now');
      process.exit(1);
    }
    stopping = true;
    logger.info({ signal }, 'shutting down: finishing in-flight requests');
    try {
      await server.stop();
      await orm.close(true);
      await database.embedded?.stop();
      logger.info('stopped');
      process.exit(0);
    } catch (error) {
      logger.error({ err: error }, 'error during shutdown');
      process.exit(1);
    }
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) {
    console.error(error.message);
  } else {
    console.error('start-up failed:', error instanceof Error ? error.message : error);
    if (process.env.LOG_LEVEL === 'debug') console.error(error);
  }
  process.exit(1);
});
