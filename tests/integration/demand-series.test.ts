import path from 'node:path';
import { Readable } from 'node:stream';
import pg from 'pg';
import { mannKendall, rankDemand, seasonalMannKendall, type SqlRunner } from '../../analytics';
import { readDataStart, type ReadSpec } from '../../analytics/demand/source';
import { chinaDay } from '../../analytics/demand/dates';
import { PROJECT_ROOT } from '../../src/config/paths';
import { importServiceFile } from '../../src/modules/service-data/import';
import { loadMapping } from '../../src/modules/service-data/mapping';
import { GONGJIAN_CSV_HEADER } from '../../src/modules/service-data/generator';
import { createDemoCityApp, type TestApp } from '../helpers/test-app';

/**
 * demandSeries' trend on flat demand whose right answers are known by construction (2016, a year
 * no demo data reach): 3 records a day in community A's grid of category FLAT from 2016-06-20, and
 * 3 a day of category LATE from 2016-10-01. Nothing grows; LATE's arrival is a real rise.
 */
const COMMUNITY = '370199001001';
const GRID = `${COMMUNITY}001`;
const FLAT_ITEM = 'CIV-MARRIAGE-01';
const LATE_ITEM = 'SOC-INSURANCE-01';
const PER_DAY = 3;

let app: TestApp;
let db: pg.Client;
let flat: string;
let late: string;
let flatId: number;

const gid = (type: string, id: number) => Buffer.from(`${type}:${id}`).toString('base64url');

function csv(): string {
  const lines = [GONGJIAN_CSV_HEADER];
  let n = 0;
  const day = new Date('2016-06-20T00:00:00Z');
  for (; day <= new Date('2016-12-31T00:00:00Z'); day.setUTCDate(day.getUTCDate() + 1)) {
    const d = day.toISOString().slice(0, 10);
    const items = d >= '2016-10-01' ? [FLAT_ITEM, LATE_ITEM] : [FLAT_ITEM];
    for (const item of items) for (let k = 0; k < PER_DAY; k++) {
      lines.push(`FLAT-${++n},${item},${d} 1${k}:00:00,${d} 1${k}:30:00,FINISHED,${COMMUNITY},${GRID},,GENERAL,COUNTER,5,,`);
    }
  }
  return lines.join('\n') + '\n';
}

beforeAll(async () => {
  ({ app, db } = await createDemoCityApp());
  const mapping = loadMapping(path.join(PROJECT_ROOT, 'mappings', 'gongjian.json'));
  expect(await importServiceFile({ db, input: Readable.from([Buffer.from(csv())]), fileName: 'flat.csv', mapping, batchRows: 5000 })).toMatchObject({ rejected: 0 });
  const category = async (item: string) => Number((await db.query(`select category_id from service_item where code = $1`, [item])).rows[0].category_id);
  flatId = await category(FLAT_ITEM);
  flat = gid('RequestCategory', flatId);
  late = gid('RequestCategory', await category(LATE_ITEM));
  expect(flat).not.toBe(late);
});
afterAll(async () => {
  await db?.end();
  await app?.close();
});

/** Today as the app's clock has it by default (readDataStart reads the days that are over). */
const TODAY = chinaDay(new Date());
const SERIES = `query ($input: DemandSeriesInput!) { demandSeries(input: $input) {
  total points { start days volume } collectionGaps { first last days } trend { z p senSlope method pointsUsed firstPointUsed lastPointUsed dataBegin note } } }`;
async function series(input: Record<string, unknown>) {
  const result = await app.execute(SERIES, { input });
  expect(result.errors).toBeUndefined();
  return result.data.demandSeries as {
    total: number;
    points: { start: string; days: number; volume: number }[];
    collectionGaps: { first: string; last: string; days: number }[];
    trend: { z: number; p: number; senSlope: number | null; method: string; pointsUsed: number; firstPointUsed: string; lastPointUsed: string; dataBegin: string; note: string } | null;
  };
}

