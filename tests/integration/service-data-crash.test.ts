import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { PROJECT_ROOT } from '../../src/config/paths';
import { GONGJIAN_CSV_HEADER, generateServiceRecords } from '../../src/modules/service-data/generator';
import { INTERRUPTED_REASON, markInterruptedRuns } from '../../src/modules/service-data/import';
import { rebuildRollups } from '../../src/modules/service-data/rollups';
import { connectClients } from '../../src/db/database';
import { createDemoCityApp, type TestApp } from '../helpers/test-app';

const RECORDS = 150_000;
let app: TestApp;
let db: pg.Client;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'service-crash-'));
const file = path.join(tmp, 'records.csv');
const cli = path.join(PROJECT_ROOT, 'dist', 'src', 'cli', 'import.js');

beforeAll(async () => {
  // The CLI runs compiled, as `npm run import` does: the global setup builds it.
  if (!fs.existsSync(cli)) throw new Error(`${cli} was not built`);
  fs.writeFileSync(file, [...generateServiceRecords({ records: RECORDS, seed: 99, days: 120 })].join(''));
  ({ app, db } = await createDemoCityApp());
}, 120_000);
afterAll(async () => {
  await db?.end();
  await app?.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

function startImport(importFile = file) {
  return spawn(process.execPath, [cli, importFile, '--batch', '10000', '--report', path.join(tmp, 'rejects.csv')], {
    env: { ...process.env, DATABASE_URL: app.databaseUrl, LOG_LEVEL: 'silent' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}
const exited = (child: ReturnType<typeof spawn>) => new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
const count = async (sql: string) => Number((await db.query(sql)).rows[0].n);
/** Backends of `role` once they are gone (a backend leaves pg_stat_activity a moment after its client ends), up to 2 s. */
const backendsOf = async (role: string) => {
  const sql = `select count(*) as n from pg_stat_activity where usename = '${role}'`;
  for (let i = 0; i < 80 && (await count(sql)) > 0; i++) await new Promise((resolve) => setTimeout(resolve, 25));
  return count(sql);
};

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
  // Its importer is gone, and analysts are told so: INTERRUPTED, with what to do. (The killed
  // process's backends end, and let go of the run's lock, once they see its sockets closed.)
  const listed = async () => (await app.execute(`{ importRuns { edges { node { status error inserted } } } }`)).data.importRuns.edges;
  let runs = await listed();
  for (let i = 0; i < 100 && runs[0].node.status === 'RUNNING'; i++) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    runs = await listed();
  }
  expect(runs).toEqual([{ node: { status: 'INTERRUPTED', error: INTERRUPTED_REASON, inserted: afterCrash } }]);

  const second = startImport();
  let output = '';
  second.stdout!.on('data', (chunk) => (output += chunk));
  expect(await exited(second)).toBe(0);
  expect(output).toMatch(new RegExp(`inserted ${(RECORDS - afterCrash).toLocaleString('en-US')}, duplicate ${afterCrash.toLocaleString('en-US')}, rejected 0`));
  // Not a terminal: plain progress lines (rows read, rows committed, share of the estimated total, rows/s, ETA) instead of a bar.
  expect(output).toMatch(/^progress: [\d,]+ rows read, [\d,]+ committed, \d+%, [\d,]+ rows\/s, ETA \d+ s$/m);

  expect((await db.query('select status from import_run order by id')).rows).toEqual([{ status: 'INTERRUPTED' }, { status: 'SUCCEEDED' }]);
  expect(await count('select count(*) as n from service_record')).toBe(RECORDS);
  expect(await count('select count(distinct source_id) as n from service_record')).toBe(RECORDS);
  expect(await count('select sum(count) as n from service_daily')).toBe(RECORDS);
  const incremental = (await db.query('select * from service_daily order by 1, 2, 3, 4')).rows;
  await db.query('begin');
  await rebuildRollups(db);
  await db.query('commit');
  expect((await db.query('select * from service_daily order by 1, 2, 3, 4')).rows).toEqual(incremental);
});

function runCli(args: string[]): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, [cli, ...args], { env: { ...process.env, DATABASE_URL: app.databaseUrl, LOG_LEVEL: 'silent' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  return exited(child).then((code) => ({ code, output }));
}

test('exit codes: 1 when no row could be imported or the file cannot be read, 2 for bad arguments', async () => {
  const allBad = path.join(tmp, 'all-bad.csv');
  fs.writeFileSync(allBad, `${GONGJIAN_CSV_HEADER}\nB-1,NO-SUCH-ITEM,2024-03-01 09:00:00,,OPEN,370199001001,,,,COUNTER,,,\nB-2,SOC-INSURANCE-01,someday,,OPEN,370199001001,,,,COUNTER,,,\n`);
  const bad = await runCli([allBad]);
  expect(bad.code).toBe(1);
  expect(bad.output).toMatch(/read 2, inserted 0, duplicate 0, rejected 2/);
  expect(bad.output).toMatch(/nothing was imported: all 2 records were rejected/);
  // The run says what the exit code says.
  const [run] = (await db.query(`select status, error from import_run where file_name = 'all-bad.csv' order by id desc limit 1`)).rows;
  expect(run).toEqual({ status: 'FAILED', error: 'nothing was imported: all 2 records were rejected (see the rejections)' });
  expect(fs.readFileSync(`${allBad}.rejects.csv`, 'utf8').trim().split('\n')).toHaveLength(3);

  const wrongColumns = path.join(tmp, 'wrong-columns.csv');
  fs.writeFileSync(wrongColumns, 'a,b\n1,2\n');
  const mismatch = await runCli([wrongColumns]);
  expect(mismatch.code).toBe(1);
  expect(mismatch.output).toMatch(/import failed: the file has no column "source_id"/);
  // A column the mapping reads named twice (an extra copy of status, found by a review): the last
  // copy was read silently; now nothing is imported and the column is named.
  const twice = path.join(tmp, 'status-twice.csv');
  fs.writeFileSync(twice, `${GONGJIAN_CSV_HEADER},status\nT-1,SOC-INSURANCE-01,2024-03-01 09:00:00,2024-03-01 10:00:00,FINISHED,370199001001,,,,COUNTER,,,,OPEN\n`);
  const repeated = await runCli([twice]);
  expect(repeated.code).toBe(1);
  expect(repeated.output).toMatch(/import failed: the file names column "status" more than once, and mapping "gongjian" reads it/);
  expect(await count(`select count(*) as n from service_record where source_id = 'T-1'`)).toBe(0);

  expect((await runCli([path.join(tmp, 'missing.csv')])).code).toBe(1);
  expect((await runCli([allBad, '--encoding', 'latin9'])).code).toBe(2);
  expect((await runCli([])).code).toBe(2);
});

test('an unwritable --report path: a clear error, exit code 1, and no import run left behind', async () => {
  const good = path.join(tmp, 'one-row.csv');
  fs.writeFileSync(good, `${GONGJIAN_CSV_HEADER}\nREPORT-1,SOC-INSURANCE-01,2024-03-01 09:00:00,,OPEN,370199001001,,,,COUNTER,,,\n`);
  const runsBefore = await count('select count(*) as n from import_run');
  const result = await runCli([good, '--report', path.join(tmp, 'no-such-dir', 'rejects.csv')]);
  expect(result.code).toBe(1);
  expect(result.output).toMatch(/import failed: cannot write the report .*rejects\.csv: ENOENT/);
  expect(await count('select count(*) as n from import_run')).toBe(runsBefore);
  expect(await count(`select count(*) as n from service_record where source_id = 'REPORT-1'`)).toBe(0);
});

test("the database ending the import's connections mid-way (a restart, a Ctrl-C stopping the embedded cluster) is a clear failure, exit code 1, not a crash with a stack trace", async () => {
  const again = path.join(tmp, 'terminated.csv');
  fs.writeFileSync(again, [...generateServiceRecords({ records: 60_000, seed: 7, days: 30 })].join(''));
  const child = spawn(process.execPath, [cli, again, '--batch', '5000', '--connections', '3'], { env: { ...process.env, DATABASE_URL: app.databaseUrl, LOG_LEVEL: 'silent' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const before = await count('select count(*) as n from service_record');
  const exit = exited(child);
  for (let i = 0; i < 600 && (await count('select count(*) as n from service_record')) < before + 5_000; i++) await new Promise((resolve) => setTimeout(resolve, 25));
  await db.query(`select pg_terminate_backend(pid) from pg_stat_activity where application_name = 'gongjian-import'`);
  expect(await exit).toBe(1);
  expect(output).toMatch(/import failed: /);
  expect(output).not.toMatch(/Unhandled 'error' event|    at |node:events/);
});

test('Ctrl-C or SIGTERM stops an import with exit 130 / 143 and says so, keeping the batches committed before', async () => {
  // With DATABASE_URL both killed the command outright: no line said what was kept, no exit code (the embedded case: embedded-postgres-shared.test.ts).
  const interruptedFile = path.join(tmp, 'interrupted.csv');
  fs.writeFileSync(interruptedFile, [...generateServiceRecords({ records: 100_000, seed: 11, days: 60 })].join(''));
  const committed = () => count(`select coalesce(max(rows_read), 0) as n from import_run where file_name = 'interrupted.csv' and status = 'RUNNING'`);
  for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143]] as const) {
    const child = startImport(interruptedFile);
    let output = '';
    child.stdout!.on('data', (chunk) => (output += chunk));
    child.stderr!.on('data', (chunk) => (output += chunk));
    const exit = exited(child);
    for (let i = 0; i < 600 && (await committed()) < 10_000; i++) await new Promise((resolve) => setTimeout(resolve, 25));
    child.kill(signal);
    expect({ signal, code: await exit }).toEqual({ signal, code });
    const [run] = (await db.query(`select status, error, rows_read from import_run where file_name = 'interrupted.csv' order by id desc limit 1`)).rows;
    expect(run).toMatchObject({ status: 'FAILED', error: `import interrupted (${signal})` });
    expect(run.rows_read).toBeGreaterThanOrEqual(10_000);
    expect(run.rows_read % 10_000).toBe(0); // whole batches, the open one rolled back
    expect(output.trim().split('\n').pop()).toBe(
      `import interrupted (${signal}): the batches committed before (${run.rows_read.toLocaleString('en-US')} rows) are kept, anything not yet committed was rolled back; run the same import again to add the rest (each row goes in once)`,
    );
  }
});

/**
 * An import of 25,000 rows in batches of 10,000 on 3 connections whose second and third batches wait,
 * in their insert, for a transaction of the test holding one of their keys: the first batch commits,
 * the other two are left under way, and the third starts committing only at the end of the file
 * (PipelinedLoader.finish). Returned once that is so: the whole file read, 10,000 rows committed.
 */
async function startHeldImport(name: string, seed: number) {
  const heldFile = path.join(tmp, `${name}.csv`);
  const lines = [...generateServiceRecords({ records: 25_000, seed, days: 30 })];
  fs.writeFileSync(heldFile, lines.join(''));
  const blocker = new pg.Client({ connectionString: app.databaseUrl });
  blocker.on('error', () => undefined);
  await blocker.connect();
  await blocker.query('begin');
  // Rows 15,000 and 22,000 (line 0 is the header): one key of the second batch, one of the third.
  for (const row of [15_000, 22_000]) {
    await blocker.query(
      `insert into service_record (source, source_id, item_id, received_at, status, community_id, channel)
       values ('gongjian', $1, (select min(id) from service_item), now(), 'OPEN', (select min(id) from area where level = 'COMMUNITY'), 'COUNTER')`,
      [lines[row].split(',')[0]],
    );
  }
  const child = spawn(process.execPath, [cli, heldFile, '--batch', '10000', '--connections', '3', '--report', path.join(tmp, `${name}.rejects.csv`)], {
    env: { ...process.env, DATABASE_URL: app.databaseUrl, LOG_LEVEL: 'silent' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const held = { child, exit: exited(child), output: '', blocker, fileName: `${name}.csv` };
  child.stdout!.on('data', (chunk) => (held.output += chunk));
  child.stderr!.on('data', (chunk) => (held.output += chunk));
  const committed = () => count(`select coalesce(max(rows_read), 0) as n from import_run where file_name = '${held.fileName}'`);
  const waiting = () => count(`select count(*) as n from pg_stat_activity where datname = current_database() and application_name = 'gongjian-import' and wait_event_type = 'Lock'`);
  for (let i = 0; i < 1200 && ((await committed()) < 10_000 || (await waiting()) < 2); i++) await new Promise((resolve) => setTimeout(resolve, 25));
  expect({ committed: await committed(), waiting: await waiting() }).toEqual({ committed: 10_000, waiting: 2 });
  return held;
}
const said = async (held: { output: string }, text: string) => {
  for (let i = 0; i < 400 && !held.output.includes(text); i++) await new Promise((resolve) => setTimeout(resolve, 25));
  expect(held.output).toContain(text);
};
/** Rows in service_record from the run that imported `fileName`. */
const rowsOfRun = (fileName: string) => count(`select count(*) as n from service_record where import_run_id = (select max(id) from import_run where file_name = '${fileName}')`);

test('Ctrl-C or SIGTERM after the whole file was read, the last batches still being inserted: they are rolled back, exit 130 / 143, the run FAILED', async () => {
  // The signal destroyed the read stream, already finished: the import went on to commit every batch and exited 0.
  for (const [signal, code, seed] of [['SIGINT', 130, 21], ['SIGTERM', 143, 22]] as const) {
    const held = await startHeldImport(`read-${signal}`, seed);
    try {
      held.child.kill(signal);
      await said(held, `${signal}: stopping before the next batch commits`);
      await held.blocker.query('rollback'); // the two batches under way go on, to the point where they stop
      expect({ signal, code: await held.exit }).toEqual({ signal, code });
      expect(held.output.trim().split('\n').pop()).toBe(
        `import interrupted (${signal}): the batches committed before (10,000 rows) are kept, anything not yet committed was rolled back; run the same import again to add the rest (each row goes in once)`,
      );
      const [run] = (await db.query(`select status, error, rows_read from import_run where file_name = $1 order by id desc limit 1`, [held.fileName])).rows;
      expect(run).toEqual({ status: 'FAILED', error: `import interrupted (${signal})`, rows_read: 10_000 });
      expect(await rowsOfRun(held.fileName)).toBe(10_000);
    } finally {
      held.child.kill('SIGKILL');
      await held.blocker.end();
    }
  }
}, 120_000);

test('a second Ctrl-C ends the connections at once, under a batch that would go on: exit 130 at once, no half batch left', async () => {
  const held = await startHeldImport('twice', 23);
  try {
    held.child.kill('SIGINT');
    await said(held, 'SIGINT: stopping before the next batch commits');
    // The batches under way wait for the test's transaction: only the second Ctrl-C can end the command.
    const started = Date.now();
    held.child.kill('SIGINT');
    let timer: NodeJS.Timeout | undefined;
    const code = await Promise.race([held.exit, new Promise((resolve) => (timer = setTimeout(() => resolve('still running after 10 s'), 10_000)))]);
    clearTimeout(timer);
    expect(code).toBe(130);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(held.output.trim().split('\n').pop()).toBe(
      'import interrupted (SIGINT): the batches committed before (10,000 rows) are kept, anything not yet committed was rolled back; run the same import again to add the rest (each row goes in once)',
    );
  } finally {
    held.child.kill('SIGKILL');
    await held.blocker.query('rollback');
    await held.blocker.end();
  }
  // The server rolls back what the ended connections had not committed, once it finds them gone.
  const left = () => count(`select count(*) as n from pg_stat_activity where datname = current_database() and application_name = 'gongjian-import'`);
  for (let i = 0; i < 400 && (await left()) > 0; i++) await new Promise((resolve) => setTimeout(resolve, 25));
  expect(await left()).toBe(0);
  expect(await rowsOfRun(held.fileName)).toBe(10_000);
  // Its connection gone before it could mark the run, the run reads INTERRUPTED.
  await markInterruptedRuns(db);
  expect((await db.query(`select status, rows_read from import_run where file_name = $1`, [held.fileName])).rows).toEqual([{ status: 'INTERRUPTED', rows_read: 10_000 }]);
});

test('connections the database refuses after it was reached: "cannot use the database: cannot connect to …", exit 1, no password shown, none left open', async () => {
  // Was: those that had connected stayed open (an embedded cluster's user: embedded-postgres-shared.test.ts), and runCli's generic line.
  const role = `import_limited_${process.pid}`;
  await db.query(`create role ${role} login password 'hunter2-secret' connection limit 1`);
  try {
    const url = new URL(app.databaseUrl);
    url.username = role;
    url.password = 'hunter2-secret';
    const good = path.join(tmp, 'refused.csv');
    fs.writeFileSync(good, `${GONGJIAN_CSV_HEADER}\nREFUSED-1,SOC-INSURANCE-01,2024-03-01 09:00:00,,OPEN,370199001001,,,,COUNTER,,,\n`);
    const child = spawn(process.execPath, [cli, good, '--connections', '3'], { env: { ...process.env, DATABASE_URL: url.toString(), LOG_LEVEL: 'silent' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout!.on('data', (chunk) => (output += chunk));
    child.stderr!.on('data', (chunk) => (output += chunk));
    expect(await exited(child)).toBe(1);
    expect(output.trim()).toBe(`cannot use the database: cannot connect to ${url.host}${url.pathname}: too many connections for role "${role}"`);
    expect(output).not.toContain('hunter2');
    expect(await backendsOf(role)).toBe(0);
  } finally {
    await db.query(`drop role ${role}`);
  }
});

test('connectClients: when one cannot connect, those that did are ended before the error is thrown', async () => {
  const role = `import_limited_unit_${process.pid}`;
  // A password: the embedded cluster asks for one (the machine's PostgreSQL trusts), and the URL's is the owner's.
  await db.query(`create role ${role} login password 'limited-secret' connection limit 2`);
  try {
    const url = new URL(app.databaseUrl);
    url.username = role;
    url.password = 'limited-secret';
    await expect(connectClients(url.toString(), 3, 'connect-clients-test')).rejects.toMatchObject({ code: '53300' });
    expect(await backendsOf(role)).toBe(0);
    const clients = await connectClients(url.toString(), 2, 'connect-clients-test');
    expect(await count(`select count(*) as n from pg_stat_activity where usename = '${role}'`)).toBe(2);
    await Promise.all(clients.map((client) => client.end()));
  } finally {
    await db.query(`drop role ${role}`);
  }
});
