import { toGlobalId } from '../../src/common/global-id';
import {
  buildTree,
  buildWorld,
  createPartyOrganization,
  createPerson,
  dbId,
  expectError,
  expectNothingWritten,
  expectRacedCodeChangesAnswerAsSequential,
  expectRacedDuplicatesAnswerAsSequential,
  ok,
  rawRow,
  rowCounts,
  uniqueCode,
  walkPages,
  type Tree,
  type World,
} from '../helpers/fixtures';
import { race } from '../helpers/lock-race';
import { createTestApp, type TestApp } from '../helpers/test-app';

let app: TestApp;
let w: World;
let nonMemberId: string;

beforeAll(async () => {
  app = await createTestApp();
  w = await buildWorld(app);
  nonMemberId = await createPerson(app, { name: '刘晓梅', employerUnitId: w.units.hospitalId, residenceCommunityId: w.communityId });
});
afterAll(async () => {
  await app?.close();
});

const ORG = `id name code kind functional functionDescription establishedOn area { id name level } parent { id name } secretary { id name }`;
const CREATE = `mutation($input: CreatePartyOrganizationInput!) { createPartyOrganization(input: $input) { ${ORG} } }`;
const UPDATE = `mutation($id: ID!, $input: UpdatePartyOrganizationInput!) { updatePartyOrganization(id: $id, input: $input) { ${ORG} } }`;
const NODE = `query($id: ID!) { node(id: $id) { __typename ... on PartyOrganization { ${ORG} } } }`;
const LIST = `query($filter: PartyOrganizationFilter, $first: Int, $after: String) {
  partyOrganizations(filter: $filter, first: $first, after: $after) { totalCount edges { node { id name kind functional } } pageInfo { hasNextPage endCursor } }
}`;

async function listNames(filter: Record<string, unknown>): Promise<string[]> {
  const data = await ok(app, LIST, { filter, first: 100 });
  expect(data.partyOrganizations.totalCount).toBe(data.partyOrganizations.edges.length);
  return data.partyOrganizations.edges.map((edge: any) => edge.node.name);
}

/** 社区党委 → 第一网格党支部 → 1号楼党小组, plus a functional branch on the community. */
async function buildOrganizations(tree: Tree, secretaryId?: string) {
  const committeeId = await createPartyOrganization(app, { name: '幸福里社区党委', kind: 'COMMITTEE', areaId: tree.communityId, secretaryId });
  const branchId = await createPartyOrganization(app, { name: '幸福里第一网格党支部', kind: 'BRANCH', areaId: tree.gridId, parentId: committeeId });
  const groupId = await createPartyOrganization(app, { name: '幸福里1号楼党小组', kind: 'GROUP', areaId: tree.buildingId, parentId: branchId });
  const functionalId = await createPartyOrganization(app, {
    name: '幸福里流动党员党支部',
    kind: 'BRANCH',
    areaId: tree.communityId,
    parentId: committeeId,
    functional: true,
    functionDescription: '流动党员',
  });
  const otherId = await createPartyOrganization(app, { name: '和平里社区党委', kind: 'COMMITTEE', areaId: tree.otherCommunityId });
  return { committeeId, branchId, groupId, functionalId, otherId };
}