test('a flat daily rate whose data begin long after `from` has no trend: the months before the data are not zeros', async () => {
  // The reported case: the last 3660 days by month, with data in the last few months only.
  app.clock.set(new Date('2016-12-31T04:00:00Z'));
  try {
    const monthly = await series({ categoryId: flat, lastDays: 3660, interval: 'MONTH' });
    expect(monthly.points.length).toBeGreaterThan(100);
    // The points stay raw: June 2016 holds its 11 days of data (20th-30th), 33 records.
    expect(monthly.points.find((p) => p.start === '2016-06-01')).toEqual({ start: '2016-06-01', days: 30, volume: 11 * PER_DAY });
    expect(monthly.total).toBe(195 * PER_DAY);
    // The trend reads June (33 × 30 / 11 = 90, the whole month at the same rate) to December.
    expect(Math.abs(monthly.trend!.z)).toBeLessThan(0.5);
    const months = [30, 31, 31, 30, 31, 30, 31].map((days) => days * PER_DAY);
    expect(monthly.trend!.z).toBe(mannKendall(months)!.z);
    expect(monthly.trend).toMatchObject({ pointsUsed: 7, firstPointUsed: '2016-06-01', lastPointUsed: '2016-12-01', dataBegin: '2016-06-20', method: 'PLAIN' });
    expect(monthly.trend!.note).toBe(
      // The clock stands on 2016-12-31, a day not over: December is read to the 30th, its 90 records scaled to 31 days (93, the same rate).
      'points 2016-06-01 to 2016-12-01 (7 of 121), from the scope\'s first day with data in the period, 2016-06-20; up to 2016-12-30: 2016-12-31 is not over yet, its records are still coming in; scaled to their full length (volume × length ÷ days covered): 2016-06-01 (11 of 30 days), 2016-12-01 (30 of 31 days); a month with under 7 days covered is left out',
    );
  } finally {
    app.clock.reset();
  }
  // By day the rate is the same every day from the first: no trend at all.
  const daily = await series({ categoryId: flat, from: '2016-01-01', to: '2016-12-31', interval: 'DAY' });
  expect(daily.trend).toMatchObject({ z: 0, senSlope: 0, pointsUsed: 195, firstPointUsed: '2016-06-20', method: 'SEASONAL' });
});

test('the trend starts where the scope\'s data begin, not the cell\'s: a later category\'s empty months are real zeros', async () => {
  const lateSeries = await series({ categoryId: late, from: '2016-01-01', to: '2016-12-31', interval: 'MONTH' });
  // June-September read as the zeros they are (from LATE's own first day it would be three flat months).
  expect(lateSeries.trend!.z).toBe(mannKendall([0, 0, 0, 0, 31, 30, 31].map((days) => days * PER_DAY))!.z);
  expect(lateSeries.trend!.z).toBeGreaterThan(1.8);
  expect(lateSeries.trend).toMatchObject({ pointsUsed: 7, firstPointUsed: '2016-06-01', dataBegin: '2016-06-20' });
  // A cell's area is one unit of the scope: the scope (here everything) still says where data begin.
  const community = Number((await db.query(`select id from area where code = $1`, [COMMUNITY])).rows[0].id);
  const grid = Number((await db.query(`select id from area where code = $1`, [GRID])).rows[0].id);
  const other = Number((await db.query(`select id from area where level = 'COMMUNITY' and code <> $1 order by code limit 1`, [COMMUNITY])).rows[0].id);
  for (const [cellAreaId, volume] of [[gid('Community', community), 92 * PER_DAY], [gid('Grid', grid), 92 * PER_DAY], [gid('Community', other), 0]] as const) {
    const cell = await series({ categoryId: late, cellAreaId, from: '2016-01-01', to: '2016-12-31', interval: 'MONTH' });
    expect({ cellAreaId, total: cell.total, trend: cell.trend && { dataBegin: cell.trend.dataBegin, firstPointUsed: cell.trend.firstPointUsed } })
      .toEqual({ cellAreaId, total: volume, trend: { dataBegin: '2016-06-20', firstPointUsed: '2016-06-01' } });
  }
});

