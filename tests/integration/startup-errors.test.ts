import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { PROJECT_ROOT } from '../../src/config/paths';

/*
 * Found by a review of the Configuration table: when the embedded PostgreSQL cannot start (here:
 * EMBEDDED_PG_PORT already taken, by the machine's PostgreSQL or anything else), `npm start`
 * printed "start-up failed: undefined" and nothing else at the default log level.
 */

const main = path.join(PROJECT_ROOT, 'dist', 'src', 'main.js');

/** `npm start` (dist/src/main.js) with `env`, stopped with SIGTERM after `timeoutMs`: its exit code and stderr. */
async function runMain(env: NodeJS.ProcessEnv, timeoutMs: number): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(process.execPath, [main], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  child.stdout.resume();
  const timer = setTimeout(() => child.kill('SIGTERM'), timeoutMs);
  const code = await new Promise<number | null>((resolve) => child.on('exit', (exitCode) => (clearTimeout(timer), resolve(exitCode))));
  return { code, stderr };
}

test('an embedded database that cannot start says why, naming the port', async () => {
  if (!fs.existsSync(main)) throw new Error(`${main} was not built`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gongjian-port-taken-'));
  fs.chmodSync(dir, 0o755);
  // A port something already listens on: the test server's own (the machine's PostgreSQL, or the embedded one).
  const busyPort = new URL(process.env.TEST_SERVER_URL ?? process.env.DATABASE_URL ?? 'postgres://x@127.0.0.1:5432/x').port || '5432';
  const env: NodeJS.ProcessEnv = { ...process.env, EMBEDDED_PG_DIR: path.join(dir, 'pg'), EMBEDDED_PG_PORT: busyPort, SEED_DEMO: 'false', PORT: '4720', LOG_LEVEL: 'info' };
  delete env.DATABASE_URL;
  try {
    const { code, stderr } = await runMain(env, 50_000);
    expect(code).toBe(1);
    expect(stderr).not.toMatch(/start-up failed: undefined/);
    expect(stderr).toContain(busyPort);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}, 60_000);

test('a start-up that fails after starting the embedded database (the HTTP port taken) stops it again', async () => {
  if (!fs.existsSync(main)) throw new Error(`${main} was not built`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gongjian-http-port-taken-'));
  fs.chmodSync(dir, 0o755);
  const pidFile = path.join(dir, 'pg', 'postmaster.pid');
  // The HTTP port is the one taken: the database starts, migrations run, then listen fails.
  const taken = net.createServer();
  await new Promise<void>((resolve) => taken.listen(0, resolve));
  const httpPort = String((taken.address() as net.AddressInfo).port);
  const env: NodeJS.ProcessEnv = { ...process.env, EMBEDDED_PG_DIR: path.join(dir, 'pg'), EMBEDDED_PG_PORT: '0', SEED_DEMO: 'false', PORT: httpPort, LOG_LEVEL: 'warn' };
  delete env.DATABASE_URL;
  try {
    const { code, stderr } = await runMain(env, 100_000);
    expect(code).toBe(1);
    expect(stderr).toContain('EADDRINUSE');
    // Left running, detached, the postmaster outlived the process: nobody was left to stop it.
    expect(fs.existsSync(pidFile)).toBe(false);
  } finally {
    taken.close();
    if (fs.existsSync(pidFile)) spawnSync('kill', ['-INT', fs.readFileSync(pidFile, 'utf8').split('\n')[0]!]);
    for (let i = 0; i < 100 && fs.existsSync(pidFile); i++) spawnSync('sleep', ['0.1']);
    fs.rmSync(dir, { recursive: true, force: true });
  }
}, 120_000);

test('creating the app\'s database failing after the embedded cluster started stops it again', async () => {
  if (!fs.existsSync(main)) throw new Error(`${main} was not built`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gongjian-create-db-fails-'));
  fs.chmodSync(dir, 0o755);
  const dataDir = path.join(dir, 'pg');
  const pidFile = path.join(dataDir, 'postmaster.pid');
  // A cluster where every transaction is read-only: CREATE DATABASE (openDatabase's ensureDatabase) is refused.
  const prepare = `
    const { startEmbeddedPostgres } = require(${JSON.stringify(path.join(PROJECT_ROOT, 'dist', 'src', 'db', 'embedded-postgres.js'))});
    const pg = require('pg');
    (async () => {
      const db = await startEmbeddedPostgres({ dataDir: ${JSON.stringify(dataDir)}, port: 0 });
      const client = new pg.Client({ connectionString: db.url });
      await client.connect();
      await client.query('alter system set default_transaction_read_only = on');
      await client.end();
      await db.stop();
      process.exit(0);
    })().catch((e) => { console.error(e); process.exit(1); });
  `;
  expect(spawnSync(process.execPath, ['-e', prepare], { cwd: PROJECT_ROOT, encoding: 'utf8', timeout: 90_000 }).stderr).toBe('');
  const env: NodeJS.ProcessEnv = { ...process.env, EMBEDDED_PG_DIR: dataDir, EMBEDDED_PG_PORT: '0', SEED_DEMO: 'false', PORT: '4721', LOG_LEVEL: 'warn' };
  delete env.DATABASE_URL;
  try {
    const { code, stderr } = await runMain(env, 100_000);
    expect(code).toBe(1);
    expect(stderr).toContain('read-only transaction');
    // Left running, detached, the postmaster outlived the process.
    expect(fs.existsSync(pidFile)).toBe(false);
  } finally {
    if (fs.existsSync(pidFile)) spawnSync('kill', ['-INT', fs.readFileSync(pidFile, 'utf8').split('\n')[0]!]);
    for (let i = 0; i < 100 && fs.existsSync(pidFile); i++) spawnSync('sleep', ['0.1']);
    fs.rmSync(dir, { recursive: true, force: true });
  }
}, 120_000);
