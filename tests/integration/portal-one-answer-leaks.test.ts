import { isSmallCount } from '../../src/common/disclosure';
import { toGlobalId } from '../../src/common/global-id';
import { portalViewer } from '../helpers/access-fixtures';
import { buildWorld, createCommunity, createStreet, dbId, ok, type World } from '../helpers/fixtures';
import { createTestApp, type TestApp } from '../helpers/test-app';

/*
 * Counts of 1-4 a portal could read back from ONE answer (disclosure.ts; README "A portal reads no
 * count of 1-4"), found by a review: overlapping resident groups, cancelled records (count less open
 * less finished), a parent rate whose complement lay outside the rate, a pooled smoothed rate. Each
 * test states the arithmetic. (The directory's people counts, non-null in the public types, are
 * left open: README.)
 */

let app: TestApp;
let w: World;

beforeAll(async () => {
  app = await createTestApp();
  w = await buildWorld(app);
  app.clock.set(new Date('2030-03-20T02:00:00Z'));
});
afterAll(async () => {
  await app?.close();
});

async function portalRead(query: string, variables: Record<string, unknown> = {}) {
  const result = await app.execute(query, variables, portalViewer());
  expect(result.errors).toBeUndefined();
  return result.data!;
}

test('serviceStats by RESIDENT_GROUP: rows shown less the total give the records of residents in BOTH groups (10 + 8 − 15 = 3)', async () => {
  const em = app.orm.em.fork();
  const [item] = await em.execute(`select min(code) as code from service_item where not is_consultation`);
  const [community] = await em.execute(`select code from area where id = ?`, [dbId(w.otherCommunityId)]);
  const record = (sourceId: string, residentGroups: string[]) => ({
    sourceId, itemCode: item.code, communityCode: community.code, status: 'FINISHED', residentGroups,
    receivedAt: '2026-05-06T01:00:00Z', finishedAt: '2026-05-06T02:00:00Z',
  });
  // 7 ELDERLY only, 5 DISABLED only, 3 both ELDERLY and DISABLED: 15 records.
  const records = [
    ...[1, 2, 3, 4, 5, 6, 7].map((n) => record(`R3-E-${n}`, ['ELDERLY'])),
    ...[1, 2, 3, 4, 5].map((n) => record(`R3-D-${n}`, ['DISABLED'])),
    ...[1, 2, 3].map((n) => record(`R3-ED-${n}`, ['ELDERLY', 'DISABLED'])),
  ];
  expect((await ok(app, `mutation($records: [ServiceRecordInput!]!) { importServiceRecords(source: "window", records: $records) { inserted } }`, { records })).importServiceRecords.inserted).toBe(15);
  const { serviceStats } = await portalRead(`query($input: ServiceStatsInput!) { serviceStats(input: $input) { total { serviceCount } rows { key serviceCount suppressed } } }`,
    { input: { areaId: w.otherCommunityId, from: '2026-05-06', to: '2026-05-06', groupBy: 'RESIDENT_GROUP' } });
  const shown = serviceStats.rows.reduce((sum: number, row: any) => sum + (row.serviceCount ?? 0), 0);
  // |ELDERLY| + |DISABLED| − |ELDERLY ∪ DISABLED| = |ELDERLY ∩ DISABLED|: 3 disabled elderly residents' records.
  expect(serviceStats.total.serviceCount === null || !isSmallCount(shown - serviceStats.total.serviceCount)).toBe(true);
});

describe('one shown row, three statuses: count less open less finished is the CANCELLED records (20 − 7 − 10 = 3)', () => {
  const DAY = '2026-05-08';
  beforeAll(async () => {
    const em = app.orm.em.fork();
    const [item] = await em.execute(`select min(code) as code from service_item where not is_consultation`);
    const [community] = await em.execute(`select code from area where id = ?`, [dbId(w.otherCommunityId)]);
    const record = (sourceId: string, status: string) => ({
      sourceId, itemCode: item.code, communityCode: community.code, status,
      receivedAt: `${DAY}T01:00:00Z`, ...(status === 'OPEN' ? {} : { finishedAt: `${DAY}T02:00:00Z` }),
    });
    const records = [
      ...Array.from({ length: 10 }, (_, n) => record(`R3-F-${n}`, 'FINISHED')),
      ...Array.from({ length: 7 }, (_, n) => record(`R3-O-${n}`, 'OPEN')),
      ...Array.from({ length: 3 }, (_, n) => record(`R3-C-${n}`, 'CANCELLED')),
    ];
    expect((await ok(app, `mutation($records: [ServiceRecordInput!]!) { importServiceRecords(source: "window", records: $records) { inserted } }`, { records })).importServiceRecords.inserted).toBe(20);
  });

  test('serviceStats: a row (and the total) with serviceCount 20, open 7, finished 10 gives 3 cancelled', async () => {
    const { serviceStats } = await portalRead(`query($input: ServiceStatsInput!) { serviceStats(input: $input) {
      total { serviceCount open finished } rows { key serviceCount open finished } } }`,
    { input: { areaId: w.otherCommunityId, from: DAY, to: DAY, groupBy: 'ITEM' } });
    for (const row of [serviceStats.total, ...serviceStats.rows]) {
      const rest = row.serviceCount === null || row.open === null || row.finished === null ? 0 : row.serviceCount - row.open - row.finished;
      expect(isSmallCount(rest)).toBe(false);
    }
  });

  test('demandSeries: a point (and the total) with volume 20, open 7, finished 10 gives 3 cancelled', async () => {
    const [category] = await app.orm.em.fork().execute(`select c.id from service_item i join request_category c on c.id = i.category_id where i.code = (select min(code) from service_item where not is_consultation)`);
    const { demandSeries } = await portalRead(`query($input: DemandSeriesInput!) { demandSeries(input: $input) { points { start volume open finished suppressed } total } }`,
      { input: { areaId: w.otherCommunityId, categoryId: toGlobalId('RequestCategory', category.id), from: DAY, to: DAY, interval: 'DAY', sources: 'SERVICE_RECORDS' } });
    for (const point of demandSeries.points) {
      const rest = point.volume === null || point.open === null || point.finished === null ? 0 : point.volume - point.open - point.finished;
      expect(isSmallCount(rest)).toBe(false);
    }
  });
});