test('a `from` in the middle of a month or week on flat data gives the trend of whole buckets', async () => {
  // August from the 16th: 48 records in 16 days, scaled to 93, as the whole month.
  const fromMid = await series({ categoryId: flat, from: '2016-08-16', to: '2016-12-31', interval: 'MONTH' });
  const fromFirst = await series({ categoryId: flat, from: '2016-08-01', to: '2016-12-31', interval: 'MONTH' });
  expect(fromMid.points[0]).toEqual({ start: '2016-08-01', days: 16, volume: 16 * PER_DAY });
  expect(fromMid.trend).toEqual({ ...fromFirst.trend, dataBegin: '2016-08-16', note: fromMid.trend!.note });
  expect(fromMid.trend!.note).toContain('2016-08-01 (16 of 31 days)');
  // Thursday 2016-07-07 to Sunday 2016-12-25: the first week's 4 days (12) scale to 21, as every week.
  const weekly = await series({ categoryId: flat, from: '2016-07-07', to: '2016-12-25', interval: 'WEEK' });
  expect(weekly.points[0]).toEqual({ start: '2016-07-04', days: 4, volume: 4 * PER_DAY });
  // PLAIN (TrendMethod, as the ranking says it): Mann–Kendall over the weeks in order, under two cycles of 52.
  expect(weekly.trend).toMatchObject({ z: 0, senSlope: 0, pointsUsed: weekly.points.length, firstPointUsed: '2016-07-04', method: 'PLAIN' });
  // Too few days to scale: a month under 7 (August from the 27th) and a week under 3 (from a Saturday) are left out.
  expect((await series({ categoryId: flat, from: '2016-08-27', to: '2016-12-31', interval: 'MONTH' })).trend).toMatchObject({ firstPointUsed: '2016-09-01', pointsUsed: 4 });
  expect((await series({ categoryId: flat, from: '2016-08-31', to: '2016-12-31', interval: 'MONTH' })).trend).toMatchObject({ firstPointUsed: '2016-09-01', pointsUsed: 4 });
  expect((await series({ categoryId: flat, from: '2016-08-25', to: '2016-12-31', interval: 'MONTH' })).trend).toMatchObject({ firstPointUsed: '2016-08-01', pointsUsed: 5 });
  expect((await series({ categoryId: flat, from: '2016-07-09', to: '2016-12-25', interval: 'WEEK' })).trend).toMatchObject({ firstPointUsed: '2016-07-11', pointsUsed: weekly.points.length - 1 });
  expect((await series({ categoryId: flat, from: '2016-07-08', to: '2016-12-25', interval: 'WEEK' })).trend).toMatchObject({ firstPointUsed: '2016-07-04', pointsUsed: weekly.points.length });
});

test('the series\' monthly trend is the ranking\'s for the same cell and window: one rule', async () => {
  // rankDemand sends its reads in parallel: a pool takes them.
  const pool = new pg.Pool({ connectionString: app.databaseUrl, max: 4 });
  const ranking = await rankDemand(pool as unknown as SqlRunner, {
    from: '2016-10-01', to: '2016-12-31', areaPaths: null, groupBy: ['CATEGORY'], sources: 'BOTH', includeConsultations: false, minSupport: 0, topN: 20, trendMonths: 36, now: new Date('2017-01-01T02:00:00Z'),
  }).finally(() => pool.end());
  const row = ranking.rows.find((r) => r.key.categoryId === flatId)!;
  const monthly = await series({ categoryId: flat, from: '2014-01-01', to: '2016-12-31', interval: 'MONTH' });
  expect(row.metrics.trendZ).toBe(Math.round(monthly.trend!.z * 1e4) / 1e4);
  expect(row.metrics.trendPoints).toBe(monthly.trend!.pointsUsed);
  expect(row.metrics.senSlope).toBe(Math.round(monthly.trend!.senSlope! * 1e4) / 1e4);
});

test('asked on the last day, while it is not over, the ranking and the series both read December to the 30th and agree', async () => {
  const now = new Date('2016-12-31T04:00:00Z'); // noon in China: the 31st's records are in, its day is not over
  const pool = new pg.Pool({ connectionString: app.databaseUrl, max: 4 });
  const ranking = await rankDemand(pool as unknown as SqlRunner, {
    from: '2016-10-01', to: '2016-12-31', areaPaths: null, groupBy: ['CATEGORY'], sources: 'BOTH', includeConsultations: false, minSupport: 0, topN: 20, trendMonths: 36, now,
  }).finally(() => pool.end());
  const row = ranking.rows.find((r) => r.key.categoryId === flatId)!;
  app.clock.set(now);
  try {
    const monthly = await series({ categoryId: flat, from: '2014-01-01', to: '2016-12-31', interval: 'MONTH' });
    // December's 90 records of the 30 days that are over, scaled to 31: the same flat rate, no rise.
    // (With the 31st's 3 records kept in but its day left out, December read 96.1 and made one.)
    expect(monthly.trend!.z).toBe(mannKendall([30, 31, 31, 30, 31, 30, 31].map((days) => days * PER_DAY))!.z);
    expect(row.metrics.trendZ).toBe(Math.round(monthly.trend!.z * 1e4) / 1e4);
    expect(row.metrics.trendPoints).toBe(monthly.trend!.pointsUsed);
    expect(ranking.notes).toContain('the trend reads months up to 2016-12-30: 2016-12-31 is not over yet, its records are still coming in');
  } finally {
    app.clock.reset();
  }
});