describe('createPartyOrganization', () => {
  test('returns the organisation with the given fields', async () => {
    const code = uniqueCode('DZ');
    const result = await app.execute(CREATE, {
      input: { name: '新华街道幸福里社区委员会', code, kind: 'COMMITTEE', areaId: w.communityId, secretaryId: w.partyMemberId, establishedOn: '2018-06-30' },
    });
    expect(result.errors).toBeUndefined();
    expect(result.data.createPartyOrganization).toEqual({
      id: expect.any(String),
      name: '新华街道幸福里社区委员会',
      code,
      kind: 'COMMITTEE',
      functional: false,
      functionDescription: null,
      establishedOn: '2018-06-30',
      area: { id: w.communityId, name: '幸福里社区', level: 'COMMUNITY' },
      parent: null,
      secretary: { id: w.partyMemberId, name: '张建国' },
    });
    const id = result.data.createPartyOrganization.id;
    expect(await rawRow(app, 'party_organization', id)).toMatchObject({ code, area_id: dbId(w.communityId), secretary_id: dbId(w.partyMemberId), functional: false });

    const node = await ok(app, NODE, { id });
    expect(node.node).toEqual({ __typename: 'PartyOrganization', ...result.data.createPartyOrganization });
  });

  test('a functional branch under a parent', async () => {
    const parentId = await createPartyOrganization(app, { name: '幸福里社区党总支', kind: 'GENERAL_BRANCH', areaId: w.communityId });
    const result = await ok(app, CREATE, {
      input: { name: '退休党员党支部', code: uniqueCode('DZ'), kind: 'BRANCH', areaId: w.gridId, parentId, functional: true, functionDescription: '退休党员' },
    });
    expect(result.createPartyOrganization).toMatchObject({
      kind: 'BRANCH',
      functional: true,
      functionDescription: '退休党员',
      parent: { id: parentId, name: '幸福里社区党总支' },
      area: { id: w.gridId, level: 'GRID' },
      secretary: null,
    });
  });

  describe('rejects bad input and writes nothing', () => {
    let groupId: string;
    beforeAll(async () => {
      groupId = await createPartyOrganization(app, { name: '2号楼党小组', kind: 'GROUP', areaId: w.buildingId });
    });
    const base = () => ({ name: '幸福里第二网格党支部', code: uniqueCode('DZ'), kind: 'BRANCH', areaId: w.gridId });
    const cases: [string, () => Record<string, unknown>, string, string][] = [
      ['an empty name', () => ({ name: '' }), 'BAD_USER_INPUT', 'name'],
      ['a name of 121 characters', () => ({ name: '党'.repeat(121) }), 'BAD_USER_INPUT', 'name'],
      ['a code with bad characters', () => ({ code: 'DZ_01!' }), 'BAD_USER_INPUT', 'code'],
      ['a code of 33 characters', () => ({ code: '1'.repeat(33) }), 'BAD_USER_INPUT', 'code'],
      ['a functionDescription of 101 characters', () => ({ functionDescription: '流'.repeat(101) }), 'BAD_USER_INPUT', 'functionDescription'],
      ['a Unit id as areaId', () => ({ areaId: w.units.hospitalId }), 'BAD_USER_INPUT', 'input.areaId'],
      ['a malformed areaId', () => ({ areaId: '!!' }), 'BAD_USER_INPUT', 'input.areaId'],
      ['a missing area', () => ({ areaId: toGlobalId('Community', 999999) }), 'NOT_FOUND', 'input.areaId'],
      ['a Unit id as parentId', () => ({ parentId: w.units.hospitalId }), 'BAD_USER_INPUT', 'input.parentId'],
      ['a malformed parentId', () => ({ parentId: 'x y z' }), 'BAD_USER_INPUT', 'input.parentId'],
      ['a missing parent', () => ({ parentId: toGlobalId('PartyOrganization', 999999) }), 'NOT_FOUND', 'input.parentId'],
      ['a Unit id as secretaryId', () => ({ secretaryId: w.units.hospitalId }), 'BAD_USER_INPUT', 'input.secretaryId'],
      ['a missing secretary', () => ({ secretaryId: toGlobalId('Person', 999999) }), 'NOT_FOUND', 'input.secretaryId'],
      ['a secretary who is not a party member', () => ({ secretaryId: nonMemberId }), 'BAD_USER_INPUT', 'input.secretaryId'],
      ['a party group (党小组) as parent', () => ({ parentId: groupId }), 'BAD_USER_INPUT', 'input.parentId'],
    ];
    test.each(cases)('%s', async (_label, overrides, code, field) => {
      const result = await expectNothingWritten(app, () => app.execute(CREATE, { input: { ...base(), ...overrides() } }));
      expectError(result, code, field);
      expect(result.data ?? null).toBeNull();
    });

    test('a duplicate code gives CONFLICT', async () => {
      const code: string = (await ok(app, NODE, { id: groupId })).node.code;
      const result = await expectNothingWritten(app, () => app.execute(CREATE, { input: { ...base(), code } }));
      expectError(result, 'CONFLICT', 'input.code');
    });

    test('five identical creates at once: one wins, every loser gets the sequential duplicate answer (5 rounds)', async () => {
      for (let round = 0; round < 5; round += 1) {
        const input = base();
        const sequential = await expectRacedDuplicatesAnswerAsSequential(app, CREATE, { input }, 'CONFLICT', 'input.code', 5);
        expect(sequential.errors![0].message).toBe(`a party organisation with code "${input.code}" already exists`);
        const [{ count }] = await app.orm.em.fork().execute('select count(*)::int as count from party_organization where code = ?', [input.code]);
        expect(count).toBe(1);
      }
    });
  });
});

