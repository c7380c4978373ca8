import { parse as parseSync } from 'csv-parse/sync';
import iconv from 'iconv-lite';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import pg from 'pg';
import { Migration20261203100000_service_daily_close_seconds } from '../../migrations/Migration20261203100000_service_daily_close_seconds';
import { loadConfig } from '../../src/config/env';
import { PROJECT_ROOT } from '../../src/config/paths';
import { DEMO_RECORDS_SOURCE, seedDemoRecords } from '../../src/modules/service-data/demo-records';
import { generateServiceRecords, GONGJIAN_CSV_HEADER } from '../../src/modules/service-data/generator';
import * as importModule from '../../src/modules/service-data/import';
import { INTERRUPTED_REASON, importServiceFile, importServiceRows, type ImportOptions } from '../../src/modules/service-data/import';
import { MAX_RECORD_CHARS } from '../../src/modules/service-data/csv';
import { loadMapping } from '../../src/modules/service-data/mapping';
import { rebuildRollups, refreshRequestDaily } from '../../src/modules/service-data/rollups';
import { seedDemoCity } from '../../src/seed/demo-city';
import { createTestApp, type TestApp } from '../helpers/test-app';
import { accountViewer } from '../helpers/access-fixtures';
import { Role } from '../../src/modules/identity/role';

let app: TestApp;
let db: pg.Client;
let db2: pg.Client;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'service-data-'));
const gongjian = loadMapping(path.join(PROJECT_ROOT, 'mappings', 'gongjian.json'));
const baltimoreFile = path.join(PROJECT_ROOT, '..', 'shared', 'data', 'baltimore311', '311_sample.csv');

