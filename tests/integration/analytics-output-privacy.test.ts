import { MIN_CELL_RECORDS } from '../../src/common/disclosure';
import { Role } from '../../src/modules/identity/role';
import { accountViewer, portalViewer } from '../helpers/access-fixtures';
import { categoryId } from '../helpers/closed-loop-fixtures';
import { buildWorld, dbId, ok, type World } from '../helpers/fixtures';
import { createTestApp, type TestApp } from '../helpers/test-app';

/*
 * From a review of personal data in the analytics answers (rv-analytics-privacy). In March 2030 the
 * grid 幸福里第一网格 has exactly one request, filed 2030-03-04 10:00 China time, resolved 3 hours later
 * (inside its deadline). Portals and analysts read counts, not how one resident's case went.
 */

let app: TestApp;
let w: World;

const HOUR = 3600_000;
const T0 = new Date('2030-03-04T02:00:00Z'); // 10:00 China time
const at = (hours: number) => new Date(T0.getTime() + hours * HOUR);

beforeAll(async () => {
  app = await createTestApp();
  w = await buildWorld(app);
  const repair = await categoryId(app, 'HOUSING-REPAIR');
  app.clock.set(at(0));
  const created = await ok(app, `mutation($input: CreateRequestInput!) { createRequest(input: $input) { id } }`, {
    input: { title: '楼道灯坏了', body: '楼道灯坏了，晚上看不见', channel: 'HOTLINE_12345', categoryId: repair, areaId: w.gridId, residentName: '王秀英', residentPhone: '13700001111' },
  });
  const id = created.createRequest.id;
  for (const [name, input, hours, type] of [
    ['dispatchRequest', { assigneePersonId: w.partyMemberId }, 1, 'DispatchRequestInput!'],
    ['takeRequest', {}, 2, 'TakeRequestInput'],
    ['resolveRequest', {}, 3, 'PlainStepInput'],
  ] as const) {
    app.clock.set(at(hours));
    await ok(app, `mutation($id: ID!, $input: ${type}) { ${name}(id: $id, input: $input) { id } }`, { id, input });
  }
  app.clock.set(new Date('2030-03-20T02:00:00Z'));
});
afterAll(async () => {
  await app?.close();
});

test('dashboard: whether ONE resident\'s case was resolved on time is not a grid\'s figure for a portal or an analyst; staff read it', async () => {
  const DASHBOARD = `query($input: DashboardInput!) { dashboard(input: $input) { requestsReceived requestsResolved onTimeRate } }`;
  const input = { areaId: w.gridId, from: '2030-03-01T00:00:00+08:00', to: '2030-04-01T00:00:00+08:00' };
  const staff = await ok(app, DASHBOARD, { input });
  expect(staff.dashboard).toEqual({ requestsReceived: 1, requestsResolved: 1, onTimeRate: 1 });
  for (const viewer of [portalViewer(), accountViewer(Role.ANALYST, null)]) {
    const result = await app.execute(DASHBOARD, { input }, viewer);
    expect(result.errors).toBeUndefined();
    // The on-time share of fewer than MIN_CELL_RECORDS resolved cases is hidden from both; the counts
    // stay exact for an analyst, and a portal reads no count of 1-4 either (disclosure.ts).
    const counts = viewer.kind === 'portal' ? { requestsReceived: null, requestsResolved: null } : { requestsReceived: 1, requestsResolved: 1 };
    expect(result.data.dashboard).toEqual({ ...counts, onTimeRate: null });
  }
  expect(MIN_CELL_RECORDS).toBeGreaterThan(1);
});

test('an evidence id whose source key is a licence plate is masked for a portal or an analyst, as the plate is in free text; staff read it', async () => {
  const em = app.orm.em.fork();
  const [item] = await em.execute(`select min(code) as code from service_item where not is_consultation`);
  const [community] = await em.execute(`select code from area where id = ?`, [dbId(w.communityId)]);
  const record = (sourceId: string, day: number) => ({
    sourceId, itemCode: item.code, communityCode: community.code, status: 'FINISHED',
    receivedAt: `2023-05-${String(day).padStart(2, '0')}T02:00:00Z`, finishedAt: `2023-05-${String(day).padStart(2, '0')}T03:00:00Z`,
  });
  // A parking-permit system keyed by the plate (or a mapping that took the plate column for sourceId).
  const keys = ['鲁A12345', '粤B·D12345', 'P-湘AD12345-01', 'GJ20230501-0000000001', 'PK-2023-0005'];
  const imported = await ok(app, `mutation($records: [ServiceRecordInput!]!) { importServiceRecords(source: "parking", records: $records) { inserted } }`, {
    records: keys.map((key, i) => record(key, 20 + i)),
  });
  expect(imported.importServiceRecords.inserted).toBe(5);
  const RANKING = `query($input: DemandRankingInput!) { demandRanking(input: $input) { rows { evidenceIds } } }`;
  const input = { areaId: w.districtId, from: '2023-05-01', to: '2023-05-31', groupBy: ['CATEGORY'], sources: 'SERVICE_RECORDS', minSupport: 1 };
  const evidence = async (viewer?: ReturnType<typeof portalViewer>) => {
    const result = await app.execute(RANKING, { input }, viewer);
    expect(result.errors).toBeUndefined();
    return result.data.demandRanking.rows.flatMap((row: any) => row.evidenceIds).sort();
  };
  const masked = ['ServiceRecord:parking:GJ20230501-0000000001', 'ServiceRecord:parking:P-湘A***5-01', 'ServiceRecord:parking:PK-2023-0005', 'ServiceRecord:parking:粤B***5', 'ServiceRecord:parking:鲁A***5'];
  expect(await evidence(portalViewer())).toEqual(masked);
  expect(await evidence(accountViewer(Role.ANALYST, null) as never)).toEqual(masked);
  expect(await evidence()).toEqual(keys.map((key) => `ServiceRecord:parking:${key}`).sort());
});

