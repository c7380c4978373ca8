import path from 'node:path';
import { Readable } from 'node:stream';
import pg from 'pg';
import { fromGlobalId } from '../../src/common/global-id';
import { PROJECT_ROOT } from '../../src/config/paths';
import { GONGJIAN_CSV_HEADER } from '../../src/modules/service-data/generator';
import { importServiceFile } from '../../src/modules/service-data/import';
import { loadMapping } from '../../src/modules/service-data/mapping';
import { buildWorld, expectError, ok, type World } from '../helpers/fixtures';
import { addServiceDemand } from '../helpers/project-fixtures';
import { createTestApp, type TestApp } from '../helpers/test-app';

/*
 * Numbers a ranking shows must be what they say they are (found by an analytics review): a
 * metric that is not kept for a cell is null with a note, not 0; a weight is used or refused;
 * a reason is true. June 2026: 幸福里 (8,600 residents) 200 canteen records for ELDERLY and 50
 * street-light records; 和平里 40 after-school records for CHILDREN. July: 6 open canteen
 * records in 幸福里's first grid, and 5 parking consultations.
 */
let app: TestApp;
let w: World;
const JUNE = { from: '2026-06-01', to: '2026-06-30' };
const JULY = { from: '2026-07-01', to: '2026-07-31' };
const code = async (sql: string, params: unknown[]) => (await app.orm.em.fork().execute<{ code: string }[]>(sql, params))[0].code;
const areaCode = (id: string) => code('select code from area where id = ?', [fromGlobalId(id)!.id]);
const itemCode = (category: string, consultation: boolean) =>
  code('select i.code from service_item i join request_category c on c.id = i.category_id where c.code = ? and i.is_consultation = ? order by i.id limit 1', [category, consultation]);

beforeAll(async () => {
  app = await createTestApp();
  w = await buildWorld(app);
  await addServiceDemand(app, w.communityId, 'CARE-CANTEEN', 200, ['ELDERLY']);
  await addServiceDemand(app, w.communityId, 'HOUSING-LIGHTS', 50);
  await addServiceDemand(app, w.otherCommunityId, 'CIV-CHILD', 40, ['CHILDREN']);
  const [community, grid, canteen, parking] = [await areaCode(w.communityId), await areaCode(w.gridId), await itemCode('CARE-CANTEEN', false), await itemCode('HOUSING-PARKING', true)];
  const lines = [GONGJIAN_CSV_HEADER];
  for (let k = 0; k < 6; k++) lines.push(`open-${k},${canteen},2026-07-1${k} 10:00:00,,OPEN,${community},${grid},,ELDERLY,COUNTER,,,`);
  for (let k = 0; k < 5; k++) lines.push(`ask-${k},${parking},2026-07-1${k} 10:00:00,2026-07-1${k} 10:10:00,FINISHED,${community},,,,COUNTER,,,`);
  const db = new pg.Client({ connectionString: app.databaseUrl });
  await db.connect();
  const mapping = loadMapping(path.join(PROJECT_ROOT, 'mappings', 'gongjian.json'));
  expect((await importServiceFile({ db, input: Readable.from([Buffer.from(lines.join('\n') + '\n')]), fileName: 'explanations.csv', mapping })).inserted).toBe(11);
  await db.end();
});
afterAll(async () => app?.close());

const RANKING = `query($input: DemandRankingInput!) { demandRanking(input: $input) {
  rows { label residentGroup metrics { volume ratePer10k smoothedRatePer10k backlogOpen backlogP90AgeDays } notes { metric reason } }
  belowSupport { label belowSupportReason metrics { volume consultations } } weights { metric policy used } } }`;
const rank = (input: object) => app.execute(RANKING, { input: { areaId: w.districtId, minSupport: 0, ...input } });

test('a grid\'s series for one resident group is refused (grid roll-ups keep no groups), not answered with zeros', async () => {
  const SERIES = `query($input: DemandSeriesInput!) { demandSeries(input: $input) { total } }`;
  expect((await ok(app, SERIES, { input: { ...JULY, interval: 'MONTH', cellAreaId: w.gridId } })).demandSeries.total).toBe(6);
  expectError(await app.execute(SERIES, { input: { ...JULY, interval: 'MONTH', cellAreaId: w.gridId, residentGroup: 'ELDERLY' } }), 'BAD_USER_INPUT', 'input.residentGroup');
  // The grid's community keeps the group.
  expect((await ok(app, SERIES, { input: { ...JULY, interval: 'MONTH', cellAreaId: w.communityId, residentGroup: 'ELDERLY' } })).demandSeries.total).toBe(6);
});

test('a policy weight on the criterion the ranking leaves out is refused, naming the one to weigh', async () => {
  const byArea = await rank({ ...JUNE, groupBy: ['CATEGORY', 'COMMUNITY'], policyWeights: [{ metric: 'volume', weight: 10 }] });
  expectError(byArea, 'BAD_USER_INPUT', 'input.policyWeights');
  expect(byArea.errors![0].message).toContain('weigh smoothedRatePer10k');
  const noArea = await rank({ ...JUNE, groupBy: ['CATEGORY'], policyWeights: [{ metric: 'smoothedRatePer10k', weight: 10 }] });
  expectError(noArea, 'BAD_USER_INPUT', 'input.policyWeights');
  // The one it keeps is weighed: all of the policy share.
  const weighed = await rank({ ...JUNE, groupBy: ['CATEGORY', 'COMMUNITY'], policyWeights: [{ metric: 'smoothedRatePer10k', weight: 10 }] });
  expect(weighed.errors).toBeUndefined();
  expect(weighed.data.demandRanking.weights.find((weight: any) => weight.metric === 'smoothedRatePer10k').policy).toBe(1);
});

