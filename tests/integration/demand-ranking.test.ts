import path from 'node:path';
import { Readable } from 'node:stream';
import pg from 'pg';
import { mannKendall, rankDemand, seasonalMannKendall, type DemandRankingInput, type SqlRunner } from '../../analytics';
import { empiricalBayesRates } from '../../analytics/stats/empirical-bayes';
import { ALL_COLUMNS, GRID_ONLY_RECORDS_NOTE, planPeriod, readBuckets, readBucketsPacked, readPeriod, type ReadSpec } from '../../analytics/demand/source';
import { PROJECT_ROOT } from '../../src/config/paths';
import { importServiceFile } from '../../src/modules/service-data/import';
import { loadMapping } from '../../src/modules/service-data/mapping';
import { createDemoCityApp, type TestApp } from '../helpers/test-app';
import { accountViewer } from '../helpers/access-fixtures';
import { Role } from '../../src/modules/identity/role';
import { PLANTED_CATEGORY, plantedCsv, tinyCsv } from '../fixtures/demand-fixture';
import { GONGJIAN_CSV_HEADER } from '../../src/modules/service-data/generator';

let app: TestApp;
let db: pg.Client;
/** The analytics reads through `db`, one at a time (see oneAtATime). */
let sql: SqlRunner;
const gongjian = loadMapping(path.join(PROJECT_ROOT, 'mappings', 'gongjian.json'));

beforeAll(async () => {
  ({ app, db } = await createDemoCityApp());
  sql = oneAtATime(db);
  for (const csv of [plantedCsv(), tinyCsv()]) {
    const summary = await importServiceFile({ db, input: Readable.from([Buffer.from(csv)]), fileName: 'fixture.csv', mapping: gongjian, batchRows: 5000 });
    expect(summary.rejected).toBe(0);
  }
});
afterAll(async () => {
  await db?.end();
  await app?.close();
});

/**
 * rankDemand sends its reads in parallel (a pool spreads them over connections); one pg Client
 * must be handed them one at a time — pg queues them itself today, deprecated and gone in pg 9.
 */
function oneAtATime(client: pg.Client): SqlRunner {
  let last: Promise<unknown> = Promise.resolve();
  return {
    query<R>(text: string, params?: unknown[]) {
      const run = last.then(() => client.query(text, params)) as Promise<{ rows: R[] }>;
      last = run.catch(() => undefined);
      return run;
    },
  };
}

const base: DemandRankingInput = {
  from: '2025-04-01', to: '2025-06-30', areaPaths: null, groupBy: ['CATEGORY'], sources: 'BOTH', includeConsultations: false, minSupport: 30, topN: 20, now: new Date('2025-07-01T02:00:00Z'),
};

test('the planted rising category ranks first and is flagged topic of the month with the right reasons', async () => {
  const result = await rankDemand(sql, base);
  const top = result.rows[0];
  const planted = (await db.query(`select id from request_category where code = $1`, [PLANTED_CATEGORY])).rows[0].id;
  expect(top.key).toEqual({ categoryId: planted });
  expect(top.rank).toBe(1);
  expect(top.metrics.volume).toBe((16 + 17 + 18) * 8);
  expect(top.topicOfMonth.flagged).toBe(true);
  expect(top.topicOfMonth.missing).toEqual([]);
  expect(top.topicOfMonth.reasons).toEqual([
    `rank 1 of 6 (top 5 needed)`,
    'present in 67% of communities (≥ 30% needed)',
    expect.stringMatching(/^rising: Mann–Kendall z = \d+\.\d\d \(p = 0\.000\), Sen slope \+\d+\.\d a month$/),
    // Month m (0 = Jan 2024) has 8(m + 1) elevator demands against 72 for each background category: in the top 5
    // (ties included) from m = 8 on, i.e. the last 10 months. Of 16 + 17 + 18 per community, 6 each month are finished.
    'among the top 5 by volume for 10 months running',
    expect.stringMatching(/^resolved 35% vs \d+% across all cells \(lower needed\)$/),
  ]);
  // No background category is flagged: they are fully resolved.
  expect(result.rows.slice(1).every((row) => !row.topicOfMonth.flagged)).toBe(true);
  // Flat since 2024: 72 a month (6 in each of 12 communities). The city has records of 2021 (the
  // tiny fixture), but none at all from July 2022, the 36-month window's first month, until
  // 2024-01-01: a gap in collection, not 18 months without demand. The trend begins where the
  // data resumed and reads 18 flat months: no trend. (Read as zeros, the gap made every background
  // category rise: seasonal z 4.0659.)
  expect(result.rows.slice(1).map((row) => [row.metrics.trendZ, row.metrics.trendMethod, row.metrics.trendPoints])).toEqual(Array(5).fill([0, 'PLAIN', 18]));
  expect(mannKendall(Array(18).fill(72))!.z).toBe(0);
});

test('metric values on the tiny fixture equal the ones worked by hand', async () => {
  const community = (await db.query(`select path, population from area where code = '370199001001'`)).rows[0];
  const result = await rankDemand(sql, {
    ...base, from: '2021-03-01', to: '2021-03-31', baselineFrom: '2021-01-01', baselineTo: '2021-01-31', areaPaths: [community.path], minSupport: 0, now: new Date('2021-04-15T00:00:00Z'),
  });
  expect(result.rows).toHaveLength(1);
  // The baseline has data on 2 of its days: the fixture's data begin on 2021-01-11, and nothing is
  // recorded anywhere from 2021-01-13 (the gap in collection below).
  expect(result.baseline).toEqual({ from: '2021-01-01', to: '2021-01-31', days: 31, coveredDays: 2, kind: 'GIVEN' });
  const m = result.rows[0].metrics;
  // T-1..T-4 are demands (T-5 a consultation): volume 4. T-4 was cancelled, T-1 and T-2 finished: 1 − 2/3.
  expect(m.volume).toBe(4);
  expect(m.consultations).toBe(1);
  expect(m.resolutionGap).toBeCloseTo(1 / 3, 6);
  // Ratings 5 and 2: one satisfied (≥ 4) of two.
  expect(m.satisfactionGap).toBe(0.5);
  // 1 working day: T-1 (Wed, 2 h) on time; T-2 (Thu → due end of Fri, closed Mon) late.
  expect(m.onTimeShare).toBe(0.5);
  // Close times 2 h (bin [1,4)) and 96 h (bin [72,120)): p50 = 1 + 1·3 = 4; p90 = 72 + 0.8·48 = 110.4; mean 49.
  expect(m.timelinessP50Hours).toBe(4);
  expect(m.timelinessP90Hours).toBe(110.4);
  expect(m.meanCloseHours).toBe(49);
  // Groups known for T-1 (ELDERLY), T-2 (GENERAL), T-3 (CHILDREN): 2 vulnerable of 3.
  expect(m.vulnerableShare).toBeCloseTo(2 / 3, 6);
  // T-3 open since 2021-03-05, aged at the end of the period (2021-03-31): 26 days.
  expect(m.backlogOpen).toBe(1);
  expect(m.backlogP90AgeDays).toBe(26);
  // Baseline: 2 demands on its 2 days with data (11 and 12 January), too few to scale to March's
  // 29 days with data (from the 3rd): no surge. (Read as 2 in 31 days, it was μ = 2, z = √2.)
  expect(m.surgeExpected).toBeNull();
  expect(m.surgeZ).toBeNull();
  expect(result.rows[0].notes).toContainEqual({
    metric: 'surgeZ',
    reason: 'the baseline has data on 2 of its 31 days (the area\'s data begin on 2021-01-11; nothing was recorded anywhere (same sources, whole city) from 2021-01-13 to 2021-01-31): at least 5 are needed to scale it to the period',
  });
  expect(result.period).toEqual({ from: '2021-03-01', to: '2021-03-31', days: 31, coveredDays: 29 });
  expect(m.population).toBe(community.population);
  expect(m.ratePer10k).toBeCloseTo((4 / community.population) * 1e4, 4);
  // One cell: EB has nothing to pool with (A = 0), so the smoothed rate is the pooled = own rate.
  expect(m.smoothedRatePer10k).toBeCloseTo(m.ratePer10k!, 4);
  expect(m.presence).toBe(1);
  // The tiny fixture is the city's only data of 2021: nothing is recorded anywhere from 2021-01-13
  // to 2021-03-02, a gap in collection (trend.ts, GAP_MIN_DAYS). January keeps 2 covered days (the
  // 11th, 12th: left out, under 7), February none. March, from its 3rd, is the one point: asked on
  // 2021-04-15, nothing has been recorded since March 8th (the later fixtures' records are dated after
  // that day, not yet in), so its days after are the data's end, read as zeros. Too few for a trend.
  expect(m.trendPoints).toBe(1);
  expect(m.trendZ).toBeNull();
  expect(result.rows[0].notes).toContainEqual({ metric: 'trendZ', reason: '1 monthly points: the trend needs at least 4' });
  // No trend is read, so the ranking does not explain one (the data's end), but it names the gap: it is why.
  expect(result.notes.filter((note) => note.startsWith('the trend'))).toEqual([
    'the trend: nothing was recorded anywhere (same sources, whole city) from 2021-01-13 to 2021-03-02: those days are not read as zeros; a month they fall in is read from its other days, scaled to its length, and left out with fewer than 7 of them',
  ]);
  expect(result.snapshot.recordsCounted).toBe(4);
  // The latest record counted and the evidence are demands: T-4 (03-08), not the consultation T-5 (03-09).
  expect(result.snapshot.latestRecordAt?.toISOString()).toBe('2021-03-08T02:00:00.000Z');
  expect(result.rows[0].evidenceIds).toEqual(['ServiceRecord:gongjian:T-4']);
});

