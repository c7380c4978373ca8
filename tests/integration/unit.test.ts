import { toGlobalId } from '../../src/common/global-id';
import {
  buildTree,
  buildUnits,
  buildWorld,
  createPerson,
  createUnit,
  dbId,
  expectError,
  expectNothingWritten,
  expectRacedCodeChangesAnswerAsSequential,
  forgedCursor,
  ok,
  rawRow,
  uniqueCode,
  walkPages,
  type World,
} from '../helpers/fixtures';
import { createTestApp, type TestApp } from '../helpers/test-app';

let app: TestApp;
let w: World;

beforeAll(async () => {
  app = await createTestApp();
  w = await buildWorld(app);
});
afterAll(async () => {
  await app?.close();
});

const UNIT = `id name code kind address contactName contactPhone area { id name level }`;
const CREATE = `mutation($input: CreateUnitInput!) { createUnit(input: $input) { ${UNIT} } }`;
const UPDATE = `mutation($id: ID!, $input: UpdateUnitInput!) { updateUnit(id: $id, input: $input) { ${UNIT} } }`;
const NODE = `query($id: ID!) { node(id: $id) { __typename ... on Unit { ${UNIT} } } }`;
const LIST = `query($filter: UnitFilter, $first: Int, $after: String, $orderBy: NamedOrder) {
  units(filter: $filter, first: $first, after: $after, orderBy: $orderBy) {
    totalCount
    edges { cursor node { id name kind } }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
  }
}`;

async function listNames(filter: Record<string, unknown>): Promise<string[]> {
  const data = await ok(app, LIST, { filter, first: 100 });
  expect(data.units.totalCount).toBe(data.units.edges.length);
  return data.units.edges.map((edge: any) => edge.node.name);
}