test('the backlog of a resident group\'s cell is unknown (null, with a note), not 0', async () => {
  const elderly = (await rank({ ...JULY, groupBy: ['RESIDENT_GROUP'] })).data.demandRanking.rows.find((row: any) => row.residentGroup === 'ELDERLY');
  expect(elderly.metrics).toMatchObject({ volume: 6, backlogOpen: null, backlogP90AgeDays: null });
  expect(elderly.notes).toContainEqual({ metric: 'backlogOpen', reason: 'open demands are not kept per resident group; rank by CATEGORY for the backlog' });
  // By category the 6 open ones are there.
  const canteen = (await rank({ ...JULY, groupBy: ['CATEGORY'] })).data.demandRanking.rows.find((row: any) => row.label === '养老助残 / 老年助餐');
  expect(canteen.metrics.backlogOpen).toBe(6);
});

test('without an area dimension a cell is the whole scope: its smoothed rate is its own rate, not pulled towards other categories', async () => {
  const rows = (await rank({ ...JUNE, areaId: w.communityId, groupBy: ['CATEGORY'] })).data.demandRanking.rows;
  const canteen = rows.find((row: any) => row.label === '养老助残 / 老年助餐');
  // 200 records / 8,600 residents × 10,000 = 232.5581.
  expect(canteen.metrics).toMatchObject({ volume: 200, ratePer10k: 232.5581, smoothedRatePer10k: 232.5581 });
});

test('a cell of consultations only is below support for having no demand, not for "volume 0 < minSupport 0"', async () => {
  const below = (await rank({ ...JULY, groupBy: ['CATEGORY'] })).data.demandRanking.belowSupport;
  const parking = below.find((row: any) => row.metrics.consultations === 5);
  expect(parking).toMatchObject({ belowSupportReason: 'no demand in the period (5 consultations, not counted)', metrics: { volume: 0, consultations: 5 } });
  const small = (await rank({ ...JULY, groupBy: ['CATEGORY'], minSupport: 10 })).data.demandRanking.belowSupport.find((row: any) => row.label === '养老助残 / 老年助餐');
  expect(small.belowSupportReason).toBe('volume 6 < minSupport 10');
});

test('a period running to today is compared with its baseline for the part gone by, not for whole days', async () => {
  // Noon of 15 July, China time: 1-15 July is 14.5 days old. The baseline 1-15 June holds the 200 canteen records.
  app.clock.set(new Date('2026-07-15T04:00:00Z'));
  try {
    const result = await app.execute(`query($input: DemandRankingInput!) { demandRanking(input: $input) { rows { label metrics { volume surgeExpected } notes { metric reason } } period { coveredDays } baseline { coveredDays } notes } }`, {
      input: { areaId: w.districtId, from: '2026-07-01', to: '2026-07-15', baselineFrom: '2026-06-01', baselineTo: '2026-06-15', groupBy: ['CATEGORY'], minSupport: 0 },
    });
    expect(result.errors).toBeUndefined();
    const ranking = result.data.demandRanking;
    expect(ranking.notes).toContain('surgeZ: the period runs to today, so its volume is compared with the baseline over the 14.5 days gone by, not 15');
    // Of those, the days with data (demand-surge-coverage.test.ts): nothing was recorded anywhere
    // from 16 June to 9 July, so 10-14 July and today's half: 5.5. The fixture's June is one day,
    // the 15th (its data begin then), too few for a baseline: no μ (it was 200 × 14.5 / 15 = 193.33).
    expect(ranking.period.coveredDays).toBe(5.5);
    expect(ranking.baseline.coveredDays).toBe(1);
    const canteen = ranking.rows.find((row: any) => row.label === '养老助残 / 老年助餐');
    expect(canteen.metrics).toEqual({ volume: 6, surgeExpected: null });
    expect(canteen.notes.find((note: any) => note.metric === 'surgeZ').reason).toMatch(/^the baseline has data on 1 of its 15 days \(.*\): at least 5 are needed/);
  } finally {
    app.clock.reset();
  }
});

test('presence is told in the units it counts: grids when the area is a grid', async () => {
  const TOPIC = `query($input: DemandRankingInput!) { demandRanking(input: $input) { rows { label topicOfMonth { reasons missing } } } }`;
  const flags = async (areaId: string) => {
    const rows = (await ok(app, TOPIC, { input: { ...JULY, areaId, groupBy: ['CATEGORY'], minSupport: 0 } })).demandRanking.rows;
    const canteen = rows.find((row: any) => row.label === '养老助残 / 老年助餐');
    return [...canteen.topicOfMonth.reasons, ...canteen.topicOfMonth.missing].filter((text: string) => text.startsWith('present in'));
  };
  expect(await flags(w.gridId)).toEqual(['present in 100% of grids (≥ 30% needed)']);
  expect(await flags(w.districtId)).toEqual([expect.stringMatching(/^present in \d+% of communities \(≥ 30% needed\)$/)]);
});
