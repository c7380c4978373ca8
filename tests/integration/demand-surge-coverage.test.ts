import { buildWorld, ok, type World } from '../helpers/fixtures';
import { addServiceDemand } from '../helpers/project-fixtures';
import { createTestApp, type TestApp } from '../helpers/test-app';

/*
 * The surge compares days with data: a day before the data begin, or inside a gap in collection
 * (10 or more days with nothing recorded anywhere, trend.ts), is no day of zero demand, in the
 * baseline or in the period (found by an analytics review). Canteen records: 50 every 5 days in
 * April (10 a day), 10 a day on 1-5 May, nothing anywhere in the city from 6 to 31 May, then 15 on
 * each of 1, 10, 20 and 30 June (2 a day), and 40 street-light records on 15 June.
 */
let app: TestApp;
let w: World;
const RANKING = `query($input: DemandRankingInput!) { demandRanking(input: $input) {
  rows { label metrics { volume surgeZ surgeExpected } notes { metric reason } }
  period { days coveredDays } baseline { from to days coveredDays } notes } }`;
const rank = async (input: object) => (await ok(app, RANKING, { input: { areaId: w.districtId, groupBy: ['CATEGORY'], minSupport: 0, ...input } })).demandRanking;
const canteenOf = (result: any) => result.rows.find((row: any) => row.label === '养老助残 / 老年助餐');

beforeAll(async () => {
  app = await createTestApp();
  w = await buildWorld(app);
  for (const day of ['2026-04-01', '2026-04-06', '2026-04-11', '2026-04-16', '2026-04-21', '2026-04-26']) await addServiceDemand(app, w.communityId, 'CARE-CANTEEN', 50, ['ELDERLY'], day);
  for (const day of ['2026-05-01', '2026-05-02', '2026-05-03', '2026-05-04', '2026-05-05']) await addServiceDemand(app, w.communityId, 'CARE-CANTEEN', 10, ['ELDERLY'], day);
  for (const day of ['2026-06-01', '2026-06-10', '2026-06-20', '2026-06-30']) await addServiceDemand(app, w.communityId, 'CARE-CANTEEN', 15, ['ELDERLY'], day);
  await addServiceDemand(app, w.communityId, 'HOUSING-LIGHTS', 40, [], '2026-06-15');
});
afterAll(async () => app?.close());
afterEach(() => app.clock.reset());

test('a fall in demand is a negative surge when the baseline has a gap in collection: its days are not read as zero demand', async () => {
  app.clock.set(new Date('2026-07-05T02:00:00Z'));
  const r = await rank({ from: '2026-06-01', to: '2026-06-30', baselineFrom: '2026-05-01', baselineTo: '2026-05-30' });
  // 50 demands on the 5 baseline days with data: 10 a day, 300 expected over June's 30 days, and
  // June's 60 (2 a day) a fall. Read as zeros, the 25 days of the gap made μ 50 and a +1.41 surge.
  expect(r.baseline).toEqual({ from: '2026-05-01', to: '2026-05-30', days: 30, coveredDays: 5 });
  expect(r.period).toEqual({ days: 30, coveredDays: 30 });
  const canteen = canteenOf(r);
  expect(canteen.metrics).toEqual({ volume: 60, surgeExpected: 300, surgeZ: Math.round(((60 - 300) / Math.sqrt(300)) * 1e4) / 1e4 });
  expect(canteen.metrics.surgeZ).toBeLessThan(-13);
  // The answer names the gap, and shows μ's arithmetic with the days it used.
  expect(r.notes).toContain('surgeZ: the baseline (2026-05-01 to 2026-05-30) has data on 5 of its 30 days: nothing was recorded anywhere (same sources, whole city) from 2026-05-06 to 2026-05-30; those days are not read as zeros');
  expect(r.notes).toContain('surgeZ: μ = baseline volume × 30 ÷ 5 (days with data in the period and in the baseline)');
});

test('a baseline with data on fewer than 5 of its days gives no surge, and the row says why', async () => {
  app.clock.set(new Date('2026-07-05T02:00:00Z'));
  const r = await rank({ from: '2026-06-01', to: '2026-06-30', baselineFrom: '2026-05-03', baselineTo: '2026-05-30' });
  expect(r.baseline).toMatchObject({ days: 28, coveredDays: 3 });
  const canteen = canteenOf(r);
  expect(canteen.metrics).toMatchObject({ volume: 60, surgeZ: null, surgeExpected: null });
  expect(canteen.notes).toContainEqual({
    metric: 'surgeZ',
    reason: 'the baseline has data on 3 of its 28 days (nothing was recorded anywhere (same sources, whole city) from 2026-05-06 to 2026-05-30): at least 5 are needed to scale it to the period',
  });
  // A baseline with data on every day is scaled as before: 1-5 May, 50 in 5 days.
  const whole = canteenOf(await rank({ from: '2026-06-01', to: '2026-06-30', baselineFrom: '2026-05-01', baselineTo: '2026-05-05' }));
  expect(whole.metrics.surgeExpected).toBe(300);
});

test('a period across a gap, running to today, is compared over its days with data gone by', async () => {
  // Noon of 30 June, China time: 1 May-30 June is 60.5 days old, 26 of them (6-31 May) with nothing
  // recorded anywhere: 34.5 days with data. April: 300 demands on its 30 days.
  app.clock.set(new Date('2026-06-30T04:00:00Z'));
  const r = await rank({ from: '2026-05-01', to: '2026-06-30', baselineFrom: '2026-04-01', baselineTo: '2026-04-30' });
  expect(r.baseline).toMatchObject({ days: 30, coveredDays: 30 });
  expect(r.period).toEqual({ days: 61, coveredDays: 34.5 });
  const canteen = canteenOf(r);
  // 50 in May, 60 in June (30 June's records are in): μ = 300 × 34.5 / 30 = 345.
  expect(canteen.metrics).toMatchObject({ volume: 110, surgeExpected: 345 });
  expect(canteen.metrics.surgeZ).toBeCloseTo((110 - 345) / Math.sqrt(345), 4);
  expect(r.notes).toContain('surgeZ: the period runs to today, so its volume is compared with the baseline over the 60.5 days gone by, not 61');
  expect(r.notes).toContain('surgeZ: the period (2026-05-01 to 2026-06-29) has data on 34 of its 60 days: nothing was recorded anywhere (same sources, whole city) from 2026-05-06 to 2026-05-31; those days are not read as zeros');
  expect(r.notes).toContain('surgeZ: μ = baseline volume × 34.5 ÷ 30 (days with data in the period and in the baseline)');
});