describe('createUnit', () => {
  test('returns the unit with the given fields; the liaison\'s name and phone are masked but stored raw', async () => {
    const code = uniqueCode('91370100MA');
    const result = await app.execute(CREATE, {
      input: { name: '市中心医院', code, kind: 'HOSPITAL', address: '新华路88号', contactName: '李主任', contactPhone: '13855556666', areaId: w.gridId },
    });
    expect(result.errors).toBeUndefined();
    expect(result.data.createUnit).toEqual({
      id: expect.any(String),
      name: '市中心医院',
      code,
      kind: 'HOSPITAL',
      address: '新华路88号',
      contactName: '李**',
      contactPhone: '138****6666',
      area: { id: w.gridId, name: '幸福里第一网格', level: 'GRID' },
    });
    expect(JSON.stringify(result)).not.toContain('13855556666');

    const row = await rawRow(app, 'unit', result.data.createUnit.id);
    expect(row).toMatchObject({ name: '市中心医院', code, kind: 'HOSPITAL', contact_name: '李主任', contact_phone: '13855556666', area_id: dbId(w.gridId) });
  });

  test('a landline keeps its area code and last four digits', async () => {
    const result = await ok(app, CREATE, { input: { name: '新华街道社区卫生服务中心', code: uniqueCode('U'), kind: 'HOSPITAL', contactPhone: '0531-88886666' } });
    expect(result.createUnit.contactPhone).toBe('0531-****6666');
    expect((await rawRow(app, 'unit', result.createUnit.id))!.contact_phone).toBe('0531-88886666');
  });

  test('a unit from outside the district has no area; optional fields default to null', async () => {
    const code = uniqueCode('U');
    const result = await ok(app, CREATE, { input: { name: '区外建设集团', code, kind: 'ENTERPRISE' } });
    expect(result.createUnit).toEqual({ id: expect.any(String), name: '区外建设集团', code, kind: 'ENTERPRISE', address: null, contactName: null, contactPhone: null, area: null });
  });

  test('can be read back through node(id:)', async () => {
    const data = await ok(app, NODE, { id: w.units.hospitalId });
    expect(data.node).toMatchObject({
      __typename: 'Unit',
      id: w.units.hospitalId,
      name: '市第一人民医院',
      kind: 'HOSPITAL',
      address: '幸福里路1号',
      contactName: '王**',
      contactPhone: '138****5678',
      area: { id: w.buildingId, name: '幸福里1号楼', level: 'BUILDING' },
    });
    expect(JSON.stringify(data)).not.toContain('13812345678');
  });

  test('node(id:) of a missing unit is null', async () => {
    expect((await ok(app, NODE, { id: toGlobalId('Unit', 999999) })).node).toBeNull();
  });

  describe('rejects bad input and writes nothing', () => {
    const base = () => ({ name: '幸福里幼儿园', code: uniqueCode('U'), kind: 'SCHOOL', areaId: w.communityId });
    const cases: [string, () => Record<string, unknown>, string, string][] = [
      ['an empty name', () => ({ name: '' }), 'BAD_USER_INPUT', 'name'],
      ['a name of 121 characters', () => ({ name: '医'.repeat(121) }), 'BAD_USER_INPUT', 'name'],
      ['a code with spaces and #', () => ({ code: 'AB 12#' }), 'BAD_USER_INPUT', 'code'],
      ['a code in Chinese', () => ({ code: '统一社会信用代码' }), 'BAD_USER_INPUT', 'code'],
      ['a code of 33 characters', () => ({ code: 'A'.repeat(33) }), 'BAD_USER_INPUT', 'code'],
      ['an empty code', () => ({ code: '' }), 'BAD_USER_INPUT', 'code'],
      ['an invalid phone "12345"', () => ({ contactPhone: '12345' }), 'BAD_USER_INPUT', 'contactPhone'],
      ['a phone that is not a mobile (12812345678)', () => ({ contactPhone: '12812345678' }), 'BAD_USER_INPUT', 'contactPhone'],
      ['an empty address', () => ({ address: '' }), 'BAD_USER_INPUT', 'address'],
      ['a Unit id as areaId', () => ({ areaId: w.units.policeStationId }), 'BAD_USER_INPUT', 'input.areaId'],
      ['a malformed areaId', () => ({ areaId: 'not-an-id!!' }), 'BAD_USER_INPUT', 'input.areaId'],
      ['a base64 areaId that is not a global ID', () => ({ areaId: Buffer.from('hello').toString('base64url') }), 'BAD_USER_INPUT', 'input.areaId'],
      ['a missing community as areaId', () => ({ areaId: toGlobalId('Community', 999999) }), 'NOT_FOUND', 'input.areaId'],
      ['a grid row under a Community prefix', () => ({ areaId: toGlobalId('Community', dbId(w.gridId)) }), 'NOT_FOUND', 'input.areaId'],
    ];
    test.each(cases)('%s', async (_label, overrides, code, field) => {
      const result = await expectNothingWritten(app, () => app.execute(CREATE, { input: { ...base(), ...overrides() } }));
      expectError(result, code, field);
      expect(result.data ?? null).toBeNull();
    });

    test('an unknown kind is rejected by the schema', async () => {
      const result = await expectNothingWritten(app, () => app.execute(CREATE, { input: { ...base(), kind: 'BANK' } }));
      expectError(result, 'BAD_USER_INPUT');
    });

    test('a duplicate code gives CONFLICT', async () => {
      const code = (await ok(app, NODE, { id: w.units.hospitalId })).node.code;
      const result = await expectNothingWritten(app, () => app.execute(CREATE, { input: { ...base(), code } }));
      expectError(result, 'CONFLICT', 'input.code');
    });

    test('five identical creates at once: one wins, every loser gets the sequential duplicate answer', async () => {
      const input = base();
      const results = await Promise.all(Array.from({ length: 5 }, () => app.execute(CREATE, { input })));
      expect(results.filter((r) => !r.errors)).toHaveLength(1);
      const sequential = await expectNothingWritten(app, () => app.execute(CREATE, { input }));
      expectError(sequential, 'CONFLICT', 'input.code');
      expect(sequential.errors![0].message).toBe(`a unit with code "${input.code}" already exists`);
      for (const loser of results.filter((r) => r.errors)) expect(loser).toEqual(sequential);
      const [{ count }] = await app.orm.em.fork().execute('select count(*)::int as count from unit where code = ?', [input.code]);
      expect(count).toBe(1);
    });
  });
});