test('residentsSay of the UNKNOWN resident group reads the requests that name no group (it read none)', async () => {
  const lights = await categoryId(app, 'HOUSING-LIGHTS');
  app.clock.set(new Date('2030-06-10T02:00:00Z'));
  for (const body of ['小区路灯坏了，晚上很黑', '路灯不亮已经一周', '路灯不亮，老人晚上出门摔倒了', '东门路灯闪烁不亮']) {
    await ok(app, `mutation($input: CreateRequestInput!) { createRequest(input: $input) { id } }`, {
      input: { title: '路灯', body, channel: 'COUNTER', categoryId: lights, areaId: w.otherGridId },
    });
  }
  const result = await ok(app, `query($input: DemandRankingInput!) { demandRanking(input: $input) { rows { residentGroup metrics { volume } residentsSay { term count } } } }`, {
    input: { areaId: w.otherCommunityId, from: '2030-06-10', to: '2030-06-10', groupBy: ['CATEGORY', 'RESIDENT_GROUP'], sources: 'REQUESTS', minSupport: 1 },
  });
  const [row] = result.demandRanking.rows;
  expect(row).toMatchObject({ residentGroup: 'UNKNOWN', metrics: { volume: 4 } });
  expect(row.residentsSay).toContainEqual({ term: '路灯', count: 4 });
});

test('serviceStats: a row\'s hidden rating and close time cannot be worked back from the TOTAL beside it (total × 6 − shown row × 5)', async () => {
  const em = app.orm.em.fork();
  const [a, b] = await em.execute(`select code from service_item where not is_consultation order by code limit 2`);
  const [community] = await em.execute(`select code from area where id = ?`, [dbId(w.otherCommunityId)]);
  const record = (sourceId: string, itemCode: string, satisfaction: number, hours: number) => ({
    sourceId, itemCode, communityCode: community.code, status: 'FINISHED', satisfaction,
    receivedAt: '2026-04-07T01:00:00Z', finishedAt: new Date(Date.parse('2026-04-07T01:00:00Z') + hours * HOUR).toISOString(),
  });
  // Five residents served by item A (rated 5, an hour each); ONE by item B, rated 1 after 10 hours.
  const records = [1, 2, 3, 4, 5].map((n) => record(`A-${n}`, a.code, 5, 1)).concat(record('B-1', b.code, 1, 10));
  expect((await ok(app, `mutation($records: [ServiceRecordInput!]!) { importServiceRecords(source: "window", records: $records) { inserted } }`, { records })).importServiceRecords.inserted).toBe(6);
  const STATS = `query($input: ServiceStatsInput!) { serviceStats(input: $input) {
    total { serviceCount satisfactionCount satisfactionAverage averageCloseHours }
    rows { key satisfactionCount satisfactionAverage averageCloseHours } } }`;
  const input = { areaId: w.otherCommunityId, from: '2026-04-07', to: '2026-04-07', groupBy: 'ITEM' };
  const staff = (await ok(app, STATS, { input })).serviceStats;
  expect(staff.total).toEqual({ serviceCount: 6, satisfactionCount: 6, satisfactionAverage: 4.33, averageCloseHours: 2.5 });
  for (const viewer of [portalViewer(), accountViewer(Role.ANALYST, null)]) {
    const result = await app.execute(STATS, { input }, viewer);
    expect(result.errors).toBeUndefined();
    const { total, rows } = result.data.serviceStats;
    // A portal reads no count of 1-4 (disclosure.ts): row B's, nor row A's beside it (its complement: the total less A would give B's).
    const portal = viewer.kind === 'portal';
    expect(rows).toEqual([
      { key: a.code, satisfactionCount: portal ? null : 5, satisfactionAverage: portal ? null : 5, averageCloseHours: portal ? null : 1 },
      { key: b.code, satisfactionCount: portal ? null : 1, satisfactionAverage: null, averageCloseHours: null },
    ]);
    // 4.33 × 6 − 5 × 5 = 1 and 2.5 × 6 − 1 × 5 = 10: resident B's rating and close time. The counts (6 tell no row's) stay.
    expect(total).toEqual({ serviceCount: 6, satisfactionCount: 6, satisfactionAverage: null, averageCloseHours: null });
  }
});