test('explanations agree with the numbers: weights sum to 1, scores in [0,1], rank follows score, small cells listed apart', async () => {
  const result = await rankDemand(sql, { ...base, policyWeights: { resolutionGap: 5 } });
  const used = result.weights.reduce((s, w) => s + w.used, 0);
  expect(used).toBeCloseTo(1, 9);
  for (const w of result.weights) expect(w.used).toBeLessThanOrEqual(0.3 + 1e-9);
  expect(result.weights.find((w) => w.metric === 'resolutionGap')!.policy).toBe(1);
  for (let i = 0; i < result.rows.length; i++) {
    expect(result.rows[i].rank).toBe(i + 1);
    expect(result.rows[i].score).toBeGreaterThanOrEqual(0);
    expect(result.rows[i].score).toBeLessThanOrEqual(1);
    if (i > 0) expect(result.rows[i].score).toBeLessThanOrEqual(result.rows[i - 1].score);
  }
  expect(result.belowSupport).toHaveLength(1);
  expect(result.belowSupport[0]).toMatchObject({ rank: 0, belowSupportReason: 'volume 3 < minSupport 30', metrics: { volume: 3 } });
  expect(result.belowSupport[0].evidenceIds).toHaveLength(3);
  // Every record of the period is counted once: 51·8 elevator + 5 × 216 background + 3 canteen.
  expect(result.snapshot.recordsCounted).toBe(408 + 1080 + 3);
  // Same cells by community: the planted category in a planted community comes before it elsewhere.
  const byCommunity = await rankDemand(sql, { ...base, groupBy: ['CATEGORY', 'COMMUNITY'], minSupport: 10, topN: 100 });
  expect(byCommunity.rows[0].label).toMatch(/加装电梯/);
  expect(byCommunity.rows[0].topicOfMonth.missing).toContain('a topic of the month is city-wide: rank without COMMUNITY or GRID');
  expect(byCommunity.weights.map((w) => w.metric)).toContain('smoothedRatePer10k');
  const byGroup = await rankDemand(sql, { ...base, groupBy: ['RESIDENT_GROUP'], minSupport: 0 });
  expect(byGroup.rows.map((r) => [r.key.residentGroup, r.metrics.volume])).toEqual(expect.arrayContaining([['ELDERLY', 408 + 3], ['GENERAL', 1080]]));
  const byGrid = await rankDemand(sql, { ...base, groupBy: ['GRID'], minSupport: 0 });
  expect(byGrid.rows.reduce((s, r) => s + r.metrics.volume, 0)).toBe(408);
  // Only the 408 records that name a grid are in grid cells (of 1,491): the answer says so, the community one does not need to.
  expect(byGrid.notes).toContain(GRID_ONLY_RECORDS_NOTE);
  expect(byCommunity.notes).not.toContain(GRID_ONLY_RECORDS_NOTE);
});

const district = () => Buffer.from('District:1').toString('base64url');
const RANKING = `query ($input: DemandRankingInput!) { demandRanking(input: $input) {
  rows { rank score label categoryId category { code name } metrics { volume trendZ surgeZ resolutionGap onTimeShare vulnerableShare spread } topicOfMonth { flagged reasons missing } evidenceIds notes { metric reason } }
  belowSupport { label belowSupportReason metrics { volume } }
  weights { metric entropy policy used } snapshot { latestRecordAt recordsCounted } period { from to days } baseline { from to days kind } rankedCells notes } }`;

test('a baseline asked for by kind answers that kind, with the days it stands for; by days, GIVEN', async () => {
  const baselineOf = async (extra: object) => {
    const result = await app.execute(RANKING, { input: { areaId: district(), from: '2025-04-01', to: '2025-06-30', groupBy: ['CATEGORY'], ...extra } });
    expect(result.errors).toBeUndefined();
    return result.data.demandRanking.baseline;
  };
  expect(await baselineOf({ baseline: 'SAME_PERIOD_LAST_YEAR' })).toEqual({ from: '2024-04-02', to: '2024-07-01', days: 91, kind: 'SAME_PERIOD_LAST_YEAR' });
  // The data reach back a year, so the default would be last year: asked for, the previous 91 days.
  expect(await baselineOf({ baseline: 'PREVIOUS_PERIOD' })).toEqual({ from: '2024-12-31', to: '2025-03-31', days: 91, kind: 'PREVIOUS_PERIOD' });
  expect(await baselineOf({ baselineFrom: '2024-12-31', baselineTo: '2025-03-31' })).toEqual({ from: '2024-12-31', to: '2025-03-31', days: 91, kind: 'GIVEN' });
});