describe('units list', () => {
  let tree: Awaited<ReturnType<typeof buildTree>>;
  let units: Awaited<ReturnType<typeof buildUnits>>;
  beforeAll(async () => {
    tree = await buildTree(app);
    units = await buildUnits(app, tree);
  });

  test('within the district: every unit sitting in it, by name (code point order), none from outside', async () => {
    const names = await listNames({ within: tree.districtId });
    expect(names).toEqual(['和平里小学', '市第一人民医院', '幸福物业服务有限公司', '幸福里小区业主委员会', '新华派出所'].sort());
    expect(names).toEqual([...names].sort());
    expect(names).not.toContain('外区科技有限公司');
  });

  test('within a community includes units in its grids and buildings, not the neighbour community', async () => {
    expect(await listNames({ within: tree.communityId })).toEqual(['市第一人民医院', '幸福物业服务有限公司', '幸福里小区业主委员会', '新华派出所']);
    expect(await listNames({ within: tree.otherCommunityId })).toEqual(['和平里小学']);
    expect(await listNames({ within: tree.gridId })).toEqual(['市第一人民医院', '幸福物业服务有限公司']);
    expect(await listNames({ within: tree.buildingId })).toEqual(['市第一人民医院']);
  });

  test('filters by kinds', async () => {
    expect(await listNames({ within: tree.districtId, kinds: ['HOSPITAL', 'SCHOOL'] })).toEqual(['和平里小学', '市第一人民医院']);
    const all = await ok(app, LIST, { filter: { kinds: ['ENTERPRISE'] }, first: 100 });
    const ids = all.units.edges.map((edge: any) => edge.node.id);
    expect(ids).toContain(units.enterpriseId);
    expect(all.units.edges.every((edge: any) => edge.node.kind === 'ENTERPRISE')).toBe(true);
  });

  test('search matches Chinese text in the name, the address, and the code (case-insensitive)', async () => {
    expect(await listNames({ within: tree.districtId, search: '医院' })).toEqual(['市第一人民医院']);
    expect(await listNames({ within: tree.districtId, search: '  派出所 ' })).toEqual(['新华派出所']);
    expect(await listNames({ within: tree.districtId, search: '幸福里路' })).toEqual(['市第一人民医院']);
    const code: string = (await ok(app, NODE, { id: units.schoolId })).node.code;
    expect(await listNames({ search: code.toLowerCase() })).toEqual(['和平里小学']);
  });

  test('search treats LIKE wildcards literally', async () => {
    expect(await listNames({ within: tree.districtId, search: '%' })).toEqual([]);
    expect(await listNames({ within: tree.districtId, search: '_' })).toEqual([]);
  });

  test('orderBy NAME DESC reverses the order', async () => {
    const data = await ok(app, LIST, { filter: { within: tree.districtId }, first: 100, orderBy: { field: 'NAME', direction: 'DESC' } });
    const names = data.units.edges.map((edge: any) => edge.node.name);
    expect(names).toEqual((await listNames({ within: tree.districtId })).reverse());
  });

  test('a bad within gives BAD_USER_INPUT or NOT_FOUND naming filter.within', async () => {
    expectError(await app.execute(LIST, { filter: { within: units.hospitalId } }), 'BAD_USER_INPUT', 'filter.within');
    expectError(await app.execute(LIST, { filter: { within: '***' } }), 'BAD_USER_INPUT', 'filter.within');
    expectError(await app.execute(LIST, { filter: { within: toGlobalId('Street', 999999) } }), 'NOT_FOUND', 'filter.within');
  });

  describe('pagination', () => {
    const PAGE = `query($filter: UnitFilter, $first: Int, $after: String, $orderBy: NamedOrder) {
      units(filter: $filter, first: $first, after: $after, orderBy: $orderBy) { edges { cursor node { id } } pageInfo { hasNextPage endCursor } }
    }`;
    let expected: string[];
    beforeAll(async () => {
      // Seven units in the district: five from buildUnits, two more (one sharing a name, to exercise the id tie-break).
      await createUnit(app, { name: '新华派出所', kind: 'POLICE_STATION', areaId: tree.otherCommunityId });
      await createUnit(app, { name: '阳光社会工作服务中心', kind: 'SOCIAL_ORGANIZATION', areaId: tree.streetId });
      const all = await ok(app, LIST, { filter: { within: tree.districtId }, first: 100 });
      expect(all.units.totalCount).toBe(7);
      expected = all.units.edges.map((edge: any) => edge.node.id);
    });

    test('first: 2 then after: endCursor walks every item once, in order, ending with hasNextPage false', async () => {
      const { ids, pages } = await walkPages(app, PAGE, 'units', 2, { filter: { within: tree.districtId } });
      expect(pages).toBe(4);
      expect(ids).toEqual(expected);
      expect(new Set(ids).size).toBe(ids.length);
    });

    test('walking by CREATED_AT DESC also sees every item once', async () => {
      const orderBy = { field: 'CREATED_AT', direction: 'DESC' };
      const { ids } = await walkPages(app, PAGE, 'units', 2, { filter: { within: tree.districtId }, orderBy });
      expect(new Set(ids)).toEqual(new Set(expected));
      expect(ids).toHaveLength(7);
    });

    test('pageInfo of the last page', async () => {
      const first = await ok(app, LIST, { filter: { within: tree.districtId }, first: 5 });
      expect(first.units.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false, startCursor: first.units.edges[0].cursor, endCursor: first.units.edges[4].cursor });
      const last = await ok(app, LIST, { filter: { within: tree.districtId }, first: 5, after: first.units.pageInfo.endCursor });
      expect(last.units.edges).toHaveLength(2);
      expect(last.units.pageInfo.hasNextPage).toBe(false);
      expect(last.units.totalCount).toBe(7);
    });

    test('first: 101 gives BAD_USER_INPUT', async () => {
      expectError(await app.execute(LIST, { first: 101 }), 'BAD_USER_INPUT', 'first');
    });

    test('a negative first gives BAD_USER_INPUT', async () => {
      expectError(await app.execute(LIST, { first: -1 }), 'BAD_USER_INPUT', 'first');
    });

    test('a garbage after gives BAD_USER_INPUT', async () => {
      expectError(await app.execute(LIST, { first: 2, after: 'garbage' }), 'BAD_USER_INPUT', 'after');
      expectError(await app.execute(LIST, { first: 2, after: forgedCursor(null) }), 'BAD_USER_INPUT', 'after');
      expectError(await app.execute(LIST, { first: 2, after: forgedCursor({ hello: 'world' }) }), 'BAD_USER_INPUT', 'after');
    });

    test('a cursor issued for another order gives BAD_USER_INPUT', async () => {
      const page = await ok(app, LIST, { first: 2 });
      const result = await app.execute(LIST, { first: 2, after: page.units.pageInfo.endCursor, orderBy: { field: 'CREATED_AT', direction: 'ASC' } });
      expectError(result, 'BAD_USER_INPUT', 'after');
    });

    test('a forged cursor with a non-scalar value gives BAD_USER_INPUT, not a server error', async () => {
      const result = await app.execute(LIST, { first: 2, after: forgedCursor({ p: 'name', d: 'ASC', v: { $ne: null }, i: 1 }) });
      expectError(result, 'BAD_USER_INPUT', 'after');
    });
  });
});

