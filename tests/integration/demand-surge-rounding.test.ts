import { buildWorld, ok, type World } from '../helpers/fixtures';
import { addServiceDemand } from '../helpers/project-fixtures';
import { createTestApp, type TestApp } from '../helpers/test-app';

/*
 * Review: the schema says μ (surgeExpected) = baseline volume × period.coveredDays ÷ baseline.coveredDays,
 * but period.coveredDays is published rounded to 2 decimals while μ and surgeZ use the unrounded value.
 * Same data as demand-surge-coverage.test.ts (April: 300 canteen demands over 30 days; May 6-31 a city-wide gap).
 */
let app: TestApp;
let w: World;
const RANKING = `query($input: DemandRankingInput!) { demandRanking(input: $input) {
  rows { label metrics { volume surgeZ surgeExpected } } period { days coveredDays } baseline { days coveredDays } } }`;

beforeAll(async () => {
  app = await createTestApp();
  w = await buildWorld(app);
  for (const day of ['2026-04-01', '2026-04-06', '2026-04-11', '2026-04-16', '2026-04-21', '2026-04-26']) await addServiceDemand(app, w.communityId, 'CARE-CANTEEN', 50, ['ELDERLY'], day);
  for (const day of ['2026-05-01', '2026-05-02', '2026-05-03', '2026-05-04', '2026-05-05']) await addServiceDemand(app, w.communityId, 'CARE-CANTEEN', 10, ['ELDERLY'], day);
  for (const day of ['2026-06-01', '2026-06-10', '2026-06-20', '2026-06-30']) await addServiceDemand(app, w.communityId, 'CARE-CANTEEN', 15, ['ELDERLY'], day);
});
afterAll(async () => app?.close());

test('surgeExpected and surgeZ follow from the coveredDays the answer shows', async () => {
  app.clock.set(new Date('2026-06-30T02:00:00Z')); // 10:00 China time: 60.41666… days gone by, 26 of them a gap
  const r = (await ok(app, RANKING, { input: { areaId: w.districtId, groupBy: ['CATEGORY'], minSupport: 0, from: '2026-05-01', to: '2026-06-30', baselineFrom: '2026-04-01', baselineTo: '2026-04-30' } })).demandRanking;
  const canteen = r.rows.find((row: any) => row.label === '养老助残 / 老年助餐');
  const baselineVolume = 300; // April, all 30 days covered (r.baseline.coveredDays)
  expect(r.baseline.coveredDays).toBe(30);
  const mu = (baselineVolume * r.period.coveredDays) / r.baseline.coveredDays;
  expect({ coveredDays: r.period.coveredDays, surgeExpected: canteen.metrics.surgeExpected, surgeZ: canteen.metrics.surgeZ }).toEqual({
    coveredDays: r.period.coveredDays,
    surgeExpected: Math.round(mu * 100) / 100,
    surgeZ: Math.round(((canteen.metrics.volume - mu) / Math.sqrt(mu)) * 1e4) / 1e4,
  });
});