test('demandRanking through GraphQL: the planted category first, objects through loaders, support list apart', async () => {
  const result = await app.execute(RANKING, { input: { areaId: district(), from: '2025-04-01', to: '2025-06-30', groupBy: ['CATEGORY'] } });
  expect(result.errors).toBeUndefined();
  const ranking = result.data.demandRanking;
  expect(ranking.rows[0].category.code).toBe(PLANTED_CATEGORY);
  expect(ranking.rows[0].topicOfMonth.flagged).toBe(true);
  expect(ranking.baseline).toEqual({ from: '2024-04-02', to: '2024-07-01', days: 91, kind: 'SAME_PERIOD_LAST_YEAR' });
  expect(ranking.belowSupport).toEqual([{ label: '养老助残 / 老年助餐', belowSupportReason: 'volume 3 < minSupport 30', metrics: { volume: 3 } }]);
  // Weights are shown rounded to 6 decimals: 13 of them sum to 1 within 1e-5.
  expect(ranking.weights.reduce((s: number, w: { used: number }) => s + w.used, 0)).toBeCloseTo(1, 5);
  const series = await app.execute(`query ($input: DemandSeriesInput!) { demandSeries(input: $input) { total points { start days volume open } trend { z method } } }`, {
    input: { categoryId: ranking.rows[0].categoryId, from: '2025-01-01', to: '2025-06-30', interval: 'MONTH' },
  });
  expect(series.errors).toBeUndefined();
  // 8 communities × (13 … 18) elevator demands a month in 2025.
  expect(series.data.demandSeries.points.map((p: { volume: number }) => p.volume)).toEqual([13, 14, 15, 16, 17, 18].map((n) => n * 8));
  const hot = await app.execute(`query ($input: DemandHotspotsInput!) { demandHotspots(input: $input) { parentRatePer10k statistic areas { label volume z hot community { code } } } }`, {
    input: { categoryId: ranking.rows[0].categoryId, from: '2025-04-01', to: '2025-06-30' },
  });
  expect(hot.errors).toBeUndefined();
  expect(hot.data.demandHotspots.statistic).not.toContain(GRID_ONLY_RECORDS_NOTE);
  const hotGrids = await app.execute(`query ($input: DemandHotspotsInput!) { demandHotspots(input: $input) { statistic } }`, {
    input: { categoryId: ranking.rows[0].categoryId, from: '2025-04-01', to: '2025-06-30', level: 'GRID' },
  });
  expect(hotGrids.errors).toBeUndefined();
  expect(hotGrids.data.demandHotspots.statistic).toContain(GRID_ONLY_RECORDS_NOTE);
  const areas = hot.data.demandHotspots.areas;
  // Only the 8 planted communities have elevator demands; the other four have none and come last with negative z.
  expect(areas.filter((a: { volume: number }) => a.volume > 0)).toHaveLength(8);
  expect(areas.slice(-4).every((a: { volume: number; z: number }) => a.volume === 0 && a.z < 0)).toBe(true);
});

test.each([
  [{ from: '2025-06-30', to: '2025-04-01', groupBy: ['CATEGORY'] }, 'input.to'],
  [{ groupBy: ['CATEGORY'] }, 'input.from'],
  [{ from: '2025-04-01', to: '2025-06-30', groupBy: ['CATEGORY', 'COMMUNITY', 'RESIDENT_GROUP'] }, 'input.groupBy'],
  [{ from: '2025-04-01', to: '2025-06-30', groupBy: ['CATEGORY'], minSupport: -1 }, 'input.minSupport'],
  [{ from: '2025-04-01', to: '2025-06-30', groupBy: ['CATEGORY'], topN: 101 }, 'input.topN'],
  [{ from: '2025-04-01', to: '2025-06-30', groupBy: ['CATEGORY'], areaId: Buffer.from('Community:99999').toString('base64url') }, 'input.areaId'],
  [{ from: '2025-04-01', to: '2025-06-30', groupBy: ['CATEGORY'], policyWeights: [{ metric: 'volume', weight: 11 }] }, 'input.policyWeights[0].weight'],
  [{ from: '2025-04-01', to: '2025-06-30', groupBy: ['CATEGORY', 'SERVICE_ITEM'] }, 'input.groupBy'],
  // Groups are counted for demands only: the flag would be ignored without a word.
  [{ from: '2025-04-01', to: '2025-06-30', groupBy: ['RESIDENT_GROUP'], includeConsultations: true }, 'input.includeConsultations'],
  // December 9999 has no month end: this one used to throw while the reads were under way, and
  // their unhandled failures stopped the server.
  [{ from: '9999-12-01', to: '9999-12-31', groupBy: ['CATEGORY'] }, 'input.from'],
  [{ from: '2025-04-01', to: '3000-01-01', groupBy: ['CATEGORY'] }, 'input.to'],
  [{ from: '0001-01-01', to: '2025-06-30', groupBy: ['CATEGORY'] }, 'input.from'],
  [{ from: '2025-04-01', to: '2025-06-30', groupBy: ['CATEGORY'], baselineFrom: '9999-01-01', baselineTo: '9999-12-01' }, 'input.baselineFrom'],
  [{ from: '2025-04-01', to: '2025-06-30', groupBy: ['CATEGORY'], baselineFrom: '2024-01-01', baselineTo: '0001-12-01' }, 'input.baselineTo'],
])('bad input %j is refused naming %s', async (input, field) => {
  const result = await app.execute(RANKING, { input });
  expect(result.errors?.[0].extensions?.code).toMatch(/BAD_USER_INPUT|NOT_FOUND/);
  expect(result.errors?.[0].extensions?.field).toBe(field);
});

