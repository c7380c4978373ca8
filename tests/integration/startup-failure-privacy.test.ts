import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { randomBytes } from 'node:crypto';
import { PROJECT_ROOT } from '../../src/config/paths';
import { initOrm, migrateUp, withDatabase } from '../../src/db/database';
import { loadConfig } from '../../src/config/env';

/*
 * Found by a privacy review: `npm start` runs the migrations (and, on an empty database, the demo
 * seed) before it listens, and a statement failing there was printed as its raw message's last 400
 * characters: PostgreSQL's reason with MikroORM's `- detail: Failing row contains (…)` (or `Key
 * (id_number)=(…)`) after it, the row's name, phone and ID number in it; with LOG_LEVEL=debug the
 * whole error, the statement's values included. The command-line tools (runCli) already printed
 * only what failed and on what; the server's start-up now says it the same way.
 */

const main = path.join(PROJECT_ROOT, 'dist', 'src', 'main.js');
const MOBILE = /(?<!\d)1[3-9]\d{9}(?!\d)/;
const ID_NUMBER = /(?<!\d)\d{17}[\dX](?!\d)/;

async function admin<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

function runMain(env: NodeJS.ProcessEnv, timeoutMs: number): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(process.execPath, [main], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  child.stdout.resume();
  const timer = setTimeout(() => child.kill('SIGTERM'), timeoutMs);
  return new Promise((resolve) => child.on('exit', (code) => (clearTimeout(timer), resolve({ code, stderr }))));
}

const serverUrl = process.env.TEST_SERVER_URL!;
const name = `gongjian_test_startup_${randomBytes(4).toString('hex')}`;
const databaseUrl = withDatabase(serverUrl, name);

beforeAll(async () => {
  await admin(serverUrl, (client) => client.query(`create database "${name}" encoding 'UTF8' template template0`));
  const orm = await initOrm(databaseUrl, loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent' } as NodeJS.ProcessEnv));
  await migrateUp(orm);
  await orm.close(true);
  // A statement of the start-up refused on a row of people: here the demo seed's first person, as
  // a migration adding a constraint or an index to existing rows would be on real ones.
  await admin(databaseUrl, (client) => client.query(`alter table "person" add constraint "refuse_people" check (false)`));
}, 120_000);

afterAll(async () => {
  await admin(serverUrl, (client) => client.query(`drop database if exists "${name}" with (force)`));
});

test.each(['info', 'debug'])('a start-up statement refused on a row prints what failed, never the row (LOG_LEVEL=%s)', async (level) => {
  if (!fs.existsSync(main)) throw new Error(`${main} was not built`);
  const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: databaseUrl, SEED_DEMO: 'true', SEED_SCALE: 'small', SEED_RECORDS: '0', PORT: '4731', LOG_LEVEL: level, NODE_ENV: 'test' };
  const { code, stderr } = await runMain(env, 100_000);
  expect(code).toBe(1);
  // What failed and on what is still said.
  expect(stderr).toContain('start-up failed');
  expect(stderr).toContain('23514');
  expect(stderr).toContain('refuse_people');
  // Never the row: its phone, ID number or the names and values of the statement.
  expect(stderr).not.toContain('Failing row contains');
  expect(stderr).not.toMatch(MOBILE);
  expect(stderr).not.toMatch(ID_NUMBER);
  expect(stderr).not.toMatch(/insert into "person"/i);
}, 120_000);
