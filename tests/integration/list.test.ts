import { toGlobalId } from '../../src/common/global-id';
import { buildTree, buildUnits, buildWorld, createPerson, createUnit, dbId, expectError, expectRacedDuplicatesAnswerAsSequential, ok, walkPages, type World } from '../helpers/fixtures';
import {
  addListItem,
  categoryId,
  concurrently,
  createPairing,
  createProblemList,
  expectNothingWritten,
  rawRow,
  pointEntries,
} from '../helpers/closed-loop-fixtures';
import { createTestApp, type TestApp } from '../helpers/test-app';

let app: TestApp;
let w: World;
let cat: Record<'repair' | 'property' | 'housing' | 'canteen' | 'proof', string>;

beforeAll(async () => {
  app = await createTestApp();
  w = await buildWorld(app);
  cat = {
    repair: await categoryId(app, 'HOUSING-REPAIR'),
    property: await categoryId(app, 'HOUSING-PROPERTY'),
    housing: await categoryId(app, 'HOUSING'),
    canteen: await categoryId(app, 'CARE-CANTEEN'),
    proof: await categoryId(app, 'CERT-PROOF'),
  };
});
afterAll(async () => {
  await app?.close();
});
afterEach(() => app.clock.reset());

const LIST_FIELDS = `id period startsOn endsOn title community { id name }
  resourceCount demandCount serviceCount problemCount openProblemCount overdueProblemCount totalResourceValue`;
const CREATE_LIST = `mutation($input: CreateProblemListInput!) { createProblemList(input: $input) { ${LIST_FIELDS} } }`;
const LISTS = `query($filter: ProblemListFilter, $first: Int, $after: String) {
  problemLists(filter: $filter, first: $first, after: $after) { totalCount edges { cursor node { id period } } pageInfo { hasNextPage endCursor } }
}`;
const ITEM_FIELDS = `id kind title description status resourceType quantity value dueAt closedAt overdue remainingQuantity version
  list { id } category { id code } unit { id name } sourceRequest { id title }`;
const ADD = `mutation($input: AddListItemInput!) { addListItem(input: $input) { ${ITEM_FIELDS} } }`;
const UPDATE = `mutation($id: ID!, $input: UpdateListItemInput!) { updateListItem(id: $id, input: $input) { ${ITEM_FIELDS} } }`;
const CLOSE = `mutation($id: ID!, $note: String!) { closeProblem(id: $id, note: $note) { ${ITEM_FIELDS} } }`;
const ITEMS = `query($filter: ListItemFilter, $first: Int) { listItems(filter: $filter, first: $first) { totalCount edges { node { id } } } }`;
const ITEM = `query($id: ID!) { node(id: $id) { ... on ListItem { ${ITEM_FIELDS} } } }`;
const CLAIM_FIELDS = `id status quantity note deliveredAt confirmedAt item { id status } unit { id } resource { id remainingQuantity } person { id name }`;
const CLAIM = `mutation($input: ClaimListItemInput!) { claimListItem(input: $input) { ${CLAIM_FIELDS} } }`;
const DELIVER = `mutation($id: ID!) { deliverClaim(id: $id) { ${CLAIM_FIELDS} } }`;
const CONFIRM = `mutation($id: ID!) { confirmClaim(id: $id) { ${CLAIM_FIELDS} } }`;
const CANCEL = `mutation($id: ID!, $reason: String!) { cancelClaim(id: $id, reason: $reason) { ${CLAIM_FIELDS} } }`;
const MATCHES = `query($itemId: ID!, $first: Int) { resourceMatches(itemId: $itemId, first: $first) { resource { id title } unit { id name } score reasons remainingQuantity } }`;

/** A fresh list of its own (a unique period) in the world's community. */
let periodSeq = 0;
async function freshList(communityId = w.communityId): Promise<string> {
  periodSeq += 1;
  return createProblemList(app, communityId, String(2030 + periodSeq));
}

async function ids(filter: Record<string, unknown>): Promise<string[]> {
  const data = await ok(app, ITEMS, { filter, first: 100 });
  expect(data.listItems.totalCount).toBe(data.listItems.edges.length);
  return data.listItems.edges.map((edge: any) => edge.node.id);
}

describe('createProblemList', () => {
  test.each([
    ['2026-11', '2026-11-01', '2026-11-30'],
    ['2024-02', '2024-02-01', '2024-02-29'],
    ['2026-Q1', '2026-01-01', '2026-03-31'],
    ['2026-Q4', '2026-10-01', '2026-12-31'],
    ['2025', '2025-01-01', '2025-12-31'],
  ])('period %s runs from %s to %s', async (period, startsOn, endsOn) => {
    const data = await ok(app, CREATE_LIST, { input: { communityId: w.communityId, period } });
    expect(data.createProblemList).toMatchObject({
      period,
      startsOn,
      endsOn,
      title: `幸福里社区 ${period} 四项清单`,
      community: { id: w.communityId, name: '幸福里社区' },
      resourceCount: 0,
      demandCount: 0,
      serviceCount: 0,
      problemCount: 0,
      openProblemCount: 0,
      totalResourceValue: 0,
    });
  });

  test('a given title is kept; the same community and period twice is a CONFLICT; another community may use the period', async () => {
    const data = await ok(app, CREATE_LIST, { input: { communityId: w.otherCommunityId, period: '2026-10', title: '和平里十月清单' } });
    expect(data.createProblemList.title).toBe('和平里十月清单');
    const again = await expectNothingWritten(app, () => app.execute(CREATE_LIST, { input: { communityId: w.otherCommunityId, period: '2026-10' } }));
    expectError(again, 'CONFLICT', 'input.period');
    expect(again.errors![0].message).toContain('2026-10');
    await createProblemList(app, w.communityId, '2026-10');
  });

  const bad: [string, () => Record<string, unknown>, string, string][] = [
    ['month 13', () => ({ period: '2026-13' }), 'BAD_USER_INPUT', 'input.period'],
    ['month 00', () => ({ period: '2026-00' }), 'BAD_USER_INPUT', 'input.period'],
    ['quarter 5', () => ({ period: '2026-Q5' }), 'BAD_USER_INPUT', 'input.period'],
    ['a lower-case quarter', () => ({ period: '2026-q1' }), 'BAD_USER_INPUT', 'input.period'],
    ['a slash', () => ({ period: '2026/11' }), 'BAD_USER_INPUT', 'input.period'],
    ['a two-digit year', () => ({ period: '26-11' }), 'BAD_USER_INPUT', 'input.period'],
    ['a year out of range', () => ({ period: '1999' }), 'BAD_USER_INPUT', 'input.period'],
    ['an empty period', () => ({ period: '' }), 'BAD_USER_INPUT', 'input.period'],
    ['an empty title', () => ({ title: '' }), 'BAD_USER_INPUT', 'input.title'],
    ['a title of 121 characters', () => ({ title: '单'.repeat(121) }), 'BAD_USER_INPUT', 'input.title'],
    ['a Grid id as communityId', () => ({ communityId: w.gridId }), 'BAD_USER_INPUT', 'input.communityId'],
    ['a malformed communityId', () => ({ communityId: 'nope!' }), 'BAD_USER_INPUT', 'input.communityId'],
    ['a missing community', () => ({ communityId: toGlobalId('Community', 999999) }), 'NOT_FOUND', 'input.communityId'],
  ];
  test.each(bad)('%s is refused and writes nothing', async (_label, overrides, code, field) => {
    const input = { communityId: w.communityId, period: '2027-05', ...overrides() };
    expectError(await expectNothingWritten(app, () => app.execute(CREATE_LIST, { input })), code, field);
  });
});

