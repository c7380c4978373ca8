import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { PROJECT_ROOT } from '../../src/config/paths';
import { findFreePort } from '../../src/db/embedded-postgres';
import { generateServiceRecords } from '../../src/modules/service-data/generator';

/*
 * Found by a review of the embedded database's sharing: a command-line tool that started it (npm run
 * import) stopped it when done, or on Ctrl-C, under `npm start` reusing it. Now the last one out
 * stops it. embedded-postgres is ESM-only and cannot load inside jest: the compiled module runs in
 * a child node (global-setup builds dist/).
 */

const modulePath = path.join(PROJECT_ROOT, 'dist', 'src', 'db', 'embedded-postgres.js');

const portRefuses = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.on('connect', () => (socket.destroy(), resolve(false)));
    socket.on('error', () => resolve(true));
  });

let dir: string;
beforeEach(() => {
  if (!fs.existsSync(modulePath)) throw new Error(`${modulePath} was not built`);
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gongjian-shared-pg-'));
  fs.chmodSync(dir, 0o755);
});
afterEach(() => {
  // Whatever happened: no postmaster left behind on the folder.
  const pidFile = path.join(dir, 'pg', 'postmaster.pid');
  if (fs.existsSync(pidFile)) spawnSync('kill', ['-INT', fs.readFileSync(pidFile, 'utf8').split('\n')[0]]);
  for (let i = 0; i < 100 && fs.existsSync(pidFile); i++) spawnSync('sleep', ['0.1']);
  fs.rmSync(dir, { recursive: true, force: true });
});

test('the process that started it stops it only after the last other user: the reuser stops it then', async () => {
  const script = `
    const { startEmbeddedPostgres } = require(${JSON.stringify(modulePath)});
    const pg = require('pg');
    (async () => {
      const dataDir = ${JSON.stringify(path.join(dir, 'pg'))};
      const owner = await startEmbeddedPostgres({ dataDir, port: 0 });
      const reuser = await startEmbeddedPostgres({ dataDir, port: 0 });
      const client = new pg.Client({ connectionString: reuser.url });
      client.on('error', () => undefined);
      await client.connect();
      await owner.stop();
      const afterOwnerStop = await client.query('select 1 as one').then((r) => r.rows[0].one, (e) => 'failed: ' + e.message);
      await client.end().catch(() => undefined);
      await reuser.stop();
      console.log(JSON.stringify({ afterOwnerStop, port: Number(new URL(reuser.url).port) }));
      process.exit(0);
    })().catch((e) => { console.error(e); process.exit(1); });
  `;
  const result = spawnSync(process.execPath, ['-e', script], { cwd: PROJECT_ROOT, encoding: 'utf8', timeout: 90_000 });
  expect(result.stderr).toBe('');
  const { afterOwnerStop, port } = JSON.parse(result.stdout.trim().split('\n').pop()!) as { afterOwnerStop: unknown; port: number };
  expect(afterOwnerStop).toBe(1);
  expect(fs.existsSync(path.join(dir, 'pg', 'postmaster.pid'))).toBe(false);
  expect(await portRefuses(port)).toBe(true);
}, 120_000);

/**
 * Runs `script` as a tool in a process group of its own (detached), as a terminal's foreground job,
 * so a test can signal the whole group; resolves with the URL it prints once the cluster is up.
 */
async function startTool(script: string): Promise<{ tool: ReturnType<typeof spawn>; url: string }> {
  const tool = spawn(process.execPath, ['-e', script], { cwd: PROJECT_ROOT, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  tool.stderr!.on('data', (chunk) => (stderr += chunk));
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    tool.stdout!.on('data', (chunk) => {
      out += chunk;
      if (out.includes('\n')) resolve(out.trim());
    });
    tool.on('exit', () => reject(new Error(`tool exited: ${stderr}`)));
  });
  return { tool, url };
}

test("Ctrl-C of a tool that started it (its whole process group) leaves it to another process using it", async () => {
  const script = `
    const { startEmbeddedPostgres } = require(${JSON.stringify(modulePath)});
    const pg = require('pg');
    (async () => {
      const db = await startEmbeddedPostgres({ dataDir: ${JSON.stringify(path.join(dir, 'pg'))}, port: 0 });
      const own = new pg.Client({ connectionString: db.url });
      await own.connect();
      console.log(db.url);
      setInterval(() => undefined, 1000);
    })().catch((e) => { console.error(e); process.exit(1); });
  `;
  const { tool, url } = await startTool(script);
  const server = new pg.Client({ connectionString: url });
  server.on('error', () => undefined);
  await server.connect();
  try {
    const exited = new Promise<number | null>((resolve) => tool.on('exit', (code) => resolve(code)));
    process.kill(-tool.pid!, 'SIGINT');
    expect(await exited).toBe(130);
    const answer = await server.query('select 1 as one').then((r) => r.rows[0].one as number, (e: Error) => `failed: ${e.message}`);
    expect(answer).toBe(1);
  } finally {
    await server.end().catch(() => undefined);
  }
}, 120_000);

