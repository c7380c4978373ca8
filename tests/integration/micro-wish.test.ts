import { toGlobalId } from '../../src/common/global-id';
import { buildTree, buildWorld, createPerson, expectError, ok, walkPages, type World } from '../helpers/fixtures';
import { concurrently, createPairing, expectNothingWritten, rawRow, pointEntries } from '../helpers/closed-loop-fixtures';
import { createTestApp, type TestApp } from '../helpers/test-app';
import type { GraphQLResult } from '../helpers/test-app';

let app: TestApp;
let w: World;
/** Every response this file receives, to prove no resident name ever leaves the server raw. */
const responses: GraphQLResult[] = [];
const RESIDENT_NAMES = ['张三丰', '欧阳娜娜', '李四', '王'];

beforeAll(async () => {
  app = await createTestApp();
  const execute = app.execute.bind(app);
  app.execute = async (query, variables) => {
    const result = await execute(query, variables);
    responses.push(result);
    return result;
  };
  w = await buildWorld(app);
  // A unit claims wishes of the communities it serves (micro-wish-claimant-scope.test.ts).
  await createPairing(app, w.units.hospitalId, w.communityId);
  await createPairing(app, w.units.schoolId, w.communityId);
});
afterAll(async () => {
  await app?.close();
});
afterEach(() => app.clock.reset());

const WISH = `id title description residentName residentGroup estimatedValue status claimedAt fulfilledAt confirmedAt version
  community { id name } claimantPerson { id name } claimantUnit { id name }`;
const PUBLISH = `mutation($input: PublishMicroWishInput!) { publishMicroWish(input: $input) { ${WISH} } }`;
const CLAIM = `mutation($id: ID!, $input: ClaimMicroWishInput!) { claimMicroWish(id: $id, input: $input) { ${WISH} } }`;
const FULFIL = `mutation($id: ID!) { fulfillMicroWish(id: $id) { ${WISH} } }`;
const CONFIRM = `mutation($id: ID!) { confirmMicroWish(id: $id) { ${WISH} } }`;
const CANCEL = `mutation($id: ID!) { cancelMicroWish(id: $id) { ${WISH} } }`;
const NODE = `query($id: ID!) { node(id: $id) { ... on MicroWish { ${WISH} } } }`;
const LIST = `query($filter: MicroWishFilter, $first: Int, $after: String) {
  microWishes(filter: $filter, first: $first, after: $after) { totalCount edges { cursor node { id } } pageInfo { hasNextPage endCursor } }
}`;

async function publish(input: Record<string, unknown> = {}): Promise<string> {
  return (await ok(app, PUBLISH, { input: { communityId: w.communityId, title: '一台助听器', residentName: '张三丰', residentGroup: 'ELDERLY', ...input } })).publishMicroWish.id;
}

async function listIds(filter: Record<string, unknown>): Promise<string[]> {
  const data = await ok(app, LIST, { filter, first: 100 });
  expect(data.microWishes.totalCount).toBe(data.microWishes.edges.length);
  return data.microWishes.edges.map((edge: any) => edge.node.id);
}