describe('updateUnit', () => {
  async function freshUnit(): Promise<string> {
    return createUnit(app, { name: '幸福里便民超市', kind: 'ENTERPRISE', areaId: w.communityId, address: '幸福里路9号', contactName: '赵经理', contactPhone: '13700001111' });
  }

  test('changes only the given fields', async () => {
    const id = await freshUnit();
    const before = (await ok(app, NODE, { id })).node;
    const result = await ok(app, UPDATE, { id, input: { name: '幸福里惠民超市' } });
    expect(result.updateUnit).toEqual({ ...before, __typename: undefined, name: '幸福里惠民超市' });
    const row = await rawRow(app, 'unit', id);
    expect(row).toMatchObject({ name: '幸福里惠民超市', address: '幸福里路9号', contact_name: '赵经理', contact_phone: '13700001111', area_id: dbId(w.communityId) });
  });

  test('changes several fields and moves the unit to another area', async () => {
    const id = await freshUnit();
    const result = await ok(app, UPDATE, { id, input: { kind: 'SOCIAL_ORGANIZATION', contactPhone: '13900002222', areaId: w.otherGridId } });
    expect(result.updateUnit).toMatchObject({ kind: 'SOCIAL_ORGANIZATION', contactPhone: '139****2222', area: { id: w.otherGridId }, name: '幸福里便民超市' });
    expect((await rawRow(app, 'unit', id))!.contact_phone).toBe('13900002222');
    expect(await listNames({ within: w.otherCommunityId, search: '便民超市' })).toEqual(['幸福里便民超市']);
  });

  test('null clears the optional fields', async () => {
    const id = await freshUnit();
    const result = await ok(app, UPDATE, { id, input: { address: null, contactName: null, contactPhone: null, areaId: null } });
    expect(result.updateUnit).toMatchObject({ address: null, contactName: null, contactPhone: null, area: null, name: '幸福里便民超市', kind: 'ENTERPRISE' });
    expect(await rawRow(app, 'unit', id)).toMatchObject({ address: null, contact_name: null, contact_phone: null, area_id: null });
  });

  test.each(['name', 'code', 'kind'])('null on the required field %s gives BAD_USER_INPUT and writes nothing', async (field) => {
    const id = await freshUnit();
    const result = await expectNothingWritten(app, () => app.execute(UPDATE, { id, input: { [field]: null } }), [{ table: 'unit', id }]);
    expectError(result, 'BAD_USER_INPUT', `input.${field}`);
  });

  const bad: [string, () => Record<string, unknown>, string, string][] = [
    ['an empty name', () => ({ name: '' }), 'BAD_USER_INPUT', 'name'],
    ['a bad code', () => ({ code: 'a/b' }), 'BAD_USER_INPUT', 'code'],
    ['an invalid phone', () => ({ contactPhone: '12345' }), 'BAD_USER_INPUT', 'contactPhone'],
    ['a Person id as areaId', () => ({ areaId: w.partyMemberId }), 'BAD_USER_INPUT', 'input.areaId'],
    ['a malformed areaId', () => ({ areaId: '%%%' }), 'BAD_USER_INPUT', 'input.areaId'],
    ['a missing area', () => ({ areaId: toGlobalId('Grid', 999999) }), 'NOT_FOUND', 'input.areaId'],
    ['a valid name but a bad phone (all or nothing)', () => ({ name: '改名', contactPhone: '12345' }), 'BAD_USER_INPUT', 'contactPhone'],
    ['a valid name but a missing area (all or nothing)', () => ({ name: '改名', areaId: toGlobalId('Grid', 999999) }), 'NOT_FOUND', 'input.areaId'],
  ];
  test.each(bad)('%s is rejected and nothing changes', async (_label, input, code, field) => {
    const id = await freshUnit();
    const result = await expectNothingWritten(app, () => app.execute(UPDATE, { id, input: input() }), [{ table: 'unit', id }]);
    expectError(result, code, field);
  });

  test('a missing or deleted unit gives NOT_FOUND', async () => {
    const result = await expectNothingWritten(app, () => app.execute(UPDATE, { id: toGlobalId('Unit', 999999), input: { name: '不存在' } }));
    expectError(result, 'NOT_FOUND', 'id');
  });

  test('the ID of another type gives BAD_USER_INPUT', async () => {
    const result = await expectNothingWritten(app, () => app.execute(UPDATE, { id: w.communityId, input: { name: '不存在' } }));
    expectError(result, 'BAD_USER_INPUT', 'id');
  });

  test('taking another unit\'s code gives CONFLICT; keeping one\'s own code is fine', async () => {
    const id = await freshUnit();
    const own: string = (await ok(app, NODE, { id })).node.code;
    const taken: string = (await ok(app, NODE, { id: w.units.schoolId })).node.code;
    const result = await expectNothingWritten(app, () => app.execute(UPDATE, { id, input: { code: taken } }), [{ table: 'unit', id }]);
    expectError(result, 'CONFLICT', 'input.code');
    expect((await ok(app, UPDATE, { id, input: { code: own, name: '同码更新' } })).updateUnit).toMatchObject({ code: own, name: '同码更新' });
  });

  test('five units taking one new code at once: one wins, every loser gets the sequential answer and keeps its code', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 5; i += 1) ids.push(await freshUnit());
    const code = uniqueCode('U');
    const sequential = await expectRacedCodeChangesAnswerAsSequential(app, UPDATE, 'unit', ids, code);
    expect(sequential.errors![0].message).toBe(`a unit with code "${code}" already exists`);
  });
});

