import path from 'node:path';
import { Readable } from 'node:stream';
import pg from 'pg';
import { readDataStart, type ReadSpec } from '../../analytics/demand/source';
import { chinaDay } from '../../analytics/demand/dates';
import { PROJECT_ROOT } from '../../src/config/paths';
import { workCalendar } from '../../src/modules/calendar/work-calendar';
import { importServiceFile } from '../../src/modules/service-data/import';
import { loadMapping } from '../../src/modules/service-data/mapping';
import { GONGJIAN_CSV_HEADER } from '../../src/modules/service-data/generator';
import { createDemoCityApp, type TestApp } from '../helpers/test-app';

/**
 * A one-window counter records on the days it is open: the working days of the calendar
 * (work_calendar, chinese-days), weekend days worked in lieu included, holidays and weekends not.
 * Its Spring Festival closure is no gap in collection (trend.ts: closures are read as the real
 * lack of service they are), however the holiday falls.
 */
const COMMUNITY = '370199001001';
const ITEM = 'CIV-MARRIAGE-01';

let app: TestApp;
let db: pg.Client;

const gid = (type: string, id: number) => Buffer.from(`${type}:${id}`).toString('base64url');
const openDays = (first: string, last: string) => workCalendar().filter((d) => d.workday && d.day >= first && d.day <= last).map((d) => d.day);

async function loadDays(name: string, days: string[]) {
  const lines = [GONGJIAN_CSV_HEADER, ...days.map((d) => `${name}-${d},${ITEM},${d} 10:00:00,${d} 11:00:00,FINISHED,${COMMUNITY},,,,COUNTER,,,`)];
  const mapping = loadMapping(path.join(PROJECT_ROOT, 'mappings', 'gongjian.json'));
  expect(await importServiceFile({ db, input: Readable.from([Buffer.from(lines.join('\n') + '\n')]), fileName: `${name}.csv`, mapping, batchRows: 5000 })).toMatchObject({ rejected: 0 });
}

beforeAll(async () => {
  ({ app, db } = await createDemoCityApp());
});
afterAll(async () => {
  await db?.end();
  await app?.close();
});

const spec: ReadSpec = { mode: 'COMMUNITY', what: 'category', byUnit: false, unitIds: null, sources: 'BOTH', columns: [] };
const TODAY = chinaDay(new Date());

async function seriesGaps(from: string, to: string) {
  const category = Number((await db.query(`select category_id from service_item where code = $1`, [ITEM])).rows[0].category_id);
  const community = Number((await db.query(`select id from area where code = $1`, [COMMUNITY])).rows[0].id);
  const result = await app.execute(`query ($input: DemandSeriesInput!) { demandSeries(input: $input) { collectionGaps { first last days } trend { dataBegin } } }`, {
    input: { areaId: gid('Community', community), categoryId: gid('RequestCategory', category), from, to, interval: 'DAY' },
  });
  expect(result.errors).toBeUndefined();
  return result.data.demandSeries as { collectionGaps: { first: string; last: string; days: number }[]; trend: { dataBegin: string } | null };
}

test('Spring Festival 2026 (Feb 15-23 off, the 14th and 28th worked in lieu) is a closure, not a gap in collection', async () => {
  const empty = await db.query(`select count(*)::int as n from demand_daily where day between '2025-12-01' and '2026-04-30'`);
  expect(empty.rows[0].n).toBe(0);
  const days = openDays('2025-12-01', '2026-04-30');
  expect(days).toContain('2026-02-14');
  expect(days.filter((d) => d >= '2026-02-15' && d <= '2026-02-23')).toEqual([]);
  await loadDays('SF2026', days);
  expect((await readDataStart(db, spec, '2026-01-01', '2026-03-31', false, TODAY)).gaps).toEqual([]);
  expect((await seriesGaps('2026-02-01', '2026-02-28')).collectionGaps).toEqual([]);
});

test('Spring Festival 2020, lengthened to Feb 2 (ten days off in a row), is a closure, not a gap in collection', async () => {
  const empty = await db.query(`select count(*)::int as n from demand_daily where day between '2019-12-01' and '2020-04-30'`);
  expect(empty.rows[0].n).toBe(0);
  const days = openDays('2019-12-01', '2020-04-30');
  expect(days.filter((d) => d >= '2020-01-24' && d <= '2020-02-02')).toEqual([]);
  expect(days).toEqual(expect.arrayContaining(['2020-01-23', '2020-02-03']));
  await loadDays('SF2020', days);
  expect((await readDataStart(db, spec, '2020-01-01', '2020-03-31', false, TODAY)).gaps).toEqual([]);
  expect((await seriesGaps('2020-01-01', '2020-02-29')).collectionGaps).toEqual([]);
  // Every edge reads it alike: a period that begins in it (the trend begins on its first day, the
  // closure read as zeros, as inside a period), one that ends in it, one wholly inside it.
  const fromInside = await readDataStart(db, spec, '2020-01-24', '2020-03-31', false, TODAY);
  expect(fromInside).toMatchObject({ sourceBefore: '2020-01-23', sourceFirst: '2020-02-03', gaps: [] });
  expect(await seriesGaps('2020-01-24', '2020-03-31')).toEqual({ collectionGaps: [], trend: { dataBegin: '2020-01-24' } });
  expect(await readDataStart(db, spec, '2020-01-01', '2020-01-28', false, TODAY)).toMatchObject({ sourceLast: '2020-01-23', sourceAfter: '2020-02-03', gaps: [] });
  expect((await seriesGaps('2020-01-25', '2020-02-01')).collectionGaps).toEqual([]);
});

test('ten days with nothing recorded that the calendar does not explain are still a gap in collection', async () => {
  const days = openDays('2021-05-10', '2021-07-31').filter((d) => !(d >= '2021-06-21' && d <= '2021-06-30'));
  await loadDays('GAP2021', days);
  expect((await readDataStart(db, spec, '2021-06-01', '2021-07-30', false, TODAY)).gaps).toEqual([{ first: '2021-06-19', last: '2021-06-30' }]);
});