describe('problemLists', () => {
  let tree: Awaited<ReturnType<typeof buildTree>>;
  let lists: Record<string, string>;
  beforeAll(async () => {
    tree = await buildTree(app);
    lists = {
      a2026m01: await createProblemList(app, tree.communityId, '2026-01'),
      a2026q1: await createProblemList(app, tree.communityId, '2026-Q1'),
      a2025: await createProblemList(app, tree.communityId, '2025'),
      b2026m01: await createProblemList(app, tree.otherCommunityId, '2026-01'),
      b2026m03: await createProblemList(app, tree.otherCommunityId, '2026-03'),
    };
  });

  async function listIds(filter: Record<string, unknown>): Promise<string[]> {
    const data = await ok(app, LISTS, { filter, first: 100 });
    expect(data.problemLists.totalCount).toBe(data.problemLists.edges.length);
    return data.problemLists.edges.map((edge: any) => edge.node.id);
  }

  test('filters by community, area subtree and period; newest period first (ties: newest list first)', async () => {
    const { a2026m01, a2026q1, a2025, b2026m01, b2026m03 } = lists;
    expect(await listIds({ communityId: tree.communityId })).toEqual([a2026q1, a2026m01, a2025]);
    expect(await listIds({ within: tree.districtId })).toEqual([b2026m03, b2026m01, a2026q1, a2026m01, a2025]);
    expect(await listIds({ within: tree.streetId, period: '2026-01' })).toEqual([b2026m01, a2026m01]);
    expect(await listIds({ within: tree.otherCommunityId })).toEqual([b2026m03, b2026m01]);
    expect(await listIds({ within: tree.gridId })).toEqual([]);
    expect(await listIds({ communityId: tree.communityId, within: tree.otherCommunityId })).toEqual([]);
  });

  test('pagination: pages of 2 then 1 cover every list once, in order; first 101 and a bad cursor are refused', async () => {
    const all = await listIds({ within: tree.districtId });
    const two = await walkPages(app, LISTS, 'problemLists', 2, { filter: { within: tree.districtId } });
    expect(two).toEqual({ ids: all, pages: 3 });
    const one = await walkPages(app, LISTS, 'problemLists', 1, { filter: { within: tree.districtId } });
    expect(one.ids).toEqual(all);
    expectError(await app.execute(LISTS, { first: 101 }), 'BAD_USER_INPUT', 'first');
    expectError(await app.execute(LISTS, { first: 2, after: '!!!' }), 'BAD_USER_INPUT', 'after');
  });

  test('bad filter ids', async () => {
    expectError(await app.execute(LISTS, { filter: { communityId: tree.streetId } }), 'BAD_USER_INPUT', 'filter.communityId');
    expectError(await app.execute(LISTS, { filter: { communityId: toGlobalId('Community', 999999) } }), 'NOT_FOUND', 'filter.communityId');
    expectError(await app.execute(LISTS, { filter: { within: w.units.hospitalId } }), 'BAD_USER_INPUT', 'filter.within');
  });

  test('counts, value, items by kind and Community.problemLists; the same statements for 3 lists as for 5', async () => {
    const units = await buildUnits(app, tree);
    const list = lists.a2026q1;
    await addListItem(app, { listId: list, kind: 'RESOURCE', title: '会议室', unitId: units.hospitalId, resourceType: 'VENUE', value: 1200.5 });
    await addListItem(app, { listId: list, kind: 'RESOURCE', title: '志愿服务时长', unitId: units.schoolId, resourceType: 'STAFF_HOURS', quantity: 40, value: 800 });
    const demand = await addListItem(app, { listId: list, kind: 'DEMAND', title: '楼道灯维修' });
    await addListItem(app, { listId: list, kind: 'SERVICE', title: '助老服务' });
    const p1 = await addListItem(app, { listId: list, kind: 'PROBLEM', title: '垃圾堆放', dueAt: '2020-01-01T00:00:00Z' });
    await addListItem(app, { listId: list, kind: 'PROBLEM', title: '井盖缺失', dueAt: '2099-01-01T00:00:00Z' });
    await addListItem(app, { listId: list, kind: 'PROBLEM', title: '已解决的问题' }).then((id) => ok(app, CLOSE, { id, note: '已处理' }));
    const query = `query($filter: ProblemListFilter, $first: Int) { problemLists(filter: $filter, first: $first) { edges { node {
      id resourceCount demandCount serviceCount problemCount openProblemCount overdueProblemCount totalResourceValue community { name }
      problems: items(kinds: [PROBLEM]) { totalCount edges { node { id } } }
      needs: items(kinds: [DEMAND, SERVICE], first: 1) { totalCount edges { node { id } } }
      items { totalCount }
    } } } }`;
    const data = await ok(app, query, { filter: { communityId: tree.communityId, period: '2026-Q1' } });
    expect(data.problemLists.edges[0].node).toMatchObject({
      id: list,
      resourceCount: 2,
      demandCount: 1,
      serviceCount: 1,
      problemCount: 3,
      openProblemCount: 2,
      overdueProblemCount: 1,
      totalResourceValue: 2000.5,
      community: { name: '幸福里社区' },
      problems: { totalCount: 3 },
      needs: { totalCount: 2, edges: [{ node: { id: demand } }] },
      items: { totalCount: 7 },
    });
    expect(data.problemLists.edges[0].node.problems.edges[0].node.id).toBe(p1);

    const nested = await ok(app, `query($id: ID!) { node(id: $id) { ... on Community { problemLists(first: 2) { totalCount edges { node { id } } } } } }`, { id: tree.communityId });
    expect(nested.node.problemLists).toEqual({ totalCount: 3, edges: [{ node: { id: lists.a2026q1 } }, { node: { id: lists.a2026m01 } }] });

    // Newest first: the first 3 lists already include the one with items (and both communities).
    const three = await app.countStatements(() => ok(app, query, { filter: { within: tree.districtId }, first: 3 }));
    const five = await app.countStatements(() => ok(app, query, { filter: { within: tree.districtId }, first: 5 }));
    expect(five.length).toBe(three.length);
    expect(five.length).toBeLessThanOrEqual(14);
  });
});

