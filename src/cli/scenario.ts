import type { MikroORM } from '@mikro-orm/postgresql';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createLogger } from '../common/logger';
import { loadConfig, type AppConfig } from '../config/env';
import { ensureDatabase, initOrm, migrateUp } from '../db/database';
import pg from 'pg';
import { findFreePort, startEmbeddedPostgres, type EmbeddedDatabase } from '../db/embedded-postgres';
import { seedDemo } from '../seed/demo';
import { DEMO_PASSWORD } from '../seed/demo-accounts';
import { createServer, type AppServer } from '../server';

/** A server on a database of its own with the small demo city, for the load and fault scripts. */
export interface Scenario {
  config: AppConfig;
  orm: MikroORM;
  server: AppServer;
  url: string;
  embedded?: EmbeddedDatabase;
  dataDir?: string;
  pgPort?: number;
  /** IDs the scripts' documents need: a category and a grid of the demo city. */
  ids: { categoryId: string; gridId: string; communityId: string; streetId: string };
  /** Headers every request carries: a street worker's bearer token (scopes apply, as in production). */
  headers: Record<string, string>;
  post(body: unknown): Promise<{ status: number; json: any }>;
  close(): Promise<void>;
}

/**
 * `useDatabaseUrl`: on the server DATABASE_URL names (a database of its own there, dropped on
 * close) rather than an embedded one; the fault script's `--system`. Otherwise always an embedded
 * PostgreSQL in a temporary folder, whatever DATABASE_URL says: the fault script stops it.
 */
export async function startScenario(options: { useDatabaseUrl?: boolean } = {}): Promise<Scenario> {
  // These scripts are the only client: no rate limit in the way, quiet logs.
  const config = loadConfig({ ...process.env, LOG_LEVEL: 'warn', RATE_LIMIT_PER_MINUTE: '100000000', RATE_LIMIT_BURST: '1000000' });
  const logger = createLogger('warn');
  let embedded: EmbeddedDatabase | undefined;
  let dataDir: string | undefined;
  let pgPort: number | undefined;
  let serverUrl: string;
  if (options.useDatabaseUrl && config.DATABASE_URL) {
    serverUrl = config.DATABASE_URL;
  } else {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gongjian-scenario-'));
    fs.chmodSync(dataDir, 0o755);
    pgPort = await findFreePort();
    embedded = await startEmbeddedPostgres({ dataDir: path.join(dataDir, 'pg'), port: pgPort, persistent: true });
    serverUrl = embedded.url;
  }
  const databaseName = `gongjian_scenario_${Date.now().toString(36)}`;
  const url = await ensureDatabase(serverUrl, databaseName);
  const orm = await initOrm(url, config);
  await migrateUp(orm);
  await orm.em.fork().transactional((em) => seedDemo(em, { scale: 'small', withAccounts: true }));
  const server = await createServer({ config, orm, logger });
  const port = await server.listen(0);
  const endpoint = `http://127.0.0.1:${port}/graphql`;
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  const post = async (body: unknown) => {
    const response = await fetch(endpoint, { method: 'POST', headers, body: JSON.stringify(body) });
    return { status: response.status, json: (await response.json().catch(() => null)) as any };
  };
  // Sign in as the demo's street worker: the load goes through authentication and area scope.
  const session = await post({ query: `mutation { signIn(input: { username: "street", password: "${DEMO_PASSWORD}" }) { accessToken } }` });
  headers.authorization = `Bearer ${session.json.data.signIn.accessToken}`;
  const lookup = await post({ query: '{ grids(first: 1) { edges { node { id community { id street { id } } } } } requestCategories(includeInactive: false) { code children { id code } } }' });
  const grid = lookup.json.data.grids.edges[0].node;
  const housing = lookup.json.data.requestCategories.find((c: { code: string }) => c.code === 'HOUSING');
  return {
    config,
    orm,
    server,
    url: endpoint,
    embedded,
    dataDir,
    pgPort,
    ids: { categoryId: housing.children[0].id, gridId: grid.id, communityId: grid.community.id, streetId: grid.community.street.id },
    headers,
    post,
    async close(this: Scenario) {
      await server.stop();
      await orm.close(true);
      // The cluster now running (the fault script restarts it into scenario.embedded); its folder
      // goes next, so no process may keep using it.
      if (this.embedded) await this.embedded.stop({ force: true });
      // On a server of someone else's, the scenario's database goes with it (an embedded one goes with its folder).
      else await dropDatabase(serverUrl, databaseName);
      if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** The documents a dashboard and a grid worker send. */
export function documents(ids: Scenario['ids']) {
  return {
    overview: { query: `{ communities(first: 12) { totalCount edges { node { name gridCount unitCount partyMemberCount grids(first: 20) { edges { node { name buildingCount } } } alliance { name members(first: 20) { edges { node { role unit { name } } } } } } } } }` },
    dashboard: { query: `query($a: ID!) { dashboard(input: { areaId: $a, lastDays: 30 }) { requestsReceived resolutionRate overdueNow requestsByCategory { category { name } count } } }`, variables: { a: ids.streetId } },
    requests: { query: `query($w: ID) { requests(first: 20, filter: { within: $w }) { totalCount edges { node { number status category { name } assigneePerson { name } } } } }`, variables: { w: ids.communityId } },
    createRequest: {
      query: `mutation($input: CreateRequestInput!) { createRequest(input: $input) { id number } }`,
      variables: { input: { title: '压测诉求', body: '负载测试创建的诉求', channel: 'MINI_PROGRAM', categoryId: ids.categoryId, areaId: ids.gridId } },
    },
  };
}

/** Drops a scenario's database on a server it does not own (its connections closed first). */
async function dropDatabase(serverUrl: string, name: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(`drop database if exists "${name}" with (force)`);
  } finally {
    await client.end();
  }
}
