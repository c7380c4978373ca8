import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { PROJECT_ROOT } from '../../src/config/paths';
import { createTestApp, type TestApp } from '../helpers/test-app';

/*
 * Found by a review of the README's Scripts table: a mistake in how a command is called must be
 * the usage and exit code 2 "before any database work" (accounts.ts), never a stack trace, a
 * silently destructive default, or a passing run that did nothing.
 */

const dist = (name: string) => path.join(PROJECT_ROOT, 'dist', 'src', 'cli', `${name}.js`);
let app: TestApp;
beforeAll(async () => {
  for (const name of ['accounts', 'migrate', 'load-test', 'fault-test', 'rollups']) if (!fs.existsSync(dist(name))) throw new Error(`${dist(name)} was not built`);
  app = await createTestApp();
});
afterAll(async () => {
  await app?.close();
});

function run(name: string, args: string[], env: Record<string, string | undefined>, timeoutMs = 120_000): Promise<{ code: number | null; output: string }> {
  const merged: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: 'silent', ...env };
  for (const [key, value] of Object.entries(env)) if (value === undefined) delete merged[key];
  const child = spawn(process.execPath, [dist(name), ...args], { env: merged, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  const timer = setTimeout(() => child.kill('SIGINT'), timeoutMs);
  return new Promise((resolve) => child.on('exit', (code) => (clearTimeout(timer), resolve({ code, output }))));
}

async function pendingMigrations(): Promise<string> {
  return (await run('migrate', ['pending'], { DATABASE_URL: app.databaseUrl })).output.trim();
}

test('accounts create-key with an --expires that is no date is the usage and exit code 2, not a DriverException stack', async () => {
  const result = await run('accounts', ['create-key', '--name', 'portal', '--expires', '2027-13-45'], { DATABASE_URL: app.databaseUrl });
  expect(result.output).not.toMatch(/DriverException|Invalid time value|    at /);
  expect(result.code).toBe(2);
  expect(result.output).toMatch(/^--expires/);
});

test('migrate down with an unknown or malformed flag reverts nothing (it reverted the last migration)', async () => {
  expect(await pendingMigrations()).toBe('none pending');
  for (const args of [['down', '--bogus'], ['down', '--to'], ['down', '--to', 'no_such_migration'], ['pending', 'extra']]) {
    const result = await run('migrate', args, { DATABASE_URL: app.databaseUrl });
    expect({ args, code: result.code }).toEqual({ args, code: 2 });
    expect(await pendingMigrations()).toBe('none pending');
  }
});

test('test:load with --seconds that is no number refuses to run instead of reporting "load: ok" on 0 requests', async () => {
  // DATABASE_URL unset: the script's own embedded database in a temporary folder, as the README runs it.
  const result = await run('load-test', ['--seconds', 'abc'], { DATABASE_URL: undefined, LOG_LEVEL: undefined });
  expect(result.output).not.toMatch(/load: ok/);
  expect(result.code).not.toBe(0);
}, 180_000);

test('test:faults with DATABASE_URL but without --system does not crash mid-run with a TypeError, nor leave its database behind', async () => {
  const admin = new pg.Client({ connectionString: app.databaseUrl });
  await admin.connect();
  const scenarioDatabases = async () => (await admin.query<{ datname: string }>(`select datname from pg_database where datname like 'gongjian_scenario_%'`)).rows.map((row) => row.datname);
  const before = new Set(await scenarioDatabases());
  try {
    const result = await run('fault-test', [], { DATABASE_URL: app.databaseUrl, LOG_LEVEL: undefined });
    expect(result.output).not.toMatch(/TypeError|ERR_INVALID_ARG_TYPE/);
    const left = (await scenarioDatabases()).filter((name) => !before.has(name));
    expect(left).toEqual([]);
  } finally {
    // Current code leaves one: drop only those this run created.
    for (const name of (await scenarioDatabases()).filter((name) => !before.has(name))) {
      await admin.query(`drop database if exists "${name}" with (force)`);
    }
    await admin.end();
  }
}, 180_000);

test('rollups:rebuild on a database never migrated says to migrate first, exit 1, not a relation\'s stack trace', async () => {
  const admin = new pg.Client({ connectionString: app.databaseUrl });
  await admin.connect();
  const name = `gongjian_unmigrated_${Date.now().toString(36)}`;
  await admin.query(`create database "${name}"`);
  try {
    const url = new URL(app.databaseUrl);
    url.pathname = `/${name}`;
    const result = await run('rollups', [], { DATABASE_URL: url.toString() });
    expect(result.output).not.toMatch(/    at |does not exist/);
    expect(result.output).toContain('apply the migrations first');
    expect(result.code).toBe(1);
  } finally {
    await admin.query(`drop database if exists "${name}" with (force)`);
    await admin.end();
  }
});