test('Ctrl-C of a tool whose children use it too (its process group ends together): it still stops, once they let go', async () => {
  // A worker of the tool (jest's workers under its global setup, say) gets the same Ctrl-C and lets go
  // of its connection a moment later: it must not count as another user keeping the cluster up.
  const worker = `
    const pg = require('pg');
    const client = new pg.Client({ connectionString: process.argv[1] });
    client.on('error', () => undefined);
    process.on('SIGINT', () => setTimeout(() => process.exit(0), 500));
    client.connect().then(() => console.log('connected'));
  `;
  const script = `
    const { startEmbeddedPostgres } = require(${JSON.stringify(modulePath)});
    const { spawn } = require('node:child_process');
    (async () => {
      const db = await startEmbeddedPostgres({ dataDir: ${JSON.stringify(path.join(dir, 'pg'))}, port: 0 });
      const child = spawn(process.execPath, ['-e', ${JSON.stringify(worker)}, db.url], { stdio: ['ignore', 'pipe', 'inherit'] });
      child.stdout.once('data', () => console.log(db.url));
      setInterval(() => undefined, 1000);
    })().catch((e) => { console.error(e); process.exit(1); });
  `;
  const { tool, url } = await startTool(script);
  const exited = new Promise<number | null>((resolve) => tool.on('exit', (code) => resolve(code)));
  process.kill(-tool.pid!, 'SIGINT');
  expect(await exited).toBe(130);
  expect(fs.existsSync(path.join(dir, 'pg', 'postmaster.pid'))).toBe(false);
  expect(await portRefuses(Number(new URL(url).port))).toBe(true);
}, 120_000);

/**
 * Two starts at the same moment in one child process (`initialiseFirst`: on a folder initialised and
 * stopped before, else on a new one); the URLs each got. Both are stopped before it exits.
 */
function raceTwoStarts(initialiseFirst: boolean): string[] {
  const script = `
    const { startEmbeddedPostgres } = require(${JSON.stringify(modulePath)});
    (async () => {
      const dataDir = ${JSON.stringify(path.join(dir, 'pg'))};
      if (${initialiseFirst}) await (await startEmbeddedPostgres({ dataDir, port: 0 })).stop();
      const both = await Promise.allSettled([startEmbeddedPostgres({ dataDir, port: 0 }), startEmbeddedPostgres({ dataDir, port: 0 })]);
      const urls = both.map((r) => (r.status === 'fulfilled' ? r.value.url : 'failed: ' + r.reason.message));
      for (const r of both) if (r.status === 'fulfilled') await r.value.stop();
      console.log(JSON.stringify({ urls }));
      process.exit(0);
    })().catch((e) => { console.error(e); process.exit(1); });
  `;
  const result = spawnSync(process.execPath, ['-e', script], { cwd: PROJECT_ROOT, encoding: 'utf8', timeout: 90_000 });
  expect(result.stderr).toBe('');
  return (JSON.parse(result.stdout.trim().split('\n').pop()!) as { urls: string[] }).urls;
}

test('two processes starting it at the same moment (npm start and a tool): the one that lost the race reuses the other’s', async () => {
  // Initialised, stopped: both find no postmaster, both start one; PostgreSQL's lock file lets one win.
  const urls = raceTwoStarts(true);
  expect(urls[0]).toMatch(/^postgresql:/);
  expect(urls[1]).toBe(urls[0]);
  expect(fs.existsSync(path.join(dir, 'pg', 'postmaster.pid'))).toBe(false);
}, 120_000);

test('two processes starting it at the same moment on a new data folder: one initialises it, both use that one cluster', async () => {
  // Both ran initdb on the folder at once, and the second failed on the first's files.
  const urls = raceTwoStarts(false);
  expect(urls[0]).toMatch(/^postgresql:/);
  expect(urls[1]).toBe(urls[0]);
  expect(fs.existsSync(path.join(dir, 'pg', 'postmaster.pid'))).toBe(false);
  // No initdb leftovers beside it: only the data folder.
  expect(fs.readdirSync(dir)).toEqual(['pg']);
}, 120_000);

