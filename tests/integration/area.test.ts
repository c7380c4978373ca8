import { Area } from '../../src/modules/area/area.entity';
import { toGlobalId } from '../../src/common/global-id';
import { COMMUNITIES, CREATE_BUILDING, CREATE_COMMUNITY, CREATE_DISTRICT, CREATE_GRID, CREATE_STREET, UPDATE_AREA } from '../operations/areas';
import { createTestApp, type TestApp } from '../helpers/test-app';
import { expectRacedDuplicatesAnswerAsSequential } from '../helpers/fixtures';
import { categoryId } from '../helpers/closed-loop-fixtures';
import { entityManagerRunner, refreshRequestDaily } from '../../src/modules/service-data/rollups';

let app: TestApp;
let districtId: string;
let streetId: string;
let otherStreetId: string;
const communityIds: string[] = [];

const COMMUNITY_NAMES = ['幸福里社区', '和平路社区', '建设新村社区', '幸福苑社区', '光明社区', '朝阳社区', '东风社区'];

async function ok<T = any>(query: string, variables?: Record<string, unknown>): Promise<T> {
  const result = await app.execute<T>(query, variables);
  expect(result.errors).toBeUndefined();
  return result.data as T;
}

async function areaCount(): Promise<number> {
  return app.orm.em.fork().count(Area, {});
}

beforeAll(async () => {
  app = await createTestApp();
  districtId = (await ok(CREATE_DISTRICT, { input: { name: '示范区', code: '370199' } })).createDistrict.id;
  streetId = (await ok(CREATE_STREET, { input: { name: '新华街道', code: '370199001', districtId } })).createStreet.id;
  otherStreetId = (await ok(CREATE_STREET, { input: { name: '人民街道', code: '370199002', districtId } })).createStreet.id;
  for (const [index, name] of COMMUNITY_NAMES.entries()) {
    const street = index < 5 ? streetId : otherStreetId;
    const code = `${index < 5 ? '370199001' : '370199002'}${String(index + 1).padStart(3, '0')}`;
    const created = await ok(CREATE_COMMUNITY, { input: { name, code, streetId: street, population: 3000 + index * 100, households: 1000 + index, longitude: 117.0 + index / 100, latitude: 36.65 } });
    communityIds.push(created.createCommunity.id);
  }
});
afterAll(async () => {
  await app?.close();
});

describe('creating the tree', () => {
  test('each level hangs under the level above, and the relation resolves both ways', async () => {
    const grid = (await ok(CREATE_GRID, { input: { name: '第一网格', code: '370199001001001', communityId: communityIds[0], population: 800, households: 260 } })).createGrid;
    expect(grid.community.id).toBe(communityIds[0]);
    const building = (await ok(CREATE_BUILDING, { input: { name: '1号楼', code: '370199001001001001', gridId: grid.id, floors: 6, households: 36 } })).createBuilding;
    expect(building).toMatchObject({ name: '1号楼', floors: 6, grid: { id: grid.id } });

    const data = await ok(`query($id: ID!) { node(id: $id) { ... on Community { name gridCount buildingCount street { name district { name } } grids { totalCount edges { node { name buildings { edges { node { name } } } } } } } } }`, { id: communityIds[0] });
    expect(data.node).toEqual({
      name: '幸福里社区',
      gridCount: 1,
      buildingCount: 1,
      street: { name: '新华街道', district: { name: '示范区' } },
      grids: { totalCount: 1, edges: [{ node: { name: '第一网格', buildings: { edges: [{ node: { name: '1号楼' } }] } } }] },
    });
  });

  test('coordinates come back as a GeoJSON point', async () => {
    const data = await ok(`query($id: ID!) { node(id: $id) { ... on Area { location longitude latitude } } }`, { id: communityIds[1] });
    expect(data.node.location).toEqual({ type: 'Point', coordinates: [117.01, 36.65] });
  });

  test('street and district aggregates sum their communities', async () => {
    const data = await ok(`query($id: ID!) { node(id: $id) { ... on District { communityCount population streets { totalCount edges { node { name communityCount population } } } } } }`, { id: districtId });
    expect(data.node.communityCount).toBe(7);
    expect(data.node.population).toBe(COMMUNITY_NAMES.reduce((sum, _n, i) => sum + 3000 + i * 100, 0));
    expect(data.node.streets.edges.map((e: any) => [e.node.name, e.node.communityCount])).toEqual([
      ['新华街道', 5],
      ['人民街道', 2],
    ]);
  });
});

