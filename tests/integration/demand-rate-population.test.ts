import { toGlobalId } from '../../src/common/global-id';
import { buildWorld, ok, type World } from '../helpers/fixtures';
import { addServiceDemand } from '../helpers/project-fixtures';
import { createTestApp, type TestApp } from '../helpers/test-app';

/*
 * A rate per residents counts the demand of the areas whose residents it counts (found by an
 * analytics review): 幸福里 has 8,600 residents, 和平里 none recorded. June 2026: canteen 86 in
 * 幸福里 and 200 in 和平里 (ELDERLY), street lights 40 and 25, after-school 33 in 幸福里 (CHILDREN).
 */
let app: TestApp;
let w: World;
const JUNE = { from: '2026-06-01', to: '2026-06-30' };

beforeAll(async () => {
  app = await createTestApp();
  w = await buildWorld(app);
  await addServiceDemand(app, w.communityId, 'CARE-CANTEEN', 86, ['ELDERLY'], '2026-06-15');
  await addServiceDemand(app, w.otherCommunityId, 'CARE-CANTEEN', 200, ['ELDERLY'], '2026-06-16');
  await addServiceDemand(app, w.communityId, 'HOUSING-LIGHTS', 40, [], '2026-06-20');
  await addServiceDemand(app, w.otherCommunityId, 'HOUSING-LIGHTS', 25, [], '2026-06-21');
  await addServiceDemand(app, w.communityId, 'CIV-CHILD', 33, ['CHILDREN'], '2026-06-22');
});
afterAll(async () => app?.close());

const RANKING = `query($input: DemandRankingInput!) { demandRanking(input: $input) { rows { categoryId residentGroup metrics { volume population ratePer10k smoothedRatePer10k } notes { metric reason } } } }`;

test('the rate of a cell without an area counts the demands of the areas with residents recorded, as the hot spots\' parent rate does', async () => {
  const [cat] = await app.orm.em.fork().execute<{ id: number }[]>(`select id from request_category where code = 'CARE-CANTEEN'`);
  const categoryId = toGlobalId('RequestCategory', cat.id);
  const row = (await ok(app, RANKING, { input: { areaId: w.districtId, ...JUNE, groupBy: ['CATEGORY'], minSupport: 0 } })).demandRanking.rows.find((r: any) => r.categoryId === categoryId);
  const hot = (await ok(app, `query($input: DemandHotspotsInput!) { demandHotspots(input: $input) { parentRatePer10k } }`,
    { input: { areaId: w.districtId, ...JUNE, categoryId } })).demandHotspots;
  // 幸福里: 86 canteen demands of 8,600 residents = 100 per 10k; 和平里's 200 have no residents to be divided by.
  expect(hot.parentRatePer10k).toBe(100);
  // Volume is every demand; the rate (286 / 8,600 × 10⁴ = 332.5581 before) is 幸福里's.
  expect(row.metrics).toEqual({ volume: 286, population: 8600, ratePer10k: 100, smoothedRatePer10k: 100 });
  expect(row.notes).toContainEqual({ metric: 'ratePer10k', reason: '200 of the 286 demands are from areas with no population recorded: the rate counts the other 86, of the residents it is per' });
});

test('the rate of a resident group\'s cell counts the same demands: those of the areas with residents recorded', async () => {
  const rows = (await ok(app, RANKING, { input: { areaId: w.districtId, ...JUNE, groupBy: ['RESIDENT_GROUP'], minSupport: 0 } })).demandRanking.rows;
  // ELDERLY: 86 in 幸福里 (8,600 residents) and 200 in 和平里 (none recorded).
  expect(rows.find((r: any) => r.residentGroup === 'ELDERLY').metrics).toEqual({ volume: 286, population: 8600, ratePer10k: 100, smoothedRatePer10k: 100 });
  // CHILDREN: all 33 in 幸福里, nothing left out and no note.
  const children = rows.find((r: any) => r.residentGroup === 'CHILDREN');
  expect(children.metrics).toMatchObject({ volume: 33, ratePer10k: Math.round((33 / 8600) * 1e8) / 1e4 });
  expect(children.notes.filter((n: any) => n.metric === 'ratePer10k')).toEqual([]);
});