/** Starts it on `dir`/pg in a child node and stops it again; the child's stderr ('' when all went well). */
function startAndStop(): string {
  const script = `
    const { startEmbeddedPostgres } = require(${JSON.stringify(modulePath)});
    (async () => {
      await (await startEmbeddedPostgres({ dataDir: ${JSON.stringify(path.join(dir, 'pg'))}, port: 0 })).stop();
      process.exit(0);
    })().catch((e) => { console.error(e); process.exit(1); });
  `;
  const result = spawnSync(process.execPath, ['-e', script], { cwd: PROJECT_ROOT, encoding: 'utf8', timeout: 90_000 });
  return result.stderr;
}

/** The pid of a process that has exited: a start killed during initdb left its folder under it. */
function deadPid(): number {
  const pid = spawnSync(process.execPath, ['-e', '0']).pid;
  expect(() => process.kill(pid, 0)).toThrow(expect.objectContaining({ code: 'ESRCH' }));
  return pid;
}

/** A half-filled initdb staging folder named `name` beside the data folder, last modified `ageMs` ago. */
function leaveStagingFolder(name: string, ageMs = 0): string {
  const folder = path.join(dir, name);
  fs.mkdirSync(path.join(folder, 'base', '1'), { recursive: true });
  fs.writeFileSync(path.join(folder, 'base', '1', '1259'), Buffer.alloc(64 * 1024));
  fs.writeFileSync(path.join(folder, 'postgresql.conf'), '# half written\n');
  const when = new Date(Date.now() - ageMs);
  fs.utimesSync(folder, when, when);
  return folder;
}

const TWO_DAYS_MS = 2 * 24 * 60 * 60 * 1000;

test('initdb folders left by a start killed during initdb (its pid gone) are removed by the next start', async () => {
  // Each stayed forever beside the data folder, ~40 MB apiece.
  leaveStagingFolder(`.pg.initdb-${deadPid()}-Ab3xYz`);
  // The pid alive again, but long after initdb could have run: a pid reused after a restart.
  leaveStagingFolder(`.pg.initdb-${process.pid}-Qq1wEr`, TWO_DAYS_MS);
  // The older naming, without a pid: judged by its age alone.
  leaveStagingFolder('.pg.initdb-k2LmNo', TWO_DAYS_MS);
  // Not this data folder's: left alone.
  const others = leaveStagingFolder(`.other.initdb-${deadPid()}-Zz9yXw`);
  expect(startAndStop()).toBe('');
  expect(fs.readdirSync(dir).sort()).toEqual([path.basename(others), 'pg'].sort());
}, 120_000);

test('an initdb folder that a live start is still filling is left alone', async () => {
  // Another start's, still running (its pid alive): removing it would fail that start's initdb.
  const sleeper = spawn('sleep', ['60'], { stdio: 'ignore' });
  try {
    const ofSleeper = leaveStagingFolder(`.pg.initdb-${sleeper.pid}-Sl33pr`);
    const ofOurs = leaveStagingFolder(`.pg.initdb-${process.pid}-0wnPid`, 5 * 60 * 1000);
    // The older naming, without a pid, but recent: may be a start of the previous version's.
    const unnamed = leaveStagingFolder('.pg.initdb-n0P1d5');
    expect(startAndStop()).toBe('');
    expect(fs.readdirSync(dir).sort()).toEqual([path.basename(ofSleeper), path.basename(ofOurs), path.basename(unnamed), 'pg'].sort());
    for (const folder of [ofSleeper, ofOurs, unnamed]) expect(fs.statSync(path.join(folder, 'base', '1', '1259')).size).toBe(64 * 1024);
  } finally {
    sleeper.kill();
  }
}, 120_000);

/** Whether this process may bind-mount a folder (root on Linux): the mount-point test needs it. */
function canBindMount(): boolean {
  const probe = fs.mkdtempSync(path.join(os.tmpdir(), 'gongjian-mount-probe-'));
  fs.mkdirSync(path.join(probe, 'at'));
  const mounted = spawnSync('mount', ['--bind', probe, path.join(probe, 'at')]).status === 0;
  if (mounted) spawnSync('umount', [path.join(probe, 'at')]);
  fs.rmSync(probe, { recursive: true, force: true });
  return mounted;
}