describe('nested relations of a unit and of a community', () => {
  test('unit { pairings, allianceMemberships, pairedCommunityCount, people } and community { units, unitCount }', async () => {
    const world = await buildWorld(app);
    const { hospitalId, policeStationId } = world.units;
    const alliance = await ok(app, `mutation($input: CreateAllianceInput!) { createAlliance(input: $input) { id } }`, {
      input: { areaId: world.communityId, name: '幸福里社区"1+3+N"党建联盟', model: 'ONE_THREE_N' },
    });
    const allianceId = alliance.createAlliance.id;
    for (const [unitId, role] of [[hospitalId, 'CORE'], [policeStationId, 'POLICE']]) {
      await ok(app, `mutation($input: AddAllianceMemberInput!) { addAllianceMember(input: $input) { id } }`, { input: { allianceId, unitId, role } });
    }
    const pairing = `mutation($input: CreatePairingInput!) { createPairing(input: $input) { id } }`;
    await ok(app, pairing, { input: { unitId: hospitalId, communityId: world.communityId, startsOn: '2023-01-01', agreementTitle: '共驻共建协议书', duties: ['义诊进社区'] } });
    await ok(app, pairing, { input: { unitId: hospitalId, communityId: world.otherCommunityId, startsOn: '2019-01-01', endsOn: '2020-12-31', agreementTitle: '结对共建协议', duties: ['健康讲座'] } });
    await createPerson(app, { name: '李护士', employerUnitId: hospitalId });

    const data = await ok(app, `query($id: ID!, $community: ID!, $other: ID!) {
      unit: node(id: $id) { ... on Unit {
        pairings { totalCount edges { node { community { id name } isActive } } }
        pairedCommunityCount
        allianceMemberships { totalCount edges { node { role alliance { id name } unit { id } } } }
        people { totalCount edges { node { name isPartyMember } } }
        peopleCount
      } }
      community: node(id: $community) { ... on Community { unitCount units { totalCount edges { node { name } } } } }
      other: node(id: $other) { ... on Community { unitCount units { totalCount edges { node { name } } } } }
    }`, { id: hospitalId, community: world.communityId, other: world.otherCommunityId });

    expect(data.unit.pairings.totalCount).toBe(2);
    expect(data.unit.pairings.edges.map((edge: any) => [edge.node.community.name, edge.node.isActive])).toEqual([
      ['幸福里社区', true],
      ['和平里社区', false],
    ]);
    expect(data.unit.pairedCommunityCount).toBe(1);
    expect(data.unit.allianceMemberships).toEqual({
      totalCount: 1,
      edges: [{ node: { role: 'CORE', alliance: { id: allianceId, name: '幸福里社区"1+3+N"党建联盟' }, unit: { id: hospitalId } } }],
    });
    expect(data.unit.people.totalCount).toBe(2);
    expect(data.unit.peopleCount).toBe(2);
    expect(data.unit.people.edges.map((edge: any) => edge.node)).toEqual(
      [{ name: '张建国', isPartyMember: true }, { name: '李护士', isPartyMember: false }].sort((a, b) => (a.name < b.name ? -1 : 1)),
    );

    expect(data.community.unitCount).toBe(4);
    expect(data.community.units.totalCount).toBe(4);
    expect(data.community.units.edges.map((edge: any) => edge.node.name)).toEqual(['市第一人民医院', '幸福物业服务有限公司', '幸福里小区业主委员会', '新华派出所']);
    expect(data.other).toEqual({ unitCount: 1, units: { totalCount: 1, edges: [{ node: { name: '和平里小学' } }] } });
  });

  test('a unit with nothing attached has empty connections and zero counts', async () => {
    const id = await createUnit(app, { name: '新开业的书店', kind: 'ENTERPRISE' });
    const data = await ok(app, `query($id: ID!) { node(id: $id) { ... on Unit {
      pairings { totalCount edges { cursor } pageInfo { hasNextPage endCursor } } pairedCommunityCount
      allianceMemberships { totalCount edges { cursor } } people { totalCount edges { cursor } } peopleCount } } }`, { id });
    expect(data.node).toEqual({
      pairings: { totalCount: 0, edges: [], pageInfo: { hasNextPage: false, endCursor: null } },
      pairedCommunityCount: 0,
      allianceMemberships: { totalCount: 0, edges: [] },
      people: { totalCount: 0, edges: [] },
      peopleCount: 0,
    });
  });

  test('filters by pairedWithCommunityId', async () => {
    const world = await buildWorld(app);
    await ok(app, `mutation($input: CreatePairingInput!) { createPairing(input: $input) { id } }`, {
      input: { unitId: world.units.schoolId, communityId: world.communityId, startsOn: '2024-03-01', agreementTitle: '共驻共建协议书', duties: ['校外实践基地'] },
    });
    expect(await listNames({ pairedWithCommunityId: world.communityId })).toEqual(['和平里小学']);
    expect(await listNames({ pairedWithCommunityId: world.otherCommunityId })).toEqual([]);
    expectError(await app.execute(LIST, { filter: { pairedWithCommunityId: world.gridId } }), 'BAD_USER_INPUT', 'filter.pairedWithCommunityId');
  });
});
