/**
 * An area move against request steps under way in it (area.service moveArea, the roll-up lock
 * scheme in service-data/rollups.ts). Its own file: area.test.ts counts every community it made.
 */
import { CREATE_COMMUNITY, CREATE_DISTRICT, CREATE_GRID, CREATE_STREET, UPDATE_AREA } from '../operations/areas';
import { createCommunity, createGrid, createStreet, dbId } from '../helpers/fixtures';
import { race } from '../helpers/lock-race';
import { createTestApp, type TestApp } from '../helpers/test-app';
import { categoryId } from '../helpers/closed-loop-fixtures';

let app: TestApp;

async function ok<T = any>(query: string, variables?: Record<string, unknown>): Promise<T> {
  const result = await app.execute<T>(query, variables);
  expect(result.errors).toBeUndefined();
  return result.data as T;
}

beforeAll(async () => {
  app = await createTestApp();
});
afterAll(async () => {
  await app?.close();
});

describe('moving a grid while a request is written in it', () => {
  test('a request written while its grid moves is counted where the grid ends up', async () => {
    // Two fresh communities; an earlier request in the old one, so the new request's refresh has
    // a demand_monthly row to wait on (held below) after it has read the grid's path.
    const district = (await ok(CREATE_DISTRICT, { input: { name: '迁移区', code: '370198' } })).createDistrict.id;
    const street = (await ok(CREATE_STREET, { input: { name: '迁移街道', code: '370198001', districtId: district } })).createStreet.id;
    const [oldCommunity, newCommunity] = await Promise.all([0, 1].map(async (n) =>
      (await ok(CREATE_COMMUNITY, { input: { name: `迁移社区${n}`, code: `37019800100${n}`, streetId: street } })).createCommunity.id as string));
    const grid = (await ok(CREATE_GRID, { input: { name: '迁移中网格', code: 'MOVE-RACE-G', communityId: oldCommunity } })).createGrid;
    const category = await categoryId(app, 'HOUSING-REPAIR');
    const CREATE_REQUEST = `mutation($input: CreateRequestInput!) { createRequest(input: $input) { id } }`;
    await ok(CREATE_REQUEST, { input: { title: '路灯不亮', body: '路灯不亮', channel: 'VISIT', categoryId: category, areaId: oldCommunity } });
    const dbIdOf = (id: string) => Number(Buffer.from(id, 'base64url').toString().split(':')[1]);
    const lockWaiters = async () => {
      const [{ n }] = await app.orm.em.fork().execute<{ n: number }[]>(`select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`);
      return n;
    };
    const waitFor = async (done: () => Promise<boolean>) => {
      for (let waited = 0; waited < 5000 && !(await done()); waited += 50) await new Promise((resolve) => setTimeout(resolve, 50));
    };

    let created!: Promise<any>;
    let moved!: Promise<any>;
    await app.orm.em.fork().transactional(async (em) => {
      await em.execute('select 1 from demand_monthly where source = 2 and community_id = ? for update', [dbIdOf(oldCommunity)]);
      // The request is written and its day's request_daily row computed from the old path; it now waits.
      created = app.execute(CREATE_REQUEST, { input: { title: '楼顶渗水', body: '楼顶渗水', channel: 'VISIT', categoryId: category, areaId: grid.id } });
      await waitFor(async () => (await lockWaiters()) >= 1);
      // The move runs meanwhile (it must not finish its roll-up work before that request commits).
      let settled = false;
      moved = app.execute(UPDATE_AREA, { id: grid.id, input: { parentId: newCommunity } }).finally(() => void (settled = true));
      await waitFor(async () => settled || (await lockWaiters()) >= 2);
    });
    for (const result of await Promise.all([created, moved])) expect(result.errors).toBeUndefined();

    const em = app.orm.em.fork();
    const perCommunity = async (table: string, column: string, where = 'true') =>
      Object.fromEntries(((await em.execute(`select community_id, sum(${column})::int as n from ${table} where community_id in (?, ?) and ${where} group by 1`, [dbIdOf(oldCommunity), dbIdOf(newCommunity)])) as { community_id: number; n: number }[]).map((r) => [r.community_id, r.n]));
    expect(await perCommunity('request_daily', 'count')).toEqual({ [dbIdOf(oldCommunity)]: 1, [dbIdOf(newCommunity)]: 1 });
    expect(await perCommunity('demand_daily', 'demands', 'source = 2')).toEqual({ [dbIdOf(oldCommunity)]: 1, [dbIdOf(newCommunity)]: 1 });
    expect(await perCommunity('demand_monthly', 'demands', 'source = 2')).toEqual({ [dbIdOf(oldCommunity)]: 1, [dbIdOf(newCommunity)]: 1 });
  });
});

describe('two moves in one subtree at once', () => {
  test('a grid moved into a community that is itself moving to another street ends up under the community\'s new path', async () => {
    const district = (await ok(CREATE_DISTRICT, { input: { name: '并发迁移区', code: '370197' } })).createDistrict.id;
    const [streetA, streetB] = [await createStreet(app, district, '甲街道'), await createStreet(app, district, '乙街道')];
    const [from, to] = [await createCommunity(app, streetA, '迁出社区'), await createCommunity(app, streetA, '迁入社区')];
    const grid = await createGrid(app, from, '迁移网格');
    // A request step holds the roll-ups lock shared: the grid move (it regroups requests) waits for
    // it; the community move comes meanwhile.
    const [gridMoved, communityMoved] = await race(app, [`select pg_advisory_xact_lock_shared(hashtext('rollups'), 0)`, []],
      () => app.execute(UPDATE_AREA, { id: grid, input: { parentId: to } }),
      () => app.execute(UPDATE_AREA, { id: to, input: { parentId: streetB } }));
    expect(gridMoved.errors).toBeUndefined();
    expect(communityMoved.errors).toBeUndefined();
    const [row] = await app.orm.em.fork().execute('select g.path as grid, c.path as community, s.path as street from area g join area c on c.id = g.parent_id join area s on s.id = c.parent_id where g.id = ?', [dbId(grid)]);
    expect(row).toEqual({ street: `${row.street}`, community: `${row.street}${dbId(to)}/`, grid: `${row.street}${dbId(to)}/${dbId(grid)}/` });
    expect(row.street.endsWith(`/${dbId(streetB)}/`)).toBe(true);
  });
});