describe('addListItem', () => {
  let list: string;
  beforeAll(async () => {
    list = await freshList();
  });

  test('each kind with its own fields; readable through node(id:)', async () => {
    const resource = await ok(app, ADD, {
      input: { listId: list, kind: 'RESOURCE', title: '维修工时', description: '水电维修', categoryId: cat.repair, unitId: w.units.propertyCompanyId, resourceType: 'STAFF_HOURS', quantity: 20, value: 3000 },
    });
    expect(resource.addListItem).toMatchObject({
      kind: 'RESOURCE', title: '维修工时', description: '水电维修', status: 'OPEN', resourceType: 'STAFF_HOURS', quantity: 20, value: 3000,
      remainingQuantity: 20, overdue: false, dueAt: null, closedAt: null, version: 1,
      list: { id: list }, category: { code: 'HOUSING-REPAIR' }, unit: { id: w.units.propertyCompanyId, name: '幸福物业服务有限公司' }, sourceRequest: null,
    });
    const problem = await ok(app, ADD, { input: { listId: list, kind: 'PROBLEM', title: '路灯不亮', dueAt: '2030-06-30T16:00:00.000Z' } });
    expect(problem.addListItem).toMatchObject({ kind: 'PROBLEM', dueAt: '2030-06-30T16:00:00.000Z', remainingQuantity: null, unit: null, category: null });
    const service = await ok(app, ADD, { input: { listId: list, kind: 'SERVICE', title: '送餐上门', quantity: 30, categoryId: cat.canteen } });
    expect(service.addListItem).toMatchObject({ kind: 'SERVICE', quantity: 30, remainingQuantity: null });
    expect((await ok(app, ITEM, { id: resource.addListItem.id })).node).toEqual(resource.addListItem);
    expect(await rawRow(app, 'list_item', service.addListItem.id)).toMatchObject({ kind: 'SERVICE', status: 'OPEN', list_id: expect.any(Number) });
  });

  test('a DEMAND drawn from a request takes its category; the same request twice on one list is a CONFLICT; a request elsewhere is refused', async () => {
    const createRequest = `mutation($input: CreateRequestInput!) { createRequest(input: $input) { id } }`;
    const here = await ok(app, createRequest, { input: { title: '楼道漏水', body: '3单元楼道漏水', channel: 'VISIT', categoryId: cat.repair, areaId: w.buildingId } });
    const there = await ok(app, createRequest, { input: { title: '路灯坏了', body: '路灯坏了', channel: 'VISIT', categoryId: cat.repair, areaId: w.otherGridId } });
    const requestId = here.createRequest.id;
    const demand = await ok(app, ADD, { input: { listId: list, kind: 'DEMAND', title: '楼道漏水维修', sourceRequestId: requestId } });
    expect(demand.addListItem).toMatchObject({ kind: 'DEMAND', category: { code: 'HOUSING-REPAIR' }, sourceRequest: { id: requestId, title: '楼道漏水' } });
    const twice = await expectNothingWritten(app, () => app.execute(ADD, { input: { listId: list, kind: 'DEMAND', title: '又一次', sourceRequestId: requestId } }));
    expectError(twice, 'CONFLICT', 'input.sourceRequestId');
    const elsewhere = await expectNothingWritten(app, () => app.execute(ADD, { input: { listId: list, kind: 'DEMAND', title: '别处的', sourceRequestId: there.createRequest.id } }));
    expectError(elsewhere, 'BAD_USER_INPUT', 'input.sourceRequestId');
    // Another list of the same community may carry it, with its own category.
    const other = await ok(app, ADD, { input: { listId: await freshList(), kind: 'DEMAND', title: '楼道漏水', sourceRequestId: requestId, categoryId: cat.property } });
    expect(other.addListItem.category.code).toBe('HOUSING-PROPERTY');
  });

  test('the same request added to one list twice at once: one item, the other a CONFLICT', async () => {
    const createRequest = `mutation($input: CreateRequestInput!) { createRequest(input: $input) { id } }`;
    const requestId = (await ok(app, createRequest, { input: { title: '电梯异响', body: '2号楼电梯异响', channel: 'VISIT', categoryId: cat.repair, areaId: w.buildingId } })).createRequest.id;
    const target = await freshList();
    // Line the three up: holding the list row makes each insert wait after its duplicate check passed.
    const pending: Promise<any>[] = [];
    await app.orm.em.fork().transactional(async (em) => {
      await em.execute('select id from problem_list where id = ? for update', [dbId(target)]);
      pending.push(...[1, 2, 3].map((n) => app.execute(ADD, { input: { listId: target, kind: 'DEMAND', title: `电梯维修${n}`, sourceRequestId: requestId } })));
      for (let waited = 0; waited < 5000; waited += 50) {
        const [{ n }] = await em.execute<{ n: number }[]>(`select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`);
        if (n >= 3) break;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    });
    const results = await Promise.all(pending);
    const failed = results.filter((r) => r.errors);
    expect(results.length - failed.length).toBe(1);
    for (const result of failed) expectError(result, 'CONFLICT', 'input.sourceRequestId');
    const rows: { n: number }[] = await app.orm.em.fork().execute('select count(*)::int as n from list_item where list_id = ? and source_request_id = ?', [dbId(target), dbId(requestId)]);
    expect(rows[0].n).toBe(1);
  });

  test('an inactive category takes no new items', async () => {
    await ok(app, `mutation($id: ID!) { updateRequestCategory(id: $id, input: { active: false }) { id } }`, { id: cat.proof });
    const result = await expectNothingWritten(app, () => app.execute(ADD, { input: { listId: list, kind: 'SERVICE', title: '开证明', categoryId: cat.proof } }));
    expectError(result, 'BAD_USER_INPUT', 'input.categoryId');
  });

  const base = () => ({ listId: list, kind: 'SERVICE', title: '助老服务' });
  const resource = () => ({ listId: list, kind: 'RESOURCE', title: '场地', unitId: w.units.hospitalId, resourceType: 'VENUE' });
  const cases: [string, () => Record<string, unknown>, string, string][] = [
    ['a RESOURCE without unitId', () => ({ ...resource(), unitId: null }), 'BAD_USER_INPUT', 'input.unitId'],
    ['a RESOURCE without resourceType', () => ({ ...resource(), resourceType: null }), 'BAD_USER_INPUT', 'input.resourceType'],
    ['a unitId on a SERVICE', () => ({ ...base(), unitId: w.units.hospitalId }), 'BAD_USER_INPUT', 'input.unitId'],
    ['a resourceType on a DEMAND', () => ({ ...base(), kind: 'DEMAND', resourceType: 'MONEY' }), 'BAD_USER_INPUT', 'input.resourceType'],
    ['a dueAt on a SERVICE', () => ({ ...base(), dueAt: '2030-01-01T00:00:00Z' }), 'BAD_USER_INPUT', 'input.dueAt'],
    ['a sourceRequestId on a PROBLEM', () => ({ ...base(), kind: 'PROBLEM', sourceRequestId: toGlobalId('Request', 1) }), 'BAD_USER_INPUT', 'input.sourceRequestId'],
    ['an empty title', () => ({ ...base(), title: '' }), 'BAD_USER_INPUT', 'input.title'],
    ['a whitespace-only title (it would be stored as "")', () => ({ ...base(), title: '   ' }), 'BAD_USER_INPUT', 'input.title'],
    ['a title of 201 characters', () => ({ ...base(), title: '题'.repeat(201) }), 'BAD_USER_INPUT', 'input.title'],
    ['a zero quantity', () => ({ ...base(), quantity: 0 }), 'BAD_USER_INPUT', 'input.quantity'],
    ['a negative value', () => ({ ...base(), value: -1 }), 'BAD_USER_INPUT', 'input.value'],
    ['a value in part of a fen', () => ({ ...resource(), value: 1200.505 }), 'BAD_USER_INPUT', 'input.value'],
    ['an unknown kind', () => ({ ...base(), kind: 'WISH' }), 'BAD_USER_INPUT', ''],
    ['a Community id as listId', () => ({ ...base(), listId: w.communityId }), 'BAD_USER_INPUT', 'input.listId'],
    ['a missing list', () => ({ ...base(), listId: toGlobalId('ProblemList', 999999) }), 'NOT_FOUND', 'input.listId'],
    ['a missing category', () => ({ ...base(), categoryId: toGlobalId('RequestCategory', 999999) }), 'NOT_FOUND', 'input.categoryId'],
    ['a missing unit', () => ({ ...resource(), unitId: toGlobalId('Unit', 999999) }), 'NOT_FOUND', 'input.unitId'],
    ['a missing request', () => ({ ...base(), kind: 'DEMAND', sourceRequestId: toGlobalId('Request', 999999) }), 'NOT_FOUND', 'input.sourceRequestId'],
  ];
  test.each(cases)('%s is refused and writes nothing', async (_label, input, code, field) => {
    const result = await expectNothingWritten(app, () => app.execute(ADD, { input: input() }));
    if (field) expectError(result, code, field);
    else expectError(result, code);
  });
});

describe('updateListItem', () => {
  let list: string;
  beforeAll(async () => {
    list = await freshList();
  });

  test('changes only the given fields; null clears optional ones', async () => {
    const id = await addListItem(app, { listId: list, kind: 'RESOURCE', title: '活动室', description: '周末可用', unitId: w.units.hospitalId, resourceType: 'VENUE', value: 500, categoryId: cat.repair });
    const before = (await ok(app, ITEM, { id })).node;
    const changed = (await ok(app, UPDATE, { id, input: { title: '多功能活动室', description: null, categoryId: null, quantity: 4 } })).updateListItem;
    expect(changed).toEqual({ ...before, title: '多功能活动室', description: null, category: null, quantity: 4, remainingQuantity: 4, version: before.version + 1 });
  });

  test('refusals write nothing', async () => {
    const resource = await addListItem(app, { listId: list, kind: 'RESOURCE', title: '工时', unitId: w.units.policeStationId, resourceType: 'STAFF_HOURS', quantity: 10 });
    const service = await addListItem(app, { listId: list, kind: 'SERVICE', title: '治安巡逻' });
    await createPairing(app, w.units.policeStationId, w.communityId); // a unit claims the items of the communities it serves
    await ok(app, CLAIM, { input: { itemId: service, unitId: w.units.policeStationId, resourceId: resource, quantity: 6 } });
    const closed = await addListItem(app, { listId: list, kind: 'PROBLEM', title: '已销号' });
    await ok(app, CLOSE, { id: closed, note: '已解决' });
    const cases: [string, Record<string, unknown>, string, string][] = [
      [resource, { quantity: 5 }, 'BAD_USER_INPUT', 'input.quantity'], // claims use 6
      [resource, { value: 0.001 }, 'BAD_USER_INPUT', 'input.value'],
      [resource, { title: null }, 'BAD_USER_INPUT', 'input.title'],
      [resource, { resourceType: null }, 'BAD_USER_INPUT', 'input.resourceType'],
      [resource, { title: '' }, 'BAD_USER_INPUT', 'input.title'],
      [resource, { title: ' \n ' }, 'BAD_USER_INPUT', 'input.title'],
      [service, { dueAt: '2030-01-01T00:00:00Z' }, 'BAD_USER_INPUT', 'input.dueAt'],
      [service, { resourceType: 'MONEY' }, 'BAD_USER_INPUT', 'input.resourceType'],
      [service, { categoryId: toGlobalId('RequestCategory', 999999) }, 'NOT_FOUND', 'input.categoryId'],
      [closed, { title: '改标题' }, 'BAD_USER_INPUT', 'id'],
      [toGlobalId('ListItem', 999999), { title: '无' }, 'NOT_FOUND', 'id'],
      [w.units.hospitalId, { title: '无' }, 'BAD_USER_INPUT', 'id'],
    ];
    for (const [id, input, code, field] of cases) {
      const unchanged = [resource, service, closed].includes(id) ? [{ table: 'list_item' as const, id }] : [];
      expectError(await expectNothingWritten(app, () => app.execute(UPDATE, { id, input }), unchanged), code, field);
    }
    // Exactly what claims use is fine.
    expect((await ok(app, UPDATE, { id: resource, input: { quantity: 6 } })).updateListItem.remainingQuantity).toBe(0);
  });
});

describe('problems: close-out and overdue', () => {
  test('closeProblem from OPEN sets CLOSED and closedAt and keeps the note; a second time is refused', async () => {
    const list = await freshList();
    const id = await addListItem(app, { listId: list, kind: 'PROBLEM', title: '占道经营', description: '东门', dueAt: '2026-01-10T00:00:00Z' });
    app.clock.set(new Date('2026-01-12T08:00:00Z'));
    expect((await ok(app, ITEM, { id })).node.overdue).toBe(true);
    const closed = (await ok(app, CLOSE, { id, note: '已劝离并设置便民摊位' })).closeProblem;
    expect(closed).toMatchObject({ status: 'CLOSED', closedAt: '2026-01-12T08:00:00.000Z', overdue: false, description: '东门\n销号: 已劝离并设置便民摊位' });
    const again = await expectNothingWritten(app, () => app.execute(CLOSE, { id, note: '再次' }), [{ table: 'list_item', id }]);
    expectError(again, 'ILLEGAL_TRANSITION', 'id');
    expect(again.errors![0].message).toMatch(/cannot close out a problem that is CLOSED \(allowed from OPEN, CLAIMED, DELIVERED\)/);
  });

  test('only PROBLEM items are closed out this way; the note is required; ids are checked', async () => {
    const list = await freshList();
    const service = await addListItem(app, { listId: list, kind: 'SERVICE', title: '助餐' });
    const problem = await addListItem(app, { listId: list, kind: 'PROBLEM', title: '噪音' });
    expectError(await expectNothingWritten(app, () => app.execute(CLOSE, { id: service, note: '好' }), [{ table: 'list_item', id: service }]), 'BAD_USER_INPUT', 'id');
    expectError(await expectNothingWritten(app, () => app.execute(CLOSE, { id: problem, note: '' }), [{ table: 'list_item', id: problem }]), 'BAD_USER_INPUT', 'note');
    expectError(await app.execute(CLOSE, { id: toGlobalId('ListItem', 999999), note: '好' }), 'NOT_FOUND', 'id');
    expectError(await app.execute(CLOSE, { id: w.communityId, note: '好' }), 'BAD_USER_INPUT', 'id');
  });

  test('the overdue filter: past dueAt and not CLOSED, by the server clock', async () => {
    const tree = await buildTree(app);
    const list = await createProblemList(app, tree.communityId, '2026-02');
    const late = await addListItem(app, { listId: list, kind: 'PROBLEM', title: '逾期', dueAt: '2026-02-01T00:00:00Z' });
    const lateButClosed = await addListItem(app, { listId: list, kind: 'PROBLEM', title: '逾期但已销号', dueAt: '2026-02-01T00:00:00Z' });
    const notYet = await addListItem(app, { listId: list, kind: 'PROBLEM', title: '未到期', dueAt: '2026-03-01T00:00:00Z' });
    const noDue = await addListItem(app, { listId: list, kind: 'PROBLEM', title: '无期限' });
    await ok(app, CLOSE, { id: lateButClosed, note: '已解决' });
    app.clock.set(new Date('2026-02-15T00:00:00Z'));
    expect(await ids({ within: tree.districtId, overdue: true })).toEqual([late]);
    expect(await ids({ within: tree.districtId, overdue: false })).toEqual([lateButClosed, notYet, noDue]);
    app.clock.set(new Date('2026-03-02T00:00:00Z'));
    expect(await ids({ within: tree.districtId, overdue: true })).toEqual([late, notYet]);
    const counts = await ok(app, `query($id: ID!) { node(id: $id) { ... on ProblemList { openProblemCount overdueProblemCount } } }`, { id: list });
    expect(counts.node).toEqual({ openProblemCount: 3, overdueProblemCount: 2 });
  });
});

describe('listItems filters', () => {
  test('list, kinds, statuses, community, within, category (a parent includes children), unit, search', async () => {
    const tree = await buildTree(app);
    const units = await buildUnits(app, tree);
    const a = await createProblemList(app, tree.communityId, '2026-04');
    const b = await createProblemList(app, tree.otherCommunityId, '2026-04');
    const r1 = await addListItem(app, { listId: a, kind: 'RESOURCE', title: '维修队', categoryId: cat.repair, unitId: units.propertyCompanyId, resourceType: 'STAFF_HOURS', quantity: 10 });
    const d1 = await addListItem(app, { listId: a, kind: 'DEMAND', title: '老旧小区改造', description: '加装扶手', categoryId: cat.property });
    const s1 = await addListItem(app, { listId: b, kind: 'SERVICE', title: '老年助餐', categoryId: cat.canteen });
    const p1 = await addListItem(app, { listId: b, kind: 'PROBLEM', title: '井盖破损', categoryId: cat.repair });
    await ok(app, CLOSE, { id: p1, note: '已更换' });
    await createPairing(app, units.propertyCompanyId, tree.communityId); // a unit claims the items of the communities it serves
    await ok(app, CLAIM, { input: { itemId: d1, unitId: units.propertyCompanyId, resourceId: r1, quantity: 2 } });
    expect(await ids({ listId: a })).toEqual([r1, d1]);
    expect(await ids({ within: tree.districtId })).toEqual([r1, d1, s1, p1]);
    expect(await ids({ within: tree.districtId, kinds: ['SERVICE', 'PROBLEM'] })).toEqual([s1, p1]);
    expect(await ids({ within: tree.districtId, statuses: ['CLAIMED', 'CLOSED'] })).toEqual([d1, p1]);
    expect(await ids({ communityId: tree.otherCommunityId })).toEqual([s1, p1]);
    expect(await ids({ within: tree.districtId, categoryId: cat.repair })).toEqual([r1, p1]);
    expect(await ids({ within: tree.districtId, categoryId: cat.housing })).toEqual([r1, d1, p1]);
    expect(await ids({ within: tree.districtId, unitId: units.propertyCompanyId })).toEqual([r1]);
    expect(await ids({ within: tree.districtId, search: '扶手' })).toEqual([d1]);
    expect(await ids({ within: tree.districtId, search: '老' })).toEqual([d1, s1]);
    expect(await ids({ within: tree.districtId, search: '100%' })).toEqual([]);
    expectError(await app.execute(ITEMS, { filter: { listId: tree.communityId } }), 'BAD_USER_INPUT', 'filter.listId');
    expectError(await app.execute(ITEMS, { filter: { categoryId: toGlobalId('RequestCategory', 999999) } }), 'NOT_FOUND', 'filter.categoryId');
    expectError(await app.execute(ITEMS, { filter: { search: '长'.repeat(51) } }), 'BAD_USER_INPUT', 'filter.search');
  });
});

describe('claims', () => {
  let list: string;
  let hospitalWorker: string;
  beforeAll(async () => {
    list = await freshList();
    hospitalWorker = await createPerson(app, { name: '李医生', employerUnitId: w.units.hospitalId, partyStatus: 'IN_SERVICE', residenceCommunityId: w.communityId });
    // The claiming units serve the list's community (paired with it): a unit claims only there.
    await createPairing(app, w.units.hospitalId, w.communityId);
    await createPairing(app, w.units.schoolId, w.communityId);
  });
  const resourceOf = (unitId: string, quantity: number | null = 10) => addListItem(app, { listId: list, kind: 'RESOURCE', title: '义诊时长', unitId, resourceType: 'STAFF_HOURS', quantity });
  const service = (title = '义诊进社区') => addListItem(app, { listId: list, kind: 'SERVICE', title });

  test('claim → deliver → confirm: item OPEN → CLAIMED → DELIVERED → CLOSED; the member earns points exactly once', async () => {
    const resource = await resourceOf(w.units.hospitalId, 10);
    const item = await service();
    app.clock.set(new Date('2026-05-01T01:00:00Z'));
    const claimed = (await ok(app, CLAIM, { input: { itemId: item, unitId: w.units.hospitalId, resourceId: resource, quantity: 4, personId: hospitalWorker, note: '每周六上午' } })).claimListItem;
    expect(claimed).toMatchObject({
      status: 'CLAIMED', quantity: 4, note: '每周六上午', deliveredAt: null, confirmedAt: null,
      item: { id: item, status: 'CLAIMED' }, unit: { id: w.units.hospitalId }, resource: { id: resource, remainingQuantity: 6 }, person: { id: hospitalWorker, name: '李医生' },
    });
    app.clock.set(new Date('2026-05-03T02:00:00Z'));
    const delivered = (await ok(app, DELIVER, { id: claimed.id })).deliverClaim;
    expect(delivered).toMatchObject({ status: 'DELIVERED', deliveredAt: '2026-05-03T02:00:00.000Z', item: { status: 'DELIVERED' } });
    expect(await pointEntries(app, hospitalWorker)).toEqual([]);
    app.clock.set(new Date('2026-05-04T03:00:00Z'));
    const confirmed = (await ok(app, CONFIRM, { id: claimed.id })).confirmClaim;
    expect(confirmed).toMatchObject({ status: 'CONFIRMED', confirmedAt: '2026-05-04T03:00:00.000Z', item: { status: 'CLOSED' }, resource: { remainingQuantity: 6 } });
    expect((await ok(app, ITEM, { id: item })).node.closedAt).toBe('2026-05-04T03:00:00.000Z');
    expect(await pointEntries(app, hospitalWorker)).toEqual([{ kind: 'CLAIM_CONFIRMED', amount: 10, source_type: 'Claim', source_id: expect.any(Number) }]);
    // Confirming again is refused and earns nothing more.
    expectError(await expectNothingWritten(app, () => app.execute(CONFIRM, { id: claimed.id })), 'ILLEGAL_TRANSITION', 'id');
    expect(await pointEntries(app, hospitalWorker)).toHaveLength(1);
  });

  test('a claim without a person earns no points; a claim without a resource needs no quantity', async () => {
    const item = await service('健康讲座');
    const claim = (await ok(app, CLAIM, { input: { itemId: item, unitId: w.units.schoolId } })).claimListItem;
    expect(claim).toMatchObject({ resource: null, person: null, quantity: null });
    await ok(app, DELIVER, { id: claim.id });
    const counts = async () => (await app.orm.em.fork().execute('select count(*)::int as n from point_entry'))[0].n;
    const pointsBefore = await counts();
    await ok(app, CONFIRM, { id: claim.id });
    expect(await counts()).toBe(pointsBefore);
  });

  test('cancel: CLAIMED → CANCELLED with the reason; the item is OPEN again and the resource freed; it can be claimed again', async () => {
    const resource = await resourceOf(w.units.hospitalId, 5);
    const item = await service('上门体检');
    const claim = (await ok(app, CLAIM, { input: { itemId: item, unitId: w.units.hospitalId, resourceId: resource, quantity: 5, note: '原计划' } })).claimListItem;
    expect(claim.resource.remainingQuantity).toBe(0);
    const cancelled = (await ok(app, CANCEL, { id: claim.id, reason: '医生临时出诊' })).cancelClaim;
    expect(cancelled).toMatchObject({ status: 'CANCELLED', note: '原计划\n取消原因: 医生临时出诊', item: { status: 'OPEN' }, resource: { remainingQuantity: 5 } });
    const again = (await ok(app, CLAIM, { input: { itemId: item, unitId: w.units.hospitalId, resourceId: resource, quantity: 5 } })).claimListItem;
    expect(again.item.status).toBe('CLAIMED');
    const nested = await ok(app, `query($id: ID!, $r: ID!) {
      item: node(id: $id) { ... on ListItem { claims { totalCount edges { node { id status } } } } }
      resource: node(id: $r) { ... on ListItem { remainingQuantity resourceClaims { totalCount } } }
    }`, { id: item, r: resource });
    expect(nested.item.claims).toEqual({ totalCount: 2, edges: [{ node: { id: claim.id, status: 'CANCELLED' } }, { node: { id: again.id, status: 'CLAIMED' } }] });
    expect(nested.resource).toEqual({ remainingQuantity: 0, resourceClaims: { totalCount: 2 } });
    expectError(await expectNothingWritten(app, () => app.execute(CANCEL, { id: again.id, reason: '' })), 'BAD_USER_INPUT', 'reason');
  });

  describe('every illegal transition is ILLEGAL_TRANSITION naming id, and writes nothing', () => {
    const states: Record<string, string> = {};
    beforeAll(async () => {
      const make = async () => (await ok(app, CLAIM, { input: { itemId: await service(), unitId: w.units.hospitalId } })).claimListItem.id;
      states.CLAIMED = await make();
      states.DELIVERED = await make();
      await ok(app, DELIVER, { id: states.DELIVERED });
      states.CONFIRMED = await make();
      await ok(app, DELIVER, { id: states.CONFIRMED });
      await ok(app, CONFIRM, { id: states.CONFIRMED });
      states.CANCELLED = await make();
      await ok(app, CANCEL, { id: states.CANCELLED, reason: '不需要了' });
    });
    const illegal: [string, string, string, string][] = [
      ['confirm', 'CLAIMED', CONFIRM, 'allowed from DELIVERED'],
      ['deliver', 'DELIVERED', DELIVER, 'allowed from CLAIMED'],
      ['cancel', 'DELIVERED', CANCEL, 'allowed from CLAIMED'],
      ['deliver', 'CONFIRMED', DELIVER, 'allowed from CLAIMED'],
      ['confirm', 'CONFIRMED', CONFIRM, 'allowed from DELIVERED'],
      ['cancel', 'CONFIRMED', CANCEL, 'allowed from CLAIMED'],
      ['deliver', 'CANCELLED', DELIVER, 'allowed from CLAIMED'],
      ['confirm', 'CANCELLED', CONFIRM, 'allowed from DELIVERED'],
      ['cancel', 'CANCELLED', CANCEL, 'allowed from CLAIMED'],
    ];
    test.each(illegal)('%s a %s claim', async (action, state, document, allowed) => {
      const id = states[state];
      const result = await expectNothingWritten(app, () => app.execute(document, { id, reason: '原因' }), [{ table: 'claim', id }]);
      expectError(result, 'ILLEGAL_TRANSITION', 'id');
      expect(result.errors![0].message).toBe(`id: cannot ${action} a claim that is ${state} (${allowed})`);
      expect(result.errors![0].extensions).toMatchObject({ from: state, action });
    });
    test('missing and malformed claim ids', async () => {
      for (const document of [DELIVER, CONFIRM, CANCEL]) {
        expectError(await app.execute(document, { id: toGlobalId('Claim', 999999), reason: '原因' }), 'NOT_FOUND', 'id');
        expectError(await app.execute(document, { id: w.units.hospitalId, reason: '原因' }), 'BAD_USER_INPUT', 'id');
      }
    });
  });

  describe('claimListItem refuses and writes nothing', () => {
    let openService: string;
    let claimedService: string;
    let problem: string;
    let hospitalResource: string;
    let unmetered: string;
    let schoolResource: string;
    beforeAll(async () => {
      openService = await service();
      claimedService = await service();
      await ok(app, CLAIM, { input: { itemId: claimedService, unitId: w.units.schoolId } });
      problem = await addListItem(app, { listId: list, kind: 'PROBLEM', title: '问题' });
      hospitalResource = await resourceOf(w.units.hospitalId, 3);
      unmetered = await resourceOf(w.units.hospitalId, null);
      schoolResource = await resourceOf(w.units.schoolId, 3);
    });
    const input = (overrides: () => Record<string, unknown>) => () => ({ itemId: openService, unitId: w.units.hospitalId, ...overrides() });
    const cases: [string, () => Record<string, unknown>, string, string][] = [
      ['a PROBLEM item', () => ({ itemId: problem }), 'BAD_USER_INPUT', 'input.itemId'],
      ['a RESOURCE item', () => ({ itemId: hospitalResource }), 'BAD_USER_INPUT', 'input.itemId'],
      ['an item that is already CLAIMED', () => ({ itemId: claimedService }), 'ILLEGAL_TRANSITION', 'input.itemId'],
      ['a missing item', () => ({ itemId: toGlobalId('ListItem', 999999) }), 'NOT_FOUND', 'input.itemId'],
      ['a missing unit', () => ({ unitId: toGlobalId('Unit', 999999) }), 'NOT_FOUND', 'input.unitId'],
      ['a Person id as unitId', () => ({ unitId: w.partyMemberId }), 'BAD_USER_INPUT', 'input.unitId'],
      ['a resource of another unit', () => ({ resourceId: schoolResource, quantity: 1 }), 'BAD_USER_INPUT', 'input.resourceId'],
      ['a SERVICE item as the resource', () => ({ resourceId: claimedService }), 'BAD_USER_INPUT', 'input.resourceId'],
      ['a missing resource', () => ({ resourceId: toGlobalId('ListItem', 999999) }), 'NOT_FOUND', 'input.resourceId'],
      ['more than the resource has left', () => ({ resourceId: hospitalResource, quantity: 3.5 }), 'BAD_USER_INPUT', 'input.quantity'],
      ['a metered resource without quantity', () => ({ resourceId: hospitalResource }), 'BAD_USER_INPUT', 'input.quantity'],
      ['a quantity without a resource', () => ({ quantity: 1 }), 'BAD_USER_INPUT', 'input.quantity'],
      ['a zero quantity', () => ({ resourceId: unmetered, quantity: 0 }), 'BAD_USER_INPUT', 'input.quantity'],
      ['a person working elsewhere', () => ({ personId: w.partyMemberId, unitId: w.units.schoolId }), 'BAD_USER_INPUT', 'input.personId'],
      ['a missing person', () => ({ personId: toGlobalId('Person', 999999) }), 'NOT_FOUND', 'input.personId'],
      ['an empty note', () => ({ note: '' }), 'BAD_USER_INPUT', 'input.note'],
    ];
    test.each(cases)('%s', async (_label, overrides, code, field) => {
      const result = await expectNothingWritten(app, () => app.execute(CLAIM, { input: input(overrides)() }), [
        { table: 'list_item', id: openService },
        { table: 'list_item', id: hospitalResource },
      ]);
      expectError(result, code, field);
    });
    test('an unmetered resource takes any quantity, or none', async () => {
      const claim = (await ok(app, CLAIM, { input: { itemId: await service(), unitId: w.units.hospitalId, resourceId: unmetered, quantity: 1000 } })).claimListItem;
      expect(claim.resource.remainingQuantity).toBeNull();
      await ok(app, CLAIM, { input: { itemId: await service(), unitId: w.units.hospitalId, resourceId: unmetered } });
    });
  });

  test('no double spend: two concurrent claims whose quantities together exceed the resource; exactly one wins (5 rounds)', async () => {
    for (let round = 0; round < 5; round += 1) {
      const resource = await resourceOf(w.units.hospitalId, 10);
      const [a, b] = [await service(`并发A${round}`), await service(`并发B${round}`)];
      const results = await concurrently(
        app,
        [CLAIM, { input: { itemId: a, unitId: w.units.hospitalId, resourceId: resource, quantity: 6 } }],
        [CLAIM, { input: { itemId: b, unitId: w.units.hospitalId, resourceId: resource, quantity: 6 } }],
      );
      const winners = results.filter((r) => !r.errors);
      const losers = results.filter((r) => r.errors);
      expect(winners).toHaveLength(1);
      expect(losers).toHaveLength(1);
      expectError(losers[0], 'BAD_USER_INPUT', 'input.quantity');
      const rows: { n: number; used: number }[] = await app.orm.em.fork().execute(`select count(*)::int as n, sum(quantity)::float8 as used from claim where resource_id = ?`, [dbId(resource)]);
      expect(rows[0]).toEqual({ n: 1, used: 6 });
      expect((await ok(app, ITEM, { id: resource })).node.remainingQuantity).toBe(4);
      // The loser's item is still OPEN.
      const loserItem = results[0].errors ? a : b;
      expect((await ok(app, ITEM, { id: loserItem })).node.status).toBe('OPEN');
    }
  });

  test('no double claim of one item: two units at once, exactly one wins (5 rounds)', async () => {
    for (let round = 0; round < 5; round += 1) {
      const item = await service(`同一项${round}`);
      const results = await concurrently(app, [CLAIM, { input: { itemId: item, unitId: w.units.hospitalId } }], [CLAIM, { input: { itemId: item, unitId: w.units.schoolId } }]);
      expect(results.filter((r) => !r.errors)).toHaveLength(1);
      expectError(results.find((r) => r.errors)!, 'ILLEGAL_TRANSITION', 'input.itemId');
      const data = await ok(app, `query($id: ID!) { node(id: $id) { ... on ListItem { status claims { totalCount } } } }`, { id: item });
      expect(data.node).toEqual({ status: 'CLAIMED', claims: { totalCount: 1 } });
    }
  });

  test('Unit.claims lists the unit\'s claims', async () => {
    const unitId = await createUnit(app, { name: '认领专用企业', kind: 'ENTERPRISE', areaId: w.communityId });
    await createPairing(app, unitId, w.communityId);
    const first = (await ok(app, CLAIM, { input: { itemId: await service(), unitId } })).claimListItem.id;
    const second = (await ok(app, CLAIM, { input: { itemId: await service(), unitId } })).claimListItem.id;
    const data = await ok(app, `query($id: ID!) { node(id: $id) { ... on Unit { claims(first: 1) { totalCount edges { node { id item { title } } } pageInfo { hasNextPage } } } } }`, { id: unitId });
    expect(data.node.claims).toEqual({ totalCount: 2, edges: [{ node: { id: first, item: { title: '义诊进社区' } } }], pageInfo: { hasNextPage: true } });
    expect(second).toBeDefined();
  });
});

describe('resourceMatches', () => {
  let tree: Awaited<ReturnType<typeof buildTree>>;
  let units: Awaited<ReturnType<typeof buildUnits>>;
  let r: Record<string, string>;
  let demand: string;
  beforeAll(async () => {
    tree = await buildTree(app);
    units = await buildUnits(app, tree);
    // The hospital (in the community) is paired with it; the school sits in the other community of the street.
    await createPairing(app, units.hospitalId, tree.communityId, '2020-01-01');
    // The enterprise (no area) had a pairing that ended: it does not count.
    await createPairing(app, units.enterpriseId, tree.communityId, '2010-01-01', '2011-12-31');
    const elsewhere = await buildTree(app);
    const farUnit = await createUnit(app, { name: '别的街道单位', kind: 'ENTERPRISE', areaId: elsewhere.communityId });
    const offers = await createProblemList(app, tree.communityId, '2026-06');
    const resource = (title: string, unitId: string, categoryId: string, quantity: number | null) =>
      addListItem(app, { listId: offers, kind: 'RESOURCE', title, unitId, categoryId, resourceType: 'STAFF_HOURS', quantity });
    r = {
      hospitalRepair: await resource('医院维修班', units.hospitalId, cat.repair, 10),
      policeRepair: await resource('派出所维修', units.policeStationId, cat.repair, 5),
      schoolProperty: await resource('学校物业志愿', units.schoolId, cat.property, 5),
      schoolCanteen: await resource('学校食堂', units.schoolId, cat.canteen, 5),
      enterpriseRepair: await resource('外区企业维修', units.enterpriseId, cat.repair, 50),
      farRepair: await resource('别的街道维修', farUnit, cat.repair, 50),
      usedUp: await resource('医院已用完', units.hospitalId, cat.repair, 2),
      hospitalHousing: await resource('医院住房服务', units.hospitalId, cat.housing, null),
      policeSmall: await resource('派出所少量', units.policeStationId, cat.repair, 1),
    };
    const other = await addListItem(app, { listId: offers, kind: 'SERVICE', title: '占用' });
    await ok(app, CLAIM, { input: { itemId: other, unitId: units.hospitalId, resourceId: r.usedUp, quantity: 2 } });
    demand = await addListItem(app, { listId: offers, kind: 'DEMAND', title: '楼道维修', categoryId: cat.repair, quantity: 3 });
  });

  test('ranks paired and nearby units in the same category first, with the reasons', async () => {
    const data = await ok(app, MATCHES, { itemId: demand });
    expect(data.resourceMatches.map((m: any) => [m.resource.title, m.score])).toEqual([
      ['医院维修班', 110], // same category 50 + paired 30 + in community 20 + covers 10
      ['医院住房服务', 85], // parent category 25 + paired 30 + in community 20 + unmetered 10
      ['派出所维修', 80], // same category 50 + in community 20 + covers 10
      ['派出所少量', 70], // same category 50 + in community 20, only 1 left of the 3 needed
      ['学校物业志愿', 45], // sibling category 25 + in street 10 + covers 10
    ]);
    expect(data.resourceMatches[0]).toEqual({
      resource: { id: r.hospitalRepair, title: '医院维修班' },
      unit: { id: units.hospitalId, name: '市第一人民医院' },
      score: 110,
      reasons: ['same category (房屋维修)', 'paired with 幸福里社区', 'sits in 幸福里社区', 'remaining 10 covers the 3 needed'],
      remainingQuantity: 10,
    });
    expect(data.resourceMatches[4].reasons).toEqual(['same parent category (住房物业)', 'sits in 新华街道', 'remaining 5 covers the 3 needed']);
    expect((await ok(app, MATCHES, { itemId: demand, first: 2 })).resourceMatches.map((m: any) => m.resource.id)).toEqual([r.hospitalRepair, r.hospitalHousing]);
  });

  test('no category, no matches; a RESOURCE item and bad arguments are refused', async () => {
    const list = await createProblemList(app, tree.communityId, '2026-07');
    const plain = await addListItem(app, { listId: list, kind: 'SERVICE', title: '无分类' });
    expect((await ok(app, MATCHES, { itemId: plain })).resourceMatches).toEqual([]);
    expectError(await app.execute(MATCHES, { itemId: r.hospitalRepair }), 'BAD_USER_INPUT', 'itemId');
    expectError(await app.execute(MATCHES, { itemId: toGlobalId('ListItem', 999999) }), 'NOT_FOUND', 'itemId');
    expectError(await app.execute(MATCHES, { itemId: demand, first: 0 }), 'BAD_USER_INPUT', 'first');
    expectError(await app.execute(MATCHES, { itemId: demand, first: 101 }), 'BAD_USER_INPUT', 'first');
  });
});

test('six identical problem lists at once: one is created, the others read the sequential CONFLICT (3 rounds)', async () => {
  for (const period of ['2032-01', '2032-02', '2032-03']) {
    await expectRacedDuplicatesAnswerAsSequential(app, CREATE_LIST, { input: { communityId: w.otherCommunityId, period } }, 'CONFLICT', 'input.period');
  }
});
