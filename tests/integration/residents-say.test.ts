import { chinaDayOf } from '../../src/common/dates';
import { categoryId } from '../helpers/closed-loop-fixtures';
import { buildWorld, dbId, ok, type World } from '../helpers/fixtures';
import { createContext, SYSTEM_VIEWER } from '../../src/context/context';
import { residentsSayLoader } from '../../src/modules/demand/residents-say';
import { createTestApp, silentLogger, type TestApp } from '../helpers/test-app';

/* "What residents say" on ranked demand rows: keywords from the cells' requests, batched, never personal data. */

let app: TestApp;
let w: World;

const LIGHTS = ['小区路灯坏了，晚上很黑', '3号楼前面路灯不亮已经一周', '路灯不亮，老人晚上出门摔倒了', '东门路灯闪烁不亮，请尽快维修', '我叫王小明，电话13912345678，小区路灯坏了'];
// A small cell (4 texts) naming two residents; jieba splits 王|桂兰 and tags 桂兰 a place, 建军 alone a noun.
const ELEVATOR = ['王桂兰反映电梯坏了三天', '张建军家住高层，电梯停运老人下不了楼', '电梯又坏了，桂兰和建军都着急', '电梯门关不上，夹到了孩子'];
const PARKING = ['小区停车位太少，车没地方停', '停车难，消防通道被占用', '晚上停车位不够，车辆乱停乱放', '希望增加停车位', '停车收费不合理'];

beforeAll(async () => {
  app = await createTestApp();
  w = await buildWorld(app);
  const repair = await categoryId(app, 'HOUSING-REPAIR');
  const parking = await categoryId(app, 'HOUSING-PARKING');
  const create = `mutation($input: CreateRequestInput!) { createRequest(input: $input) { id } }`;
  for (const body of LIGHTS) await ok(app, create, { input: { title: '路灯报修', body, channel: 'COUNTER', categoryId: repair, areaId: w.gridId } });
  const elevator = await categoryId(app, 'HOUSING-ELEVATOR');
  for (const body of ELEVATOR) await ok(app, create, { input: { title: '电梯故障', body, channel: 'COUNTER', categoryId: elevator, areaId: w.gridId } });
  for (const body of PARKING) await ok(app, create, { input: { title: '停车问题', body, channel: 'COUNTER', categoryId: parking, areaId: w.otherGridId } });
});
afterAll(async () => {
  await app?.close();
});

const RANKING = `query($area: ID!) {
  demandRanking(input: { areaId: $area, lastDays: 30, groupBy: [CATEGORY, COMMUNITY], sources: REQUESTS, minSupport: 1 }) {
    rows { label category { code } community { name } metrics { volume } residentsSay(first: 5) { term count } }
  }
}`;

test('each row says what its own residents say, without names or phones', async () => {
  const data = await ok(app, RANKING, { area: w.districtId });
  const byCode = Object.fromEntries(data.demandRanking.rows.map((row: any) => [row.category.code, row]));
  expect(byCode['HOUSING-REPAIR'].community.name).toBe('幸福里社区');
  expect(byCode['HOUSING-REPAIR'].residentsSay[0]).toEqual({ term: '路灯', count: 5 });
  expect(byCode['HOUSING-PARKING'].residentsSay.map((k: any) => k.term)).toContain('停车位');
  expect(byCode['HOUSING-PARKING'].residentsSay.map((k: any) => k.term)).not.toContain('路灯');
  const said = JSON.stringify(data);
  for (const personal of ['王小明', '13912345678', '3号楼']) expect(said).not.toContain(personal);
});

test('a small cell publishes only what three texts or more say, and never its residents\' names', async () => {
  const data = await ok(app, RANKING, { area: w.districtId });
  const row = data.demandRanking.rows.find((r: any) => r.category.code === 'HOUSING-ELEVATOR');
  expect(row.metrics.volume).toBe(4);
  const terms = row.residentsSay.map((k: any) => k.term);
  expect(terms).toContain('电梯');
  expect(row.residentsSay.every((k: any) => k.count >= 3)).toBe(true);
  // 孩子, 停运, 高层 are each in one text only.
  for (const single of ['孩子', '停运', '高层']) expect(terms).not.toContain(single);
  expect(JSON.stringify(data)).not.toMatch(/桂兰|建军|王桂兰|张建军/);
});

test('keywords for all rows cost one statement', async () => {
  const withKeywords = await app.countStatements(() => ok(app, RANKING, { area: w.districtId }));
  const without = await app.countStatements(() => ok(app, RANKING.replace(' residentsSay(first: 5) { term count }', ''), { area: w.districtId }));
  expect(withKeywords.length - without.length).toBe(1);
});