test('a policy weight names a metric of the enum DemandRankingMetric: the old strings still go as variables, an unknown one is refused by GraphQL', async () => {
  const input = { from: '2025-04-01', to: '2025-06-30', groupBy: ['CATEGORY'] };
  const unknown = await app.execute(RANKING, { input: { ...input, policyWeights: [{ metric: 'nonsense', weight: 1 }] } });
  expect(unknown.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  expect(unknown.errors?.[0].message).toContain('at "input.policyWeights[0].metric"');
  expect(unknown.errors?.[0].message).toContain('DemandRankingMetric');
  const inline = await app.execute(`{ demandRanking(input: { from: "2025-04-01", to: "2025-06-30", groupBy: [CATEGORY], policyWeights: [{ metric: resolutionGap, weight: 5 }] }) { weights { metric policy } } }`);
  expect(inline.errors).toBeUndefined();
  const asVariable = await app.execute(`query ($input: DemandRankingInput!) { demandRanking(input: $input) { weights { metric policy } } }`, { input: { ...input, policyWeights: [{ metric: 'resolutionGap', weight: 5 }] } });
  expect(asVariable.errors).toBeUndefined();
  expect(asVariable.data.demandRanking.weights).toEqual(inline.data.demandRanking.weights);
  expect(asVariable.data.demandRanking.weights).toContainEqual({ metric: 'resolutionGap', policy: 1 });
});

test('a period read as whole months minus edge days gives exactly the sums and latest records of its days', async () => {
  const spec: ReadSpec = { mode: 'COMMUNITY', what: 'category', byUnit: true, unitIds: null, sources: 'BOTH', columns: ALL_COLUMNS, latest: true };
  const periods: [string, string][] = [
    ['2024-03-02', '2024-05-30'], // both edges mostly covered: two subtracted ranges, the month of `to` trimmed
    ['2024-03-20', '2024-05-10'], // both edges read by day
    ['2024-03-01', '2024-03-31'], // one whole month
    ['2024-03-02', '2024-03-30'], // one month, mostly
    ['2024-03-05', '2024-03-09'], // a few days
    ['2024-12-31', '2025-02-27'], // across a year, the last month trimmed
    ['2025-05-15', '2025-06-30'],
    ['2024-03-05', '2024-05-20'], // records on the subtracted days at both ends (the fixture uses days 1-28)
    ['2025-05-15', '2025-06-29'], // past the data's last day
  ];
  const { rows: [{ last: lastDay }] } = await db.query<{ last: string }>('select max(day)::text as last from demand_daily');
  for (const [from, to] of periods) {
    const byDay = await readBuckets(sql, spec, from, to, 'day');
    const expected = new Map<string, { values: Record<string, number | null>; latest: number }>();
    for (const row of byDay) {
      const key = `${row.what}|${row.unit}`;
      const seen = expected.get(key);
      if (!seen) expected.set(key, { values: { ...row.values }, latest: row.latest!.getTime() });
      else {
        for (const c of ALL_COLUMNS) seen.values[c] = seen.values[c] === null ? null : seen.values[c]! + row.values[c]!;
        seen.latest = Math.max(seen.latest, row.latest!.getTime());
      }
    }
    // Told the data's last day, a period reaching past it reads the month of `to` whole: the same sums.
    for (const dataLast of [null, lastDay]) {
      const actual = await readPeriod(sql, spec, from, to, dataLast);
      expect(actual.length).toBe(expected.size);
      for (const row of actual) {
        const want = expected.get(`${row.what}|${row.unit}`);
        expect({ period: [from, to], values: row.values, latest: row.latest!.getTime() }).toEqual({ period: [from, to], values: want!.values, latest: want!.latest });
      }
    }
  }
  expect(planPeriod('2025-05-15', '2025-06-29', '2025-06-28')).toEqual({ months: ['2025-05-01', '2025-06-01'], plusDays: [], minusDays: [['2025-05-01', '2025-05-14']], lastMonthTrimmed: null });
  expect(planPeriod('2025-05-15', '2025-06-29')).toEqual({ months: ['2025-05-01', '2025-06-01'], plusDays: [], minusDays: [['2025-05-01', '2025-05-14'], ['2025-06-30', '2025-06-30']], lastMonthTrimmed: '2025-06-01' });
  expect(planPeriod('2024-03-02', '2024-05-30')).toEqual({ months: ['2024-03-01', '2024-05-01'], plusDays: [], minusDays: [['2024-03-01', '2024-03-01'], ['2024-05-31', '2024-05-31']], lastMonthTrimmed: '2024-05-01' });
  expect(planPeriod('2024-03-20', '2024-05-10')).toEqual({ months: ['2024-04-01', '2024-04-01'], plusDays: [['2024-03-20', '2024-03-31'], ['2024-05-01', '2024-05-10']], minusDays: [], lastMonthTrimmed: null });
});

test('up to the data\'s last day the month of `to` is read whole; with a later record it is read by day: the same ranking', async () => {
  const shapes: DemandRankingInput['groupBy'][] = [['CATEGORY'], ['CATEGORY', 'COMMUNITY'], ['CATEGORY', 'GRID'], ['CATEGORY', 'RESIDENT_GROUP'], ['SERVICE_ITEM'], ['COMMUNITY']];
  const rank = async (over: Partial<DemandRankingInput> = {}) => {
    const out = [];
    for (const groupBy of shapes) {
      const { timings, ...result } = await rankDemand(sql, { ...base, groupBy, minSupport: 1, allRows: true, ...over });
      out.push(result);
    }
    return out;
  };
  const { rows: [{ last }] } = await db.query<{ last: string }>('select max(day)::text as last from demand_daily');
  expect(last <= base.to).toBe(true);
  const wholeMonth = await rank();
  // A row ten days after the data's last day (and after `to`), in every daily roll-up, then rolled
  // back. First one that counts no demand (consultations only): the month of `to` is read by day,
  // and nothing else changes, the notes included.
  const addLaterRow = async (demand: boolean) => {
    for (const table of ['demand_daily', 'demand_grid_daily', 'service_daily']) {
      await db.query(`create temp table later on commit drop as select * from ${table} where day = (select max(day) from ${table}) limit 1`);
      const noDemand = table === 'service_daily' ? 'consultations = count' : 'demands = 0, consultations = consultations + 1';
      await db.query(`update later set day = day + 10${demand ? '' : `, ${noDemand}`}`);
      await db.query(`insert into ${table} select * from later`);
      await db.query('drop table later');
    }
  };
  await db.query('begin');
  try {
    await addLaterRow(false);
    expect(await rank()).toEqual(wholeMonth);
  } finally {
    await db.query('rollback');
  }
  // Then a demand, asked once its day is over: the same ranking, but the data no longer end on their
  // last day before `to` (records resume 10 days later: a closure of 9 empty days), so no note says
  // they do. Asked before that day (base.now), the record is not in yet: the note stays.
  const dataEnd = (notes: string[]) => notes.filter((note) => note.includes('if their records are not imported yet'));
  expect(wholeMonth.every((result) => dataEnd(result.notes).length === 1)).toBe(true);
  const askedLater = { now: new Date('2025-07-20T02:00:00Z') };
  const wholeMonthLater = await rank(askedLater);
  expect(wholeMonthLater.every((result) => dataEnd(result.notes).length === 1)).toBe(true);
  await db.query('begin');
  try {
    await addLaterRow(true);
    expect(await rank()).toEqual(wholeMonth);
    const byDay = await rank(askedLater);
    expect(byDay.map((result) => dataEnd(result.notes))).toEqual(wholeMonth.map(() => []));
    const withoutDataEnd = (results: typeof wholeMonth) => results.map((result) => ({ ...result, notes: result.notes.filter((note) => dataEnd([note]).length === 0) }));
    expect(withoutDataEnd(byDay)).toEqual(withoutDataEnd(wholeMonthLater));
  } finally {
    await db.query('rollback');
  }
});

test('service items by month (read from days, service_daily has no monthly table) hold every day of each month', async () => {
  const spec: ReadSpec = { mode: 'ITEM', what: 'item', byUnit: true, unitIds: null, sources: 'SERVICE_RECORDS', columns: ['demands', 'consultations', 'open'] };
  const byMonth = await readBuckets(sql, spec, '2024-01-01', '2025-05-01', 'month');
  const byDay = await readBuckets(sql, spec, '2024-01-01', '2025-05-31', 'day');
  const sum = (rows: typeof byDay, month: (bucket: string) => string) => {
    const out = new Map<string, number>();
    for (const row of rows) {
      const key = `${row.what}|${row.unit}|${month(row.bucket)}`;
      out.set(key, (out.get(key) ?? 0) + row.values.demands! + row.values.consultations! * 1000);
    }
    return out;
  };
  const expected = sum(byDay, (day) => `${day.slice(0, 7)}-01`);
  expect(expected.size).toBeGreaterThan(0);
  expect(sum(byMonth, (month) => month)).toEqual(expected);
});

test('series read packed per area hold exactly what the plain read holds (communities and grids, by month and by day)', async () => {
  const totals = (rows: { what: number; unit: number; bucket: string; values: Record<string, number | null> }[], columns: readonly string[]) => {
    const out = new Map<string, (number | null)[]>();
    for (const row of rows) {
      const key = `${row.what}|${row.unit}|${row.bucket}`;
      const seen = out.get(key);
      out.set(key, columns.map((c, i) => (row.values[c] === null ? null : (seen?.[i] ?? 0) + row.values[c]!)));
    }
    return out;
  };
  const columns = ['demands', 'consultations', 'open', 'g_elderly'];
  for (const mode of ['COMMUNITY', 'GRID'] as const) {
    const spec: ReadSpec = { mode, what: 'category', byUnit: true, unitIds: null, sources: 'BOTH', columns };
    for (const [from, to, bucket] of [['2024-01-01', '2025-05-01', 'month'], ['2025-06-01', '2025-06-30', 'day']] as const) {
      const plain = totals(await readBuckets(sql, spec, from, to, bucket), columns);
      const packed = totals(await readBucketsPacked(sql, spec, from, to, bucket), columns);
      expect(plain.size).toBeGreaterThan(0);
      expect(packed).toEqual(plain);
    }
  }
});

test('periods outside 1900-2999 (and consultations by resident group) are refused by every figure that takes one, and nothing is left failing unseen', async () => {
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => void unhandled.push(reason);
  process.on('unhandledRejection', onUnhandled);
  try {
    const area = Buffer.from('District:1').toString('base64url');
    for (const [document, input, field] of [
      ['query ($input: DemandSeriesInput!) { demandSeries(input: $input) { total } }', { from: '0001-01-01', to: '0001-12-31', interval: 'MONTH' }, 'input.from'],
      ['query ($input: DemandSeriesInput!) { demandSeries(input: $input) { total } }', { from: '2025-04-01', to: '2025-06-30', residentGroup: 'ELDERLY', includeConsultations: true }, 'input.includeConsultations'],
      ['query ($input: ProjectSuggestionsInput!) { projectSuggestions(input: $input) { assumptions } }', { budget: 100000, from: '9999-01-01', to: '9999-12-31' }, 'input.from'],
      ['query ($input: ServiceStatsInput!) { serviceStats(input: $input) { total { serviceCount } } }', { areaId: area, from: '2025-01-01', to: '9999-12-31', groupBy: 'CATEGORY' }, 'input.to'],
    ] as const) {
      const result = await app.execute(document, { input });
      expect(result.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(unhandled).toEqual([]);
  } finally {
    process.off('unhandledRejection', onUnhandled);
  }
});

test('evidence ids are demand records, never the consultations the volume leaves out', async () => {
  const result = await rankDemand(sql, { ...base, groupBy: ['CATEGORY', 'COMMUNITY'], sources: 'SERVICE_RECORDS', minSupport: 0, topN: 100, evidencePerRow: 5 });
  const ids = result.rows.flatMap((row) => row.evidenceIds).map((id) => id.replace(/^ServiceRecord:/, ''));
  expect(ids.length).toBeGreaterThan(20);
  const { rows } = await db.query(
    `select count(*) filter (where i.is_consultation)::int as consultations, count(*)::int as found
       from service_record r join service_item i on i.id = r.item_id where r.source || ':' || r.source_id = any($1)`,
    [ids],
  );
  expect(rows[0]).toEqual({ consultations: 0, found: ids.length });
});

test('smoothed rates pool every community of the scope, those without the demand as zeros', async () => {
  const result = await rankDemand(sql, { ...base, groupBy: ['CATEGORY', 'COMMUNITY'], minSupport: 0, allRows: true });
  const communities = (await db.query(`select id, population from area where level = 'COMMUNITY' and population > 0 order by id`)).rows as { id: number; population: number }[];
  const byCategory = new Map<number, typeof result.rows>();
  for (const row of result.rows) byCategory.set(row.key.categoryId!, [...(byCategory.get(row.key.categoryId!) ?? []), row]);
  // Categories some communities never asked for: their pool must still count those communities' residents.
  const partial = [...byCategory.values()].filter((rows) => rows.length >= 2 && rows.length < communities.length);
  expect(partial.length).toBeGreaterThan(0);
  for (const rows of partial) {
    const volumes = communities.map((c) => rows.find((row) => row.key.communityId === c.id)?.metrics.volume ?? 0);
    const expected = empiricalBayesRates(volumes, communities.map((c) => c.population))!;
    for (const row of rows) {
      const i = communities.findIndex((c) => c.id === row.key.communityId);
      expect(row.metrics.smoothedRatePer10k).toBeCloseTo(expected.smoothed[i] * 1e4, 3);
    }
  }
});

test('the backlog counts open demands of exactly the 365 days up to `to`, not from the start of the month they begin in', async () => {
  // 2019, a year no other fixture touches. The window back from 2019-03-14 starts on 2018-03-15.
  const c = '370199003004';
  const csv = [
    GONGJIAN_CSV_HEADER,
    `BACKLOG-1,CIV-MARRIAGE-01,2018-03-12 10:00:00,,OPEN,${c},,,,COUNTER,,,`, // 367 days old: outside
    `BACKLOG-2,CIV-MARRIAGE-01,2018-03-20 10:00:00,,OPEN,${c},,,,COUNTER,,,`, // inside, in the same month
    `BACKLOG-3,CIV-MARRIAGE-01,2018-04-10 10:00:00,,OPEN,${c},,,,COUNTER,,,`, // inside
    `BACKLOG-4,CIV-MARRIAGE-01,2019-02-01 10:00:00,2019-02-01 12:00:00,FINISHED,${c},,,,COUNTER,,,`, // the period's one demand
  ].join('\n') + '\n';
  expect(await importServiceFile({ db, input: Readable.from([Buffer.from(csv)]), fileName: 'backlog.csv', mapping: gongjian, batchRows: 100 })).toMatchObject({ inserted: 4, rejected: 0 });
  const window = { ...base, from: '2019-01-17', to: '2019-03-14', minSupport: 0, now: new Date('2019-03-20T00:00:00Z') };
  const result = await rankDemand(sql, { ...window, groupBy: ['CATEGORY'] });
  expect(result.rows).toHaveLength(1);
  expect(result.rows[0].metrics.backlogOpen).toBe(2);
  // Trend windows shorter than the backlog's year: service items (12 months) and a 4-month trend.
  for (const input of [{ ...window, groupBy: ['SERVICE_ITEM'] as DemandRankingInput['groupBy'] }, { ...window, groupBy: ['CATEGORY'] as DemandRankingInput['groupBy'], trendMonths: 4 }]) {
    const rows = (await rankDemand(sql, input)).rows;
    expect({ groupBy: input.groupBy, backlog: rows.map((row) => row.metrics.backlogOpen) }).toEqual({ groupBy: input.groupBy, backlog: [2] });
  }
  // B-2 is 359 days old on 2019-03-14 (its age read by day); B-3's month is aged from its 15th: 333.
  expect(result.rows[0].metrics.backlogP90AgeDays).toBeLessThanOrEqual(359);
});

test('an evidence id whose source id reads like a personal number is masked for an analyst; ordinary keys stay traceable', async () => {
  const em = app.orm.em.fork();
  const [item] = await em.execute(`select code from service_item where not is_consultation order by code limit 1`);
  const [community] = await em.execute(`select code from area where level = 'COMMUNITY' order by code limit 1`);
  // A month no fixture uses, so the other tests' figures stay as they are.
  const record = (sourceId: string, day: number) => ({
    sourceId, itemCode: item.code, communityCode: community.code, status: 'FINISHED',
    receivedAt: `2023-03-${String(day).padStart(2, '0')}T02:00:00Z`, finishedAt: `2023-03-${String(day).padStart(2, '0')}T03:00:00Z`,
  });
  const imported = await app.execute(`mutation($records: [ServiceRecordInput!]!) { importServiceRecords(source: "hall", records: $records) { inserted rejected } }`, {
    records: [record('370102199001011237', 20), record('HALL-2023-000017', 25)],
  });
  expect(imported.errors).toBeUndefined();
  expect(imported.data.importServiceRecords).toEqual({ inserted: 2, rejected: 0 });
  // Three more of another source, earlier in the month: a cell of fewer than 5 demands shows an analyst no evidence (disclosure.ts).
  const fill = await app.execute(`mutation($records: [ServiceRecordInput!]!) { importServiceRecords(source: "fill", records: $records) { inserted } }`, {
    records: [record('FILL-1', 1), record('FILL-2', 2), record('FILL-3', 3)],
  });
  expect(fill.data.importServiceRecords.inserted).toBe(3);
  const evidence = async (viewer?: Parameters<TestApp['execute']>[2]) => {
    const result = await app.execute(`query($input: DemandRankingInput!) { demandRanking(input: $input) { rows { evidenceIds } } }`, {
      input: { areaId: district(), from: '2023-03-01', to: '2023-03-31', groupBy: ['CATEGORY'], sources: 'SERVICE_RECORDS', minSupport: 1 },
    }, viewer);
    expect(result.errors).toBeUndefined();
    return result.data.demandRanking.rows.flatMap((row: { evidenceIds: string[] }) => row.evidenceIds).filter((id: string) => id.startsWith('ServiceRecord:hall:')).sort();
  };
  // Both are their day's latest demand, on two days of the period's last 14 (the evidence days), read in any order.
  // (HALL-… was on the 10th, read only as March's exemplar when that was the greatest id as text, not the latest record.)
  expect(await evidence()).toEqual(['ServiceRecord:hall:370102199001011237', 'ServiceRecord:hall:HALL-2023-000017']);
  const analystSees = await evidence(accountViewer(Role.ANALYST, null));
  expect(analystSees).toEqual(['ServiceRecord:hall:370***********1237', 'ServiceRecord:hall:HALL-2023-000017']);
});

test('data that begin mid-month at a flat daily rate show no trend: the first month is scaled to its days, or left out under 7', async () => {
  // 2009-2011, years no other fixture touches: one demand a day up to 2011-01-31, beginning on the
  // 17th (15 days of January 2009) in one community and on the 28th (4 days) in another.
  const [early, late] = ['370199002001', '370199002002'];
  const lines = [GONGJIAN_CSV_HEADER];
  for (const [community, first] of [[early, '2009-01-17'], [late, '2009-01-28']]) {
    for (let day = first; day <= '2011-01-31'; day = new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10)) {
      lines.push(`FLAT-${community}-${day},CIV-MARRIAGE-01,${day} 10:00:00,${day} 11:00:00,FINISHED,${community},,,,COUNTER,,,`);
    }
  }
  expect(await importServiceFile({ db, input: Readable.from([Buffer.from(lines.join('\n') + '\n')]), fileName: 'flat.csv', mapping: gongjian, batchRows: 5000 })).toMatchObject({ inserted: 745 + 734, rejected: 0 });
  const trendOf = async (code: string) => {
    const { path: areaPath } = (await db.query(`select path from area where code = $1`, [code])).rows[0];
    const result = await rankDemand(sql, { ...base, from: '2011-01-01', to: '2011-01-31', areaPaths: [areaPath], minSupport: 0, now: new Date('2011-02-05T00:00:00Z') });
    expect(result.rows).toHaveLength(1);
    const { trendZ, senSlope, trendMethod, trendPoints } = result.rows[0].metrics;
    return { trendZ, senSlope, trendMethod, trendPoints };
  };
  // Every month, scaled to its length, holds as many demands as it has days: each calendar month
  // equals itself a year on, so the seasonal test finds no change. Counted from its 1st, January
  // 2009 held 15 (or 4) against 31 and made the trend upward.
  expect(await trendOf(early)).toEqual({ trendZ: 0, senSlope: 0, trendMethod: 'SEASONAL', trendPoints: 25 });
  // 4 days of January 2009: left out, like a month of `to` on its 4th.
  expect(await trendOf(late)).toEqual({ trendZ: 0, senSlope: 0, trendMethod: 'SEASONAL', trendPoints: 24 });
});

test('vulnerableShare through GraphQL: null with a note when no demand of the cell has a known group, the share when some have', async () => {
  const community = (await db.query(`select id from area where code = '370199001001'`)).rows[0];
  const areaId = Buffer.from(`Community:${community.id}`).toString('base64url');
  const share = async (from: string, to: string, groupBy: string[]) => {
    const result = await app.execute(RANKING, { input: { areaId, from, to, groupBy, minSupport: 0, includeConsultations: false } });
    expect(result.errors).toBeUndefined();
    return result.data.demandRanking.rows.map((row: { label: string; metrics: { volume: number; vulnerableShare: number | null }; notes: { metric: string; reason: string }[] }) => ({
      label: row.label, volume: row.metrics.volume, vulnerableShare: row.metrics.vulnerableShare, note: row.notes.find((n) => n.metric === 'vulnerableShare')?.reason ?? null,
    }));
  };
  const unknown = 'no demand in the cell has a known resident group';
  // January 2021 of the tiny fixture: T-6 and T-7, neither with a group. Unknown, not "none vulnerable".
  expect(await share('2021-01-01', '2021-01-31', ['CATEGORY'])).toEqual([{ label: expect.any(String), volume: 2, vulnerableShare: null, note: unknown }]);
  // March: T-1 ELDERLY, T-2 GENERAL, T-3 CHILDREN, T-4 none: 2 of the 3 with a group.
  expect(await share('2021-03-01', '2021-03-31', ['CATEGORY'])).toEqual([{ label: expect.any(String), volume: 4, vulnerableShare: 0.666667, note: null }]);
  // By group: the UNKNOWN group's cell is unknown too; the others are 1 or 0.
  const byGroup = await share('2021-03-01', '2021-03-31', ['RESIDENT_GROUP']);
  expect(byGroup.map(({ label, vulnerableShare, note }: { label: string; vulnerableShare: number | null; note: string | null }) => [label, vulnerableShare, note]).sort()).toEqual([
    ['CHILDREN', 1, null], ['ELDERLY', 1, null], ['GENERAL', 0, null], ['UNKNOWN', null, unknown],
  ]);
});

test('a ranked resident group is the enum DemandResidentGroup: UNKNOWN, the demands with no group recorded, serialises like the others', async () => {
  const community = (await db.query(`select id from area where code = '370199001001'`)).rows[0];
  const areaId = Buffer.from(`Community:${community.id}`).toString('base64url');
  const result = await app.execute(`query ($input: DemandRankingInput!) { demandRanking(input: $input) {
    rows { residentGroup label } period { kind } baseline { kind } } }`, { input: { areaId, from: '2021-03-01', to: '2021-03-31', groupBy: ['RESIDENT_GROUP'], minSupport: 0 } });
  expect(result.errors).toBeUndefined();
  // March 2021 of the tiny fixture: T-1 ELDERLY, T-2 GENERAL, T-3 CHILDREN, T-4 none.
  expect(result.data.demandRanking.rows.map((row: { residentGroup: string; label: string }) => [row.residentGroup, row.label]).sort()).toEqual([
    ['CHILDREN', 'CHILDREN'], ['ELDERLY', 'ELDERLY'], ['GENERAL', 'GENERAL'], ['UNKNOWN', 'UNKNOWN'],
  ]);
  // The period has no kind; the baseline says the one used (BaselineKindUsed).
  expect(result.data.demandRanking.period.kind).toBeNull();
  expect(['SAME_PERIOD_LAST_YEAR', 'PREVIOUS_PERIOD']).toContain(result.data.demandRanking.baseline.kind);
});

/**
 * Where the trend begins (trend.ts, trendBegin): when the scope (its communities and sources, any
 * category; demands, consultations only when counted) has any record before the window, at the
 * first day from the window's first on which the same sources have a record anywhere in the city
 * (the window's first day unless collection had stopped); else at the scope's first day with data
 * in the window. One demand a day (or
 * a month) of CIV-MARRIAGE-01 and consultations of CIV-MARRIAGE-03, in years and communities no
 * other test here touches; scope one community, ranked by category over the month of `to`.
 */
async function loadDaily(name: string, rows: [community: string, item: string, first: string, last: string][]) {
  const lines = [GONGJIAN_CSV_HEADER];
  for (const [community, item, first, last] of rows) {
    for (let day = first; day <= last; day = new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10)) {
      lines.push(`${name}-${community}-${item}-${day},${item},${day} 10:00:00,${day} 11:00:00,FINISHED,${community},,,,COUNTER,,,`);
    }
  }
  expect(await importServiceFile({ db, input: Readable.from([Buffer.from(lines.join('\n') + '\n')]), fileName: `${name}.csv`, mapping: gongjian, batchRows: 5000 })).toMatchObject({ rejected: 0 });
}
async function trendIn(code: string, to: string, over: Partial<DemandRankingInput> = {}) {
  const { path: areaPath } = (await db.query(`select path from area where code = $1`, [code])).rows[0];
  // Asked at midnight after `to` (China time), so that `to` is over and read whole (trendEnd).
  const result = await rankDemand(sql, { ...base, from: `${to.slice(0, 8)}01`, to, areaPaths: [areaPath], minSupport: 0, now: new Date(`${to}T16:00:00Z`), ...over });
  const rows = result.rows.filter((row) => row.metrics.volume > 0);
  expect(rows).toHaveLength(1);
  const { trendZ, senSlope, trendMethod, trendPoints, consultations } = rows[0].metrics;
  return { trendZ, senSlope, trendMethod, trendPoints, consultations };
}
/** Days of each month from `first` to `last` (YYYY-MM-01), the first month counted from `fromDay`: a flat daily rate's monthly totals. */
function daysPerMonth(first: string, last: string, fromDay = 1): number[] {
  const out: number[] = [];
  for (let m = first; m <= last; m = new Date(Date.UTC(Number(m.slice(0, 4)), Number(m.slice(5, 7)), 1)).toISOString().slice(0, 10)) {
    const length = new Date(Date.UTC(Number(m.slice(0, 4)), Number(m.slice(5, 7)), 0)).getUTCDate();
    out.push(m === first ? length - fromDay + 1 : length);
  }
  return out;
}

test('a scope whose data begin mid-month in the window\'s first month starts there, whatever other communities or sources hold before it', async () => {
  // Community A: one demand a day from 2003-01-17 to 2005-01-31; the window is 2003-01..2005-01 (25 months).
  const [a, b] = ['370199003001', '370199003002'];
  await loadDaily('START-A', [[a, 'CIV-MARRIAGE-01', '2003-01-17', '2005-01-31']]);
  const flat = { trendZ: 0, senSlope: 0, trendMethod: 'SEASONAL', trendPoints: 25, consultations: 0 };
  expect(await trendIn(a, '2005-01-31', { trendMonths: 25 })).toEqual(flat);
  // Another community's record in 2002 says nothing of when A's data begin (the whole table's first day did: January 2003 counted from its 1st, trendZ 1.0445).
  await loadDaily('START-B', [[b, 'CIV-MARRIAGE-01', '2002-12-15', '2002-12-15']]);
  expect(await trendIn(a, '2005-01-31', { trendMonths: 25 })).toEqual(flat);
  // Nor does another source of A's: a request on 2002-12-15, as the roll-ups hold one (a copy of
  // A's service-record row of 2003-01-20 as source 2, in the daily and the monthly table).
  await db.query(`insert into demand_daily select (jsonb_populate_record(d, '{"day": "2002-12-15", "source": 2}')).* from demand_daily d
    join area c on c.id = d.community_id and c.code = $1 where d.day = '2003-01-20'`, [a]);
  await db.query(`insert into demand_monthly select (jsonb_populate_record(null::demand_monthly, to_jsonb(d) || '{"month": "2002-12-01", "source": 2}')).* from demand_daily d
    join area c on c.id = d.community_id and c.code = $1 where d.day = '2002-12-15' and d.source = 2`, [a]);
  expect(await trendIn(a, '2005-01-31', { trendMonths: 25, sources: 'SERVICE_RECORDS' })).toEqual(flat);
  // Counting both sources, A has a record before the window; but nothing is recorded anywhere in
  // the city from 2002-12-16 until A's first day, 2003-01-17: a gap in collection, so the trend
  // still begins there, January scaled from the 17th, flat.
  expect(await trendIn(a, '2005-01-31', { trendMonths: 25 })).toEqual(flat);
  // With the city's data coming in on the window's first day (B's record of 2003-01-01), data were
  // being collected: January 2003 is whole (15 demands against 31 a year on) and the trend is that rise, not flat.
  await loadDaily('START-B', [[b, 'CIV-MARRIAGE-01', '2003-01-01', '2003-01-01']]);
  const whole = daysPerMonth('2003-01-01', '2005-01-01', 17);
  expect(whole.slice(0, 3)).toEqual([15, 28, 31]);
  expect((await trendIn(a, '2005-01-31', { trendMonths: 25 })).trendZ).toBe(Math.round(seasonalMannKendall(whole, 12)!.z * 1e4) / 1e4);
  expect(seasonalMannKendall(whole, 12)!.z).toBeGreaterThan(0.6);
});

test('consultations do not say where the volume\'s data begin unless they are counted', async () => {
  // C: consultations from 2006-01-01, demands from 2006-01-17; D: demands from 2006-01-01, consultations in December 2005 only.
  const [c, d] = ['370199003003', '370199003004'];
  await loadDaily('START-C', [[c, 'CIV-MARRIAGE-01', '2006-01-17', '2008-01-31'], [c, 'CIV-MARRIAGE-03', '2006-01-01', '2008-01-31']]);
  await loadDaily('START-D', [[d, 'CIV-MARRIAGE-01', '2006-01-01', '2008-01-31'], [d, 'CIV-MARRIAGE-03', '2005-12-01', '2005-12-31']]);
  // 36-month window 2005-02..2008-01: the demands begin in January 2006 (C's scaled from the 17th), 25 months.
  const flat = { trendZ: 0, senSlope: 0, trendMethod: 'SEASONAL', trendPoints: 25 };
  const withC = await trendIn(c, '2008-01-31');
  expect(withC).toEqual({ ...flat, consultations: 31 });
  expect(await trendIn(d, '2008-01-31')).toEqual({ ...flat, consultations: 0 });
});

test('a sparse scope whose data reach back before the window reads every month of it whole, an empty first month as a zero', async () => {
  // E: one demand on the 25th of every month from 2012-01 to 2015-01 but February (closed for the
  // Spring Festival, say). The window 2012-02..2015-01 begins with an empty February: a real zero,
  // as every February is, so every calendar month equals itself a year on: no trend, 36 points.
  // (Started at March 2012's first record, the 25th, March was scaled 31/7 and the trend fell: −0.6124.)
  const e = '370199001002';
  const rows: [string, string, string, string][] = [];
  for (let month = '2012-01'; month <= '2015-01'; month = new Date(Date.UTC(Number(month.slice(0, 4)), Number(month.slice(5, 7)), 1)).toISOString().slice(0, 7)) {
    if (!month.endsWith('-02')) rows.push([e, 'CIV-MARRIAGE-01', `${month}-25`, `${month}-25`]);
  }
  expect(rows).toHaveLength(37 - 3);
  await loadDaily('START-E', rows);
  // Alone in the city, one record a month is no collection: the 29-30 days between two records
  // are gaps (trend.ts, GAP_MIN_DAYS), and each month covers its 25th alone, under 7, but January
  // 2015, whose days after the city's last record are read as zeros (dataEndNote: asked on
  // 2015-02-01, nothing has been recorded since): one point, no trend.
  expect(await trendIn(e, '2015-01-31')).toMatchObject({ trendZ: null, trendPoints: 1 });
  // Asked years later, with the city's records resumed since (the other fixtures' later years), the
  // same days are a gap like the others, not the data's end: no point.
  expect(await trendIn(e, '2015-01-31', { now: new Date('2026-01-01T00:00:00Z') })).toMatchObject({ trendZ: null, trendPoints: 0 });
  // The city collecting every day (another community's records) but from 2012-02-01 to 2012-03-24:
  // E's empty February is a month with nothing recorded anywhere, a gap in collection, no
  // observation. The trend begins on March's 25th, the city's first record since.
  await loadDaily('START-E-COLLECTING', [['370199001004', 'CIV-MARRIAGE-01', '2012-01-01', '2012-01-31'], ['370199001004', 'CIV-MARRIAGE-01', '2012-03-25', '2015-01-31']]);
  const fromMarch = [31 / 7, ...Array(10).fill(1), 0, ...Array(11).fill(1), 0, ...Array(11).fill(1)];
  expect(fromMarch).toHaveLength(35);
  expect(await trendIn(e, '2015-01-31')).toEqual({ trendZ: Math.round(seasonalMannKendall(fromMarch, 12)!.z * 1e4) / 1e4, senSlope: 0, trendMethod: 'SEASONAL', trendPoints: 35, consultations: 0 });
  // With another community's records every day of early 2012 (the city collecting), E's February
  // is E's own lack of demand: a real zero, as every February is.
  await loadDaily('START-E-CITY', [['370199001003', 'CIV-MARRIAGE-01', '2012-01-01', '2012-03-31']]);
  expect(await trendIn(e, '2015-01-31')).toEqual({ trendZ: 0, senSlope: 0, trendMethod: 'SEASONAL', trendPoints: 36, consultations: 0 });
});

test('a gap in collection at the window\'s start is no run of zeros: the trend begins where the city\'s data resume', async () => {
  // 1990-1993, years no other fixture touches. X has one demand on the 10th of each month of the
  // first half of 1990; then nothing is recorded anywhere in the city until Y's first on
  // 1992-03-01 (one a day from then), after which X again has one on the 10th of every month up to 1993-12. The 36-month
  // window 1991-01..1993-12 begins inside the gap: X has records before it, yet its 14 empty months
  // are no observations (read as zeros they made a rise: seasonal z 4.0659). From March 1992, one a
  // month: no trend.
  const [x, y, w] = ['370199001003', '370199001004', '370199002001'];
  const tenths = (first: string, last: string): [string, string, string, string][] => {
    const out: [string, string, string, string][] = [];
    for (let m = first; m <= last; m = new Date(Date.UTC(Number(m.slice(0, 4)), Number(m.slice(5, 7)), 1)).toISOString().slice(0, 7)) out.push([x, 'CIV-MARRIAGE-01', `${m}-10`, `${m}-10`]);
    return out;
  };
  await loadDaily('GAP-X', [...tenths('1990-01', '1990-06'), ...tenths('1992-03', '1993-12')]);
  // Y's records every day from 1992-03-01: the city collecting again (one record a month alone
  // would leave a gap in collection between any two: trend.ts, GAP_MIN_DAYS).
  await loadDaily('GAP-Y', [[y, 'CIV-MARRIAGE-01', '1992-03-01', '1993-12-31']]);
  expect(await trendIn(x, '1993-12-31')).toEqual({ trendZ: 0, senSlope: 0, trendMethod: 'PLAIN', trendPoints: 22, consultations: 0 });
  // Had the city been collecting all along (W's records every day through the gap), X's empty
  // months were X's own: real zeros, every month of the window read, and the rise is real.
  await loadDaily('GAP-W', [[w, 'CIV-MARRIAGE-01', '1991-01-01', '1992-02-29']]);
  const zerosFirst = [...Array(14).fill(0), ...Array(22).fill(1)];
  expect(await trendIn(x, '1993-12-31')).toMatchObject({ trendZ: Math.round(seasonalMannKendall(zerosFirst, 12)!.z * 1e4) / 1e4, trendMethod: 'SEASONAL', trendPoints: 36 });
  expect(seasonalMannKendall(zerosFirst, 12)!.z).toBeGreaterThan(1.96);
});

test('the default baseline is last year only where the scope\'s own data reach back that far', async () => {
  // 1996-1997, years no other fixture touches. F has one demand a day from 1996-01-01; G's data
  // begin on 1997-03-10. Asked about June 1997, F has a June 1996 and G has none: G's baseline is
  // the 30 days before (the whole table's first day, F's, once made it last year: 0 demands there).
  const [f, g] = ['370199002003', '370199002004'];
  await loadDaily('BASE-F', [[f, 'CIV-MARRIAGE-01', '1996-01-01', '1997-06-30']]);
  await loadDaily('BASE-G', [[g, 'CIV-MARRIAGE-01', '1997-03-10', '1997-06-30']]);
  const baselineOf = async (code: string) => {
    const { path } = (await db.query(`select path from area where code = $1`, [code])).rows[0];
    const result = await rankDemand(sql, { ...base, from: '1997-06-01', to: '1997-06-30', areaPaths: [path], minSupport: 0, now: new Date('1997-07-01T00:00:00Z') });
    return { baseline: result.baseline, surge: result.rows.find((row) => row.metrics.volume > 0)!.metrics.surgeZ };
  };
  expect(await baselineOf(f)).toEqual({ baseline: { from: '1996-06-02', to: '1996-07-01', days: 30, coveredDays: 30, kind: 'SAME_PERIOD_LAST_YEAR' }, surge: 0 });
  // 30 demands in June against 30 in the 30 days before: no surge (against last year's 0 there was none to compute).
  expect(await baselineOf(g)).toEqual({ baseline: { from: '1997-05-02', to: '1997-05-31', days: 30, coveredDays: 30, kind: 'PREVIOUS_PERIOD' }, surge: 0 });
});

test('the data\'s latest record is to the second for staff, to its China day for viewers who may not see personal data (the moment of one resident\'s visit)', async () => {
  const input = { areaId: district(), from: '2025-04-01', to: '2025-06-30', groupBy: ['CATEGORY'] };
  const staff = await app.execute(RANKING, { input });
  const analyst = await app.execute(RANKING, { input }, accountViewer(Role.ANALYST, null));
  expect(staff.errors).toBeUndefined();
  expect(analyst.errors).toBeUndefined();
  const exact = new Date(staff.data.demandRanking.snapshot.latestRecordAt);
  // The China midnight at or before it (UTC+8, no daylight saving).
  const chinaDay = new Date(exact.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
  expect(analyst.data.demandRanking.snapshot).toEqual({ latestRecordAt: new Date(`${chinaDay}T00:00:00+08:00`).toISOString(), recordsCounted: staff.data.demandRanking.snapshot.recordsCounted });
  expect(exact.toISOString()).not.toBe(new Date(`${chinaDay}T00:00:00+08:00`).toISOString());
});
