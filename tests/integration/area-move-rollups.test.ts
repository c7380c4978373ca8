/**
 * Area moves and the roll-ups, records and requests together: what a move leaves (and what later
 * imports add) must be what a full rebuild (npm run rollups:rebuild) gives, table by table.
 * Service records keep the community, grid and building they were imported with; requests are
 * filed by their area's current path (see demand-rollups.ts).
 */
import { Readable } from 'node:stream';
import path from 'node:path';
import pg from 'pg';
import { PROJECT_ROOT } from '../../src/config/paths';
import { toGlobalId } from '../../src/common/global-id';
import { GONGJIAN_CSV_HEADER } from '../../src/modules/service-data/generator';
import { importServiceFile } from '../../src/modules/service-data/import';
import { loadMapping } from '../../src/modules/service-data/mapping';
import { rebuildRollups } from '../../src/modules/service-data/rollups';
import { UPDATE_AREA } from '../operations/areas';
import { categoryId } from '../helpers/closed-loop-fixtures';
import { createDemoCityApp, type TestApp } from '../helpers/test-app';

let app: TestApp;
let db: pg.Client;
const gongjian = loadMapping(path.join(PROJECT_ROOT, 'mappings', 'gongjian.json'));
const TABLES = ['request_daily', 'service_daily', 'demand_daily', 'demand_monthly', 'demand_grid_daily', 'demand_grid_monthly'];

beforeAll(async () => {
  ({ app, db } = await createDemoCityApp());
  // Whatever the seed left, the tests start from rebuilt roll-ups.
  await rebuild();
});
afterAll(async () => {
  await db?.end();
  await app?.close();
});

async function rebuild(): Promise<void> {
  await db.query('begin');
  await rebuildRollups(db);
  await db.query('commit');
}

/** Every table's rows, read one after another (one client runs one query at a time). */
const snapshot = async () => {
  const tables: Record<string, unknown[]> = {};
  for (const table of TABLES) tables[table] = (await db.query(`select * from ${table} order by 1, 2, 3, 4, 5`)).rows;
  return tables;
};

/** The roll-ups as they stand, then as a rebuild leaves them: they must be equal, table by table. */
async function expectRebuildChangesNothing(): Promise<void> {
  const incremental = await snapshot();
  await rebuild();
  const rebuilt = await snapshot();
  for (const table of TABLES) expect({ table, rows: incremental[table] }).toEqual({ table, rows: rebuilt[table] });
}

async function ok<T = any>(query: string, variables?: Record<string, unknown>): Promise<T> {
  const result = await app.execute<T>(query, variables);
  expect(result.errors).toBeUndefined();
  return result.data as T;
}

const importCsv = async (lines: string[]) =>
  expect(await importServiceFile({ db, input: Readable.from([Buffer.from([GONGJIAN_CSV_HEADER, ...lines].join('\n'))]), fileName: 'move.csv', mapping: gongjian, batchRows: 1000 })).toMatchObject({ inserted: lines.length, rejected: 0 });

type AreaRow = { id: number; code: string; path: string };
const area = async (where: string, params: unknown[] = []): Promise<AreaRow> => (await db.query(`select id, code, path from area where ${where} order by id limit 1`, params)).rows[0];
const communityOf = (a: AreaRow) => Number(a.path.split('/')[3]);
const CREATE_REQUEST = `mutation($input: CreateRequestInput!) { createRequest(input: $input) { id } }`;