/**
 * Where the trend begins is the ranking's rule (trend.ts, trendBegin): when the scope has any
 * record before the period, the first day from `from` on with a record of the same sources
 * anywhere in the city (`from` unless collection had stopped); else its first day with data in it;
 * a consultation counts only when the series counts consultations. One community each (and, where
 * the city's collection is the point, another beside it), in years no other test here touches.
 */
async function loadDays(name: string, rows: [community: string, item: string, days: string[]][]) {
  const lines = [GONGJIAN_CSV_HEADER];
  for (const [community, item, days] of rows) for (const d of days) lines.push(`${name}-${item}-${d},${item},${d} 10:00:00,${d} 11:00:00,FINISHED,${community},,,,COUNTER,,,`);
  const mapping = loadMapping(path.join(PROJECT_ROOT, 'mappings', 'gongjian.json'));
  expect(await importServiceFile({ db, input: Readable.from([Buffer.from(lines.join('\n') + '\n')]), fileName: `${name}.csv`, mapping, batchRows: 5000 })).toMatchObject({ rejected: 0 });
}
function daysFrom(first: string, last: string): string[] {
  const out: string[] = [];
  for (let d = first; d <= last; d = new Date(Date.parse(`${d}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10)) out.push(d);
  return out;
}
const communityGid = async (code: string) => gid('Community', Number((await db.query(`select id from area where code = $1`, [code])).rows[0].id));

test('consultations before the first demand do not start a trend that counts demands only', async () => {
  // Consultations (CIV-MARRIAGE-03, FLAT's category) from 2014-01-01, demands from 2014-01-17.
  const code = '370199002001';
  await loadDays('CONSULT-FIRST', [[code, 'CIV-MARRIAGE-03', daysFrom('2014-01-01', '2014-12-31')], [code, FLAT_ITEM, daysFrom('2014-01-17', '2014-12-31')]]);
  const monthly = await series({ areaId: await communityGid(code), categoryId: flat, from: '2014-01-01', to: '2014-12-31', interval: 'MONTH' });
  expect(monthly.points[0]).toEqual({ start: '2014-01-01', days: 31, volume: 15 });
  // January's 15 demands scaled from the 17th (15 × 31 ÷ 15): every month holds its days, as a flat rate does.
  expect(monthly.trend).toMatchObject({ dataBegin: '2014-01-17', firstPointUsed: '2014-01-01', pointsUsed: 12 });
  expect(monthly.trend!.z).toBe(mannKendall([31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31])!.z);
  // Counted, the consultations are the volume's data from the 1st: January is whole (31 + 15).
  const withConsultations = await series({ areaId: await communityGid(code), categoryId: flat, from: '2014-01-01', to: '2014-12-31', interval: 'MONTH', includeConsultations: true });
  expect(withConsultations.trend).toMatchObject({ dataBegin: '2014-01-01', pointsUsed: 12 });
  expect(withConsultations.trend!.z).toBe(mannKendall([46, 56, 62, 60, 62, 60, 62, 62, 60, 62, 60, 62])!.z);
});

test('a sparse scope with records before the period reads every point from `from`, an empty first one as a real zero', async () => {
  // One demand on the 25th of every month from 2011-01 to 2013-12 but February; the period 2012-02..2013-12.
  const code = '370199002002';
  const days = daysFrom('2011-01-25', '2013-12-25').filter((d) => d.endsWith('-25') && d.slice(5, 7) !== '02');
  expect(days).toHaveLength(36 - 3);
  await loadDays('SPARSE', [[code, FLAT_ITEM, days]]);
  const areaId = await communityGid(code);
  const sparse = () => series({ areaId, categoryId: flat, from: '2012-02-01', to: '2013-12-31', interval: 'MONTH' });
  // Alone in the city, one record a month is no collection: the days between two records are gaps
  // (trend.ts, GAP_MIN_DAYS), every month covers one day, under 7, and none is read.
  expect((await sparse()).trend).toBeNull();
  // The city collecting every day (another community's records, to the period's end) but from
  // 2012-02-01 to 2012-03-24: the scope's empty February 2012 is a month with nothing recorded
  // anywhere, a gap in collection, no observation. The trend begins at the city's next record,
  // March's 25th (March scaled 31/7).
  await loadDays('SPARSE-COLLECTING', [['370199002004', FLAT_ITEM, [...daysFrom('2011-01-01', '2012-01-31'), ...daysFrom('2012-03-25', '2013-12-31')]]]);
  const alone = await sparse();
  expect(alone.trend).toMatchObject({ dataBegin: '2012-03-25', firstPointUsed: '2012-03-01', pointsUsed: 22, method: 'PLAIN' });
  expect(alone.trend!.z).toBe(mannKendall([31 / 7, ...Array(10).fill(1), 0, ...Array(10).fill(1)])!.z);
  expect(alone.trend!.note).toBe('points 2012-03-01 to 2013-12-01 (22 of 23), from 2012-03-25: the scope has records before the period, but nothing was recorded anywhere (same sources, whole city) from 2012-02-01 until then, so the points before are a gap in the data, not zeros; from then an empty point is a real zero; scaled to their full length (volume × length ÷ days covered): 2012-03-01 (7 of 31 days); a month with under 7 days covered is left out');
  // With another community's records every day of early 2012 (the city collecting), February 2012
  // is a month of the period like February 2013: both empty, both the scope's real zeros; every
  // other month holds 1.
  await loadDays('SPARSE-CITY', [['370199002003', FLAT_ITEM, daysFrom('2012-01-01', '2012-03-31')]]);
  const monthly = await sparse();
  expect(monthly.trend).toMatchObject({ dataBegin: '2012-02-01', firstPointUsed: '2012-02-01', pointsUsed: 23, method: 'PLAIN' });
  expect(monthly.trend!.z).toBe(mannKendall([0, ...Array(11).fill(1), 0, ...Array(10).fill(1)])!.z);
  expect(monthly.trend!.note).toBe('points 2012-02-01 to 2013-12-01 (23 of 23), from 2012-02-01: the scope has records before the period, so an empty point is a real zero; a month with under 7 days covered is left out');
});

test('a gap in collection at the start of the period is no run of zeros: dataBegin is where the city\'s data resume', async () => {
  // 2018-2020, years no other test here touches. One demand a day in one community in the first
  // half of 2018; then nothing recorded anywhere until 2019-03-20, from which it has one a day
  // again to 2020-12. The period 2018-07..2020-12 begins inside the gap: the scope has records
  // before it, yet July 2018 to February 2019 are no observations. Read as zeros (and March as its
  // 12 days) they made a rise: seasonal z 3.2118, p 0.0013.
  const code = '370199003001';
  await loadDays('GAP', [[code, FLAT_ITEM, [...daysFrom('2018-01-01', '2018-06-30'), ...daysFrom('2019-03-20', '2020-12-31')]]]);
  const monthly = await series({ areaId: await communityGid(code), categoryId: flat, from: '2018-07-01', to: '2020-12-31', interval: 'MONTH' });
  expect(monthly.points.slice(0, 9).map((p) => p.volume)).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 12]);
  // From 2019-03-20, March scaled from its 12 days to 31: every month holds its days, a flat rate.
  expect(monthly.trend).toMatchObject({ dataBegin: '2019-03-20', firstPointUsed: '2019-03-01', lastPointUsed: '2020-12-01', pointsUsed: 22, method: 'PLAIN' });
  const days = [31, 30, 31, 30, 31, 31, 30, 31, 30, 31, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
  expect(monthly.trend!.z).toBe(mannKendall(days)!.z);
  expect(monthly.trend!.p).toBeGreaterThan(0.5);
  expect(monthly.trend!.note).toContain('from 2019-03-20: the scope has records before the period, but nothing was recorded anywhere (same sources, whole city) from 2018-07-01 until then');
  // Another community's records through the gap (the city collecting): the scope's empty months
  // are its own, real zeros from the period's first day, and the rise is real.
  await loadDays('GAP-CITY', [['370199003002', FLAT_ITEM, daysFrom('2018-07-01', '2019-03-19')]]);
  const collected = await series({ areaId: await communityGid(code), categoryId: flat, from: '2018-07-01', to: '2020-12-31', interval: 'MONTH' });
  expect(collected.trend).toMatchObject({ dataBegin: '2018-07-01', firstPointUsed: '2018-07-01', pointsUsed: 30, method: 'SEASONAL' });
  expect(collected.trend!.z).toBe(seasonalMannKendall([...Array(8).fill(0), 12, ...days.slice(1)], 12)!.z);
  expect(collected.trend!.z).toBeGreaterThan(1.96);
});

test('today is not over: its point is shown as counted, but the trend ends yesterday (a partial day read whole made a fall)', async () => {
  // 2021, a year no other test here touches: two demands a day from 2021-03-01 in one community;
  // on 2021-03-20, today, only the first has come in by noon.
  const code = '370199001004';
  await loadDays('TODAY-A', [[code, FLAT_ITEM, daysFrom('2021-03-01', '2021-03-19')]]);
  await loadDays('TODAY-B', [[code, FLAT_ITEM, daysFrom('2021-03-01', '2021-03-20')]]);
  app.clock.set(new Date('2021-03-20T04:00:00Z')); // noon in China
  try {
    const daily = await series({ areaId: await communityGid(code), categoryId: flat, lastDays: 20, interval: 'DAY' });
    expect(daily.points.map((p) => p.volume)).toEqual([...Array(19).fill(2), 1]);
    // Flat over the 19 days that are over; with today's 1 it read as a fall (z < 0).
    expect(daily.trend).toMatchObject({ firstPointUsed: '2021-03-01', lastPointUsed: '2021-03-19', pointsUsed: 19, method: 'SEASONAL', z: 0 });
    expect(daily.trend!.note).toContain('up to 2021-03-19: 2021-03-20 is not over yet, its records are still coming in');
    // The ranking's monthly trend likewise reads March up to the 19th, and says so, when it reads
    // a trend: with March alone (one month) there is none, and nothing to explain.
    const rankingNotes = async () => {
      const ranking = await app.execute(`query ($input: DemandRankingInput!) { demandRanking(input: $input) { notes rows { metrics { trendZ } } } }`, {
        input: { areaId: await communityGid(code), lastDays: 20, groupBy: ['CATEGORY'] },
      });
      expect(ranking.errors).toBeUndefined();
      return ranking.data.demandRanking as { notes: string[]; rows: { metrics: { trendZ: number | null } }[] };
    };
    const oneMonth = await rankingNotes();
    expect(oneMonth.rows.map((row) => row.metrics.trendZ)).toEqual([null]);
    expect(oneMonth.notes.filter((note) => note.startsWith('the trend'))).toEqual([]);
    // With the months before (one demand a day from December 2020), the trend is read.
    await loadDays('TODAY-EARLIER', [[code, FLAT_ITEM, daysFrom('2020-12-01', '2021-02-28')]]);
    const ranking = await rankingNotes();
    expect(ranking.rows.map((row) => row.metrics.trendZ)).toEqual([expect.any(Number)]);
    expect(ranking.notes).toContain('the trend reads months up to 2021-03-19: 2021-03-20 is not over yet, its records are still coming in');
    // A period that ended before today is read to its end.
    const past = await series({ areaId: await communityGid(code), categoryId: flat, from: '2021-03-01', to: '2021-03-19', interval: 'DAY' });
    expect(past.trend).toMatchObject({ lastPointUsed: '2021-03-19', pointsUsed: 19 });
    expect(past.trend!.note).not.toContain('not over');
    expect(past.trend!.note).not.toContain('nothing was recorded anywhere');
    // Days after the last record anywhere are read as zeros (an import not made yet looks the same),
    // and both answers say so, with the day to end on.
    app.clock.set(new Date('2021-03-26T04:00:00Z'));
    const later = await series({ areaId: await communityGid(code), categoryId: flat, from: '2021-03-01', to: '2021-03-25', interval: 'DAY' });
    expect(later.trend!.note).toContain('nothing was recorded anywhere (same sources, whole city) after 2021-03-20: the days to 2021-03-25 are read as zeros; if their records are not imported yet, end the period on 2021-03-20');
    const laterRanking = await app.execute(`query ($input: DemandRankingInput!) { demandRanking(input: $input) { notes } }`, {
      input: { areaId: await communityGid(code), from: '2021-03-01', to: '2021-03-25', groupBy: ['CATEGORY'] },
    });
    expect(laterRanking.errors).toBeUndefined();
    expect(laterRanking.data.demandRanking.notes).toContain('the trend: nothing was recorded anywhere (same sources, whole city) after 2021-03-20: the days to 2021-03-25 are read as zeros; if their records are not imported yet, end the period on 2021-03-20');
    // Today's first records (an import under way) are no sign that the days before were a closure:
    // the data still end on the 20th, as far as the days that are over say.
    await loadDays('TODAY-C', [[code, FLAT_ITEM, ['2021-03-26']]]);
    const withToday = await series({ areaId: await communityGid(code), categoryId: flat, from: '2021-03-01', to: '2021-03-25', interval: 'DAY' });
    expect(withToday.trend!.note).toBe(later.trend!.note);
    expect(withToday.collectionGaps).toEqual([]);
  } finally {
    app.clock.reset();
  }
});

test('a gap in collection inside the period is no fall: its months are read from their other days, and both answers name it', async () => {
  // 2007, a year no other test here touches: one demand a day in one community, the city's only
  // data. Nothing recorded anywhere from 2007-10-20 to 2007-12-20 (62 days: an import not made) nor
  // 2007-08-01 to 08-10 (10 days, GAP_MIN_DAYS): gaps in collection. 2007-05-01 to 05-09 (9 days, a
  // Golden Week's closure) is shorter: the calendar's rhythm, its zeros real.
  const code = '370199003003';
  const open = daysFrom('2007-01-01', '2007-12-31').filter((d) => !(d >= '2007-10-20' && d <= '2007-12-20') && !(d >= '2007-08-01' && d <= '2007-08-10') && !(d >= '2007-05-01' && d <= '2007-05-09'));
  await loadDays('MID-GAP', [[code, FLAT_ITEM, open]]);
  const spec: ReadSpec = { mode: 'COMMUNITY', what: 'category', byUnit: false, unitIds: null, sources: 'BOTH', columns: [] };
  expect((await readDataStart(db, spec, '2007-01-01', '2007-12-31', false, TODAY)).gaps).toEqual([{ first: '2007-08-01', last: '2007-08-10' }, { first: '2007-10-20', last: '2007-12-20' }]);

  const monthly = await series({ areaId: await communityGid(code), categoryId: flat, from: '2007-01-01', to: '2007-12-31', interval: 'MONTH' });
  // The points stay as counted: May 22, August 21, October 19 (1st-19th), November 0, December 11 (21st-31st).
  expect(monthly.points.map((p) => p.volume)).toEqual([31, 28, 31, 30, 22, 30, 31, 21, 30, 19, 0, 11]);
  // Read as zeros, the gap made a significant fall at the end of the year.
  expect(mannKendall(monthly.points.map((p) => p.volume))!.z).toBeLessThan(-1.96);
  // Read from their other days and scaled (21 × 31 ÷ 21, 19 × 31 ÷ 19, 11 × 31 ÷ 11), the gapped
  // months hold their days, as every month does; November, swallowed, is left out (a missing
  // month, not December moved up into it). Only May's closure is left, read as the zeros it is.
  const read = [31, 28, 31, 30, 22, 30, 31, 31, 30, 31, 31];
  expect(monthly.trend).toMatchObject({ z: mannKendall(read)!.z, pointsUsed: 11, firstPointUsed: '2007-01-01', lastPointUsed: '2007-12-01', method: 'PLAIN' });
  expect(monthly.trend!.z).toBeGreaterThan(0);
  const gapNotes = [
    'nothing was recorded anywhere (same sources, whole city) from 2007-08-01 to 2007-08-10: those days are not read as zeros; a month they fall in is read from its other days, scaled to its length, and left out with fewer than 7 of them',
    'nothing was recorded anywhere (same sources, whole city) from 2007-10-20 to 2007-12-20: those days are not read as zeros; a month they fall in is read from its other days, scaled to its length, and left out with fewer than 7 of them',
  ];
  for (const note of gapNotes) expect(monthly.trend!.note).toContain(note);
  // For a chart to shade: the gaps as data (May's closure is none).
  expect(monthly.collectionGaps).toEqual([{ first: '2007-08-01', last: '2007-08-10', days: 10 }, { first: '2007-10-20', last: '2007-12-20', days: 62 }]);
  expect(monthly.trend!.note).toContain('scaled to their full length (volume × length ÷ days covered): 2007-08-01 (21 of 31 days), 2007-10-01 (19 of 31 days), 2007-12-01 (11 of 31 days)');
  expect(monthly.trend!.note).not.toContain('2007-05-0');

  // By week, the weeks inside the gap are left out, not read as zeros: no fall either.
  const weekly = await series({ areaId: await communityGid(code), categoryId: flat, from: '2007-09-03', to: '2007-12-30', interval: 'WEEK' });
  // (Eight weeks from 2007-10-22 lie wholly in it; the week of 10-15 keeps 5 days, that of 12-17 three.)
  expect(weekly.points.map((p) => p.volume).filter((v) => v === 0)).toHaveLength(8);
  expect(weekly.trend).toMatchObject({ pointsUsed: weekly.points.length - 8, z: 0, senSlope: 0 });

  // The ranking's monthly trend is the same, and its notes name the gaps.
  const ranking = await app.execute(`query ($input: DemandRankingInput!) { demandRanking(input: $input) { notes rows { metrics { trendZ trendPoints persistentMonths } } } }`, {
    input: { areaId: await communityGid(code), from: '2007-12-01', to: '2007-12-31', groupBy: ['CATEGORY'], minSupport: 0 },
  });
  expect(ranking.errors).toBeUndefined();
  // In the top 5 every month it was read, but "months in a row" are calendar months: November, left
  // out for the gap, ends the run (December alone), rather than October joining December.
  expect(ranking.data.demandRanking.rows).toEqual([{ metrics: { trendZ: Math.round(mannKendall(read)!.z * 1e4) / 1e4, trendPoints: 11, persistentMonths: 1 } }]);
  for (const note of gapNotes) expect(ranking.data.demandRanking.notes).toContain(`the trend: ${note}`);

  // A period ending inside the gap reads it as the later one does: October from its 19 days, scaled,
  // not a fall to 19 whose note says the data end (they resume on 2007-12-21).
  const endingInGap = await readDataStart(db, spec, '2007-01-01', '2007-10-31', false, TODAY);
  expect(endingInGap).toMatchObject({ sourceLast: '2007-10-19', sourceAfter: '2007-12-21' });
  expect(endingInGap.gaps).toEqual([{ first: '2007-08-01', last: '2007-08-10' }, { first: '2007-10-20', last: '2007-12-20' }]);
  const toOctober = await series({ areaId: await communityGid(code), categoryId: flat, from: '2007-01-01', to: '2007-10-31', interval: 'MONTH' });
  expect(toOctober.trend).toMatchObject({ z: mannKendall(read.slice(0, 10))!.z, pointsUsed: 10 });
  expect(toOctober.trend!.note).toContain('2007-10-01 (19 of 31 days)');
  expect(toOctober.trend!.note).not.toContain('if their records are not imported yet');
  expect(toOctober.trend!.note).toContain('from 2007-10-20 to 2007-10-31: those days are not read as zeros');
  expect(toOctober.collectionGaps).toEqual([{ first: '2007-08-01', last: '2007-08-10', days: 10 }, { first: '2007-10-20', last: '2007-10-31', days: 12 }]);
  // A period wholly inside the gap is one gap; one inside May's closure (records on either side within 9 days) none.
  expect((await series({ areaId: await communityGid(code), categoryId: flat, from: '2007-11-01', to: '2007-11-30', interval: 'DAY' })).collectionGaps).toEqual([{ first: '2007-11-01', last: '2007-11-30', days: 30 }]);
  expect((await series({ areaId: await communityGid(code), categoryId: flat, from: '2007-05-02', to: '2007-05-08', interval: 'DAY' })).collectionGaps).toEqual([]);

  // A period beginning in May's closure (9 empty days counted from April 30, the city's last day with
  // data before it) begins on its first day: the closure is read as zeros, as inside a period.
  const mayStart = await readDataStart(db, spec, '2007-05-01', '2007-09-30', false, TODAY);
  expect(mayStart).toMatchObject({ before: true, sourceFirst: '2007-05-10', sourceBefore: '2007-04-30' });
  const fromMay = await series({ areaId: await communityGid(code), categoryId: flat, from: '2007-05-01', to: '2007-09-30', interval: 'MONTH' });
  expect(fromMay.trend).toMatchObject({ dataBegin: '2007-05-01', firstPointUsed: '2007-05-01', pointsUsed: 5 });
  expect(fromMay.trend!.note).not.toContain('2007-05-01 (');
});