describe('partyOrganizations list', () => {
  let tree: Tree;
  let orgs: Awaited<ReturnType<typeof buildOrganizations>>;
  beforeAll(async () => {
    tree = await buildTree(app);
    orgs = await buildOrganizations(tree);
  });

  test('within an area subtree, by name', async () => {
    expect(await listNames({ within: tree.communityId })).toEqual(['幸福里1号楼党小组', '幸福里流动党员党支部', '幸福里社区党委', '幸福里第一网格党支部']);
    expect(await listNames({ within: tree.gridId })).toEqual(['幸福里1号楼党小组', '幸福里第一网格党支部']);
    expect(await listNames({ within: tree.otherCommunityId })).toEqual(['和平里社区党委']);
    expect(await listNames({ within: tree.districtId })).toHaveLength(5);
  });

  test('filters by kinds, functional, parentId and search (Chinese)', async () => {
    expect(await listNames({ within: tree.districtId, kinds: ['COMMITTEE'] })).toEqual(['和平里社区党委', '幸福里社区党委']);
    expect(await listNames({ within: tree.districtId, kinds: ['BRANCH', 'GROUP'] })).toEqual(['幸福里1号楼党小组', '幸福里流动党员党支部', '幸福里第一网格党支部']);
    expect(await listNames({ within: tree.districtId, functional: true })).toEqual(['幸福里流动党员党支部']);
    expect(await listNames({ within: tree.districtId, functional: false })).toHaveLength(4);
    expect(await listNames({ parentId: orgs.committeeId })).toEqual(['幸福里流动党员党支部', '幸福里第一网格党支部']);
    expect(await listNames({ parentId: orgs.branchId })).toEqual(['幸福里1号楼党小组']);
    expect(await listNames({ parentId: orgs.groupId })).toEqual([]);
    expect(await listNames({ within: tree.districtId, search: '党支部' })).toEqual(['幸福里流动党员党支部', '幸福里第一网格党支部']);
    expect(await listNames({ within: tree.districtId, search: '和平里' })).toEqual(['和平里社区党委']);
  });

  test('bad filter ids', async () => {
    expectError(await app.execute(LIST, { filter: { parentId: tree.communityId } }), 'BAD_USER_INPUT', 'filter.parentId');
    expectError(await app.execute(LIST, { filter: { parentId: toGlobalId('PartyOrganization', 999999) } }), 'NOT_FOUND', 'filter.parentId');
    expectError(await app.execute(LIST, { filter: { within: orgs.committeeId } }), 'BAD_USER_INPUT', 'filter.within');
  });

  test('pagination walks every organisation once', async () => {
    const { ids, pages } = await walkPages(app, LIST, 'partyOrganizations', 2, { filter: { within: tree.districtId } });
    expect(pages).toBe(3);
    expect(new Set(ids)).toEqual(new Set(Object.values(orgs)));
    expect(ids).toHaveLength(5);
    expectError(await app.execute(LIST, { first: 101 }), 'BAD_USER_INPUT', 'first');
    expectError(await app.execute(LIST, { first: 2, after: 'not-a-cursor' }), 'BAD_USER_INPUT', 'after');
  });
});

