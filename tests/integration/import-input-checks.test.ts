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
