import { toGlobalId } from '../../src/common/global-id';
import { RequestCategory } from '../../src/modules/category/category.entity';
import { expectRacedDuplicatesAnswerAsSequential } from '../helpers/fixtures';
import { createTestApp, type TestApp } from '../helpers/test-app';

let app: TestApp;
beforeAll(async () => {
  app = await createTestApp();
});
afterAll(async () => {
  await app?.close();
});

const count = () => app.orm.em.fork().count(RequestCategory, {});

test('every database starts with the catalogue: 13 kinds of grid work and 7 one-window categories', async () => {
  const result = await app.execute(`{ requestCategories { code name effectiveCommunityHours children { code name communityHours streetHours districtHours parent { code } } } }`);
  const top = result.data.requestCategories;
  expect(top.map((c: any) => c.code).sort()).toEqual(['CARE', 'CERT', 'CIV', 'GRID', 'HEALTH', 'HOUSING', 'JOB', 'SOC']);
  const grid = top.find((c: any) => c.code === 'GRID');
  expect(grid.children).toHaveLength(13);
  expect(grid.children.find((c: any) => c.code === 'GRID-EMERGENCY')).toMatchObject({ name: '应急事件处置', communityHours: 12, streetHours: 24, districtHours: 36, parent: { code: 'GRID' } });
  expect(top.find((c: any) => c.code === 'HOUSING').effectiveCommunityHours).toBe(72);
});

test('create, update and retire a category; children inherit deadlines they do not set', async () => {
  const parent = (await app.execute(`mutation { createRequestCategory(input: { code: "ENV", name: "生态环境", communityHours: 48, streetHours: 96 }) { id } }`)).data.createRequestCategory.id;
  const child = await app.execute(`mutation($p: ID) { createRequestCategory(input: { code: "ENV-NOISE", name: "噪声扰民", parentId: $p }) { id effectiveCommunityHours parent { code } } }`, { p: parent });
  expect(child.data.createRequestCategory).toMatchObject({ effectiveCommunityHours: 48, parent: { code: 'ENV' } });
  const updated = await app.execute(`mutation($id: ID!) { updateRequestCategory(id: $id, input: { name: "噪声污染", communityHours: 24, active: false }) { name communityHours active } }`, { id: child.data.createRequestCategory.id });
  expect(updated.data.updateRequestCategory).toEqual({ name: '噪声污染', communityHours: 24, active: false });
  const listed = await app.execute(`query($p: ID) { active: requestCategories(parentId: $p) { code } all: requestCategories(parentId: $p, includeInactive: true) { code } }`, { p: parent });
  expect(listed.data).toEqual({ active: [], all: [{ code: 'ENV-NOISE' }] });

  // A retired category takes no new requests.
  const world = await app.execute(`mutation { d: createDistrict(input: { name: "示范区", code: "D1" }) { id } }`);
  const street = await app.execute(`mutation($d: ID!) { createStreet(input: { name: "新华街道", code: "S1", districtId: $d }) { id } }`, { d: world.data.d.id });
  const community = await app.execute(`mutation($s: ID!) { createCommunity(input: { name: "幸福里社区", code: "C1", streetId: $s }) { id } }`, { s: street.data.createStreet.id });
  const refused = await app.execute(`mutation($c: ID!, $a: ID!) { createRequest(input: { title: "夜间施工", body: "噪声", channel: HOTLINE_12345, categoryId: $c, areaId: $a }) { id } }`, {
    c: child.data.createRequestCategory.id,
    a: community.data.createCommunity.id,
  });
  expect(refused.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.categoryId' });
});

test('bad input writes nothing', async () => {
  const before = await count();
  const grid = (await app.execute(`{ requestCategories { id code children { id } } }`)).data.requestCategories.find((c: any) => c.code === 'GRID');
  const cases: [string, Record<string, unknown>, string, string][] = [
    ['a duplicate code', { code: 'GRID', name: '重复' }, 'CONFLICT', 'input.code'],
    ['a third level', { code: 'X-3', name: '第三级', parentId: grid.children[0].id }, 'BAD_USER_INPUT', 'input.parentId'],
    ['a missing parent', { code: 'X-4', name: '无父', parentId: toGlobalId('RequestCategory', 9999) }, 'NOT_FOUND', 'input.parentId'],
    ['zero hours', { code: 'X-5', name: '零', communityHours: 0 }, 'BAD_USER_INPUT', 'input.communityHours'],
    ['an empty name', { code: 'X-6', name: '' }, 'BAD_USER_INPUT', 'input.name'],
  ];
  for (const [label, input, code, field] of cases) {
    const result = await app.execute(`mutation($input: CreateRequestCategoryInput!) { createRequestCategory(input: $input) { id } }`, { input });
    expect({ label, error: result.errors?.[0].extensions }).toMatchObject({ label, error: { code, field } });
  }
  const nulled = await app.execute(`mutation($id: ID!) { updateRequestCategory(id: $id, input: { name: null }) { id } }`, { id: grid.id });
  expect(nulled.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.name' });
  expect(await count()).toBe(before);
});

test('six identical categories at once: one is created, the others read the sequential CONFLICT (3 rounds)', async () => {
  for (const code of ['RACE-A', 'RACE-B', 'RACE-C']) {
    await expectRacedDuplicatesAnswerAsSequential(app, `mutation($input: CreateRequestCategoryInput!) { createRequestCategory(input: $input) { id } }`, { input: { code, name: '并发类别' } }, 'CONFLICT', 'input.code');
  }
});
