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

/**
 * `count` dedicated connections to `url` (the import's), each with an 'error' listener: a connection
 * the database ends (a restart, a Ctrl-C stopping the embedded cluster) fails the statement in
 * flight, which the caller reports; an idle one's 'error' event, unheard, crashed the process with a
 * stack trace instead. If any cannot connect, those that did are ended before the error is thrown:
 * left open, they kept the process (and an embedded cluster, as their user) alive.
 */
export async function connectClients(url: string, count: number, applicationName: string): Promise<pg.Client[]> {
  const clients = Array.from({ length: count }, () => new pg.Client({ connectionString: url, application_name: applicationName }));
  for (const client of clients) client.on('error', () => undefined);
  const results = await Promise.allSettled(clients.map((client) => client.connect()));
  const failed = results.find((result): result is PromiseRejectedResult => result.status === 'rejected');
  if (!failed) return clients;
  await Promise.all(clients.filter((_, i) => results[i].status === 'fulfilled').map((client) => client.end().catch(() => undefined)));
  throw failed.reason;
}

/**
 * One line for a database that refused or could not be reached at connection: where (host, port,
 * database; never the user or password of the URL) and the driver's words, which name a database,
 * role or address, no secret. The URL itself is blanked should an error ever quote it.
 */
export function cannotConnectMessage(url: string, error: unknown): string {
  let where = '';
  try {
    const parsed = new URL(url);
    where = ` ${parsed.host}${parsed.pathname === '/' ? '' : parsed.pathname}`;
  } catch {
    // An unreadable URL: its own error says so, and the URL is not repeated.
  }
  const { message, code } = (error ?? {}) as { message?: unknown; code?: unknown };
  // An AggregateError (every address of `localhost` refused) has no message: its code.
  const text = (typeof message === 'string' && message ? message.split('\n')[0] : typeof code === 'string' ? code : String(error)).split(url).join('DATABASE_URL');
  return `cannot connect to${where || ' it'}: ${text.length > 300 ? `${text.slice(0, 300)}…` : text}`;
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