(canBindMount() ? test : test.skip)('a data folder that is a mount point (a volume) is initialised in place: a cluster cannot be renamed onto it', async () => {
  // initdb into a sibling folder renamed into place failed there with EBUSY on the first start.
  const volume = path.join(dir, 'volume');
  const dataDir = path.join(dir, 'pg');
  fs.mkdirSync(volume);
  fs.mkdirSync(dataDir);
  expect(spawnSync('mount', ['--bind', volume, dataDir]).status).toBe(0);
  try {
    const script = `
      const { startEmbeddedPostgres } = require(${JSON.stringify(modulePath)});
      (async () => {
        const db = await startEmbeddedPostgres({ dataDir: ${JSON.stringify(dataDir)}, port: 0 });
        await db.stop();
        console.log(JSON.stringify({ url: db.url }));
        process.exit(0);
      })().catch((e) => { console.error(e.message); process.exit(1); });
    `;
    const result = spawnSync(process.execPath, ['-e', script], { cwd: PROJECT_ROOT, encoding: 'utf8', timeout: 90_000 });
    expect(result.stderr).toBe('');
    expect(JSON.parse(result.stdout.trim().split('\n').pop()!).url).toMatch(/^postgresql:/);
    // The cluster is on the volume, and no initdb folder is left beside it.
    expect(fs.existsSync(path.join(volume, 'PG_VERSION'))).toBe(true);
    expect(fs.readdirSync(dir).sort()).toEqual(['pg', 'volume']);
  } finally {
    spawnSync('umount', [dataDir]);
  }
}, 120_000);

(canBindMount() ? test : test.skip)('a stale initdb folder that cannot be removed (a mount point inside) does not stop the start', async () => {
  const stale = leaveStagingFolder(`.pg.initdb-${deadPid()}-Mn7pQr`);
  const volume = path.join(dir, 'volume');
  fs.mkdirSync(volume);
  fs.mkdirSync(path.join(stale, 'mounted'));
  expect(spawnSync('mount', ['--bind', volume, path.join(stale, 'mounted')]).status).toBe(0);
  try {
    expect(startAndStop()).toBe('');
    expect(fs.existsSync(path.join(dir, 'pg', 'PG_VERSION'))).toBe(true);
    expect(fs.existsSync(stale)).toBe(true);
  } finally {
    spawnSync('umount', [path.join(stale, 'mounted')]);
  }
}, 120_000);

test('a pid file left by a postmaster killed with the machine (its pid now another process’s) is not taken for a running one', async () => {
  // After a container restart the old postmaster's pid is often a live process of the new one
  // (here: the starting process itself); PostgreSQL checks that, and so must the reuse.
  const script = `
    const fs = require('node:fs');
    const path = require('node:path');
    const { startEmbeddedPostgres, findFreePort } = require(${JSON.stringify(modulePath)});
    const pg = require('pg');
    (async () => {
      const dataDir = ${JSON.stringify(path.join(dir, 'pg'))};
      await (await startEmbeddedPostgres({ dataDir, port: 0 })).stop();
      const stalePort = await findFreePort();
      const pidFile = path.join(dataDir, 'postmaster.pid');
      fs.writeFileSync(pidFile, [process.pid, dataDir, '1700000000', stalePort, '/tmp', 'localhost', '  1234     5678', 'ready   ', ''].join('\\n'));
      const { uid, gid } = fs.statSync(dataDir);
      fs.chownSync(pidFile, uid, gid);
      const db = await startEmbeddedPostgres({ dataDir, port: 0 });
      const client = new pg.Client({ connectionString: db.url });
      client.on('error', () => undefined);
      const answer = await client.connect().then(() => client.query('select 1 as one')).then((r) => r.rows[0].one, (e) => 'failed: ' + e.message);
      await client.end().catch(() => undefined);
      await db.stop();
      console.log(JSON.stringify({ answer }));
      process.exit(0);
    })().catch((e) => { console.error(e); process.exit(1); });
  `;
  const result = spawnSync(process.execPath, ['-e', script], { cwd: PROJECT_ROOT, encoding: 'utf8', timeout: 90_000 });
  expect(result.stderr).toBe('');
  const { answer } = JSON.parse(result.stdout.trim().split('\n').pop()!) as { answer: unknown };
  expect(answer).toBe(1);
}, 120_000);

