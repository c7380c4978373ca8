import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PROJECT_ROOT } from '../../src/config/paths';

/*
 * Found by a review of the Configuration table: when the embedded PostgreSQL cannot start (here:
 * EMBEDDED_PG_PORT already taken, by the machine's PostgreSQL or anything else), `npm start`
 * printed "start-up failed: undefined" and nothing else at the default log level.
 */

const main = path.join(PROJECT_ROOT, 'dist', 'src', 'main.js');

test('an embedded database that cannot start says why, naming the port', async () => {
  if (!fs.existsSync(main)) throw new Error(`${main} was not built`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gongjian-port-taken-'));
  fs.chmodSync(dir, 0o755);
  // A port something already listens on: the test server's own (the machine's PostgreSQL, or the embedded one).
  const busyPort = new URL(process.env.TEST_SERVER_URL ?? process.env.DATABASE_URL ?? 'postgres://x@127.0.0.1:5432/x').port || '5432';
  const env: NodeJS.ProcessEnv = { ...process.env, EMBEDDED_PG_DIR: path.join(dir, 'pg'), EMBEDDED_PG_PORT: busyPort, SEED_DEMO: 'false', PORT: '4720', LOG_LEVEL: 'info' };
  delete env.DATABASE_URL;
  try {
    const child = spawn(process.execPath, [main], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.stdout.resume();
    const timer = setTimeout(() => child.kill('SIGTERM'), 50_000);
    const code = await new Promise<number | null>((resolve) => child.on('exit', (exitCode) => (clearTimeout(timer), resolve(exitCode))));
    expect(code).toBe(1);
    expect(stderr).not.toMatch(/start-up failed: undefined/);
    expect(stderr).toContain(busyPort);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}, 60_000);