describe('updatePartyOrganization', () => {
  let tree: Tree;
  beforeAll(async () => {
    tree = await buildTree(app);
  });

  test('changes only the given fields', async () => {
    const { committeeId } = await buildOrganizations(tree, w.partyMemberId);
    await ok(app, UPDATE, { id: committeeId, input: { establishedOn: '2019-07-01' } });
    const before = (await ok(app, NODE, { id: committeeId })).node;
    const result = await ok(app, UPDATE, { id: committeeId, input: { name: '幸福里社区党委（新）' } });
    expect(result.updatePartyOrganization).toEqual({ ...before, __typename: undefined, name: '幸福里社区党委（新）' });
  });

  test('null clears the optional fields', async () => {
    const { functionalId } = await buildOrganizations(tree);
    await ok(app, UPDATE, { id: functionalId, input: { secretaryId: w.partyMemberId, establishedOn: '2020-01-01' } });
    const result = await ok(app, UPDATE, { id: functionalId, input: { functionDescription: null, establishedOn: null, secretaryId: null, parentId: null } });
    expect(result.updatePartyOrganization).toMatchObject({ functionDescription: null, establishedOn: null, secretary: null, parent: null, name: '幸福里流动党员党支部', functional: true });
    expect(await rawRow(app, 'party_organization', functionalId)).toMatchObject({ function_description: null, established_on: null, secretary_id: null, parent_id: null });
  });

  test('moves to another area and another parent', async () => {
    const { committeeId, branchId, groupId, otherId } = await buildOrganizations(tree);
    // Its group (on a building of this community) first goes under the community's committee: a
    // branch with children on this community's buildings cannot move to the other community
    // (party-organization.service assertChildrenNest; party-tree-children-and-leads.test.ts).
    await ok(app, UPDATE, { id: groupId, input: { parentId: committeeId } });
    const result = await ok(app, UPDATE, { id: branchId, input: { areaId: tree.otherGridId, parentId: otherId } });
    expect(result.updatePartyOrganization).toMatchObject({ area: { id: tree.otherGridId }, parent: { id: otherId, name: '和平里社区党委' } });
  });

  test.each(['name', 'code', 'kind', 'functional', 'areaId'])('null on the required field %s gives BAD_USER_INPUT and writes nothing', async (field) => {
    const { branchId } = await buildOrganizations(tree);
    const result = await expectNothingWritten(app, () => app.execute(UPDATE, { id: branchId, input: { [field]: null } }), [{ table: 'party_organization', id: branchId }]);
    expectError(result, 'BAD_USER_INPUT', `input.${field}`);
  });

  test('bad input is rejected and nothing changes', async () => {
    const { branchId } = await buildOrganizations(tree);
    const unchanged = [{ table: 'party_organization' as const, id: branchId }];
    const cases: [Record<string, unknown>, string, string][] = [
      [{ name: '' }, 'BAD_USER_INPUT', 'name'],
      [{ code: '代码' }, 'BAD_USER_INPUT', 'code'],
      [{ areaId: w.units.schoolId }, 'BAD_USER_INPUT', 'input.areaId'],
      [{ parentId: 'bm90IGFuIGlk' }, 'BAD_USER_INPUT', 'input.parentId'],
      [{ parentId: toGlobalId('PartyOrganization', 999999) }, 'NOT_FOUND', 'input.parentId'],
      [{ name: '改名', secretaryId: nonMemberId }, 'BAD_USER_INPUT', 'input.secretaryId'],
    ];
    for (const [input, code, field] of cases) {
      expectError(await expectNothingWritten(app, () => app.execute(UPDATE, { id: branchId, input }), unchanged), code, field);
    }
  });

  test('a missing organisation gives NOT_FOUND; a malformed id BAD_USER_INPUT', async () => {
    expectError(await app.execute(UPDATE, { id: toGlobalId('PartyOrganization', 999999), input: { name: '无' } }), 'NOT_FOUND', 'id');
    expectError(await app.execute(UPDATE, { id: '???', input: { name: '无' } }), 'BAD_USER_INPUT', 'id');
    expectError(await app.execute(UPDATE, { id: w.units.hospitalId, input: { name: '无' } }), 'BAD_USER_INPUT', 'id');
  });

  test('taking another organisation\'s code gives CONFLICT', async () => {
    const { branchId, groupId } = await buildOrganizations(tree);
    const taken: string = (await ok(app, NODE, { id: groupId })).node.code;
    const result = await expectNothingWritten(app, () => app.execute(UPDATE, { id: branchId, input: { code: taken } }), [{ table: 'party_organization', id: branchId }]);
    expectError(result, 'CONFLICT', 'input.code');
  });

  test('five organisations taking one new code at once: one wins, every loser gets the sequential answer and keeps its code', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 5; i += 1) ids.push(await createPartyOrganization(app, { name: `并发改码党支部${i}`, kind: 'BRANCH', areaId: tree.gridId }));
    const code = uniqueCode('DZ');
    const sequential = await expectRacedCodeChangesAnswerAsSequential(app, UPDATE, 'party_organization', ids, code);
    expect(sequential.errors![0].message).toBe(`a party organisation with code "${code}" already exists`);
  });

  test('an organisation cannot be moved under itself or its own descendant (cycle)', async () => {
    const { committeeId, branchId } = await buildOrganizations(tree);
    const grandchildId = await createPartyOrganization(app, { name: '网格党支部第二党小组前身', kind: 'BRANCH', areaId: tree.gridId, parentId: branchId });
    const unchanged = [{ table: 'party_organization' as const, id: committeeId }];
    for (const parentId of [committeeId, branchId, grandchildId]) {
      const result = await expectNothingWritten(app, () => app.execute(UPDATE, { id: committeeId, input: { parentId } }), unchanged);
      expectError(result, 'BAD_USER_INPUT', 'input.parentId');
    }
    // Moving the branch under its sibling is fine.
    const { functionalId } = await buildOrganizations(tree);
    const moved = await ok(app, UPDATE, { id: functionalId, input: { parentId: grandchildId } });
    expect(moved.updatePartyOrganization.parent).toEqual({ id: grandchildId, name: '网格党支部第二党小组前身' });
  });

  test('an organisation cannot be moved under a party group', async () => {
    const { functionalId, groupId } = await buildOrganizations(tree);
    const result = await expectNothingWritten(app, () => app.execute(UPDATE, { id: functionalId, input: { parentId: groupId } }), [{ table: 'party_organization', id: functionalId }]);
    expectError(result, 'BAD_USER_INPUT', 'input.parentId');
  });

  test('an organisation with children cannot become a party group (a group has no child organisations)', async () => {
    const { branchId } = await buildOrganizations(tree);
    const result = await expectNothingWritten(app, () => app.execute(UPDATE, { id: branchId, input: { kind: 'GROUP' } }), [{ table: 'party_organization', id: branchId }]);
    expectError(result, 'BAD_USER_INPUT');
  });

  test('a childless branch may become a group', async () => {
    const { functionalId } = await buildOrganizations(tree);
    expect((await ok(app, UPDATE, { id: functionalId, input: { kind: 'GROUP' } })).updatePartyOrganization.kind).toBe('GROUP');
  });
});

