import { portalViewer } from '../helpers/access-fixtures';
import { categoryId } from '../helpers/closed-loop-fixtures';
import { buildWorld, dbId, expectError, ok, type World } from '../helpers/fixtures';
import { createTestApp, type TestApp } from '../helpers/test-app';

/* Personal data a portal (API key) must not obtain through aggregate views (found by a review). */

let app: TestApp;
let w: World;

beforeAll(async () => {
  app = await createTestApp();
  w = await buildWorld(app);
});
afterAll(async () => {
  await app?.close();
});

const CREATE = `mutation($input: CreateRequestInput!) { createRequest(input: $input) { id } }`;
const RANKING = `query($input: DemandRankingInput!) { demandRanking(input: $input) { rows { label evidenceIds residentsSay(first: 12) { term count } } } }`;

test('residentsSay shows a portal only the domain vocabulary: a name jieba takes for a word (付强/v) never comes out', async () => {
  const repair = await categoryId(app, 'HOUSING-REPAIR');
  for (const body of ['付强家门口堆放杂物，楼道过不去，路灯也不亮', '楼上付强家装修噪音太大，路灯不亮', '付强家的空调外机滴水，楼下路灯坏了']) {
    await ok(app, CREATE, { input: { title: '邻里问题', body, channel: 'COUNTER', categoryId: repair, areaId: w.otherGridId } });
  }
  const input = { areaId: w.otherGridId, lastDays: 30, groupBy: ['GRID'], sources: 'REQUESTS', minSupport: 1 };
  const terms = async (viewer?: ReturnType<typeof portalViewer>) => {
    const result = await app.execute(RANKING, { input }, viewer);
    expect(result.errors).toBeUndefined();
    return result.data.demandRanking.rows.flatMap((row: any) => row.residentsSay.map((keyword: any) => keyword.term));
  };
  // Staff who may see the requests themselves see every keyword the three texts share.
  expect(await terms()).toEqual(expect.arrayContaining(['付强', '路灯']));
  // A portal: 路灯 (a domain term), not 付强 (a name), nor 邻里 (an ordinary word, not vetted).
  expect(await terms(portalViewer())).toEqual(['路灯']);
});

test('a portal gets no dashboard figures of a building (one household\'s request, day and rating); a grid\'s it does', async () => {
  const repair = await categoryId(app, 'HOUSING-REPAIR');
  await ok(app, CREATE, { input: { title: '家里漏水', body: '家里漏水', channel: 'COUNTER', categoryId: repair, areaId: w.buildingId } });
  const DASHBOARD = `query($area: ID!) { dashboard(input: { areaId: $area, lastDays: 1 }) { requestsReceived averageSatisfaction } }`;
  expectError(await app.execute(DASHBOARD, { area: w.buildingId }, portalViewer()), 'BAD_USER_INPUT', 'input.areaId');
  // Staff of the area keep them.
  expect((await app.execute(DASHBOARD, { area: w.buildingId })).errors).toBeUndefined();
  const grid = await app.execute(DASHBOARD, { area: w.gridId }, portalViewer());
  expect(grid.errors).toBeUndefined();
  expect(grid.data.dashboard.requestsReceived).toBeGreaterThanOrEqual(1);
});

test('an evidence id whose source key holds a phone or an ID number is masked for a portal, an ordinary key is not', async () => {
  const em = app.orm.em.fork();
  const [item] = await em.execute(`select code from service_item where not is_consultation order by code limit 1`);
  const [community] = await em.execute(`select code from area where id = ?`, [dbId(w.communityId)]);
  const record = (sourceId: string, day: number) => ({
    sourceId, itemCode: item.code, communityCode: community.code, status: 'FINISHED',
    receivedAt: `2023-03-${String(day).padStart(2, '0')}T02:00:00Z`, finishedAt: `2023-03-${String(day).padStart(2, '0')}T03:00:00Z`,
  });
  const imported = await ok(app, `mutation($records: [ServiceRecordInput!]!) { importServiceRecords(source: "hall", records: $records) { inserted } }`, {
    records: [record('13912345678-01', 25), record('370102199001011237-1', 28), record('GJ20230301-0000000001', 27)],
  });
  expect(imported.importServiceRecords.inserted).toBe(3);
  const input = { areaId: w.districtId, from: '2023-03-01', to: '2023-03-31', groupBy: ['CATEGORY'], sources: 'SERVICE_RECORDS', minSupport: 1 };
  const evidence = async (viewer?: ReturnType<typeof portalViewer>) => {
    const result = await app.execute(RANKING, { input }, viewer);
    expect(result.errors).toBeUndefined();
    return result.data.demandRanking.rows.flatMap((row: any) => row.evidenceIds).sort();
  };
  expect(await evidence(portalViewer())).toEqual(['ServiceRecord:hall:139****5678-01', 'ServiceRecord:hall:370***********1237-1', 'ServiceRecord:hall:GJ20230301-0000000001']);
  expect(await evidence()).toEqual(['ServiceRecord:hall:13912345678-01', 'ServiceRecord:hall:370102199001011237-1', 'ServiceRecord:hall:GJ20230301-0000000001']);
});