beforeAll(async () => {
  app = await createTestApp();
  await seedDemoCity(app.orm.em.fork(), { scale: 'small' });
  db = new pg.Client({ connectionString: app.databaseUrl });
  db2 = new pg.Client({ connectionString: app.databaseUrl });
  await db.connect();
  await db2.connect();
});
afterAll(async () => {
  await db?.end();
  await db2?.end();
  await app?.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

const run = (input: Buffer | string, options: Partial<ImportOptions> = {}) =>
  importServiceFile({ db, input: Readable.from([Buffer.from(input)]), fileName: 'test.csv', mapping: gongjian, ...options });
const count = async (sql: string, params: unknown[] = []) => Number((await db.query(sql, params)).rows[0].n);
const rollupSnapshot = async (table: string) => (await db.query(`select * from ${table} order by 1, 2, 3, 4`)).rows;

test('a run reads RUNNING while its importer works, and INTERRUPTED once nobody holds it (a killed importer)', async () => {
  const input = new PassThrough();
  const live = importServiceFile({ db, input, fileName: 'live.csv', mapping: { ...gongjian, source: 'live-run' }, batchRows: 1 });
  input.write(`${GONGJIAN_CSV_HEADER}\nLIVE-1,SOC-INSURANCE-01,2024-03-01 09:00:00,,OPEN,370199001001,,,,COUNTER,,,\n`);
  const statusOf = async (source: string) => (await app.execute(`{ importRuns(filter: { source: "${source}" }) { edges { node { status error inserted } } } }`)).data.importRuns.edges.map((e: any) => e.node);
  // Wait for the first batch to commit: the run exists and its importer is mid-file. Asked on
  // another connection: `db` is the importer's, where the open batch is visible before its commit.
  const committed = async () => Number((await db2.query(`select count(*) as n from service_record where source = 'live-run'`)).rows[0].n);
  for (let i = 0; i < 200 && (await committed()) === 0; i++) await new Promise((resolve) => setTimeout(resolve, 25));
  expect(await statusOf('live-run')).toEqual([{ status: 'RUNNING', error: null, inserted: 1 }]);
  input.end();
  const { runId } = await live;
  expect(await statusOf('live-run')).toEqual([{ status: 'SUCCEEDED', error: null, inserted: 1 }]);
  // The importer let go of the run's lock (a pooled connection, on the API path, would keep it otherwise).
  expect(await count(`select count(*) as n from pg_locks where locktype = 'advisory' and objid = $1::oid and objsubid = 2`, [runId])).toBe(0);

  // A run left RUNNING by an importer that is gone (what kill -9 leaves; the crash test kills a real one).
  const orphan = async () => (await db.query(`insert into import_run (created_at, updated_at, source, file_name, mapping, status, inserted) values (now(), now(), 'gone-run', 'gone.csv', 'gongjian', 'RUNNING', 20000) returning id`)).rows[0].id;
  // The next import marks it, an API one too (before anyone lists the runs)…
  const first = await orphan();
  await importServiceRows(db, { ...gongjian, source: 'live-run' }, GONGJIAN_CSV_HEADER.split(','), []);
  expect((await db.query(`select status, error from import_run where id = $1`, [first])).rows).toEqual([{ status: 'INTERRUPTED', error: INTERRUPTED_REASON }]);
  await db.query(`delete from import_run where id = $1`, [first]);
  // Read by node(id) before anything marks it, it already says INTERRUPTED (and is not marked by the read);
  // two such runs in one request cost one lock lookup.
  const [one, two] = [await orphan(), await orphan()];
  const byNode = `{ a: node(id: "${Buffer.from(`ImportRun:${one}`).toString('base64url')}") { ... on ImportRun { status error } } b: node(id: "${Buffer.from(`ImportRun:${two}`).toString('base64url')}") { ... on ImportRun { status error } } }`;
  const read = await app.countStatements(() => app.execute(byNode));
  expect((await app.execute(byNode)).data).toEqual({ a: { status: 'INTERRUPTED', error: INTERRUPTED_REASON }, b: { status: 'INTERRUPTED', error: INTERRUPTED_REASON } });
  expect(read.filter((sql) => /pg_locks/.test(sql))).toHaveLength(1);
  expect((await db.query(`select status from import_run where id = any($1::int[])`, [[one, two]])).rows).toEqual([{ status: 'RUNNING' }, { status: 'RUNNING' }]);
  await db.query(`delete from import_run where id = any($1::int[])`, [[one, two]]);
  // …and listing them marks it.
  await orphan();
  expect(await statusOf('gone-run')).toEqual([{ status: 'INTERRUPTED', error: INTERRUPTED_REASON, inserted: 20000 }]);
  expect((await app.execute(`{ importRuns(filter: { statuses: [INTERRUPTED], source: "gone-run" }) { totalCount } }`)).data.importRuns.totalCount).toBe(1);
  expect((await app.execute(`{ importRuns(filter: { statuses: [RUNNING] }) { totalCount } }`)).data.importRuns.totalCount).toBe(0);
});

describe('a run read while its importer ends', () => {
  const gid = (id: number) => Buffer.from(`ImportRun:${id}`).toString('base64url');
  const read = async (id: number) => (await app.execute(`{ node(id: "${gid(id)}") { ... on ImportRun { status error } } }`)).data.node;
  const row = (n: number) => `END-${n},SOC-INSURANCE-01,2024-03-01 09:00:00,,OPEN,370199001001,,,,COUNTER,,,`;

  test('that ends after its row was read and before its lock is looked up reads as it ended, not INTERRUPTED', async () => {
    const input = new PassThrough();
    const live = importServiceFile({ db, input, fileName: 'ending.csv', mapping: { ...gongjian, source: 'ending-run' }, batchRows: 1 });
    input.write(`${GONGJIAN_CSV_HEADER}\n${row(1)}\n`);
    let runId = 0;
    for (let i = 0; i < 200 && !runId; i++) {
      runId = Number((await db2.query(`select max(id) as id from import_run where source = 'ending-run'`)).rows[0].id ?? 0);
      if (!runId) await new Promise((resolve) => setTimeout(resolve, 25));
    }
    expect(await read(runId)).toEqual({ status: 'RUNNING', error: null });
    // The request has loaded the row (RUNNING); the importer ends before the batched lock lookup.
    const lookup = importModule.runsWithoutImporter;
    const spy = jest.spyOn(importModule, 'runsWithoutImporter').mockImplementation(async (runner, ids) => {
      input.end();
      await live;
      return lookup(runner, ids);
    });
    try {
      expect(await read(runId)).toEqual({ status: 'SUCCEEDED', error: null });
    } finally {
      spy.mockRestore();
    }
  });

  test('polled while imports start and end, a run never reads INTERRUPTED', async () => {
    // Before: finishRun let go of the lock in the statement that wrote the end, before its commit,
    // and the status was read before the lock: 114 of 150 runs read INTERRUPTED at some point.
    const seen = new Set<string>();
    for (let round = 0; round < 40; round++) {
      const { rows: [{ next }] } = await db2.query(`select coalesce(max(id), 0) + 1 as next from import_run`);
      let done = false;
      const work = importServiceRows(db, { ...gongjian, source: `poll-${round}` }, GONGJIAN_CSV_HEADER.split(','), [row(100 + round).split(',')]).finally(() => {
        done = true;
      });
      while (!done) {
        const node = await read(Number(next));
        if (node) seen.add(node.status);
      }
      await work;
      seen.add((await read(Number(next))).status);
    }
    expect(seen.has('SUCCEEDED')).toBe(true);
    expect([...seen].filter((status) => status !== 'RUNNING' && status !== 'SUCCEEDED')).toEqual([]);
  });
});

// The shared sample is not on every machine: skip cleanly where it is missing.
const withBaltimore = fs.existsSync(baltimoreFile) ? test : test.skip;

withBaltimore('the Baltimore 311 sample imports through its mapping alone: imported = parsed rows − rejected, each rejection explained', async () => {
  const report = path.join(tmp, 'baltimore.rejects.csv');
  const summary = await importServiceFile({
    db, more: [db2], input: fs.createReadStream(baltimoreFile), fileName: '311_sample.csv', mapping: loadMapping(path.join(PROJECT_ROOT, 'mappings', 'baltimore311.json')), reportPath: report, batchRows: 3000,
  });
  const parsed: string[][] = parseSync(fs.readFileSync(baltimoreFile), { relax_column_count: true });
  const dataRows = parsed.length - 1;
  expect(summary.rowsRead).toBe(dataRows);
  expect(summary.inserted).toBe(dataRows - summary.rejected);
  expect(summary.inserted).toBeGreaterThan(8000);
  expect(await count(`select count(*) as n from service_record where source = 'baltimore311'`)).toBe(summary.inserted);

  const rejections = (await db.query('select row_number, column_name, reason from import_rejection where run_id = $1', [summary.runId])).rows;
  expect(rejections).toHaveLength(summary.rejected);
  for (const rejection of rejections) {
    expect(rejection.row_number).toBeGreaterThan(1);
    expect(rejection.reason).toMatch(/^(unknown service item|community is missing|finished before it was received|malformed date)/);
  }
  // Every rejection is for a row the mapping cannot place: no neighbourhood, or a type with no catalogue counterpart.
  const byRow = new Map(parsed.slice(1).map((cells, i) => [i + 2, cells]));
  const header = parsed[0];
  for (const rejection of rejections) {
    const cells = byRow.get(rejection.row_number)!;
    if (rejection.column_name === 'Neighborhood') expect(cells[header.indexOf('Neighborhood')]).toBe('');
    if (rejection.column_name === 'SRType') expect(cells[header.indexOf('SRType')]).toMatch(/^(ECC|BCLB|DPW|CC|BPD|MOIT|MOHS|FINBAPS)/);
  }
  expect(fs.readFileSync(report, 'utf8').trim().split('\n')).toHaveLength(summary.rejected + 1);

  const runs = await app.execute(`{ importRuns(first: 1) { edges { node { source status rowsRead inserted rejected rejections(first: 2) { totalCount edges { node { rowNumber column reason } } } } } } }`);
  expect(runs.errors).toBeUndefined();
  const node = runs.data.importRuns.edges[0].node;
  expect(node).toMatchObject({ source: 'baltimore311', status: 'SUCCEEDED', rowsRead: dataRows, inserted: summary.inserted, rejected: summary.rejected });
  expect(node.rejections.totalCount).toBe(summary.rejected);
});

test('malformed dates, unknown items and broken quoting are rejected with row, column and reason; the rest goes in', async () => {
  const good = (id: string, extra = '') => `${id},SOC-INSURANCE-01,2024-03-01 09:00:00,2024-03-01 10:00:00,FINISHED,370199001001,,,ELDERLY,COUNTER,5,,${extra}`;
  const csv = [
    GONGJIAN_CSV_HEADER,
    good('Q-1'),
    'Q-2,SOC-INSURANCE-01,2024-02-30 09:00:00,,OPEN,370199001001,,,,COUNTER,,,',
    'Q-3,NO-SUCH-ITEM,2024-03-01 09:00:00,,OPEN,370199001001,,,,COUNTER,,,',
    good('Q-4', 'bad"quote'),
    good('Q-5', '"closed"then more'), // a stray closing quote: this line only, not the rest of the file
    good('Q-6', '"a note, quoted"'),
    'Q-7,SOC-INSURANCE-01,2024-03-01 09:00:00',
    good('Q-8', '"a note\nover two lines"'),
    good('Q-9', '"never closed'),
    good('Q-10'),
  ].join('\n');
  const summary = await run(csv, { reportPath: path.join(tmp, 'quoting.rejects.csv') });
  expect(summary).toMatchObject({ rowsRead: 10, inserted: 4, rejected: 6, duplicates: 0 });
  const rejections = (await db.query('select row_number, column_name, reason from import_rejection where run_id = $1 order by row_number', [summary.runId])).rows;
  expect(rejections).toEqual([
    { row_number: 3, column_name: 'received_at', reason: expect.stringMatching(/malformed date "2024-02-30 09:00:00"/) },
    { row_number: 4, column_name: 'item_code', reason: expect.stringMatching(/unknown service item "NO-SUCH-ITEM"/) },
    { row_number: 5, column_name: null, reason: expect.stringMatching(/^unreadable CSV: Invalid Opening Quote/) },
    { row_number: 6, column_name: null, reason: expect.stringMatching(/^unreadable CSV: Invalid Closing Quote/) },
    { row_number: 8, column_name: null, reason: 'expected 13 fields, got 3' },
    { row_number: 11, column_name: null, reason: expect.stringMatching(/^unreadable CSV: Quote Not Closed/) },
  ]);
  expect(fs.readFileSync(path.join(tmp, 'quoting.rejects.csv'), 'utf8').trim().split('\n')).toHaveLength(7);
  const notes = await db.query(`select source_id, note from service_record where source = 'gongjian' and source_id like 'Q-%' order by source_id`);
  expect(notes.rows).toEqual([
    { source_id: 'Q-1', note: null },
    { source_id: 'Q-10', note: null },
    { source_id: 'Q-6', note: 'a note, quoted' },
    { source_id: 'Q-8', note: 'a note\nover two lines' },
  ]);
});

test('a NUL character (U+0000) in a source id or note rejects that row with a reason; the rest goes in and the run succeeds', async () => {
  const row = (id: string, note: string) => `${id},SOC-INSURANCE-01,2024-03-02 09:00:00,,OPEN,370199001001,,,,COUNTER,,,${note}`;
  const csv = [GONGJIAN_CSV_HEADER, row('NUL-1', 'fine'), row('NUL-2', 'bad\u0000note'), row('NUL\u00003', ''), row('NUL-4', '')].join('\n');
  const summary = await run(csv, { mapping: { ...gongjian, source: 'nul-test' } });
  expect(summary).toMatchObject({ rowsRead: 4, inserted: 2, rejected: 2 });
  expect((await db.query('select status from import_run where id = $1', [summary.runId])).rows[0].status).toBe('SUCCEEDED');
  expect((await db.query('select row_number, column_name, reason from import_rejection where run_id = $1 order by row_number', [summary.runId])).rows).toEqual([
    { row_number: 3, column_name: 'note', reason: 'note contains a NUL character (U+0000), which cannot be stored' },
    { row_number: 4, column_name: 'source_id', reason: 'source id contains a NUL character (U+0000), which cannot be stored' },
  ]);
  expect((await db.query(`select source_id from service_record where source = 'nul-test' order by source_id`)).rows).toEqual([{ source_id: 'NUL-1' }, { source_id: 'NUL-4' }]);

  // JSON lines: an escaped \u0000 decodes to the same character.
  const jsonl = await run(`${JSON.stringify({ source_id: 'NUL-J', item_code: 'SOC-INSURANCE-01', received_at: '2024-03-02 09:00:00', status: 'OPEN', community_code: '370199001001', note: 'a\u0000b' })}\n`, {
    mapping: { ...gongjian, format: 'jsonl', source: 'nul-test' },
  });
  expect(jsonl).toMatchObject({ rowsRead: 1, inserted: 0, rejected: 1 });
});

test('importServiceRecords: a NUL in one record rejects that record, as a file import does; a NUL in source still refuses the mutation', async () => {
  const mutation = `mutation ($records: [ServiceRecordInput!]!, $source: String!) { importServiceRecords(records: $records, source: $source) { status rowsRead inserted rejected rejections { edges { node { rowNumber column reason } } } } }`;
  const record = (sourceId: string, note: string | null) => ({ sourceId, itemCode: 'SOC-INSURANCE-01', receivedAt: '2024-03-02T01:00:00Z', status: 'OPEN', communityCode: '370199001001', note });
  const answer = await app.execute(mutation, { source: 'nul-api', records: [record('NUL-A1', 'fine'), record('NUL-A2', 'bad\u0000note'), record('NUL\u0000A3', null), record('NUL-A4', null)] });
  expect(answer.errors).toBeUndefined();
  expect(answer.data.importServiceRecords).toMatchObject({ status: 'SUCCEEDED', rowsRead: 4, inserted: 2, rejected: 2 });
  expect(answer.data.importServiceRecords.rejections.edges.map((e: any) => e.node)).toEqual([
    { rowNumber: 2, column: 'note', reason: 'note contains a NUL character (U+0000), which cannot be stored' },
    { rowNumber: 3, column: 'sourceId', reason: 'source id contains a NUL character (U+0000), which cannot be stored' },
  ]);
  expect((await db.query(`select source_id from service_record where source = 'nul-api' order by source_id`)).rows).toEqual([{ source_id: 'NUL-A1' }, { source_id: 'NUL-A4' }]);

  // Every record rejected: the run is answered (its rejections say why) but FAILED, as the import command's exit code 1.
  const allRejected = await app.execute(mutation.replace('status ', 'status error '), { source: 'nul-api', records: [record('NUL-A6', 'bad\u0000note')] });
  expect(allRejected.errors).toBeUndefined();
  expect(allRejected.data.importServiceRecords).toMatchObject({ status: 'FAILED', error: 'nothing was imported: the one record was rejected (see the rejections)', inserted: 0, rejected: 1 });
  // The runs that imported nothing are one filter away.
  const failed = await app.execute(`{ importRuns(filter: { statuses: [FAILED], source: "nul-api" }) { totalCount edges { node { status source rejected } } } }`);
  expect(failed.data.importRuns).toEqual({ totalCount: 1, edges: [{ node: { status: 'FAILED', source: 'nul-api', rejected: 1 } }] });
  const succeeded = await app.execute(`{ importRuns(filter: { statuses: [SUCCEEDED], source: "nul-api" }) { totalCount } }`);
  expect(succeeded.data.importRuns.totalCount).toBe(1);
  expect((await app.execute(`{ importRuns(filter: { source: "no-such-source" }) { totalCount } }`)).data.importRuns.totalCount).toBe(0);

  const runs = await count('select count(*) as n from import_run');
  const refused = await app.execute(mutation, { source: 'nul\u0000api', records: [record('NUL-A5', null)] });
  expect(refused.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  expect(await count('select count(*) as n from import_run')).toBe(runs);
});

test('importServiceRecords: half a surrogate pair in a record rejects that record (it was stored as U+FFFD: two source ids collided, one lost as a "duplicate"); text as long as allowed is kept whole', async () => {
  const mutation = `mutation ($records: [ServiceRecordInput!]!, $source: String!) { importServiceRecords(records: $records, source: $source) { status inserted duplicates rejected rejections { edges { node { rowNumber column reason } } } } }`;
  const record = (sourceId: string, extra: Record<string, string> = {}) => ({ sourceId, itemCode: 'SOC-INSURANCE-01', receivedAt: '2024-03-02T01:00:00Z', status: 'OPEN', communityCode: '370199001001', ...extra });
  const agency = `${'a'.repeat(99)}😀`; // 100 characters as PostgreSQL counts them: kept whole
  const note = `${'b'.repeat(999)}😀`; // 1,000 characters (1,001 UTF-16 units): kept whole, not cut inside the emoji
  const answer = await app.execute(mutation, {
    source: 'surrogate-api',
    records: [record('SID-\ud800'), record('SID-\ud801'), record('SUR-NOTE', { note: 'a\ud800b' }), record('SUR-REF', { residentRef: '1101051949\udc00' }), record('SUR-OK', { agency, note })],
  });
  expect(answer.errors).toBeUndefined();
  expect(answer.data.importServiceRecords).toMatchObject({ status: 'SUCCEEDED', inserted: 1, duplicates: 0, rejected: 4 });
  const half = (what: string) => `${what} contains half of a surrogate pair (not valid Unicode text), which would be stored changed`;
  expect(answer.data.importServiceRecords.rejections.edges.map((e: any) => e.node)).toEqual([
    { rowNumber: 1, column: 'sourceId', reason: half('source id') },
    { rowNumber: 2, column: 'sourceId', reason: half('source id') },
    { rowNumber: 3, column: 'note', reason: half('note') },
    { rowNumber: 4, column: 'residentRef', reason: half('resident id') },
  ]);
  const stored = (await db.query(`select source_id, agency, note from service_record where source = 'surrogate-api'`)).rows;
  expect(stored).toEqual([{ source_id: 'SUR-OK', agency, note }]);
});

test('GBK-encoded input: detected when the file is not UTF-8, or chosen with --encoding; forced to UTF-8 its rows are refused, not stored garbled', async () => {
  const csv = `${GONGJIAN_CSV_HEADER}\nGBK-1,CIV-SUBSIDY-01,2024-05-06 10:00:00,2024-05-20 10:00:00,办结,370199001002,,,LOW_INCOME,COUNTER,4,,材料齐全\n`;
  const bytes = iconv.encode(csv, 'gbk');
  expect(bytes.equals(Buffer.from(csv))).toBe(false);

  const forcedUtf8 = await run(bytes, { encoding: 'utf8' });
  expect(forcedUtf8).toMatchObject({ inserted: 0, rejected: 1 });
  expect((await db.query('select reason from import_rejection where run_id = $1', [forcedUtf8.runId])).rows[0].reason).toMatch(/not valid UTF-8 text/);

  const detected = await run(bytes);
  expect(detected).toMatchObject({ inserted: 1, rejected: 0, encoding: 'gbk', encodingDetected: true });
  const stored = await db.query(`select status, note from service_record where source_id = 'GBK-1'`);
  expect(stored.rows[0]).toEqual({ status: 'FINISHED', note: '材料齐全' });

  const chosen = await run(bytes, { encoding: 'gbk' });
  expect(chosen).toMatchObject({ inserted: 0, duplicates: 1, encoding: 'gbk', encodingDetected: false });

  // GBK bytes after a UTF-8-clean first chunk: too late to switch, so that row is refused, the rest goes in.
  const asciiRows = Array.from({ length: 3 }, (_, i) => `GBK-A${i},CIV-SUBSIDY-01,2024-05-06 10:00:00,,OPEN,370199001002,,,,COUNTER,,,`).join('\n');
  const late = await importServiceFile({
    db, mapping: gongjian, fileName: 'late.csv',
    input: Readable.from([Buffer.from(`${GONGJIAN_CSV_HEADER}\n${asciiRows}\n`), iconv.encode('GBK-B,CIV-SUBSIDY-01,2024-05-06 10:00:00,,OPEN,370199001002,,,,COUNTER,,,材料齐全\n', 'gbk')]),
  });
  expect(late).toMatchObject({ inserted: 3, rejected: 1, encoding: 'utf8' });
  expect((await db.query('select row_number, reason from import_rejection where run_id = $1', [late.runId])).rows).toEqual([{ row_number: 5, reason: expect.stringMatching(/not valid UTF-8/) }]);
});

test('a UTF-8 file with one stray Latin-1 byte stays UTF-8: that row is refused, the Chinese of the others is not stored as GBK mojibake', async () => {
  const rows = Array.from({ length: 20 }, (_, i) => `STRAY-${i},CIV-SUBSIDY-01,2024-05-06 10:00:00,,OPEN,370199001002,,,,COUNTER,,,居民办理营业执照`);
  const input = Buffer.concat([Buffer.from(`${GONGJIAN_CSV_HEADER}\n${rows.join('\n')}\n`), Buffer.from('STRAY-X,CIV-SUBSIDY-01,2024-05-06 10:00:00,,OPEN,370199001002,,,,COUNTER,,,Cr'), Buffer.from([0xe8]), Buffer.from('me\n')]);
  // What the old rule saw: not UTF-8, yet decodes without a replacement character as GB18030.
  expect(iconv.decode(input, 'gb18030')).not.toContain('\ufffd');
  const summary = await run(input, { mapping: { ...gongjian, source: 'stray-byte' } });
  expect(summary).toMatchObject({ inserted: 20, rejected: 1, encoding: 'utf8', encodingDetected: false });
  const notes = await db.query(`select distinct note from service_record where source = 'stray-byte'`);
  expect(notes.rows).toEqual([{ note: '居民办理营业执照' }]);
});

test('GBK is read as GB18030 (four-byte characters too); bytes invalid in it refuse their row instead of being stored as U+FFFD', async () => {
  const mapping = { ...gongjian, source: 'gb18030-test' };
  const row = (id: string, note: string) => `${id},CIV-SUBSIDY-01,2024-05-08 10:00:00,,受理中,370199001002,,,,COUNTER,,,${note}\n`;
  const bad = Buffer.concat([iconv.encode(row('GB-3', '材料').trimEnd(), 'gbk'), Buffer.from([0xff, 0x81, 0x7f]), Buffer.from('\n')]);
  const file = Buffer.concat([iconv.encode(`${GONGJIAN_CSV_HEADER}\n${row('GB-1', '材料齐全')}${row('GB-2', '𠀀字')}`, 'gb18030'), bad, iconv.encode(row('GB-4', '齐全'), 'gbk')]);

  const forced = await run(file, { mapping, encoding: 'gbk' });
  expect(forced).toMatchObject({ rowsRead: 4, inserted: 3, rejected: 1 });
  expect((await db.query('select row_number, reason from import_rejection where run_id = $1', [forced.runId])).rows).toEqual([
    { row_number: 4, reason: 'the row is not valid GBK (GB18030) text (a UTF-8 export? import it with --encoding utf8)' },
  ]);
  expect((await db.query(`select source_id, note from service_record where source = 'gb18030-test' order by source_id`)).rows).toEqual([
    { source_id: 'GB-1', note: '材料齐全' }, { source_id: 'GB-2', note: '𠀀字' }, { source_id: 'GB-4', note: '齐全' },
  ]);

  // Detected from a clean first chunk, the bad bytes in a later one: the same.
  const detected = await importServiceFile({
    db, mapping: { ...mapping, source: 'gb18030-detected' }, fileName: 'detected.csv', input: Readable.from([file.subarray(0, file.indexOf(bad)), file.subarray(file.indexOf(bad))]),
  });
  expect(detected).toMatchObject({ encoding: 'gbk', encodingDetected: true, rowsRead: 4, inserted: 3, rejected: 1 });
});

test('GBK is detected even when the first 1 MB read ends in the middle of a two-byte character', async () => {
  const row = (i: number, pad: string) => `GBK-BIG-${i},CIV-SUBSIDY-01,2024-05-07 10:00:00,,受理中,370199001002,,,,COUNTER,,,材料齐全${pad}\n`;
  const build = (pad: string) => iconv.encode(GONGJIAN_CSV_HEADER + '\n' + Array.from({ length: 20_000 }, (_, i) => row(i, i === 0 ? pad : '')).join(''), 'gbk');
  // Pad the first note until byte 1,048,576 (where the CLI's first 1 MB read ends) is the second byte of a character.
  const boundary = 1 << 20;
  const splitsACharacter = (bytes: Buffer) => {
    let at = 0;
    while (at < boundary) at += bytes[at] < 0x80 ? 1 : 2;
    return at > boundary;
  };
  let bytes = build('');
  for (let pad = 'x'; !splitsACharacter(bytes); pad += 'x') bytes = build(pad);
  const file = path.join(tmp, 'gbk-boundary.csv');
  fs.writeFileSync(file, bytes);
  const summary = await importServiceFile({
    db, input: fs.createReadStream(file, { highWaterMark: boundary }), fileName: file, mapping: { ...gongjian, source: 'gbk-boundary' },
  });
  expect(summary).toMatchObject({ encoding: 'gbk', encodingDetected: true, rowsRead: 20_000, inserted: 20_000, rejected: 0 });
  expect((await db.query(`select count(*)::int as n, min(note) as note from service_record where source = 'gbk-boundary'`)).rows[0]).toEqual({ n: 20_000, note: '材料齐全' });
});

test('JSON lines import through the same mapping (keys are the column names); a broken line is rejected, not fatal', async () => {
  const mapping = { ...gongjian, format: 'jsonl' as const, source: 'jsonl-test' };
  const good = { source_id: 'J-1', item_code: 'CERT-ID-01', received_at: '2024-07-01 09:30:00', status: 'OPEN', community_code: '370199003004', resident_groups: 'YOUTH', satisfaction: null };
  const input = [JSON.stringify(good), '{"source_id": "J-2", broken', '["not", "an", "object"]', '', JSON.stringify({ ...good, source_id: 'J-3', item_code: 'NOPE' })].join('\n');
  const summary = await run(input, { mapping });
  expect(summary).toMatchObject({ rowsRead: 4, inserted: 1, rejected: 3 });
  const rejections = (await db.query('select row_number, column_name, reason from import_rejection where run_id = $1 order by row_number', [summary.runId])).rows;
  expect(rejections).toEqual([
    { row_number: 2, column_name: null, reason: expect.stringMatching(/^unreadable JSON/) },
    { row_number: 3, column_name: null, reason: 'a line must hold one JSON object' },
    { row_number: 5, column_name: 'item_code', reason: 'unknown service item "NOPE"' },
  ]);
  expect(await count(`select count(*) as n from service_record where source = 'jsonl-test' and source_id = 'J-1' and resident_groups = 4`)).toBe(1);
});

test('a rejection in a column whose header is longer than the report column still rejects one row, not the import', async () => {
  const header = '请您对本次办理的整体满意程度进行评价（1 表示非常不满意，5 表示非常满意），如未评价请留空。'.repeat(3);
  expect(header.length).toBeGreaterThan(100);
  const mapping = { ...gongjian, source: 'long-header', fields: { ...gongjian.fields, satisfaction: { ...gongjian.fields.satisfaction!, column: header } } };
  const row = (id: string, satisfaction: string) => `${id},SOC-INSURANCE-01,2024-03-01 09:00:00,2024-03-01 10:00:00,FINISHED,370199001001,,,,COUNTER,${satisfaction},,`;
  const csv = [GONGJIAN_CSV_HEADER.replace('satisfaction', `"${header}"`), row('LH-1', '5'), row('LH-2', '9'), row('LH-3', '4')].join('\n');
  const summary = await run(csv, { mapping });
  expect(summary).toMatchObject({ inserted: 2, rejected: 1 });
  const [rejection] = (await db.query('select row_number, column_name from import_rejection where run_id = $1', [summary.runId])).rows;
  expect(rejection).toEqual({ row_number: 3, column_name: header.slice(0, 100) });
});

test('JSON lines: a line with no end within the limit (a one-line JSON array) is refused as it streams; the lines after it go in', async () => {
  const mapping = { ...gongjian, format: 'jsonl' as const, source: 'jsonl-long' };
  const good = (id: string) => Buffer.from(`${JSON.stringify({ source_id: id, item_code: 'CERT-ID-01', received_at: '2024-07-01 09:30:00', status: 'OPEN', community_code: '370199003004' })}\n`);
  const piece = Buffer.from('{"source_id":"X"},'.repeat(4000));
  const chunks = [good('L-1'), Buffer.from('['), ...Array.from({ length: Math.ceil(1.5 * MAX_RECORD_CHARS / piece.length) }, () => piece), Buffer.from('{}]\n'), good('L-3')];
  const summary = await importServiceFile({ db, mapping, fileName: 'long.jsonl', input: Readable.from(chunks) });
  expect(summary).toMatchObject({ rowsRead: 3, inserted: 2, rejected: 1 });
  expect((await db.query('select row_number, reason from import_rejection where run_id = $1', [summary.runId])).rows).toEqual([{ row_number: 2, reason: expect.stringMatching(/^a line longer than/) }]);
});

test('a reason never echoes what an unreadable JSON line or a misplaced cell holds: only the kind and position of the error', async () => {
  const mapping = { ...gongjian, format: 'jsonl' as const, source: 'jsonl-privacy' };
  const good = { source_id: 'P-1', item_code: 'CERT-ID-01', received_at: '2024-07-03 09:30:00', status: 'OPEN', community_code: '370199003004' };
  const input = [
    `{"source_id": "P-2", "note": tel13812345678}`,
    `{"source_id": "P-3", "note": "370102199001011234" "more"}`,
    `{"source_id": "P-4", "note": "电话`,
    JSON.stringify({ ...good, source_id: 'P-5', status: '13812345678' }),
    JSON.stringify({ ...good, source_id: 'P-6', received_at: '370102199001011234' }),
  ].join('\n');
  const summary = await run(input, { mapping });
  expect(summary).toMatchObject({ rowsRead: 5, inserted: 0, rejected: 5 });
  const rejections = (await db.query('select row_number, column_name, reason from import_rejection where run_id = $1 order by row_number', [summary.runId])).rows;
  expect(rejections).toEqual([
    { row_number: 1, column_name: null, reason: 'unreadable JSON: unexpected character' },
    { row_number: 2, column_name: null, reason: "unreadable JSON at character 51: Expected ',' or '}' after property value" },
    { row_number: 3, column_name: null, reason: 'unreadable JSON at character 33: Unterminated string' },
    { row_number: 4, column_name: 'status', reason: 'unknown status "138****5678"' },
    { row_number: 5, column_name: 'received_at', reason: expect.stringMatching(/^malformed date "370\*{11}1234" \(expected /) },
  ]);
  // What analysts read through importRuns is the same text.
  const runs = await app.execute(`{ importRuns(first: 1) { edges { node { rejections(first: 10) { edges { node { reason } } } } } } }`);
  const reasons = JSON.stringify(runs.data.importRuns.edges[0].node.rejections);
  for (const secret of ['1381234', '3701021990', '电话', 'tel']) expect(reasons).not.toContain(secret);
});

test('a value a reason quotes (a name in the community column, say) is shown to staff only; analysts read "…"', async () => {
  const csv = [GONGJIAN_CSV_HEADER, 'NAME-1,SOC-INSURANCE-01,2024-03-01 09:00:00,,OPEN,王小明,,,,COUNTER,,,'].join('\n');
  const summary = await run(csv, { mapping: { ...gongjian, source: 'quoted-name' } });
  expect(summary).toMatchObject({ rejected: 1 });
  const READ = `{ importRuns(first: 1) { edges { node { rejections(first: 1) { edges { node { reason } } } } } } }`;
  const reasonAs = async (viewer?: ReturnType<typeof accountViewer>) => (await app.execute(READ, {}, viewer)).data.importRuns.edges[0].node.rejections.edges[0].node.reason;
  expect(await reasonAs()).toBe('unknown community "王小明"');
  expect(await reasonAs(accountViewer(Role.ANALYST, null))).toBe('unknown community "…"');
});

test('JSON lines: a number past 2^53 is refused for its row, not rounded into another record\'s id', async () => {
  const mapping = { ...gongjian, format: 'jsonl' as const, source: 'jsonl-big' };
  const line = (id: string) => `{"source_id": ${id}, "item_code": "CERT-ID-01", "received_at": "2024-07-02 09:30:00", "status": "OPEN", "community_code": "370199003004"}`;
  // 9007199254740993 and 9007199254740992 both parse to 9007199254740992.
  const summary = await run([line('9007199254740993'), line('9007199254740992'), line('9007199254740991'), line('"9007199254740993"')].join('\n'), { mapping });
  expect(summary).toMatchObject({ rowsRead: 4, inserted: 2, rejected: 2, duplicates: 0 });
  expect((await db.query('select row_number, column_name, reason from import_rejection where run_id = $1 order by row_number', [summary.runId])).rows).toEqual([
    { row_number: 1, column_name: 'source_id', reason: 'a number larger than 2^53 cannot be read exactly: give it as a JSON string' },
    { row_number: 2, column_name: 'source_id', reason: 'a number larger than 2^53 cannot be read exactly: give it as a JSON string' },
  ]);
  expect((await db.query(`select source_id from service_record where source = 'jsonl-big' order by source_id`)).rows).toEqual([{ source_id: '9007199254740991' }, { source_id: '9007199254740993' }]);
});

test('an unwritable report path fails before the run starts (no run row); a report write that fails mid-way fails the run, never leaves it RUNNING', async () => {
  const runs = () => count('select count(*) as n from import_run');
  const before = await runs();
  const csv = `${GONGJIAN_CSV_HEADER}\nREP-1,NO-SUCH-ITEM,2024-03-01 09:00:00,,OPEN,370199001001,,,,COUNTER,,,\n`;
  await expect(run(csv, { reportPath: path.join(tmp, 'no-such-dir', 'r.csv') })).rejects.toThrow(/^cannot write the report .*r\.csv: ENOENT$/);
  expect(await runs()).toBe(before);

  // /dev/full opens but every write fails (ENOSPC): the run ends FAILED with the reason.
  if (!fs.existsSync('/dev/full')) return;
  await expect(run(csv, { reportPath: '/dev/full' })).rejects.toThrow('cannot write the report /dev/full: ENOSPC');
  const last = (await db.query('select status, error from import_run order by id desc limit 1')).rows[0];
  expect(last).toEqual({ status: 'FAILED', error: 'cannot write the report /dev/full: ENOSPC' });
});

test('a run whose set-up fails (the database is gone) closes its report file instead of leaking the descriptor', async () => {
  const report = path.join(tmp, 'setup-fails.rejects.csv');
  const openOnReport = () => fs.readdirSync('/proc/self/fd').filter((fd) => {
    try {
      return fs.readlinkSync(`/proc/self/fd/${fd}`) === report;
    } catch {
      return false; // the directory's own descriptor, already gone
    }
  });
  const gone = { query: () => Promise.reject(new Error('Connection terminated unexpectedly')) } as unknown as pg.Client;
  await expect(importServiceFile({ db: gone, input: Readable.from([Buffer.from(`${GONGJIAN_CSV_HEADER}\n`)]), fileName: 'x.csv', mapping: gongjian, reportPath: report }))
    .rejects.toThrow('Connection terminated unexpectedly');
  expect(openOnReport()).toEqual([]);
});

test('re-importing a file adds nothing, and the incremental roll-ups equal a full rebuild', async () => {
  const file = path.join(tmp, 'city.csv');
  fs.writeFileSync(file, [...generateServiceRecords({ records: 6000, seed: 11, days: 60 })].join(''));
  const first = await importServiceFile({ db, more: [db2], input: fs.createReadStream(file), fileName: file, mapping: gongjian, batchRows: 1000 });
  expect(first).toMatchObject({ rowsRead: 6000, inserted: 6000, duplicates: 0, rejected: 0 });
  const before = await count('select count(*) as n from service_record');
  const second = await importServiceFile({ db, more: [db2], input: fs.createReadStream(file), fileName: file, mapping: gongjian, batchRows: 1000 });
  expect(second).toMatchObject({ rowsRead: 6000, inserted: 0, duplicates: 6000, rejected: 0 });
  expect(await count('select count(*) as n from service_record')).toBe(before);

  const incremental = await rollupSnapshot('service_daily');
  expect(incremental.reduce((sum, row) => sum + row.count, 0)).toBe(before);
  await db.query('begin');
  await rebuildRollups(db);
  await db.query('commit');
  expect(await rollupSnapshot('service_daily')).toEqual(incremental);
});

test('two imports of the same rows in opposite orders at once both finish (no deadlock), and each row goes in once', async () => {
  const [header, ...lines] = [...generateServiceRecords({ records: 20_000, seed: 37, days: 30, startDay: '2022-05-01' })];
  const mapping = { ...gongjian, source: 'opposite-order' };
  // One batch each, on two connections: both inserts run at once, one from the first id up, one from the last down.
  const importLines = (client: pg.Client, rows: string[], fileName: string) =>
    importServiceFile({ db: client, input: Readable.from([Buffer.from([header, ...rows].join(''))]), fileName, mapping, batchRows: 50_000 });
  const [forward, backward] = await Promise.all([importLines(db, lines, 'forward.csv'), importLines(db2, [...lines].reverse(), 'backward.csv')]);
  expect(forward.inserted + backward.inserted).toBe(20_000);
  expect(forward.inserted + forward.duplicates).toBe(20_000);
  expect(backward.inserted + backward.duplicates).toBe(20_000);
  expect(await count(`select count(*) as n from service_record where source = 'opposite-order'`)).toBe(20_000);
  expect(await count(`select sum(count) as n from service_daily where day between '2022-05-01' and '2022-05-30'`)).toBe(20_000);
});

test('progress is reported after every committed batch, so a bar can follow what is saved, not only what is read', async () => {
  const csv = [...generateServiceRecords({ records: 2500, seed: 31, days: 10, startDay: '2023-03-01' })].join('');
  const reports: { rowsRead: number; committed: number }[] = [];
  const summary = await run(csv, {
    mapping: { ...gongjian, source: 'progress-a' },
    batchRows: 1000,
    onProgress: ({ rowsRead, totals }) => reports.push({ rowsRead, committed: totals.rowsRead }),
  });
  expect(summary.inserted).toBe(2500);
  // Batches of 1,000, 1,000 and 500: each commit is reported with its batch counted.
  expect([...new Set(reports.map((report) => report.committed))]).toEqual([1000, 2000, 2500]);
  expect(reports.at(-1)).toEqual({ rowsRead: 2500, committed: 2500 });
});

test('a bulk import refreshes the planner statistics of the records and every roll-up it wrote', async () => {
  const stats = async () => (await db.query<{ relname: string; reltuples: number }>(
    `select relname, reltuples::float8 as reltuples from pg_class where relname in ('service_record', 'service_daily', 'demand_daily', 'demand_monthly', 'demand_grid_daily', 'demand_grid_monthly')`,
  )).rows;
  const exact = async () => {
    const counts: Record<string, number> = {};
    for (const table of ['service_record', 'service_daily', 'demand_daily', 'demand_monthly']) counts[table] = await count(`select count(*) as n from ${table}`);
    return counts;
  };
  const csv = [...generateServiceRecords({ records: 1500, seed: 29, days: 20, startDay: '2023-02-01' })].join('');
  // Under the threshold: nothing analysed (the counts the planner knows lag behind).
  await importServiceFile({ db, input: Readable.from([Buffer.from(csv)]), fileName: 'small.csv', mapping: { ...gongjian, source: 'stats-a' }, analyzeAfterRows: 10_000 });
  const before = Object.fromEntries((await stats()).map((row) => [row.relname, row.reltuples]));
  expect(before.service_record).not.toBe((await exact()).service_record);
  await importServiceFile({ db, input: Readable.from([Buffer.from(csv)]), fileName: 'bulk.csv', mapping: { ...gongjian, source: 'stats-b' }, analyzeAfterRows: 1000 });
  // ANALYZE of a table this small reads every row: reltuples is then the exact count.
  const after = Object.fromEntries((await stats()).map((row) => [row.relname, row.reltuples]));
  const counts = await exact();
  for (const table of Object.keys(counts)) expect({ table, reltuples: after[table] }).toEqual({ table, reltuples: counts[table] });
  expect(Object.keys(after)).toHaveLength(6);
});

test('request_daily is built from requests and refreshes by day range', async () => {
  const category = (await db.query(`select id from request_category where code = 'HOUSING-REPAIR'`)).rows[0].id;
  const grid = (await db.query(`select id, path from area where level = 'GRID' order by id limit 1`)).rows[0];
  const communityId = Number(grid.path.split('/')[3]);
  const insert = (n: number, created: string, status: string, group: string | null, satisfaction: number | null, resolved: string | null) =>
    db.query(
      `insert into request (created_at, updated_at, number, title, body, channel, category_id, area_id, resident_group, status, level, due_at, resolved_at, satisfaction)
       values ($1, $1, $2, 't', 'b', 'COUNTER', $3, $4, $5, $6, 'COMMUNITY', $1::timestamptz + interval '3 days', $7, $8)`,
      [created, `T-${n}`, category, grid.id, group, status, resolved, satisfaction],
    );
  await insert(1, '2024-04-01T02:00:00Z', 'ORDERED', 'ELDERLY', null, null);
  await insert(2, '2024-04-01T03:00:00Z', 'RESOLVED', null, 4, '2024-04-02T03:00:00Z');
  await db.query('begin');
  await refreshRequestDaily(db, '2024-04-01', '2024-04-01');
  await db.query('commit');
  const rows = (await db.query('select day::text, category_id, community_id, resident_groups, count, open, resolved, resolve_seconds_sum::int, satisfaction_sum from request_daily order by resident_groups')).rows;
  expect(rows).toEqual([
    { day: '2024-04-01', category_id: category, community_id: communityId, resident_groups: 0, count: 1, open: 0, resolved: 1, resolve_seconds_sum: 86400, satisfaction_sum: 4 },
    { day: '2024-04-01', category_id: category, community_id: communityId, resident_groups: 1, count: 1, open: 1, resolved: 0, resolve_seconds_sum: 0, satisfaction_sum: 0 },
  ]);
  const snapshot = await rollupSnapshot('request_daily');
  await db.query('begin');
  await rebuildRollups(db);
  await db.query('commit');
  expect(await rollupSnapshot('request_daily')).toEqual(snapshot);
});

test('importServiceRecords goes through the same path; serviceStats reads the roll-ups and matches the records', async () => {
  const mutation = `mutation ($records: [ServiceRecordInput!]!) { importServiceRecords(records: $records) { status rowsRead inserted duplicates rejected rejections { edges { node { rowNumber column reason } } } } }`;
  const records = [
    { sourceId: 'API-1', itemCode: 'CARE-CANTEEN-01', receivedAt: '2024-06-03T01:00:00Z', finishedAt: '2024-06-03T03:00:00Z', status: 'FINISHED', communityCode: '370199002003', residentGroups: ['ELDERLY', 'DISABLED'], satisfaction: 5, residentRef: '370102199001011234' },
    { sourceId: 'API-2', itemCode: 'NOT-AN-ITEM', receivedAt: '2024-06-03T01:00:00Z', status: 'OPEN', communityCode: '370199002003' },
  ];
  const first = await app.execute(mutation, { records });
  expect(first.errors).toBeUndefined();
  expect(first.data.importServiceRecords).toMatchObject({ status: 'SUCCEEDED', rowsRead: 2, inserted: 1, duplicates: 0, rejected: 1 });
  expect(first.data.importServiceRecords.rejections.edges[0].node).toEqual({ rowNumber: 2, column: 'itemCode', reason: 'unknown service item "NOT-AN-ITEM"' });
  const again = await app.execute(mutation, { records });
  expect(again.data.importServiceRecords).toMatchObject({ inserted: 0, duplicates: 1, rejected: 1 });
  const stored = (await db.query(`select resident_hash from service_record where source = 'api' and source_id = 'API-1'`)).rows[0];
  expect(stored.resident_hash).toMatch(/^[0-9a-f]{32}$/);

  const tooMany = await app.execute(mutation, { records: Array.from({ length: 5001 }, (_, i) => ({ ...records[0], sourceId: `X-${i}` })) });
  expect(tooMany.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');

  const district = (await db.query(`select id from area where level = 'DISTRICT'`)).rows[0].id;
  const districtId = Buffer.from(`District:${district}`).toString('base64url');
  const stats = async (groupBy: string) => {
    const result = await app.execute(
      `query ($input: ServiceStatsInput!) { serviceStats(input: $input) { total { serviceCount consultations demands requestCount satisfactionAverage } rows { key label serviceCount requestCount demandTotal } } }`,
      { input: { areaId: districtId, from: '2024-01-01', to: '2024-12-31', groupBy } },
    );
    expect(result.errors).toBeUndefined();
    return result.data.serviceStats;
  };
  const expected = await count(`select count(*) as n from service_record where (received_at at time zone 'Asia/Shanghai')::date between '2024-01-01' and '2024-12-31'`);
  const byCategory = await stats('CATEGORY');
  expect(byCategory.total.serviceCount).toBe(expected);
  expect(byCategory.rows.reduce((sum: number, row: { serviceCount: number }) => sum + row.serviceCount, 0)).toBe(expected);
  expect(byCategory.rows.find((row: { key: string }) => row.key === 'HOUSING-REPAIR').requestCount).toBe(2);
  const byGroup = await stats('RESIDENT_GROUP');
  expect(byGroup.rows.reduce((sum: number, row: { serviceCount: number }) => sum + row.serviceCount, 0)).toBeGreaterThanOrEqual(expected);
  const byDay = await stats('DAY');
  expect(byDay.rows.map((row: { key: string }) => row.key)).toEqual([...byDay.rows.map((row: { key: string }) => row.key)].sort());
  // Every day of 2024 (a leap year), for a line chart: a day with nothing counted is a row of zeros, not missing.
  expect(byDay.rows.map((row: { key: string }) => row.key)).toEqual(Array.from({ length: 366 }, (_, i) => new Date(Date.UTC(2024, 0, 1 + i)).toISOString().slice(0, 10)));
  const emptyDay = byDay.rows.find((row: { serviceCount: number; requestCount: number }) => row.serviceCount === 0 && row.requestCount === 0);
  expect(emptyDay).toEqual({ key: emptyDay.key, label: emptyDay.key, serviceCount: 0, requestCount: 0, demandTotal: 0 });

  // lastDays: the same figures as the days it resolves to, and the answer says which days.
  const lastDaysQuery = `query ($input: ServiceStatsInput!) { serviceStats(input: $input) { from to total { serviceCount requestCount } } }`;
  app.clock.set(new Date('2024-12-31T15:59:59Z')); // 23:59:59 on 31 December 2024 in China
  try {
    const lastYear = await app.execute(lastDaysQuery, { input: { areaId: districtId, lastDays: 366, groupBy: 'CATEGORY' } });
    expect(lastYear.errors).toBeUndefined();
    expect(lastYear.data.serviceStats).toEqual({ from: '2024-01-01', to: '2024-12-31', total: { serviceCount: expected, requestCount: byCategory.total.requestCount } });
  } finally {
    app.clock.reset();
  }
  for (const [input, field] of [[{ lastDays: 7, from: '2024-01-01' }, 'input.lastDays'], [{ lastDays: 3661 }, 'input.lastDays'], [{ from: '2024-01-01' }, 'input.to'], [{ from: '2024-12-31', to: '2024-01-01' }, 'input.to']] as const) {
    const bad = await app.execute(lastDaysQuery, { input: { areaId: districtId, groupBy: 'CATEGORY', ...input } });
    expect(bad.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
  }

  const grid = (await db.query(`select id from area where level = 'GRID' limit 1`)).rows[0].id;
  const refused = await app.execute(`query ($input: ServiceStatsInput!) { serviceStats(input: $input) { total { serviceCount } } }`, {
    input: { areaId: Buffer.from(`Grid:${grid}`).toString('base64url'), from: '2024-01-01', to: '2024-12-31', groupBy: 'ITEM' },
  });
  expect(refused.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');

  const items = await app.execute(`{ serviceItems(first: 5, filter: { search: "养老金" }) { totalCount edges { node { code name isConsultation residentGroups category { code parent { code } } } } } }`);
  expect(items.errors).toBeUndefined();
  expect(items.data.serviceItems.totalCount).toBeGreaterThan(0);
  expect(items.data.serviceItems.edges[0].node.category.parent.code).toBe('SOC');
});

test('averageCloseHours averages FINISHED records only: a CANCELLED record with a finish time adds nothing to the close-time sum; the migration fixes stored sums', async () => {
  const row = (id: string, status: string, finished: string) => `${id},SOC-INSURANCE-01,2021-02-01 09:00:00,${finished},${status},370199001001,,,,COUNTER,,,`;
  const csv = [GONGJIAN_CSV_HEADER, row('AVG-1', 'FINISHED', '2021-02-01 11:00:00'), row('AVG-2', 'CANCELLED', '2021-02-01 19:00:00'), row('AVG-3', 'OPEN', '')].join('\n');
  expect(await run(csv, { mapping: { ...gongjian, source: 'avg-close' } })).toMatchObject({ inserted: 3 });
  const district = (await db.query(`select id from area where level = 'DISTRICT'`)).rows[0].id;
  const average = async () => {
    const result = await app.execute(`query ($input: ServiceStatsInput!) { serviceStats(input: $input) { total { finished averageCloseHours } } }`, {
      input: { areaId: Buffer.from(`District:${district}`).toString('base64url'), from: '2021-02-01', to: '2021-02-01', groupBy: 'ITEM' },
    });
    expect(result.errors).toBeUndefined();
    return result.data.serviceStats.total;
  };
  expect(await average()).toEqual({ finished: 1, averageCloseHours: 2 });

  // Sums stored by the old code (FINISHED + CANCELLED: 2 h + 10 h) are recomputed by the migration.
  await db.query(`update service_daily set close_seconds_sum = 43200 where day = '2021-02-01'`);
  expect(await average()).toEqual({ finished: 1, averageCloseHours: 12 });
  const migration = new Migration20261203100000_service_daily_close_seconds(app.orm.em.getDriver(), app.orm.config);
  await migration.up();
  for (const query of migration.getQueries()) await db.query(String(query));
  expect(await average()).toEqual({ finished: 1, averageCloseHours: 2 });
});

test('grid and building names are looked up inside the record\'s community: two communities with a grid of the same name each get their own', async () => {
  const areas = async (level: string) => (await db.query(`select a.id, a.path, c.code as community from area a join area c on c.id = split_part(a.path, '/', 4)::int where a.level = $1 order by a.id`, [level])).rows;
  const pick = (rows: { id: number; community: string }[]) => [rows[0], rows.find((row) => row.community !== rows[0].community)!];
  const [gridA, gridB] = pick(await areas('GRID'));
  const [buildingA, buildingB] = pick(await areas('BUILDING'));
  await db.query(`update area set name = '第一网格' where id in ($1, $2)`, [gridA.id, gridB.id]);
  await db.query(`update area set name = '1号楼' where id in ($1, $2)`, [buildingA.id, buildingB.id]);
  const mapping = { ...gongjian, source: 'by-name', fields: { ...gongjian.fields, grid: { column: 'grid_code', by: 'name' as const }, building: { column: 'building_code', by: 'name' as const } } };
  const row = (id: string, community: string, grid: string, building: string) => `${id},SOC-INSURANCE-01,2024-03-03 09:00:00,,OPEN,${community},${grid},${building},,COUNTER,,,`;
  const csv = [GONGJIAN_CSV_HEADER, row('N-A', gridA.community, '第一网格', ''), row('N-B', gridB.community, '第一网格', ''), row('N-C', buildingA.community, '', '1号楼'), row('N-D', buildingB.community, '', '1号楼')].join('\n');
  expect(await run(csv, { mapping })).toMatchObject({ inserted: 4, rejected: 0 });
  const stored = (await db.query(`select source_id, grid_id, building_id from service_record where source = 'by-name' order by source_id`)).rows;
  expect(stored).toEqual([
    { source_id: 'N-A', grid_id: gridA.id, building_id: null },
    { source_id: 'N-B', grid_id: gridB.id, building_id: null },
    { source_id: 'N-C', grid_id: null, building_id: buildingA.id },
    { source_id: 'N-D', grid_id: null, building_id: buildingB.id },
  ]);
});

test('the demo records: generated for the communities in the database, through the import, over the days up to lastDay, deterministic', async () => {
  const first = await seedDemoRecords(app.databaseUrl, { records: 3000, lastDay: '2026-06-30', days: 90 });
  expect(first).toMatchObject({ rowsRead: 3000, inserted: 3000, duplicates: 0, rejected: 0, firstDay: '2026-04-02', lastDay: '2026-06-30' });
  const range = (await db.query(
    `select min((received_at at time zone 'Asia/Shanghai')::date)::text as first, max((received_at at time zone 'Asia/Shanghai')::date)::text as last,
       count(distinct community_id)::int as communities, count(*)::int as n from service_record where source = $1`,
    [DEMO_RECORDS_SOURCE],
  )).rows[0];
  expect(range).toEqual({ first: '2026-04-02', last: '2026-06-30', communities: 12, n: 3000 });
  // The run is an ordinary import run, and the roll-ups hold the records.
  expect((await db.query('select source, status, inserted from import_run where id = $1', [first.runId])).rows[0]).toEqual({ source: 'demo', status: 'SUCCEEDED', inserted: 3000 });
  expect(await count(`select sum(count) as n from service_daily where day between '2026-04-02' and '2026-06-30'`)).toBe(3000);
  // Same window again: the same source ids, so nothing new.
  const again = await seedDemoRecords(app.databaseUrl, { records: 3000, lastDay: '2026-06-30', days: 90 });
  expect(again).toMatchObject({ inserted: 0, duplicates: 3000 });
});

test('SEED_RECORDS is validated: a whole number 0-5000000, 100000 by default', () => {
  expect(loadConfig({}).SEED_RECORDS).toBe(100_000);
  expect(loadConfig({ SEED_RECORDS: '0' }).SEED_RECORDS).toBe(0);
  expect(() => loadConfig({ SEED_RECORDS: '-5' })).toThrow('Invalid configuration: SEED_RECORDS must be 0-5000000 (got "-5")');
  expect(() => loadConfig({ SEED_RECORDS: 'lots' })).toThrow(/^Invalid configuration: SEED_RECORDS/);
});