describe('concurrent changes to the party tree', () => {
  const held = (id: string): [string, unknown[]] => ['select 1 from party_organization where id = $1 for no key update', [dbId(id)]];

  test('two re-parentings at once that together would make a cycle: the second waits and is refused', async () => {
    const a = await createPartyOrganization(app, { name: '甲党委', kind: 'COMMITTEE', areaId: w.communityId });
    const b = await createPartyOrganization(app, { name: '乙党总支', kind: 'GENERAL_BRANCH', areaId: w.communityId });
    // The first move has checked and waits to write a's row; the second then checks b under a.
    const [first, second] = await race(app, held(a),
      () => app.execute(UPDATE, { id: a, input: { parentId: b } }),
      () => app.execute(UPDATE, { id: b, input: { parentId: a } }));
    expect(first.errors).toBeUndefined();
    expectError(second, 'BAD_USER_INPUT', 'input.parentId');
    const rows = await app.orm.em.fork().execute('select id, parent_id from party_organization where id in (?, ?) order by id', [dbId(a), dbId(b)]);
    expect(rows).toEqual([{ id: dbId(a), parent_id: dbId(b) }, { id: dbId(b), parent_id: null }]);
  });

  test('a branch becoming a group while a child is created under it: the child waits and is refused', async () => {
    const branch = await createPartyOrganization(app, { name: '丙党支部', kind: 'BRANCH', areaId: w.communityId });
    const [grouped, child] = await race(app, held(branch),
      () => app.execute(UPDATE, { id: branch, input: { kind: 'GROUP' } }),
      () => app.execute(CREATE, { input: { name: '丙党支部下级', code: 'RACE-CHILD', kind: 'GROUP', areaId: w.communityId, parentId: branch } }));
    expect(grouped.errors).toBeUndefined();
    expectError(child, 'BAD_USER_INPUT', 'input.parentId');
    expect(await app.orm.em.fork().execute('select id from party_organization where parent_id = ?', [dbId(branch)])).toEqual([]);
  });

  test('a child created under a branch while it becomes a group: the change waits and is refused', async () => {
    const branch = await createPartyOrganization(app, { name: '丁党支部', kind: 'BRANCH', areaId: w.communityId });
    // Holding the branch FOR UPDATE makes the child's insert (a key-share lock on its parent) wait after its checks.
    const [child, grouped] = await race(app, ['select 1 from party_organization where id = $1 for update', [dbId(branch)]],
      () => app.execute(CREATE, { input: { name: '丁党支部下级', code: 'RACE-CHILD-2', kind: 'GROUP', areaId: w.communityId, parentId: branch } }),
      () => app.execute(UPDATE, { id: branch, input: { kind: 'GROUP' } }));
    expect(child.errors).toBeUndefined();
    expectError(grouped, 'BAD_USER_INPUT', 'input.kind');
    expect((await rawRow(app, 'party_organization', branch))!.kind).toBe('BRANCH');
  });
});