describe('bad input changes nothing', () => {
  test.each([
    ['an empty name', { name: '', code: 'X1' }, 'input.name'],
    ['a code with spaces', { name: '某社区', code: 'A B' }, 'input.code'],
    ['a code over 32 characters', { name: '某社区', code: 'C'.repeat(33) }, 'input.code'],
    ['a negative population', { name: '某社区', code: 'X2', population: -1 }, 'input.population'],
    // Two of these would overflow the street's and district's sums (GraphQL Int) for every reader.
    ['a population past a million', { name: '某社区', code: 'X5', population: 2_147_483_647 }, 'input.population'],
    ['households past a million', { name: '某社区', code: 'X6', households: 1_000_001 }, 'input.households'],
    ['longitude without latitude', { name: '某社区', code: 'X3', longitude: 117 }, 'input.latitude'],
    ['an open boundary ring', { name: '某社区', code: 'X4', boundary: { type: 'Polygon', coordinates: [[[117, 36], [117.1, 36], [117.1, 36.1]]] } }, 'input.boundary'],
  ])('%s → BAD_USER_INPUT naming the field', async (_label, fields, field) => {
    const before = await areaCount();
    const result = await app.execute(CREATE_COMMUNITY, { input: { streetId, ...fields } });
    expect(result.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
    expect(result.errors?.[0].message).toContain(field);
    expect(await areaCount()).toBe(before);
  });

  test('a parent of the wrong level is refused', async () => {
    const before = await areaCount();
    const result = await app.execute(CREATE_COMMUNITY, { input: { name: '错层社区', code: 'WRONG1', streetId: districtId } });
    expect(result.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.streetId' });
    expect(result.errors?.[0].message).toContain('expected the ID of a Street, got the ID of a District');
    expect(await areaCount()).toBe(before);
  });

  test('a parent that does not exist is NOT_FOUND', async () => {
    const result = await app.execute(CREATE_COMMUNITY, { input: { name: '孤儿社区', code: 'ORPHAN1', streetId: toGlobalId('Street', 999999) } });
    expect(result.errors?.[0].extensions).toMatchObject({ code: 'NOT_FOUND', field: 'input.streetId' });
  });

  test('a duplicate code is a CONFLICT', async () => {
    const before = await areaCount();
    const result = await app.execute(CREATE_COMMUNITY, { input: { name: '重复社区', code: '370199001001', streetId } });
    expect(result.errors?.[0].extensions).toMatchObject({ code: 'CONFLICT', field: 'input.code' });
    expect(await areaCount()).toBe(before);
  });

  test('a measure the level does not keep is refused (floors on a community)', async () => {
    const result = await app.execute(UPDATE_AREA, { id: communityIds[2], input: { floors: 5 } });
    expect(result.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.floors' });
  });

  test('updating a missing area is NOT_FOUND; null on a required field is BAD_USER_INPUT', async () => {
    expect((await app.execute(UPDATE_AREA, { id: toGlobalId('Community', 999999), input: { name: '无' } })).errors?.[0].extensions?.code).toBe('NOT_FOUND');
    const nulled = await app.execute(UPDATE_AREA, { id: communityIds[2], input: { name: null } });
    expect(nulled.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.name' });
    const still = await ok(`query($id: ID!) { node(id: $id) { ... on Community { name } } }`, { id: communityIds[2] });
    expect(still.node.name).toBe('建设新村社区');
  });
});

describe('updating', () => {
  test('changes only the fields given; null clears an optional one', async () => {
    // The bound holds on update too: two of these would break every street and district figure.
    const tooMany = await app.execute(UPDATE_AREA, { id: communityIds[3], input: { population: 2_147_483_647 } });
    expect(tooMany.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.population' });
    const updated = (await ok(UPDATE_AREA, { id: communityIds[3], input: { population: 5000, households: null } })).updateArea;
    expect(updated).toMatchObject({ name: '幸福苑社区', population: 5000, households: null });
  });

  test('moving a grid to another community moves its buildings with it (subtree filters follow)', async () => {
    const grid = (await ok(CREATE_GRID, { input: { name: '待迁网格', code: 'MOVE-G1', communityId: communityIds[5] } })).createGrid;
    await ok(CREATE_BUILDING, { input: { name: '迁移楼', code: 'MOVE-B1', gridId: grid.id } });
    const moved = (await ok(UPDATE_AREA, { id: grid.id, input: { parentId: communityIds[0] } })).updateArea;
    expect(moved.parent.id).toBe(communityIds[0]);
    const inNew = await ok(`query($within: ID) { buildings(filter: { within: $within, search: "迁移" }) { totalCount } }`, { within: communityIds[0] });
    const inOld = await ok(`query($within: ID) { buildings(filter: { within: $within, search: "迁移" }) { totalCount } }`, { within: communityIds[5] });
    expect(inNew.buildings.totalCount).toBe(1);
    expect(inOld.buildings.totalCount).toBe(0);
    const wrongLevel = await app.execute(UPDATE_AREA, { id: grid.id, input: { parentId: streetId } });
    expect(wrongLevel.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.parentId' });
  });
});

describe('moving an area keeps the demand roll-up', () => {
  test('a grid with requests moved to another community: request_daily counts them there, as a rebuild would', async () => {
    const grid = (await ok(CREATE_GRID, { input: { name: '诉求网格', code: 'MOVE-G2', communityId: communityIds[1] } })).createGrid;
    const category = await categoryId(app, 'HOUSING-REPAIR');
    for (const title of ['屋顶漏水', '楼道灯坏']) {
      await ok(`mutation($input: CreateRequestInput!) { createRequest(input: $input) { id } }`, { input: { title, body: title, channel: 'VISIT', categoryId: category, areaId: grid.id } });
    }
    const dbIdOf = (id: string) => Number(Buffer.from(id, 'base64url').toString().split(':')[1]);
    const em = app.orm.em.fork();
    const perCommunity = async () =>
      Object.fromEntries(((await em.execute(`select community_id, sum(count)::int as n from request_daily group by 1 order by 1`)) as { community_id: number; n: number }[]).map((r) => [r.community_id, r.n]));
    expect((await perCommunity())[dbIdOf(communityIds[1])]).toBe(2);

    await ok(UPDATE_AREA, { id: grid.id, input: { parentId: communityIds[2] } });
    const after = await perCommunity();
    expect(after[dbIdOf(communityIds[1])]).toBeUndefined();
    expect(after[dbIdOf(communityIds[2])]).toBe(2);
    // The same as rebuilding from the requests.
    const rebuilt = await em.transactional(async (tx) => {
      await tx.execute('create temporary table kept on commit drop as select * from request_daily');
      await refreshRequestDaily(entityManagerRunner(tx));
      const [{ n }] = await tx.execute<{ n: number }[]>('select count(*)::int as n from ((select * from kept except select * from request_daily) union all (select * from request_daily except select * from kept)) d');
      return n;
    });
    expect(rebuilt).toBe(0);
  });

  test('a move recomputes only the old and new communities, on the days its requests were received', async () => {
    const grid = (await ok(CREATE_GRID, { input: { name: '限定网格', code: 'MOVE-G3', communityId: communityIds[3] } })).createGrid;
    const category = await categoryId(app, 'HOUSING-REPAIR');
    await ok(`mutation($input: CreateRequestInput!) { createRequest(input: $input) { id } }`, { input: { title: '水管漏水', body: '水管漏水', channel: 'VISIT', categoryId: category, areaId: grid.id } });
    const dbIdOf = (id: string) => Number(Buffer.from(id, 'base64url').toString().split(':')[1]);
    const em = app.orm.em.fork();
    const [{ day }] = await em.execute<{ day: string }[]>(`select day::text from request_daily where community_id = ? limit 1`, [dbIdOf(communityIds[3])]);
    // Marks on rows a move of this grid has no business rewriting: another community's row on the
    // same day, and the old community's row on a day none of the grid's requests was received.
    const other = dbIdOf(communityIds[6]);
    await em.execute(`insert into request_daily (day, category_id, community_id, resident_groups, count, open, resolved, resolve_seconds_sum, satisfaction_sum, satisfaction_count)
      values (?::date, ?, ?, 0, 77, 0, 0, 0, 0, 0), (?::date - 3, ?, ?, 0, 78, 0, 0, 0, 0, 0)`, [day, dbIdOf(category), other, day, dbIdOf(category), dbIdOf(communityIds[3])]);

    await ok(UPDATE_AREA, { id: grid.id, input: { parentId: communityIds[4] } });
    const marks = await em.execute(`select community_id, count from request_daily where count in (77, 78) order by count`);
    expect(marks).toEqual([{ community_id: other, count: 77 }, { community_id: dbIdOf(communityIds[3]), count: 78 }]);
    const moved = await em.execute<{ community_id: number; n: number }[]>(`select community_id, sum(count)::int as n from request_daily where day = ?::date and community_id in (?, ?) group by 1`, [day, dbIdOf(communityIds[3]), dbIdOf(communityIds[4])]);
    expect(moved).toEqual([{ community_id: dbIdOf(communityIds[4]), n: 1 }]);
    await em.execute(`delete from request_daily where count in (77, 78)`);
  });
});

describe('lists: filters, order, pages', () => {
  test('search matches Chinese names (and codes), case-insensitively', async () => {
    const data = await ok(COMMUNITIES, { filter: { search: '幸福' } });
    expect(data.communities.edges.map((e: any) => e.node.name).sort()).toEqual(['幸福苑社区', '幸福里社区']);
    expect((await ok(COMMUNITIES, { filter: { search: '370199002' } })).communities.totalCount).toBe(2);
  });

  test('LIKE wildcards in a search are taken literally', async () => {
    expect((await ok(COMMUNITIES, { filter: { search: '%' } })).communities.totalCount).toBe(0);
  });

  test('within a street and parentId give that street\'s communities only', async () => {
    expect((await ok(COMMUNITIES, { filter: { within: otherStreetId } })).communities.totalCount).toBe(2);
    expect((await ok(COMMUNITIES, { filter: { parentId: streetId } })).communities.totalCount).toBe(5);
    expect((await ok(COMMUNITIES, { filter: { codes: ['370199001001', '370199002007'] } })).communities.totalCount).toBe(2);
  });

  test('orderBy NAME DESC orders by name, descending', async () => {
    const names = (await ok(COMMUNITIES, { orderBy: { field: 'NAME', direction: 'DESC' } })).communities.edges.map((e: any) => e.node.name);
    expect(names).toEqual([...names].sort().reverse());
    expect(names).toHaveLength(7);
  });

  test('paging with first/after walks every item once, in order', async () => {
    const seen: string[] = [];
    let after: string | null = null;
    let pages = 0;
    for (;;) {
      const page: any = (await ok(COMMUNITIES, { first: 3, after, orderBy: { field: 'NAME', direction: 'ASC' } })).communities;
      expect(page.totalCount).toBe(7);
      seen.push(...page.edges.map((e: any) => e.node.name));
      pages += 1;
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(pages).toBe(3);
    expect(seen).toEqual([...COMMUNITY_NAMES].sort());
  });

  test('first defaults to 20 and is capped at 100', async () => {
    const tooMany = await app.execute(COMMUNITIES, { first: 101 });
    expect(tooMany.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'first' });
    expect((await app.execute(COMMUNITIES, { first: -1 })).errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    const nested = await app.execute(`{ communities(first: 1) { edges { node { grids(first: 500) { totalCount } } } } }`);
    expect(nested.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  });

  test('a foreign cursor, or one from another order, is BAD_USER_INPUT', async () => {
    expect((await app.execute(COMMUNITIES, { after: 'garbage' })).errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after' });
    const byName = (await ok(COMMUNITIES, { first: 1, orderBy: { field: 'NAME', direction: 'ASC' } })).communities.pageInfo.endCursor;
    const result = await app.execute(COMMUNITIES, { after: byName });
    expect(result.errors?.[0].message).toMatch(/different orderBy/);
    // A NUL in the value reached PostgreSQL as a protocol error (08P01), answered as an outage.
    const withNul = Buffer.from(JSON.stringify({ p: 'code', d: 'ASC', v: 'a\u0000b', i: 1 })).toString('base64url');
    expect((await app.execute(COMMUNITIES, { after: withNul })).errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after' });
  });
});

test('six identical areas at once (one code): one is created, the others read the sequential CONFLICT (3 rounds)', async () => {
  for (const code of ['370199001090', '370199001091', '370199001092']) {
    await expectRacedDuplicatesAnswerAsSequential(app, CREATE_COMMUNITY, { input: { name: '并发社区', code, streetId } }, 'CONFLICT', 'input.code');
  }
});