describe('a new street: 甲 (no population, 6 records), 乙 (8600 residents, 2 records), 丙 (5000 residents, 20 records)', () => {
  let streetId: string;
  let category: string;
  beforeAll(async () => {
    streetId = await createStreet(app, w.districtId, '复审街道');
    const [a, b, c] = [await createCommunity(app, streetId, '甲社区'), await createCommunity(app, streetId, '乙社区'), await createCommunity(app, streetId, '丙社区')];
    const em = app.orm.em.fork();
    await em.execute('update area set population = null where id = ?', [dbId(a)]);
    await em.execute('update area set population = 8600 where id = ?', [dbId(b)]);
    await em.execute('update area set population = 5000 where id = ?', [dbId(c)]);
    const [item] = await em.execute(`select i.code, i.category_id from service_item i where not i.is_consultation order by i.code limit 1`);
    category = toGlobalId('RequestCategory', item.category_id);
    const records: Record<string, unknown>[] = [];
    for (const [community, count] of [[a, 6], [b, 2], [c, 20]] as const) {
      const [{ code }] = await em.execute(`select code from area where id = ?`, [dbId(community)]);
      for (let n = 0; n < count; n += 1) {
        records.push({ sourceId: `R3-H-${code}-${n}`, itemCode: item.code, communityCode: code, status: 'FINISHED', receivedAt: '2026-05-12T01:00:00Z', finishedAt: '2026-05-12T02:00:00Z' });
      }
    }
    expect((await ok(app, `mutation($records: [ServiceRecordInput!]!) { importServiceRecords(source: "window", records: $records) { inserted } }`, { records })).importServiceRecords.inserted).toBe(28);
  });

  test('demandHotspots: parentRatePer10k × the populations listed, less the volumes shown, gives 乙\'s 2 (its complement 甲 has no population, so is not in the rate)', async () => {
    const { demandHotspots } = await portalRead(`query($input: DemandHotspotsInput!) { demandHotspots(input: $input) { parentRatePer10k areas { label volume population suppressed } } }`,
      { input: { areaId: streetId, categoryId: category, from: '2026-05-12', to: '2026-05-12', level: 'COMMUNITY', sources: 'SERVICE_RECORDS' } });
    const rated = demandHotspots.parentRatePer10k === null ? null : Math.round((demandHotspots.parentRatePer10k * demandHotspots.areas.reduce((s: number, x: any) => s + (x.population ?? 0), 0)) / 1e4);
    // 16.1765 × 13600 / 10^4 = 22 demands in the communities with a population; 丙's 20 shown: 乙's 2.
    const shownRated = demandHotspots.areas.reduce((s: number, x: any) => s + (x.population !== null && x.volume !== null ? x.volume : 0), 0);
    expect(rated === null || !isSmallCount(rated - shownRated)).toBe(true);
  });

  test('demandRanking by COMMUNITY: 甲\'s smoothedRatePer10k is the pool\'s rate (withheld 乙 included): × the street\'s population, less 丙\'s 20, gives 乙\'s 2', async () => {
    const data = await portalRead(`query($input: DemandRankingInput!, $street: ID!) {
      street: node(id: $street) { ... on Street { population } }
      demandRanking(input: $input) { snapshot { rowsWithheld } rows { label metrics { volume population ratePer10k smoothedRatePer10k } } belowSupport { label metrics { volume population smoothedRatePer10k } } } }`,
    { street: streetId, input: { areaId: streetId, from: '2026-05-12', to: '2026-05-12', groupBy: ['COMMUNITY'], sources: 'SERVICE_RECORDS', minSupport: 0 } });
    const rows = [...data.demandRanking.rows, ...data.demandRanking.belowSupport];
    const noPopulation = rows.find((row: any) => row.metrics.population === null && row.metrics.smoothedRatePer10k !== null);
    const pooled = noPopulation ? Math.round((noPopulation.metrics.smoothedRatePer10k * data.street.population) / 1e4) : null;
    const shownRated = rows.reduce((s: number, row: any) => s + (row.metrics.population !== null ? row.metrics.volume : 0), 0);
    // 16.1765 × 13600 / 10^4 = 22; 丙's 20 shown: the withheld 乙's 2.
    expect(pooled === null || !isSmallCount(pooled - shownRated)).toBe(true);
  });
});
