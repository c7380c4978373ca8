import { isSmallCount } from '../../src/common/disclosure';
import { toGlobalId } from '../../src/common/global-id';
import { portalViewer } from '../helpers/access-fixtures';
import { buildWorld, createCommunity, createStreet, dbId, ok, type World } from '../helpers/fixtures';
import { createTestApp, type TestApp } from '../helpers/test-app';

/*
 * demandHotspots for a portal (disclosure.ts): an area whose counts are hidden must not be placed by
 * them. Listed by its true z, a hidden area sat between shown ones (a z between theirs bounds its
 * count), and `hot` said whether its few demands stand out.
 * 丁: 100 residents, 3 records (z ≈ 22, hidden); 戊 5000 residents 20 (its complement); 己 5000, 25; 庚 5000, 40.
 */

let app: TestApp;
let w: World;
let streetId: string;
let category: string;

beforeAll(async () => {
  app = await createTestApp();
  w = await buildWorld(app);
  app.clock.set(new Date('2030-03-20T02:00:00Z'));
  streetId = await createStreet(app, w.districtId, '排序街道');
  const em = app.orm.em.fork();
  const [item] = await em.execute(`select i.code, i.category_id from service_item i where not i.is_consultation order by i.code limit 1`);
  category = toGlobalId('RequestCategory', item.category_id);
  const records: Record<string, unknown>[] = [];
  for (const [name, population, count] of [['丁社区', 100, 3], ['戊社区', 5000, 20], ['己社区', 5000, 25], ['庚社区', 5000, 40]] as const) {
    const community = await createCommunity(app, streetId, name);
    await em.execute('update area set population = ? where id = ?', [population, dbId(community)]);
    const [{ code }] = await em.execute(`select code from area where id = ?`, [dbId(community)]);
    for (let n = 0; n < count; n += 1) {
      records.push({ sourceId: `HO-${code}-${n}`, itemCode: item.code, communityCode: code, status: 'FINISHED', receivedAt: '2026-05-12T01:00:00Z', finishedAt: '2026-05-12T02:00:00Z' });
    }
  }
  expect((await ok(app, `mutation($records: [ServiceRecordInput!]!) { importServiceRecords(source: "window", records: $records) { inserted } }`, { records })).importServiceRecords.inserted).toBe(88);
});
afterAll(async () => {
  await app?.close();
});

const QUERY = `query($input: DemandHotspotsInput!) { demandHotspots(input: $input) { parentRatePer10k areas { label volume z hot suppressed } } }`;
const input = (limit: number) => ({ areaId: streetId, categoryId: category, from: '2026-05-12', to: '2026-05-12', level: 'COMMUNITY', sources: 'SERVICE_RECORDS', limit });

test('a portal reads the hidden areas after the shown ones, by label, with hot null', async () => {
  const result = await app.execute(QUERY, { input: input(10) }, portalViewer());
  expect(result.errors).toBeUndefined();
  const areas = result.data!.demandHotspots.areas;
  expect(areas).toHaveLength(4);
  const hidden = areas.filter((area: any) => area.suppressed);
  expect(hidden.map((area: any) => area.label).sort()).toEqual(['丁社区', '戊社区']);
  // Shown first, highest z first; then the hidden ones in a neutral order.
  expect(areas.slice(0, 2).map((area: any) => area.suppressed)).toEqual([false, false]);
  expect(areas[0].z).toBeGreaterThanOrEqual(areas[1].z);
  expect(hidden.map((area: any) => area.label)).toEqual(hidden.map((area: any) => area.label).sort((a: string, b: string) => a.localeCompare(b)));
  for (const area of hidden) expect([area.volume, area.z, area.hot]).toEqual([null, null, null]);
  for (const area of areas) expect(area.volume === null || !isSmallCount(area.volume)).toBe(true);
});

test('a portal\'s list is suppressed over every area before it is cut to limit: the top 2 are the shown areas', async () => {
  const result = await app.execute(QUERY, { input: input(2) }, portalViewer());
  expect(result.errors).toBeUndefined();
  expect(result.data!.demandHotspots.areas.map((area: any) => [area.label, area.suppressed])).toEqual([['庚社区', false], ['己社区', false]]);
});

test('staff read every area by z, with its count and hot flag', async () => {
  const areas = (await ok(app, QUERY, { input: input(10) })).demandHotspots.areas;
  expect(areas[0]).toMatchObject({ label: '丁社区', volume: 3, hot: true, suppressed: false });
});