test('Ctrl-C of npm run import on the embedded cluster: exit 130, "import interrupted", the batches committed before kept, the cluster stopped', async () => {
  // The cluster's own handler stopped it under the import, which then failed: exit 1, "import failed".
  const dist = (name: string) => path.join(PROJECT_ROOT, 'dist', 'src', 'cli', `${name}.js`);
  const port = await findFreePort();
  const env: NodeJS.ProcessEnv = { ...process.env, EMBEDDED_PG_DIR: path.join(dir, 'pg'), EMBEDDED_PG_PORT: String(port), LOG_LEVEL: 'silent' };
  delete env.DATABASE_URL;
  expect(spawnSync(process.execPath, [dist('migrate')], { cwd: PROJECT_ROOT, env, encoding: 'utf8', timeout: 90_000 }).status).toBe(0);
  const file = path.join(dir, 'records.csv');
  fs.writeFileSync(file, [...generateServiceRecords({ records: 60_000, seed: 3, days: 30 })].join(''));
  // Its own process group, as a terminal's foreground job: the Ctrl-C reaches the whole group.
  const tool = spawn(process.execPath, [dist('import'), file, '--batch', '5000'], { cwd: PROJECT_ROOT, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  tool.stdout!.on('data', (chunk) => (output += chunk));
  tool.stderr!.on('data', (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => tool.on('exit', (code) => resolve(code)));
  const rowsCommitted = async () => {
    // A client of its own each time: one left connected would keep the cluster up as another user.
    const client = new pg.Client({ connectionString: `postgresql://postgres:postgres@127.0.0.1:${port}/gongjian` });
    client.on('error', () => undefined);
    try {
      await client.connect();
      return Number((await client.query(`select coalesce(max(rows_read), 0) as n from import_run`)).rows[0].n);
    } catch {
      return 0; // not up yet
    } finally {
      await client.end().catch(() => undefined);
    }
  };
  let committed = 0;
  for (let i = 0; i < 600 && committed < 5_000; i++) {
    committed = await rowsCommitted();
    if (committed < 5_000) await new Promise((resolve) => setTimeout(resolve, 50));
  }
  expect(committed).toBeGreaterThanOrEqual(5_000);
  process.kill(-tool.pid!, 'SIGINT');
  expect(await exited).toBe(130);
  expect(output).toMatch(/^import interrupted \(SIGINT\): the batches committed before \([\d,]+ rows\) are kept/m);
  expect(output).not.toMatch(/import failed/);
  expect(fs.existsSync(path.join(dir, 'pg', 'postmaster.pid'))).toBe(false);
  expect(await portRefuses(port)).toBe(true);
}, 180_000);

test('npm run import whose own connections the embedded database refuses: "cannot use the database: cannot connect to …", exit 1, the cluster stopped', async () => {
  // The connect was outside the cleanup: the cluster it had started was left running.
  const dist = (name: string) => path.join(PROJECT_ROOT, 'dist', 'src', 'cli', `${name}.js`);
  const port = await findFreePort();
  // A cluster whose database gongjian takes no connection: openDatabase (which connects to "postgres") succeeds, the import's connections do not.
  const script = `
    const { startEmbeddedPostgres } = require(${JSON.stringify(modulePath)});
    const { ensureDatabase } = require(${JSON.stringify(path.join(PROJECT_ROOT, 'dist', 'src', 'db', 'database.js'))});
    const pg = require('pg');
    (async () => {
      const db = await startEmbeddedPostgres({ dataDir: ${JSON.stringify(path.join(dir, 'pg'))}, port: ${port} });
      await ensureDatabase(db.url, 'gongjian');
      const client = new pg.Client({ connectionString: db.url });
      await client.connect();
      await client.query('alter database gongjian allow_connections false');
      await client.end();
      await db.stop();
      process.exit(0);
    })().catch((e) => { console.error(e); process.exit(1); });
  `;
  expect(spawnSync(process.execPath, ['-e', script], { cwd: PROJECT_ROOT, encoding: 'utf8', timeout: 90_000 }).stderr).toBe('');
  const file = path.join(dir, 'records.csv');
  fs.writeFileSync(file, [...generateServiceRecords({ records: 10, seed: 5, days: 3 })].join(''));
  const env: NodeJS.ProcessEnv = { ...process.env, EMBEDDED_PG_DIR: path.join(dir, 'pg'), EMBEDDED_PG_PORT: String(port), LOG_LEVEL: 'silent' };
  delete env.DATABASE_URL;
  const result = spawnSync(process.execPath, [dist('import'), file], { cwd: PROJECT_ROOT, env, encoding: 'utf8', timeout: 90_000 });
  expect({ status: result.status, stdout: result.stdout }).toEqual({ status: 1, stdout: '' });
  expect(result.stderr.trim()).toMatch(/^cannot use the database: cannot connect to \S+:\d+\/gongjian: database "gongjian" is not currently accepting connections$/);
  expect(result.stderr).not.toMatch(/postgres:postgres/);
  expect(fs.existsSync(path.join(dir, 'pg', 'postmaster.pid'))).toBe(false);
  expect(await portRefuses(port)).toBe(true);
}, 180_000);
