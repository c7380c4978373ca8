import { MikroORM } from '@mikro-orm/postgresql';
import path from 'node:path';
import pg from 'pg';
import type { AppConfig } from '../config/env';
import { ormOptions } from '../config/mikro-orm';
import { PROJECT_ROOT } from '../config/paths';
import type { Logger } from '../common/logger';
import { startEmbeddedPostgres, type EmbeddedDatabase } from './embedded-postgres';
import { entityManagerRunner, syncWorkCalendarAndRollups } from '../modules/service-data/rollups';

export const EMBEDDED_DATABASE_NAME = 'gongjian';

/** Where the data lives: `DATABASE_URL`, or an embedded PostgreSQL started here. */
export interface DatabaseHandle {
  url: string;
  embedded?: EmbeddedDatabase;
}

export async function openDatabase(config: AppConfig, logger: Logger): Promise<DatabaseHandle> {
  if (config.DATABASE_URL) return { url: config.DATABASE_URL };
  const embedded = await startEmbeddedPostgres({
    dataDir: path.resolve(PROJECT_ROOT, config.EMBEDDED_PG_DIR),
    port: config.EMBEDDED_PG_PORT,
    logger,
  });
  try {
    return { url: await ensureDatabase(embedded.url, EMBEDDED_DATABASE_NAME), embedded };
  } catch (error) {
    // Detached, the postmaster would outlive us: let go of it (stopped unless another process uses it).
    await embedded.stop().catch(() => undefined);
    throw error;
  }
}

/** Creates database `name` on the server of `serverUrl` if missing; returns its URL. */
export async function ensureDatabase(serverUrl: string, name: string): Promise<string> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    const found = await client.query('select 1 from pg_database where datname = $1', [name]);
    if (found.rowCount === 0) await client.query(`create database "${name.replace(/"/g, '""')}" encoding 'UTF8'`);
  } finally {
    await client.end();
  }
  return withDatabase(serverUrl, name);
}

export function withDatabase(url: string, name: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${name}`;
  return parsed.toString();
}

export async function initOrm(url: string, config: Pick<AppConfig, 'DB_POOL_MAX' | 'DB_STATEMENT_TIMEOUT_MS'>): Promise<MikroORM> {
  return MikroORM.init(ormOptions({ clientUrl: url, poolMax: config.DB_POOL_MAX, statementTimeoutMs: config.DB_STATEMENT_TIMEOUT_MS }));
}

/**
 * Applies pending migrations, then brings the data the code owns up to date (the working-day
 * calendar: it comes from a dependency, not from a migration); returns the names applied.
 */
export async function migrateUp(orm: MikroORM): Promise<string[]> {
  const applied = await orm.getMigrator().up();
  await orm.em.fork().transactional((em) => syncWorkCalendarAndRollups(entityManagerRunner(em)));
  return applied.map((migration) => migration.name);
}