describe('part-time members (兼职委员)', () => {
  const ADD = `mutation($input: AddPartTimeMemberInput!) { addPartTimeMember(input: $input) { id title startsOn endsOn organization { id } person { id name } unit { id name } } }`;
  const REMOVE = `mutation($id: ID!) { removePartTimeMember(id: $id) }`;
  const SEATS = `query($id: ID!) { node(id: $id) { ... on PartyOrganization { partTimeMembers { totalCount edges { node { id title person { name } unit { name } } } } } } }`;
  let committeeId: string;
  beforeAll(async () => {
    committeeId = await createPartyOrganization(app, { name: '幸福里社区党委（兼职委员）', kind: 'COMMITTEE', areaId: w.communityId });
  });

  test('add (unit defaults to the employer), list, remove (returns the ID)', async () => {
    const result = await ok(app, ADD, { input: { organizationId: committeeId, personId: w.partyMemberId, title: '兼职委员', startsOn: '2024-01-01', endsOn: '2026-12-31' } });
    const seat = result.addPartTimeMember;
    expect(seat).toEqual({
      id: expect.any(String),
      title: '兼职委员',
      startsOn: '2024-01-01',
      endsOn: '2026-12-31',
      organization: { id: committeeId },
      person: { id: w.partyMemberId, name: '张建国' },
      unit: { id: w.units.hospitalId, name: '市第一人民医院' },
    });
    const explicit = await ok(app, ADD, { input: { organizationId: committeeId, personId: nonMemberId, unitId: w.units.policeStationId, title: '兼职副书记' } });
    expect(explicit.addPartTimeMember.unit).toEqual({ id: w.units.policeStationId, name: '新华派出所' });

    const listed = await ok(app, SEATS, { id: committeeId });
    expect(listed.node.partTimeMembers.totalCount).toBe(2);
    expect(listed.node.partTimeMembers.edges.map((edge: any) => edge.node.title)).toEqual(['兼职委员', '兼职副书记']);

    const before = await rowCounts(app);
    const removed = await ok(app, REMOVE, { id: seat.id });
    expect(removed.removePartTimeMember).toBe(seat.id);
    expect((await rowCounts(app)).part_time_member).toBe(before.part_time_member - 1);
    expect(await rawRow(app, 'part_time_member', seat.id)).toBeUndefined();
    expect((await ok(app, `query($id: ID!) { node(id: $id) { id } }`, { id: seat.id })).node).toBeNull();
    const after = await ok(app, SEATS, { id: committeeId });
    expect(after.node.partTimeMembers.totalCount).toBe(1);

    expectError(await app.execute(REMOVE, { id: seat.id }), 'NOT_FOUND', 'id');
    expectError(await app.execute(REMOVE, { id: committeeId }), 'BAD_USER_INPUT', 'id');
  });

  test('a second seat for the same person gives CONFLICT', async () => {
    const organizationId = await createPartyOrganization(app, { name: '幸福里社区党委（重复）', kind: 'COMMITTEE', areaId: w.communityId });
    await ok(app, ADD, { input: { organizationId, personId: w.partyMemberId, title: '兼职委员' } });
    const result = await expectNothingWritten(app, () => app.execute(ADD, { input: { organizationId, personId: w.partyMemberId, title: '兼职副书记' } }));
    expectError(result, 'CONFLICT', 'input.personId');
  });

  test('five identical seats at once: one wins, every loser gets the sequential duplicate answer, one seat is stored', async () => {
    const organizationId = await createPartyOrganization(app, { name: '幸福里社区党委（并发）', kind: 'COMMITTEE', areaId: w.communityId });
    const input = { organizationId, personId: w.partyMemberId, title: '兼职委员' };
    const sequential = await expectRacedDuplicatesAnswerAsSequential(app, ADD, { input }, 'CONFLICT', 'input.personId', 5);
    expect(sequential.errors![0].message).toBe('this person already holds a part-time seat on this organisation');
    expect((await ok(app, SEATS, { id: organizationId })).node.partTimeMembers.totalCount).toBe(1);
  });

  test('bad input writes nothing', async () => {
    const personId = await createPerson(app, { name: '周丽华', employerUnitId: w.units.schoolId });
    const cases: [Record<string, unknown>, string, string][] = [
      [{ startsOn: '2024-06-01', endsOn: '2024-05-31' }, 'BAD_USER_INPUT', 'input.endsOn'],
      [{ title: '' }, 'BAD_USER_INPUT', 'title'],
      [{ personId: w.units.hospitalId }, 'BAD_USER_INPUT', 'input.personId'],
      [{ personId: toGlobalId('Person', 999999) }, 'NOT_FOUND', 'input.personId'],
      [{ organizationId: toGlobalId('PartyOrganization', 999999) }, 'NOT_FOUND', 'input.organizationId'],
      [{ organizationId: 'garbage!' }, 'BAD_USER_INPUT', 'input.organizationId'],
      [{ unitId: w.communityId }, 'BAD_USER_INPUT', 'input.unitId'],
    ];
    for (const [overrides, code, field] of cases) {
      const input = { organizationId: committeeId, personId, title: '兼职委员', ...overrides };
      expectError(await expectNothingWritten(app, () => app.execute(ADD, { input })), code, field);
    }
  });
});

