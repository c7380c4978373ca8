import 'reflect-metadata';
import pg from 'pg';
import { loadConfig } from '../config/env';
import { createLogger } from '../common/logger';
import { openDatabase } from '../db/database';
import { DEMAND_TABLES } from '../modules/service-data/demand-rollups';
import { analyzeAfterImport, rebuildRollups } from '../modules/service-data/rollups';
import { runCli } from './run-cli';

/** npm run rollups:rebuild — recomputes every roll-up from raw rows, in one transaction (it waits for the imports and request steps in flight; see rollups.ts). */
runCli(async () => {
  if (process.argv.length > 2) {
    console.error('usage: npm run rollups:rebuild');
    return 2;
  }
  const config = loadConfig();
  const database = await openDatabase(config, createLogger(config.LOG_LEVEL === 'info' ? 'warn' : config.LOG_LEVEL));
  const client = new pg.Client({ connectionString: database.url, application_name: 'gongjian-rollups' });
  // As the import's (cli/import.ts): a connection the database ends fails the statement in flight, not the process.
  client.on('error', () => undefined);
  await client.connect();
  const started = Date.now();
  try {
    // A database never migrated has nothing to rebuild from: say so, not a relation's stack trace.
    const { rows: [schema] } = await client.query<{ present: boolean }>(`select to_regclass('service_daily') is not null and to_regclass('request_daily') is not null as present`);
    if (!schema.present) {
      console.error('this database has no roll-up tables: apply the migrations first (npm run migrate), or point DATABASE_URL at the right database');
      return 1;
    }
    await client.query('begin');
    await rebuildRollups(client);
    await client.query('commit');
    await analyzeAfterImport(client);
    // Every table the rebuild wrote, so its counts can be checked against a query of the roll-ups.
    const tables = ['service_daily', 'request_daily', ...Object.values(DEMAND_TABLES).map((table) => table.name)];
    const { rows } = await client.query<Record<string, number>>(`select ${tables.map((table) => `(select count(*) from ${table})::int as ${table}`).join(', ')}`);
    console.log(`rebuilt in ${((Date.now() - started) / 1000).toFixed(1)} s: ${tables.map((table) => `${table} ${rows[0][table].toLocaleString('en-US')} rows`).join(', ')}`);
    return 0;
  } catch (error) {
    await client.query('rollback').catch(() => undefined);
    throw error;
  } finally {
    await client.end();
    await database.embedded?.stop();
  }
});