describe('publishMicroWish', () => {
  test('publishes with the resident name masked in the response and kept raw in the database', async () => {
    const result = await ok(app, PUBLISH, {
      input: { communityId: w.communityId, title: '一套儿童绘本', description: '孩子喜欢看书', residentName: '欧阳娜娜', residentGroup: 'CHILDREN', estimatedValue: 150 },
    });
    expect(result.publishMicroWish).toMatchObject({
      title: '一套儿童绘本', description: '孩子喜欢看书', residentName: '欧***', residentGroup: 'CHILDREN', estimatedValue: 150,
      status: 'PUBLISHED', claimedAt: null, claimantPerson: null, claimantUnit: null, community: { id: w.communityId, name: '幸福里社区' },
    });
    expect(await rawRow(app, 'micro_wish', result.publishMicroWish.id)).toMatchObject({ resident_name: '欧阳娜娜', status: 'PUBLISHED' });
    expect((await ok(app, NODE, { id: result.publishMicroWish.id })).node).toEqual(result.publishMicroWish);
  });

  test('masks: 张三丰 → 张**, 李四 → 李*, a one-character name → *, none → null', async () => {
    const names: [string | null, string | null][] = [['张三丰', '张**'], ['李四', '李*'], ['王', '*'], [null, null]];
    for (const [name, masked] of names) {
      const data = await ok(app, PUBLISH, { input: { communityId: w.communityId, title: '心愿', residentName: name } });
      expect(data.publishMicroWish.residentName).toBe(masked);
    }
  });

  const cases: [string, () => Record<string, unknown>, string, string][] = [
    ['an empty title', () => ({ title: '' }), 'BAD_USER_INPUT', 'input.title'],
    ['a whitespace-only title (it would be stored as "")', () => ({ title: ' \t\u3000 ' }), 'BAD_USER_INPUT', 'input.title'],
    ['a title of 201 characters', () => ({ title: '愿'.repeat(201) }), 'BAD_USER_INPUT', 'input.title'],
    ['a resident name of 61 characters', () => ({ residentName: '张三丰'.repeat(20) + '张' }), 'BAD_USER_INPUT', 'input.residentName'],
    ['a negative estimated value', () => ({ estimatedValue: -1 }), 'BAD_USER_INPUT', 'input.estimatedValue'],
    ['an estimated value over 100,000', () => ({ estimatedValue: 100_001 }), 'BAD_USER_INPUT', 'input.estimatedValue'],
    ['an estimated value in fractions of a fen', () => ({ estimatedValue: 150.005 }), 'BAD_USER_INPUT', 'input.estimatedValue'],
    ['an unknown resident group', () => ({ residentGroup: 'ALIENS' }), 'BAD_USER_INPUT', ''],
    ['a Grid id as communityId', () => ({ communityId: w.gridId }), 'BAD_USER_INPUT', 'input.communityId'],
    ['a missing community', () => ({ communityId: toGlobalId('Community', 999999) }), 'NOT_FOUND', 'input.communityId'],
  ];
  test.each(cases)('%s is refused, writes nothing and does not echo the name', async (_label, overrides, code, field) => {
    const input = { communityId: w.communityId, title: '轮椅', residentName: '张三丰', ...overrides() };
    const result = await expectNothingWritten(app, () => app.execute(PUBLISH, { input }));
    if (field) expectError(result, code, field);
    else expectError(result, code);
    expect(JSON.stringify(result)).not.toContain('张三丰');
  });
});