test('a grid with records and requests moved to another community: the roll-ups equal a rebuild, records stay where they were received', async () => {
  // The grid's community has a higher id than the one it moves to.
  const to = await area(`level = 'COMMUNITY' and code = '370199001001'`);
  const from = await area(`level = 'COMMUNITY' and code = '370199001002'`);
  expect(from.id).toBeGreaterThan(to.id);
  const grid = await area(`level = 'GRID' and parent_id = $1`, [from.id]);
  const building = await area(`level = 'BUILDING' and parent_id = $1`, [grid.id]);
  await importCsv([
    `GM-1,CIV-MARRIAGE-01,2024-03-01 09:00:00,2024-03-01 15:00:00,FINISHED,${from.code},${grid.code},,ELDERLY,COUNTER,5,,`,
    `GM-2,CIV-MARRIAGE-01,2024-03-01 10:00:00,,OPEN,${from.code},${grid.code},${building.code},,COUNTER,,,`,
    `GM-3,CIV-MARRIAGE-01,2024-04-02 10:00:00,2024-04-03 10:00:00,FINISHED,${from.code},${grid.code},,,COUNTER,4,,`,
  ]);
  const category = await categoryId(app, 'HOUSING-REPAIR');
  for (const [title, areaId] of [['屋顶漏水', toGlobalId('Grid', grid.id)], ['楼道灯坏', toGlobalId('Building', building.id)]]) {
    await ok(CREATE_REQUEST, { input: { title, body: title, channel: 'VISIT', categoryId: category, areaId } });
  }
  await expectRebuildChangesNothing();

  // Members reported to the grid's branch live in the old community, and a move may not take them
  // along (assertPlacementsHold): they are placed in a branch of another of its grids first.
  await db.query(
    `update person set organization_id = (select o.id from party_organization o join area a on a.id = o.area_id where o.kind = 'BRANCH' and a.path like $1 and a.path not like $2 order by o.id limit 1)
      where organization_id in (select o.id from party_organization o join area a on a.id = o.area_id where a.path like $2)`,
    [`${from.path}%`, `${grid.path}%`],
  );
  await ok(UPDATE_AREA, { id: toGlobalId('Grid', grid.id), input: { parentId: toGlobalId('Community', to.id) } });
  const gridRows = async (source: number) => (await db.query(`select distinct community_id from demand_grid_daily where grid_id = $1 and source = $2`, [grid.id, source])).rows;
  // Requests follow the grid (their area's path); records keep the community they were received in.
  expect(await gridRows(2)).toEqual([{ community_id: to.id }]);
  expect(await gridRows(1)).toEqual([{ community_id: from.id }]);
  await expectRebuildChangesNothing();

  // Records of the grid received after the move name its new community, some on a day (and in a
  // category) that already has a roll-up row of the grid counted under the old one.
  await importCsv([
    `GM-4,CIV-MARRIAGE-01,2024-03-01 18:00:00,,OPEN,${to.code},${grid.code},,,COUNTER,,,`,
    `GM-5,CIV-MARRIAGE-01,2024-05-06 10:00:00,,OPEN,${to.code},${grid.code},,,COUNTER,,,`,
  ]);
  expect((await db.query(`select demands from demand_grid_daily where grid_id = $1 and source = 1 and day = '2024-03-01'`, [grid.id])).rows).toEqual([{ demands: 3 }]);
  await expectRebuildChangesNothing();
});

test('a building with records and requests moved to a grid of another community: the roll-ups equal a rebuild', async () => {
  const [from, to] = [await area(`level = 'COMMUNITY' and code = '370199002001'`), await area(`level = 'COMMUNITY' and code = '370199002002'`)];
  const grid = await area(`level = 'GRID' and parent_id = $1`, [from.id]);
  const target = await area(`level = 'GRID' and parent_id = $1`, [to.id]);
  const building = await area(`level = 'BUILDING' and parent_id = $1`, [grid.id]);
  await importCsv([`BM-1,CIV-MARRIAGE-01,2024-03-01 11:00:00,,OPEN,${from.code},${grid.code},${building.code},,COUNTER,,,`]);
  const category = await categoryId(app, 'HOUSING-REPAIR');
  await ok(CREATE_REQUEST, { input: { title: '电梯故障', body: '电梯故障', channel: 'VISIT', categoryId: category, areaId: toGlobalId('Building', building.id) } });

  const requestsPerGrid = async () =>
    Object.fromEntries((await db.query(`select grid_id, sum(demands)::int as n from demand_grid_daily where source = 2 and grid_id in ($1, $2) group by 1`, [grid.id, target.id])).rows.map((r) => [r.grid_id, r.n]));
  const before = await requestsPerGrid();
  await ok(UPDATE_AREA, { id: toGlobalId('Building', building.id), input: { parentId: toGlobalId('Grid', target.id) } });
  // The building's request now counts in the grid it moved to.
  const after = await requestsPerGrid();
  expect((after[grid.id] ?? 0) - (before[grid.id] ?? 0)).toBe(-1);
  expect((after[target.id] ?? 0) - (before[target.id] ?? 0)).toBe(1);
  expect(communityOf(await area('id = $1', [building.id]))).toBe(to.id);
  await expectRebuildChangesNothing();
});