test('rows of two rankings of different areas batched together: each reads its own ranking\'s area (the batch read the first row\'s)', async () => {
  // Two rankings in one request batch their rows together when they resolve in the same tick: here, by hand.
  const ctx = createContext(app.orm, silentLogger, undefined, undefined, SYSTEM_VIEWER);
  const em = app.orm.em.fork();
  const pathOf = async (id: string) => (await em.execute(`select path from area where id = ?`, [dbId(id)]))[0].path as string;
  const [repair, parking] = await Promise.all(['HOUSING-REPAIR', 'HOUSING-PARKING'].map(async (code) => (await em.execute(`select id from request_category where code = ?`, [code]))[0].id as number));
  const today = chinaDayOf(app.clock.now()); // China's day: from 16:00 UTC it is already tomorrow there
  const row = (categoryId: number, path: string) => ({ key: { categoryId }, from: '2000-01-01', to: today, paths: [path], sources: 'REQUESTS' as const });
  const [lights, parked] = await residentsSayLoader(ctx).loadMany([row(repair, await pathOf(w.gridId)), row(parking, await pathOf(w.otherGridId))]) as { term: string }[][];
  expect(lights.map((k) => k.term)).toContain('路灯');
  expect(parked.map((k) => k.term)).toContain('停车位');
});

test('a ranking of service records alone, and a service item\'s row, show no request\'s words: those rows count no requests', async () => {
  const em = app.orm.em.fork();
  const [community] = await em.execute(`select code from area where id = (select id from area where level = 'COMMUNITY' order by id limit 1)`);
  const [item] = await em.execute(`select i.code from service_item i join request_category c on c.id = i.category_id where c.code = 'HOUSING-REPAIR' and not i.is_consultation order by i.id limit 1`);
  const today = app.clock.now().toISOString().slice(0, 10);
  await ok(app, `mutation($records: [ServiceRecordInput!]!) { importServiceRecords(source: "say", records: $records) { inserted } }`, {
    records: [1, 2, 3].map((n) => ({ sourceId: `say-${n}`, itemCode: item.code, communityCode: community.code, status: 'OPEN', receivedAt: `${today}T01:0${n}:00Z` })),
  });
  const rows = async (groupBy: string[], sources: string) =>
    (await ok(app, `query($input: DemandRankingInput!) { demandRanking(input: $input) { rows { category { code } serviceItem { code } metrics { volume } residentsSay { term } } } }`, {
      input: { areaId: w.districtId, lastDays: 30, groupBy, sources, minSupport: 1 },
    })).demandRanking.rows;
  const repairRow = (list: any[]) => list.find((row) => row.category?.code === 'HOUSING-REPAIR' || row.serviceItem?.code === item.code);
  // Counting both sources, the repair row reads its requests' words.
  expect(repairRow(await rows(['CATEGORY'], 'BOTH')).residentsSay.map((k: any) => k.term)).toContain('路灯');
  const recordsOnly = repairRow(await rows(['CATEGORY'], 'SERVICE_RECORDS'));
  expect(recordsOnly.metrics.volume).toBe(3);
  expect(recordsOnly.residentsSay).toEqual([]);
  const itemRow = repairRow(await rows(['SERVICE_ITEM'], 'BOTH'));
  expect(itemRow.metrics.volume).toBe(3);
  expect(itemRow.residentsSay).toEqual([]);
});

// A distinctive word: in a portal's view it may point at the one resident who keeps reporting it.
const THROWING = ['楼上高空抛物，差点砸到人', '又有人高空抛物，花盆掉下来了', '高空抛物太危险，请物业管一管'];

test('one resident\'s three requests with a distinctive word publish nothing of it; three residents\' do, and count says residents', async () => {
  const safety = await categoryId(app, 'GRID-SAFETY');
  const order = await categoryId(app, 'GRID-ORDER');
  const create = (categoryId: string, body: string, resident: { residentName?: string; residentPhone?: string }) =>
    ok(app, `mutation($input: CreateRequestInput!) { createRequest(input: $input) { id } }`, { input: { title: '安全隐患', body, channel: 'COUNTER', categoryId, areaId: w.gridId, ...resident } });
  // One resident: phone and name, then the phone alone (a landline written with and without its dash), then the name alone.
  await create(safety, THROWING[0], { residentName: '赵桂芳', residentPhone: '0531-88776655' });
  await create(safety, THROWING[1], { residentPhone: '053188776655' });
  await create(safety, THROWING[2], { residentName: '赵桂芳' });
  // Three residents.
  for (const [i, body] of THROWING.entries()) await create(order, body, { residentName: `居民${i}`, residentPhone: `1390000000${i}` });
  const say = async () => {
    const data = await ok(app, RANKING, { area: w.districtId });
    const row = (code: string) => data.demandRanking.rows.find((r: any) => r.category.code === code);
    return { data, safety: row('GRID-SAFETY'), order: row('GRID-ORDER') };
  };
  const first = await say();
  expect(first.safety.metrics.volume).toBe(3);
  expect(first.safety.residentsSay.map((k: any) => k.term)).not.toContain('高空抛物');
  expect(first.order.residentsSay).toContainEqual({ term: '高空抛物', count: 3 });
  // Two more residents in the first cell: three residents, five requests; count says residents.
  await create(safety, '晚上又有高空抛物', { residentName: '钱二' });
  await create(safety, '高空抛物砸坏了车', {});
  const second = await say();
  expect(second.safety.metrics.volume).toBe(5);
  expect(second.safety.residentsSay).toContainEqual({ term: '高空抛物', count: 3 });
  // Who wrote them never comes out.
  for (const personal of ['赵桂芳', '88776655', '钱二', '13900000001']) expect(JSON.stringify([first.data, second.data])).not.toContain(personal);
});
