import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { PROJECT_ROOT } from '../../src/config/paths';
import { GONGJIAN_CSV_HEADER } from '../../src/modules/service-data/generator';

/*
 * Found by a review of `npm run import` as staff meet it: with DATABASE_URL naming a database that
 * is down, or one that does not exist, the commands printed node-pg's error object with its stack
 * (`Error: connect ECONNREFUSED … at TCPConnectWrap.afterConnect …`) instead of one line saying so.
 */

const dist = (name: string) => path.join(PROJECT_ROOT, 'dist', 'src', 'cli', `${name}.js`);
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cli-db-'));
const file = path.join(tmp, 'records.csv');
beforeAll(() => {
  for (const name of ['import', 'rollups']) if (!fs.existsSync(dist(name))) throw new Error(`${dist(name)} was not built`);
  fs.writeFileSync(file, `${GONGJIAN_CSV_HEADER}\nDB-1,SOC-INSURANCE-01,2024-03-01 09:00:00,,OPEN,370199001001,,,,COUNTER,,,\n`);
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function run(name: string, args: string[], env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, [dist(name), ...args], { env: { ...process.env, LOG_LEVEL: 'silent', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, output })));
}

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

test('import and rollups:rebuild against a database that is down or missing say so in one line, exit 1, no stack', async () => {
  const base = process.env.TEST_SERVER_URL!.replace(/\/[^/]*$/, '');
  const down = `postgresql://postgres@127.0.0.1:${await closedPort()}/gongjian`;
  const missing = `${base}/no_such_database_${process.pid}`;
  for (const [name, args, url, reason] of [
    ['import', [file], down, /ECONNREFUSED/],
    ['import', [file], missing, /does not exist/],
    ['rollups', [], down, /ECONNREFUSED/],
  ] as const) {
    const result = await run(name, [...args], { DATABASE_URL: url });
    expect({ name, url, code: result.code }).toEqual({ name, url, code: 1 });
    expect(result.output).not.toMatch(/\n\s+at |errno:|severity:/);
    expect(result.output.trim().split('\n')).toHaveLength(1);
    expect(result.output).toMatch(/^cannot use the database: /);
    expect(result.output).toMatch(reason);
  }
}, 60_000);
