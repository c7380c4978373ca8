/* Import input that must be refused, found by a review of the one-window data: each test failed before its fix. */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import pg from 'pg';
import { PROJECT_ROOT } from '../../src/config/paths';
import { GONGJIAN_CSV_HEADER } from '../../src/modules/service-data/generator';
import { importServiceFile, type ImportOptions } from '../../src/modules/service-data/import';
import { loadMapping, parseMapping } from '../../src/modules/service-data/mapping';
import { createDemoCityApp, type TestApp } from '../helpers/test-app';
import iconv from 'iconv-lite';
import { DEFAULT_TEDDY_FILE, readTeddyMessages } from '../../src/modules/text/classifier-eval';

let app: TestApp;
let db: pg.Client;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'import-input-'));
const gongjian = loadMapping(path.join(PROJECT_ROOT, 'mappings', 'gongjian.json'));

beforeAll(async () => {
  ({ app, db } = await createDemoCityApp());
});
afterAll(async () => {
  await db?.end();
  await app?.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

const run = (input: string, options: Partial<ImportOptions> = {}) =>
  importServiceFile({ db, input: Readable.from([Buffer.from(input)]), fileName: 'review.csv', mapping: gongjian, ...options });
const rejections = async (runId: number) =>
  (await db.query('select row_number, column_name, reason from import_rejection where run_id = $1 order by row_number', [runId])).rows;

test('a resident group named like an Object.prototype key ("constructor", "toString") is rejected, not stored as no group', async () => {
  const row = (id: string, groups: string) => `${id},SOC-INSURANCE-01,2024-03-01 09:00:00,,OPEN,370199001001,,,${groups},COUNTER,,,`;
  const csv = [GONGJIAN_CSV_HEADER, row('PROTO-1', 'constructor'), row('PROTO-2', 'toString|ELDERLY')].join('\n');
  const summary = await run(csv, { mapping: { ...gongjian, source: 'proto' } });
  expect(summary).toMatchObject({ rowsRead: 2, inserted: 0, rejected: 2 });
  expect(await rejections(summary.runId)).toEqual([
    { row_number: 2, column_name: 'resident_groups', reason: 'unknown resident group "constructor"' },
    { row_number: 3, column_name: 'resident_groups', reason: 'unknown resident group "toString"' },
  ]);
});

test('an impossible mapping timezone (+80:00, +08:60) is refused, not applied to every row', async () => {
  const csv = [GONGJIAN_CSV_HEADER, 'TZ-1,SOC-INSURANCE-01,2024-03-01 09:00:00,,OPEN,370199001001,,,,COUNTER,,,'].join('\n');
  await expect(run(csv, { mapping: { ...gongjian, source: 'tz80', timezone: '+80:00' } })).rejects.toThrow(/timezone/);
  expect((await db.query(`select count(*)::int as n from service_record where source = 'tz80'`)).rows).toEqual([{ n: 0 }]);
  const base = { name: 'tz', source: 'tz', dateFormats: ['YYYY-MM-DD HH:mm:ss'], fields: { sourceId: { column: 'a' }, item: { column: 'b' }, receivedAt: { column: 'c' }, status: { column: 'd' }, community: { column: 'e' } } };
  expect(() => parseMapping({ ...base, timezone: '+80:00' })).toThrow(/timezone/);
  expect(() => parseMapping({ ...base, timezone: '+08:60' })).toThrow(/timezone/);
});

test('a mapping that cannot work (a required field with no column, a quote as delimiter) is refused when read, before a run is started', async () => {
  const noItem = { ...gongjian, fields: { ...gongjian.fields, item: { by: 'code' } } };
  expect(() => parseMapping(noItem)).toThrow(/item/);
  expect(() => parseMapping({ ...gongjian, delimiter: '"' })).toThrow(/delimiter/);
});

test('a community name shared by two communities is rejected as ambiguous, not given to one of them', async () => {
  const [{ name }] = (await db.query(`select name from area where code = '370199001001'`)).rows;
  await db.query(`update area set name = $1 where code = '370199002001'`, [name]);
  try {
    const byName = { ...gongjian, source: 'by-name', fields: { ...gongjian.fields, community: { column: 'community_code', by: 'name' as const } } };
    const csv = [GONGJIAN_CSV_HEADER, `NAME-1,SOC-INSURANCE-01,2024-03-01 09:00:00,,OPEN,${name},,,,COUNTER,,,`].join('\n');
    const summary = await run(csv, { mapping: byName });
    expect(summary).toMatchObject({ inserted: 0, rejected: 1 });
    expect(await rejections(summary.runId)).toEqual([{ row_number: 2, column_name: 'community_code', reason: `community name "${name}" is shared by several communities: map the community by code` }]);
  } finally {
    await db.query(`update area set name = $1 where code = '370199002001'`, [`${name}-restored`]);
  }
});

test('npm run generate refuses an impossible --start with exit 2 (not a stack trace, not a silent roll-over)', () => {
  const cli = path.join(PROJECT_ROOT, 'dist', 'src', 'cli', 'generate.js');
  const gen = (start: string) => spawnSync(process.execPath, [cli, '--records', '3', '--out', path.join(tmp, `g-${start}.csv`), '--start', start], { encoding: 'utf8' });
  const month13 = gen('2024-13-01');
  expect(month13.stderr).not.toMatch(/RangeError/);
  expect(month13.status).toBe(2);
  expect(gen('2024-02-30').status).toBe(2);
});

test('npm run import: a batch the database refuses with a message quoting a row value prints SQLSTATE and table, never the value', async () => {
  // A trigger casting the note stands in for any statement error PostgreSQL words with the value
  // (`invalid input syntax for type bigint: "<note>"`): the CLI printed that message raw.
  const phone = '13812345678';
  await db.query(`create function test_note_as_number() returns trigger language plpgsql as $$
    begin if new.source_id like 'QUOTED-%' then perform new.note::bigint; end if; return new; end $$`);
  await db.query(`create trigger test_note_as_number before insert on service_record for each row execute function test_note_as_number()`);
  try {
    const file = path.join(tmp, 'quoted.csv');
    fs.writeFileSync(file, `${GONGJIAN_CSV_HEADER}\nQUOTED-1,SOC-INSURANCE-01,2024-03-01 09:00:00,,OPEN,370199001001,,,,COUNTER,,,请王建国回电${phone}\n`);
    const cli = path.join(PROJECT_ROOT, 'dist', 'src', 'cli', 'import.js');
    const report = path.join(tmp, 'quoted.rejects.csv');
    const result = spawnSync(process.execPath, [cli, file, '--report', report, '--connections', '1'], { encoding: 'utf8', env: { ...process.env, DATABASE_URL: app.databaseUrl, LOG_LEVEL: 'silent' } });
    expect(result.status).toBe(1);
    const printed = `${result.stdout}\n${result.stderr}`;
    expect(result.stderr).toMatch(/import failed: the database refused a batch \(SQLSTATE 22P02\b.*\): invalid input syntax for type bigint: "…"; that batch was rolled back/);
    expect(printed).not.toContain(phone);
    expect(printed).not.toContain('王建国');
    expect(fs.readFileSync(report, 'utf8')).not.toContain(phone);
    const [run] = (await db.query(`select status, error from import_run where file_name = 'quoted.csv'`)).rows;
    expect(run.status).toBe('FAILED');
    expect(run.error).not.toContain(phone);
    expect((await db.query(`select count(*)::int as n from service_record where source_id like 'QUOTED-%'`)).rows).toEqual([{ n: 0 }]);
  } finally {
    await db.query('drop trigger test_note_as_number on service_record');
    await db.query('drop function test_note_as_number()');
  }
});

test('npm run import: a quoted value holding " - " or quotes is blanked whole, the name in it never printed (found by a review)', async () => {
  // The note is the value PostgreSQL quotes: the message was cut at its last " - " (a statement knex
  // may put first) and each pair of quotes blanked, which printed 王建国 and 李秀英 from the note.
  await db.query(`create function test_note_as_number_b() returns trigger language plpgsql as $$
    begin if new.source_id like 'QUOTEDB-%' then perform new.note::bigint; end if; return new; end $$`);
  await db.query(`create trigger test_note_as_number_b before insert on service_record for each row execute function test_note_as_number_b()`);
  try {
    const cli = path.join(PROJECT_ROOT, 'dist', 'src', 'cli', 'import.js');
    for (const [name, note] of [['dash', '请回电 - 王建国'], ['quotes', '请""王建国""回电 - ""李秀英']] as const) {
      const file = path.join(tmp, `quoted-${name}.csv`);
      fs.writeFileSync(file, `${GONGJIAN_CSV_HEADER}\nQUOTEDB-${name},SOC-INSURANCE-01,2024-03-01 09:00:00,,OPEN,370199001001,,,,COUNTER,,,"${note}"\n`);
      const result = spawnSync(process.execPath, [cli, file, '--report', path.join(tmp, `quoted-${name}.rejects.csv`), '--connections', '1'], { encoding: 'utf8', env: { ...process.env, DATABASE_URL: app.databaseUrl, LOG_LEVEL: 'silent' } });
      expect(result.status).toBe(1);
      expect(result.stderr).toMatch(/import failed: the database refused a batch \(SQLSTATE 22P02\b.*\): invalid input syntax for type bigint: "…"; that batch was rolled back/);
      for (const secret of ['王建国', '李秀英']) expect(`${result.stdout}\n${result.stderr}`).not.toContain(secret);
    }
  } finally {
    await db.query('drop trigger test_note_as_number_b on service_record');
    await db.query('drop function test_note_as_number_b()');
  }
});

describe('mixed encodings (found by a review): UTF-8 rows in a file read as GBK are rejected, never stored as mojibake', () => {
  const row = (id: string, note: string) => `${id},SOC-INSURANCE-02,2024-01-01 09:53:09,2024-01-05 11:39:29,FINISHED,370199001002,,,GENERAL,PHONE,4,,${note}\n`;
  const runBytes = (input: Buffer, source: string, options: Partial<ImportOptions> = {}) =>
    importServiceFile({ db, input: Readable.from([input]), fileName: 'mixed.csv', mapping: { ...gongjian, source }, ...options });
  const notes = async (source: string) => Object.fromEntries((await db.query(`select source_id, note from service_record where source = $1`, [source])).rows.map((r) => [r.source_id, r.note]));
  const UTF8_IN_GBK = 'the row is UTF-8 text in a file read as GBK (mixed encodings): import such rows from a UTF-8 file (--encoding utf8)';

  test('detected GBK, and forced with --encoding gbk: the GBK row goes in as written, the UTF-8 rows are rejected (they were stored as 鏉愭枡榻愬叏)', async () => {
    const input = Buffer.concat([Buffer.from(`${GONGJIAN_CSV_HEADER}\n`), iconv.encode(row('MIX-GBK', '群众表示满意'), 'gbk'), Buffer.from(row('MIX-U1', '材料齐全')), Buffer.from(row('MIX-U2', '已办结，群众满意'))]);
    for (const [source, options] of [['mixed-detected', {}], ['mixed-forced', { encoding: 'gbk' as const }]] as const) {
      const summary = await runBytes(input, source, options);
      expect(summary).toMatchObject({ inserted: 1, rejected: 2 });
      expect(await notes(source)).toEqual({ 'MIX-GBK': '群众表示满意' });
      expect(await rejections(summary.runId)).toEqual([
        { row_number: 3, column_name: null, reason: UTF8_IN_GBK },
        { row_number: 4, column_name: null, reason: UTF8_IN_GBK },
      ]);
    }
  });

  test('real Chinese text in GBK is never taken for UTF-8: nearly 500 resident messages\' subjects all go in as written', async () => {
    const subjects = [...new Set(readTeddyMessages(DEFAULT_TEDDY_FILE).map((m) => m.text.split('\n')[0].replace(/[,"\r]/g, ' ').trim().slice(0, 200)).filter(Boolean))];
    expect(subjects.length).toBeGreaterThan(400);
    const input = Buffer.concat([Buffer.from(`${GONGJIAN_CSV_HEADER}\n`), iconv.encode(subjects.map((subject, i) => row(`GBK-REAL-${i}`, subject)).join(''), 'gb18030')]);
    const summary = await runBytes(input, 'gbk-real');
    expect(summary).toMatchObject({ rowsRead: subjects.length, inserted: subjects.length, rejected: 0 });
    const stored = await notes('gbk-real');
    expect(subjects.filter((subject, i) => stored[`GBK-REAL-${i}`] !== subject)).toEqual([]);
  });
});