test('by community, a community with no residents recorded has no rate, and the other\'s rate is its own', async () => {
  const rows = (await ok(app, RANKING, { input: { areaId: w.districtId, ...JUNE, groupBy: ['COMMUNITY'], minSupport: 0 } })).demandRanking.rows;
  // 幸福里: 86 + 40 + 33 = 159 of 8,600.
  expect(rows.find((r: any) => r.metrics.population === 8600).metrics).toMatchObject({ volume: 159, ratePer10k: Math.round((159 / 8600) * 1e8) / 1e4 });
  expect(rows.find((r: any) => r.metrics.volume === 225).metrics).toMatchObject({ population: null, ratePer10k: null });
});

test('by category and community, a community with no residents recorded is scored at its pool\'s rate, not as no demand (its smoothed rate was null, read as 0: C = 0 and no project)', async () => {
  const [cat] = await app.orm.em.fork().execute<{ id: number }[]>(`select id from request_category where code = 'HOUSING-LIGHTS'`);
  const categoryId = toGlobalId('RequestCategory', cat.id);
  const ROWS = RANKING.replace('rows {', 'rows { communityId score');
  const rows = (await ok(app, ROWS, { input: { areaId: w.districtId, ...JUNE, groupBy: ['CATEGORY', 'COMMUNITY'], minSupport: 0 } })).demandRanking.rows.filter((r: any) => r.categoryId === categoryId);
  const known = rows.find((r: any) => r.communityId === w.communityId);
  const unknown = rows.find((r: any) => r.communityId === w.otherCommunityId);
  // The pool (street lights in every community) has one community with residents: r̄ = 40 / 8,600 × 10⁴.
  const pooled = Math.round((40 / 8600) * 1e8) / 1e4;
  expect(known.metrics).toMatchObject({ volume: 40, smoothedRatePer10k: pooled });
  expect(unknown.metrics).toMatchObject({ volume: 25, population: null, ratePer10k: null, smoothedRatePer10k: pooled });
  expect(unknown.notes).toContainEqual({ metric: 'smoothedRatePer10k', reason: 'no population is recorded for the area: the rate of its pool (r̄) stands in, so the other criteria decide how pressing the cell is' });
  expect(unknown.score).toBeGreaterThan(0);
});

test('a single ranked cell: nothing to weigh, every weight 0 and its score 0.5, and the notes say so (the weights read as if missing)', async () => {
  const ranking = (await ok(app, `query($input: DemandRankingInput!) { demandRanking(input: $input) { notes rows { score } weights { used } } }`,
    { input: { areaId: w.communityId, ...JUNE, groupBy: ['CATEGORY'], minSupport: 80 } })).demandRanking;
  expect(ranking.rows).toEqual([{ score: 0.5 }]);
  expect(ranking.weights.every((weight: any) => weight.used === 0)).toBe(true);
  expect(ranking.notes).toContain('weights: nothing separates the ranked cells (a single cell, or every criterion tied), so every weight is 0 and every score 0.5; policyWeights would still be used');
});

test('a scope with no population recorded, ranked by category: one note that the population is unknown, not also "the rate counts the other 0" (a review of the pool-rate fix found its note had taken the else of this one)', async () => {
  const rows = (await ok(app, RANKING, { input: { areaId: w.otherCommunityId, ...JUNE, groupBy: ['CATEGORY'], minSupport: 0 } })).demandRanking.rows;
  expect(rows.length).toBeGreaterThan(0);
  for (const row of rows) {
    expect(row.metrics).toMatchObject({ population: null, ratePer10k: null });
    expect(row.notes.filter((n: any) => n.metric === 'ratePer10k')).toEqual([{ metric: 'ratePer10k', reason: 'no population is recorded for the area' }]);
  }
});