describe('the wish moves', () => {
  test('claimed by a member, fulfilled, confirmed: MICRO_WISH_FULFILLED points once', async () => {
    const member = await createPerson(app, { name: '赵志愿', partyStatus: 'RETIRED', residenceCommunityId: w.communityId });
    const id = await publish();
    app.clock.set(new Date('2026-03-01T02:00:00Z'));
    expect((await ok(app, CLAIM, { id, input: { personId: member } })).claimMicroWish).toMatchObject({
      status: 'CLAIMED', claimedAt: '2026-03-01T02:00:00.000Z', claimantPerson: { id: member, name: '赵志愿' }, claimantUnit: null, residentName: '张**',
    });
    app.clock.set(new Date('2026-03-05T02:00:00Z'));
    expect((await ok(app, FULFIL, { id })).fulfillMicroWish).toMatchObject({ status: 'FULFILLED', fulfilledAt: '2026-03-05T02:00:00.000Z' });
    expect(await pointEntries(app, member)).toEqual([]);
    app.clock.set(new Date('2026-03-06T02:00:00Z'));
    expect((await ok(app, CONFIRM, { id })).confirmMicroWish).toMatchObject({ status: 'CONFIRMED', confirmedAt: '2026-03-06T02:00:00.000Z' });
    const entries = await pointEntries(app, member);
    expect(entries).toEqual([{ kind: 'MICRO_WISH_FULFILLED', amount: 5, source_type: 'MicroWish', source_id: (await rawRow(app, 'micro_wish', id))!.id }]);
    expectError(await expectNothingWritten(app, () => app.execute(CONFIRM, { id })), 'ILLEGAL_TRANSITION', 'id');
    expect(await pointEntries(app, member)).toHaveLength(1);
  });

  test('claimed by a unit: no points; Unit.claimedMicroWishes and Community.microWishes list it', async () => {
    const tree = await buildTree(app);
    await createPairing(app, w.units.hospitalId, tree.communityId);
    const id = (await ok(app, PUBLISH, { input: { communityId: tree.communityId, title: '修缮门窗' } })).publishMicroWish.id;
    const points = async () => (await app.orm.em.fork().execute('select count(*)::int as n from point_entry'))[0].n;
    const before = await points();
    await ok(app, CLAIM, { id, input: { unitId: w.units.hospitalId } });
    await ok(app, FULFIL, { id });
    const confirmed = (await ok(app, CONFIRM, { id })).confirmMicroWish;
    expect(confirmed).toMatchObject({ status: 'CONFIRMED', claimantPerson: null, claimantUnit: { id: w.units.hospitalId, name: '市第一人民医院' } });
    expect(await points()).toBe(before);
    const nested = await ok(app, `query($c: ID!, $u: ID!) {
      c: node(id: $c) { ... on Community { microWishes { totalCount edges { node { id } } } } }
      u: node(id: $u) { ... on Unit { claimedMicroWishes(first: 1) { edges { node { id } } } } }
    }`, { c: tree.communityId, u: w.units.hospitalId });
    expect(nested.c.microWishes).toEqual({ totalCount: 1, edges: [{ node: { id } }] });
    expect(nested.u.claimedMicroWishes.edges).toEqual([{ node: { id } }]);
  });

  test('cancel from PUBLISHED and from CLAIMED', async () => {
    const published = await publish();
    expect((await ok(app, CANCEL, { id: published })).cancelMicroWish.status).toBe('CANCELLED');
    const claimed = await publish();
    await ok(app, CLAIM, { id: claimed, input: { unitId: w.units.schoolId } });
    expect((await ok(app, CANCEL, { id: claimed })).cancelMicroWish).toMatchObject({ status: 'CANCELLED', claimantUnit: { id: w.units.schoolId } });
  });

  describe('every illegal transition is ILLEGAL_TRANSITION naming id, writes nothing and does not echo the name', () => {
    const states: Record<string, string> = {};
    beforeAll(async () => {
      states.PUBLISHED = await publish();
      states.CLAIMED = await publish();
      await ok(app, CLAIM, { id: states.CLAIMED, input: { personId: w.partyMemberId } });
      states.FULFILLED = await publish();
      await ok(app, CLAIM, { id: states.FULFILLED, input: { personId: w.partyMemberId } });
      await ok(app, FULFIL, { id: states.FULFILLED });
      states.CONFIRMED = await publish();
      await ok(app, CLAIM, { id: states.CONFIRMED, input: { unitId: w.units.schoolId } });
      await ok(app, FULFIL, { id: states.CONFIRMED });
      await ok(app, CONFIRM, { id: states.CONFIRMED });
      states.CANCELLED = await publish();
      await ok(app, CANCEL, { id: states.CANCELLED });
    });
    const documents: Record<string, string> = { claim: CLAIM, fulfil: FULFIL, confirm: CONFIRM, cancel: CANCEL };
    const illegal: [string, string, string][] = [
      ['fulfil', 'PUBLISHED', 'CLAIMED'],
      ['confirm', 'PUBLISHED', 'FULFILLED'],
      ['claim', 'CLAIMED', 'PUBLISHED'],
      ['confirm', 'CLAIMED', 'FULFILLED'],
      ['claim', 'FULFILLED', 'PUBLISHED'],
      ['fulfil', 'FULFILLED', 'CLAIMED'],
      ['cancel', 'FULFILLED', 'PUBLISHED, CLAIMED'],
      ['claim', 'CONFIRMED', 'PUBLISHED'],
      ['fulfil', 'CONFIRMED', 'CLAIMED'],
      ['confirm', 'CONFIRMED', 'FULFILLED'],
      ['cancel', 'CONFIRMED', 'PUBLISHED, CLAIMED'],
      ['claim', 'CANCELLED', 'PUBLISHED'],
      ['fulfil', 'CANCELLED', 'CLAIMED'],
      ['confirm', 'CANCELLED', 'FULFILLED'],
      ['cancel', 'CANCELLED', 'PUBLISHED, CLAIMED'],
    ];
    test.each(illegal)('%s a %s wish', async (action, state, allowed) => {
      const id = states[state];
      const result = await expectNothingWritten(app, () => app.execute(documents[action], { id, input: { unitId: w.units.hospitalId } }), [{ table: 'micro_wish', id }]);
      expectError(result, 'ILLEGAL_TRANSITION', 'id');
      expect(result.errors![0].message).toBe(`id: cannot ${action} a micro-wish that is ${state} (allowed from ${allowed})`);
      expect(JSON.stringify(result)).not.toContain('张三丰');
    });
  });

  describe('claimMicroWish refuses bad claimants and writes nothing', () => {
    let id: string;
    beforeAll(async () => {
      id = await publish();
    });
    const cases: [string, () => Record<string, unknown>, string, string][] = [
      ['no claimant', () => ({}), 'BAD_USER_INPUT', 'input.personId'],
      ['null claimants', () => ({ personId: null, unitId: null }), 'BAD_USER_INPUT', 'input.personId'],
      ['both a person and a unit', () => ({ personId: w.partyMemberId, unitId: w.units.hospitalId }), 'BAD_USER_INPUT', 'input.unitId'],
      ['a Unit id as personId', () => ({ personId: w.units.hospitalId }), 'BAD_USER_INPUT', 'input.personId'],
      ['a missing person', () => ({ personId: toGlobalId('Person', 999999) }), 'NOT_FOUND', 'input.personId'],
      ['a missing unit', () => ({ unitId: toGlobalId('Unit', 999999) }), 'NOT_FOUND', 'input.unitId'],
    ];
    test.each(cases)('%s', async (_label, input, code, field) => {
      expectError(await expectNothingWritten(app, () => app.execute(CLAIM, { id, input: input() }), [{ table: 'micro_wish', id }]), code, field);
    });
    test('a person who is not a party member: BAD_USER_INPUT naming input.personId, the wish stays PUBLISHED', async () => {
      const resident = await createPerson(app, { name: '群众老陈', residenceCommunityId: w.communityId });
      const result = await expectNothingWritten(app, () => app.execute(CLAIM, { id, input: { personId: resident } }), [{ table: 'micro_wish', id }]);
      expectError(result, 'BAD_USER_INPUT', 'input.personId');
      expect(result.errors![0].message).toBe('input.personId: a wish is claimed by a party member or by a unit; this person is not a party member');
      expect((await rawRow(app, 'micro_wish', id))).toMatchObject({ status: 'PUBLISHED', claimant_person_id: null, claimant_unit_id: null });
    });
    test('missing and malformed wish ids on every move', async () => {
      for (const document of [CLAIM, FULFIL, CONFIRM, CANCEL]) {
        expectError(await app.execute(document, { id: toGlobalId('MicroWish', 999999), input: { unitId: w.units.hospitalId } }), 'NOT_FOUND', 'id');
        expectError(await app.execute(document, { id: w.communityId, input: { unitId: w.units.hospitalId } }), 'BAD_USER_INPUT', 'id');
      }
    });
  });

  test('no double claim: two claimants at once, exactly one wins and is the one stored (5 rounds)', async () => {
    for (let round = 0; round < 5; round += 1) {
      const id = await publish({ title: `并发心愿${round}` });
      const results = await concurrently(app, [CLAIM, { id, input: { personId: w.partyMemberId } }], [CLAIM, { id, input: { unitId: w.units.schoolId } }]);
      const winners = results.filter((r) => !r.errors);
      expect(winners).toHaveLength(1);
      expectError(results.find((r) => r.errors)!, 'ILLEGAL_TRANSITION', 'id');
      const row = (await rawRow(app, 'micro_wish', id))!;
      expect(row.status).toBe('CLAIMED');
      const byPerson = !results[0].errors;
      expect([row.claimant_person_id !== null, row.claimant_unit_id !== null]).toEqual([byPerson, !byPerson]);
      expect(row.version).toBe(2);
    }
  });
});

