import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../../src/config/paths';
import { MIGRATIONS } from '../../migrations';
import { createTestApp, type TestApp } from '../helpers/test-app';

/* npm run migrate: refusing a `down --to` that names no applied migration says which names it takes. */

const cli = path.join(PROJECT_ROOT, 'dist', 'src', 'cli', 'migrate.js');
let app: TestApp;
beforeAll(async () => {
  // Compiled, as `npm run migrate` runs it: the global setup builds it.
  if (!fs.existsSync(cli)) throw new Error(`${cli} was not built`);
  app = await createTestApp();
});
afterAll(async () => {
  await app?.close();
});

function migrate(args: string[]): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, [cli, ...args], { env: { ...process.env, DATABASE_URL: app.databaseUrl, LOG_LEVEL: 'silent' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, output })));
}

test('down --to a name never applied is exit 2, reverts nothing, and names the newest applied migrations (pending lists the others)', async () => {
  const before = await app.orm.em.fork().execute(`select count(*)::int as n from mikro_orm_migrations`);
  const refused = await migrate(['down', '--to', 'NoSuch']);
  expect(refused.code).toBe(2);
  const newest = MIGRATIONS[MIGRATIONS.length - 1].name;
  expect(refused.output).toContain(`--to names no applied migration: "NoSuch"`);
  expect(refused.output).toContain(newest);
  expect(refused.output).not.toContain('see the names with `npm run migrate -- pending`');
  expect(await app.orm.em.fork().execute(`select count(*)::int as n from mikro_orm_migrations`)).toEqual(before);
});