describe('nested relations', () => {
  test('community { partyOrganizations, partyOrganizationCount }, grid { partyOrganizations }, organisation { children, members, memberCount, parent, area }', async () => {
    const tree = await buildTree(app);
    const orgs = await buildOrganizations(tree);
    await createPerson(app, { name: '王秀英', partyStatus: 'RETIRED', organizationId: orgs.branchId, residenceCommunityId: tree.communityId });
    await createPerson(app, { name: '陈志强', partyStatus: 'MOBILE', organizationId: orgs.branchId });
    const data = await ok(app, `query($community: ID!, $other: ID!, $grid: ID!, $branch: ID!, $committee: ID!) {
      community: node(id: $community) { ... on Community { partyOrganizationCount partyOrganizations { totalCount edges { node { name } } } } }
      other: node(id: $other) { ... on Community { partyOrganizationCount partyOrganizations { totalCount } } }
      grid: node(id: $grid) { ... on Grid { partyOrganizations { totalCount edges { node { name } } } } }
      branch: node(id: $branch) { ... on PartyOrganization {
        memberCount members { totalCount edges { node { name partyStatus } } }
        children { totalCount edges { node { name kind } } }
        parent { id name } area { id ... on Grid { community { id } } }
      } }
      committee: node(id: $committee) { ... on PartyOrganization { children(first: 1) { totalCount edges { node { name } } pageInfo { hasNextPage } } memberCount } }
    }`, { community: tree.communityId, other: tree.otherCommunityId, grid: tree.gridId, branch: orgs.branchId, committee: orgs.committeeId });

    expect(data.community.partyOrganizationCount).toBe(4);
    expect(data.community.partyOrganizations.totalCount).toBe(4);
    expect(data.community.partyOrganizations.edges.map((edge: any) => edge.node.name)).toEqual(['幸福里1号楼党小组', '幸福里流动党员党支部', '幸福里社区党委', '幸福里第一网格党支部']);
    expect(data.other).toEqual({ partyOrganizationCount: 1, partyOrganizations: { totalCount: 1 } });
    expect(data.grid.partyOrganizations.totalCount).toBe(2);
    expect(data.grid.partyOrganizations.edges.map((edge: any) => edge.node.name)).toEqual(['幸福里1号楼党小组', '幸福里第一网格党支部']);
    expect(data.branch).toEqual({
      memberCount: 2,
      members: { totalCount: 2, edges: [{ node: { name: '王秀英', partyStatus: 'RETIRED' } }, { node: { name: '陈志强', partyStatus: 'MOBILE' } }] },
      children: { totalCount: 1, edges: [{ node: { name: '幸福里1号楼党小组', kind: 'GROUP' } }] },
      parent: { id: orgs.committeeId, name: '幸福里社区党委' },
      area: { id: tree.gridId, community: { id: tree.communityId } },
    });
    expect(data.committee).toEqual({
      children: { totalCount: 2, edges: [{ node: { name: '幸福里流动党员党支部' } }], pageInfo: { hasNextPage: true } },
      memberCount: 0,
    });
  });
});