describe('microWishes', () => {
  test('filters by community, area subtree, statuses and resident groups; newest first; pages', async () => {
    const tree = await buildTree(app);
    await createPairing(app, w.units.hospitalId, tree.communityId);
    const make = (communityId: string, residentGroup: string | null) => ok(app, PUBLISH, { input: { communityId, title: '心愿', residentGroup, residentName: '李四' } }).then((d) => d.publishMicroWish.id as string);
    const a1 = await make(tree.communityId, 'ELDERLY');
    const a2 = await make(tree.communityId, 'CHILDREN');
    const b1 = await make(tree.otherCommunityId, 'ELDERLY');
    const b2 = await make(tree.otherCommunityId, null);
    await ok(app, CLAIM, { id: a2, input: { unitId: w.units.hospitalId } });
    await ok(app, CANCEL, { id: b2 });
    expect(await listIds({ within: tree.districtId })).toEqual([b2, b1, a2, a1]);
    expect(await listIds({ communityId: tree.communityId })).toEqual([a2, a1]);
    expect(await listIds({ within: tree.otherCommunityId })).toEqual([b2, b1]);
    expect(await listIds({ within: tree.streetId, statuses: ['PUBLISHED'] })).toEqual([b1, a1]);
    expect(await listIds({ within: tree.streetId, statuses: ['CLAIMED', 'CANCELLED'] })).toEqual([b2, a2]);
    expect(await listIds({ within: tree.streetId, residentGroups: ['ELDERLY'] })).toEqual([b1, a1]);
    expect(await listIds({ within: tree.streetId, residentGroups: ['ELDERLY', 'CHILDREN'], statuses: ['PUBLISHED'] })).toEqual([b1, a1]);
    expect(await listIds({ communityId: tree.communityId, within: tree.otherCommunityId })).toEqual([]);
    const { ids, pages } = await walkPages(app, LIST, 'microWishes', 3, { filter: { within: tree.districtId } });
    expect(ids).toEqual([b2, b1, a2, a1]);
    expect(pages).toBe(2);
    expectError(await app.execute(LIST, { filter: { communityId: tree.gridId } }), 'BAD_USER_INPUT', 'filter.communityId');
    expectError(await app.execute(LIST, { filter: { within: toGlobalId('District', 999999) } }), 'NOT_FOUND', 'filter.within');
    expectError(await app.execute(LIST, { first: 101 }), 'BAD_USER_INPUT', 'first');
  });

  test('a page of wishes with their community and claimants costs the same statements for 2 as for 10', async () => {
    const tree = await buildTree(app);
    // Each wish claimed by a member living in its community, or by a unit paired with it.
    const members: Record<string, string> = {};
    for (const communityId of [tree.communityId, tree.otherCommunityId]) {
      members[communityId] = await createPerson(app, { name: '李志愿', partyStatus: 'RETIRED', residenceCommunityId: communityId });
      await createPairing(app, w.units.schoolId, communityId);
    }
    for (let i = 0; i < 10; i += 1) {
      const communityId = i % 2 ? tree.communityId : tree.otherCommunityId;
      const id = (await ok(app, PUBLISH, { input: { communityId, title: `心愿${i}` } })).publishMicroWish.id;
      await ok(app, CLAIM, { id, input: i % 3 ? { personId: members[communityId] } : { unitId: w.units.schoolId } });
    }
    const query = `query($filter: MicroWishFilter, $first: Int) { microWishes(filter: $filter, first: $first) { edges { node { id residentName community { name } claimantPerson { name } claimantUnit { name } } } } }`;
    const two = await app.countStatements(() => ok(app, query, { filter: { within: tree.districtId }, first: 2 }));
    const ten = await app.countStatements(() => ok(app, query, { filter: { within: tree.districtId }, first: 10 }));
    expect(ten.length).toBe(two.length);
  });
});

// Declared last, so it runs after every other test of this file and sees all their responses.
test('no response in this file carried a raw resident name (data, errors, messages)', () => {
  const everything = JSON.stringify(responses);
  expect(responses.length).toBeGreaterThan(100);
  expect(everything).toContain('张**');
  for (const name of RESIDENT_NAMES.filter((n) => n.length > 1)) expect(everything).not.toContain(name);
});
