import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { PROJECT_ROOT } from '../../src/config/paths';
import { generateServiceRecords } from '../../src/modules/service-data/generator';
import { rebuildRollups } from '../../src/modules/service-data/rollups';
import { seedDemoCity } from '../../src/seed/demo-city';
import { createTestApp, type TestApp } from '../helpers/test-app';

const RECORDS = 150_000;
let app: TestApp;
let db: pg.Client;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'service-crash-'));
const file = path.join(tmp, 'records.csv');
const cli = path.join(PROJECT_ROOT, 'dist', 'src', 'cli', 'import.js');

beforeAll(async () => {
  // The CLI runs compiled, as `npm run import` does. tsc emits even when some other module has a
  // type error (the type check is its own CI step), so only a missing output stops this test.
  spawnSync(path.join(PROJECT_ROOT, 'node_modules', '.bin', 'tsc'), ['-p', path.join(PROJECT_ROOT, 'tsconfig.build.json')], { stdio: 'inherit' });
  if (!fs.existsSync(cli)) throw new Error(`${cli} was not built`);
  fs.writeFileSync(file, [...generateServiceRecords({ records: RECORDS, seed: 99, days: 120 })].join(''));
  app = await createTestApp();
  await seedDemoCity(app.orm.em.fork(), { scale: 'small' });
  db = new pg.Client({ connectionString: app.databaseUrl });
  await db.connect();
}, 120_000);
afterAll(async () => {
  await db?.end();
  await app?.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

function startImport() {
  return spawn(process.execPath, [cli, file, '--batch', '10000', '--report', path.join(tmp, 'rejects.csv')], {
    env: { ...process.env, DATABASE_URL: app.databaseUrl, LOG_LEVEL: 'silent' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}
const exited = (child: ReturnType<typeof spawn>) => new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
const count = async (sql: string) => Number((await db.query(sql)).rows[0].n);

test('an import killed with SIGKILL mid-way and run again ends with every row exactly once, roll-ups included', async () => {
  const first = startImport();
  const firstExit = exited(first);
  // Wait until some batches are committed, then kill without warning.
  for (let i = 0; i < 600; i++) {
    const committed = await count(`select coalesce(max(inserted), 0) as n from import_run`);
    if (committed >= 30_000) break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  first.kill('SIGKILL');
  await firstExit;
  const afterCrash = await count('select count(*) as n from service_record');
  expect(afterCrash).toBeGreaterThanOrEqual(30_000);
  expect(afterCrash).toBeLessThan(RECORDS);
  expect(afterCrash % 10_000).toBe(0); // only whole batches survive
  expect((await db.query('select status from import_run')).rows).toEqual([{ status: 'RUNNING' }]);

  const second = startImport();
  let output = '';
  second.stdout!.on('data', (chunk) => (output += chunk));
  expect(await exited(second)).toBe(0);
  expect(output).toMatch(new RegExp(`inserted ${(RECORDS - afterCrash).toLocaleString('en-US')}, duplicate ${afterCrash.toLocaleString('en-US')}, rejected 0`));

  expect(await count('select count(*) as n from service_record')).toBe(RECORDS);
  expect(await count('select count(distinct source_id) as n from service_record')).toBe(RECORDS);
  expect(await count('select sum(count) as n from service_daily')).toBe(RECORDS);
  const incremental = (await db.query('select * from service_daily order by 1, 2, 3, 4')).rows;
  await db.query('begin');
  await rebuildRollups(db);
  await db.query('commit');
  expect((await db.query('select * from service_daily order by 1, 2, 3, 4')).rows).toEqual(incremental);
});
