import { toGlobalId } from '../../src/common/global-id';
import {
  buildTree,
  buildUnits,
  buildWorld,
  createCommunity,
  createPartyOrganization,
  createPerson,
  createUnit,
  dbId,
  expectError,
  expectNothingWritten,
  expectRacedDuplicatesAnswerAsSequential,
  ok,
  rawRow,
  rowCounts,
  walkPages,
  type World,
} from '../helpers/fixtures';
import { race } from '../helpers/lock-race';
import { accountViewer, areaPath } from '../helpers/access-fixtures';
import { Role } from '../../src/modules/identity/role';
import { createTestApp, type TestApp } from '../helpers/test-app';
import { Migration20270101200000_vacate_legacy_seat_holders, VACATE_SEATS_NOT_REPRESENTED } from '../../migrations/Migration20270101200000_vacate_legacy_seat_holders';

let app: TestApp;
let w: World;
let committeeId: string;
/** 孙警官, employed by the police station */
let officerId: string;

beforeAll(async () => {
  app = await createTestApp();
  w = await buildWorld(app);
  committeeId = await createPartyOrganization(app, { name: '幸福里社区党委', kind: 'COMMITTEE', areaId: w.communityId, secretaryId: w.partyMemberId });
  officerId = await createPerson(app, { name: '孙警官', partyStatus: 'IN_SERVICE', employerUnitId: w.units.policeStationId });
});
afterAll(async () => {
  await app?.close();
});

const ALLIANCE = `id name model description establishedOn area { __typename id name } leadOrganization { id name } memberCount`;
const CREATE = `mutation($input: CreateAllianceInput!) { createAlliance(input: $input) { ${ALLIANCE} } }`;
const UPDATE = `mutation($id: ID!, $input: UpdateAllianceInput!) { updateAlliance(id: $id, input: $input) { ${ALLIANCE} } }`;
const NODE = `query($id: ID!) { node(id: $id) { __typename ... on Alliance { ${ALLIANCE} } } }`;
const LIST = `query($filter: AllianceFilter, $first: Int, $after: String) {
  alliances(filter: $filter, first: $first, after: $after) { totalCount edges { node { id name model } } pageInfo { hasNextPage endCursor } }
}`;
const MEMBER = `id role seatTitle joinedOn unit { id name } seatHolder { id name } alliance { id }`;
const ADD = `mutation($input: AddAllianceMemberInput!) { addAllianceMember(input: $input) { ${MEMBER} } }`;
const UPDATE_MEMBER = `mutation($id: ID!, $input: UpdateAllianceMemberInput!) { updateAllianceMember(id: $id, input: $input) { ${MEMBER} } }`;
const REMOVE = `mutation($id: ID!) { removeAllianceMember(id: $id) }`;

let communitySeq = 0;
/** A community of its own under the shared street (an area holds at most one alliance). */
async function freshCommunity(): Promise<string> {
  communitySeq += 1;
  return createCommunity(app, w.streetId, `新建第${communitySeq}社区`);
}

/** A fresh community and its own committee: an alliance is led by its area's own organisation. */
async function freshCommunityWithCommittee(): Promise<{ areaId: string; leadOrganizationId: string }> {
  const areaId = await freshCommunity();
  return { areaId, leadOrganizationId: await createPartyOrganization(app, { name: `新建第${communitySeq}社区党委`, kind: 'COMMITTEE', areaId }) };
}

async function createAlliance(areaId: string, model = 'ONE_THREE_N', name = '幸福里社区"1+3+N"党建联盟'): Promise<string> {
  return (await ok(app, CREATE, { input: { areaId, model, name } })).createAlliance.id;
}

async function listNames(filter: Record<string, unknown>): Promise<string[]> {
  const data = await ok(app, LIST, { filter, first: 100 });
  expect(data.alliances.totalCount).toBe(data.alliances.edges.length);
  return data.alliances.edges.map((edge: any) => edge.node.name);
}

describe('createAlliance', () => {
  test('a "1+3+N" alliance on a community returns the given fields and is readable through node and the community', async () => {
    const result = await app.execute(CREATE, {
      input: {
        areaId: w.communityId,
        name: '幸福里社区"1+3+N"党建联盟',
        model: 'ONE_THREE_N',
        leadOrganizationId: committeeId,
        establishedOn: '2021-07-01',
        description: '以社区党委为核心，派出所、业委会、物业为骨干，驻区单位共同参与。',
      },
    });
    expect(result.errors).toBeUndefined();
    const alliance = result.data.createAlliance;
    expect(alliance).toEqual({
      id: expect.any(String),
      name: '幸福里社区"1+3+N"党建联盟',
      model: 'ONE_THREE_N',
      description: '以社区党委为核心，派出所、业委会、物业为骨干，驻区单位共同参与。',
      establishedOn: '2021-07-01',
      area: { __typename: 'Community', id: w.communityId, name: '幸福里社区' },
      leadOrganization: { id: committeeId, name: '幸福里社区党委' },
      memberCount: 0,
    });
    expect(await rawRow(app, 'alliance', alliance.id)).toMatchObject({ area_id: dbId(w.communityId), lead_organization_id: dbId(committeeId), model: 'ONE_THREE_N' });
    expect((await ok(app, NODE, { id: alliance.id })).node).toEqual({ __typename: 'Alliance', ...alliance });
    const community = await ok(app, `query($id: ID!) { node(id: $id) { ... on Community { alliance { id name } } } }`, { id: w.communityId });
    expect(community.node.alliance).toEqual({ id: alliance.id, name: '幸福里社区"1+3+N"党建联盟' });
  });

  test('a big party committee (大党委) may sit on a street', async () => {
    const streetId = (await buildTree(app)).streetId;
    const result = await ok(app, CREATE, { input: { areaId: streetId, name: '新华街道大党委', model: 'BIG_PARTY_COMMITTEE' } });
    expect(result.createAlliance).toMatchObject({ model: 'BIG_PARTY_COMMITTEE', area: { __typename: 'Street', id: streetId } });
    const street = await ok(app, `query($id: ID!) { node(id: $id) { ... on Street { alliance { id model } } } }`, { id: streetId });
    expect(street.node.alliance).toEqual({ id: result.createAlliance.id, model: 'BIG_PARTY_COMMITTEE' });
  });

  test('a big party committee may also sit on a community', async () => {
    const areaId = await freshCommunity();
    expect((await ok(app, CREATE, { input: { areaId, name: '社区大党委', model: 'BIG_PARTY_COMMITTEE' } })).createAlliance.area.id).toBe(areaId);
  });

  test.each([
    ['ONE_THREE_N', 'street'],
    ['ONE_N_X', 'street'],
    ['ONE_THREE_N', 'grid'],
    ['BIG_PARTY_COMMITTEE', 'grid'],
    ['BIG_PARTY_COMMITTEE', 'district'],
  ])('a %s alliance on a %s is rejected (BAD_USER_INPUT on input.areaId) and nothing is written', async (model, level) => {
    const tree = await buildTree(app);
    const areaId = level === 'street' ? tree.streetId : level === 'grid' ? tree.gridId : tree.districtId;
    const result = await expectNothingWritten(app, () => app.execute(CREATE, { input: { areaId, model, name: '党建联盟' } }));
    expectError(result, 'BAD_USER_INPUT', 'input.areaId');
  });

  test('text is stored trimmed: a name sent as "  X  " is stored and answered as "X"; a name of only white space is refused and writes nothing', async () => {
    const areaId = await freshCommunity();
    const created = (await ok(app, CREATE, { input: { areaId, model: 'ONE_N_X', name: '  X  ', description: '\u3000 联盟说明 \n' } })).createAlliance;
    expect(created).toMatchObject({ name: 'X', description: '联盟说明' });
    expect(await rawRow(app, 'alliance', created.id)).toMatchObject({ name: 'X', description: '联盟说明' });
    for (const name of ['   ', '\u3000\u3000', ' \t\n ']) {
      const refused = await expectNothingWritten(app, () => app.execute(CREATE, { input: { areaId: w.streetId, model: 'BIG_PARTY_COMMITTEE', name } }));
      expectError(refused, 'BAD_USER_INPUT', 'input.name');
      expect(refused.errors![0].message).toBe('input.name: must not be blank');
    }
    // The length is counted on what is stored: 120 characters with spaces around them fit.
    const long = (await ok(app, UPDATE, { id: created.id, input: { name: `  ${'长'.repeat(120)}  ` } })).updateAlliance;
    expect(long.name).toBe('长'.repeat(120));
    const renamed = await ok(app, UPDATE, { id: created.id, input: { name: ' 新名 ', description: '   ' } });
    expect(renamed.updateAlliance).toMatchObject({ name: '新名', description: '' });
    expect(await rawRow(app, 'alliance', created.id)).toMatchObject({ name: '新名', description: '' });
    const unchanged = [{ table: 'alliance' as const, id: created.id }];
    expectError(await expectNothingWritten(app, () => app.execute(UPDATE, { id: created.id, input: { name: ' \u3000 ' } }), unchanged), 'BAD_USER_INPUT', 'input.name');
  });

  test('a second alliance for one community gives CONFLICT', async () => {
    const areaId = await freshCommunity();
    await createAlliance(areaId);
    const result = await expectNothingWritten(app, () => app.execute(CREATE, { input: { areaId, model: 'ONE_N_X', name: '另一个联盟' } }));
    expectError(result, 'CONFLICT', 'input.areaId');
  });

  test('five identical creates at once: one wins, every loser gets the sequential duplicate answer, one alliance is stored (5 rounds)', async () => {
    for (let round = 0; round < 5; round += 1) {
      const areaId = await freshCommunity();
      const input = { areaId, model: 'ONE_THREE_N', name: '并发联盟' };
      const sequential = await expectRacedDuplicatesAnswerAsSequential(app, CREATE, { input }, 'CONFLICT', 'input.areaId', 5);
      expect(sequential.errors![0].message).toBe(`新建第${communitySeq}社区 already has an alliance`);
      const [{ count }] = await app.orm.em.fork().execute('select count(*)::int as count from alliance where area_id = ?', [dbId(areaId)]);
      expect(count).toBe(1);
    }
  });

  describe('rejects bad input and writes nothing', () => {
    let areaId: string;
    beforeAll(async () => {
      areaId = await freshCommunity();
    });
    const cases: [string, () => Record<string, unknown>, string, string][] = [
      ['an empty name', () => ({ name: '' }), 'BAD_USER_INPUT', 'name'],
      ['a name of 121 characters', () => ({ name: '盟'.repeat(121) }), 'BAD_USER_INPUT', 'name'],
      ['a description of 2001 characters', () => ({ description: '述'.repeat(2001) }), 'BAD_USER_INPUT', 'description'],
      ['a Unit id as areaId', () => ({ areaId: w.units.hospitalId }), 'BAD_USER_INPUT', 'input.areaId'],
      ['a malformed areaId', () => ({ areaId: 'Q29tbXVuaXR5OmFiYw' }), 'BAD_USER_INPUT', 'input.areaId'],
      ['a missing community', () => ({ areaId: toGlobalId('Community', 999999) }), 'NOT_FOUND', 'input.areaId'],
      ['a Unit id as leadOrganizationId', () => ({ leadOrganizationId: w.units.hospitalId }), 'BAD_USER_INPUT', 'input.leadOrganizationId'],
      ['a missing lead organisation', () => ({ leadOrganizationId: toGlobalId('PartyOrganization', 999999) }), 'NOT_FOUND', 'input.leadOrganizationId'],
      ['an invalid establishedOn', () => ({ establishedOn: '2021-13-45' }), 'BAD_USER_INPUT', ''],
    ];
    test.each(cases)('%s', async (_label, overrides, code, field) => {
      const result = await expectNothingWritten(app, () => app.execute(CREATE, { input: { areaId, model: 'ONE_THREE_N', name: '党建联盟', ...overrides() } }));
      expectError(result, code, field || undefined);
    });
  });
});

describe('alliances list', () => {
  let tree: Awaited<ReturnType<typeof buildTree>>;
  let units: Awaited<ReturnType<typeof buildUnits>>;
  let ids: { a: string; b: string; c: string };
  beforeAll(async () => {
    tree = await buildTree(app);
    units = await buildUnits(app, tree);
    ids = {
      a: await createAlliance(tree.communityId, 'ONE_THREE_N', '幸福里社区"1+3+N"党建联盟'),
      b: await createAlliance(tree.otherCommunityId, 'ONE_N_X', '和平里社区"1+N+X"党建联盟'),
      c: await createAlliance(tree.streetId, 'BIG_PARTY_COMMITTEE', '新华街道大党委'),
    };
    await ok(app, ADD, { input: { allianceId: ids.a, unitId: units.hospitalId, role: 'CORE' } });
    await ok(app, ADD, { input: { allianceId: ids.b, unitId: units.hospitalId, role: 'OUT_OF_AREA' } });
    await ok(app, ADD, { input: { allianceId: ids.a, unitId: units.policeStationId, role: 'POLICE' } });
  });

  test('within an area (itself included), by name', async () => {
    expect(await listNames({ within: tree.districtId })).toEqual(['和平里社区"1+N+X"党建联盟', '幸福里社区"1+3+N"党建联盟', '新华街道大党委']);
    expect(await listNames({ within: tree.streetId })).toHaveLength(3);
    expect(await listNames({ within: tree.communityId })).toEqual(['幸福里社区"1+3+N"党建联盟']);
    expect(await listNames({ within: tree.gridId })).toEqual([]);
  });

  test('filters by models, search and memberUnitId', async () => {
    expect(await listNames({ within: tree.districtId, models: ['BIG_PARTY_COMMITTEE'] })).toEqual(['新华街道大党委']);
    expect(await listNames({ within: tree.districtId, models: ['ONE_THREE_N', 'ONE_N_X'] })).toHaveLength(2);
    expect(await listNames({ within: tree.districtId, search: '大党委' })).toEqual(['新华街道大党委']);
    expect(await listNames({ within: tree.districtId, search: '1+N+X' })).toEqual(['和平里社区"1+N+X"党建联盟']);
    expect(await listNames({ memberUnitId: units.hospitalId })).toEqual(['和平里社区"1+N+X"党建联盟', '幸福里社区"1+3+N"党建联盟']);
    expect(await listNames({ memberUnitId: units.policeStationId })).toEqual(['幸福里社区"1+3+N"党建联盟']);
    expect(await listNames({ memberUnitId: units.schoolId })).toEqual([]);
  });

  test('bad filter ids', async () => {
    expectError(await app.execute(LIST, { filter: { memberUnitId: tree.communityId } }), 'BAD_USER_INPUT', 'filter.memberUnitId');
    expectError(await app.execute(LIST, { filter: { memberUnitId: toGlobalId('Unit', 999999) } }), 'NOT_FOUND', 'filter.memberUnitId');
    expectError(await app.execute(LIST, { filter: { within: units.hospitalId } }), 'BAD_USER_INPUT', 'filter.within');
  });

  test('pagination walks every alliance once', async () => {
    const { ids: walked, pages } = await walkPages(app, LIST, 'alliances', 2, { filter: { within: tree.districtId } });
    expect(pages).toBe(2);
    expect(new Set(walked)).toEqual(new Set(Object.values(ids)));
    expect(walked).toHaveLength(3);
  });
});

describe('updateAlliance', () => {
  test('changes only the given fields', async () => {
    const { areaId, leadOrganizationId } = await freshCommunityWithCommittee();
    const id = (await ok(app, CREATE, { input: { areaId, model: 'ONE_N_X', name: '原名联盟', description: '说明', establishedOn: '2022-01-01', leadOrganizationId } })).createAlliance.id;
    const before = (await ok(app, NODE, { id })).node;
    const result = await ok(app, UPDATE, { id, input: { name: '新名联盟' } });
    expect(result.updateAlliance).toEqual({ ...before, __typename: undefined, name: '新名联盟' });
  });

  test('null clears the optional fields', async () => {
    const { areaId, leadOrganizationId } = await freshCommunityWithCommittee();
    const id = (await ok(app, CREATE, { input: { areaId, model: 'ONE_N_X', name: '联盟', description: '说明', establishedOn: '2022-01-01', leadOrganizationId } })).createAlliance.id;
    const result = await ok(app, UPDATE, { id, input: { description: null, establishedOn: null, leadOrganizationId: null } });
    expect(result.updateAlliance).toMatchObject({ description: null, establishedOn: null, leadOrganization: null, name: '联盟', model: 'ONE_N_X' });
    expect(await rawRow(app, 'alliance', id)).toMatchObject({ description: null, established_on: null, lead_organization_id: null });
  });

  test.each(['name', 'model'])('null on the required field %s gives BAD_USER_INPUT and writes nothing', async (field) => {
    const id = await createAlliance(await freshCommunity());
    const result = await expectNothingWritten(app, () => app.execute(UPDATE, { id, input: { [field]: null } }), [{ table: 'alliance', id }]);
    expectError(result, 'BAD_USER_INPUT', `input.${field}`);
  });

  test('a street alliance cannot become a community model; a community alliance can become a big party committee', async () => {
    const tree = await buildTree(app);
    const streetAlliance = await createAlliance(tree.streetId, 'BIG_PARTY_COMMITTEE', '新华街道大党委');
    const result = await expectNothingWritten(app, () => app.execute(UPDATE, { id: streetAlliance, input: { model: 'ONE_THREE_N' } }), [{ table: 'alliance', id: streetAlliance }]);
    expectError(result, 'BAD_USER_INPUT', 'input.model');
    const communityAlliance = await createAlliance(tree.communityId);
    expect((await ok(app, UPDATE, { id: communityAlliance, input: { model: 'BIG_PARTY_COMMITTEE' } })).updateAlliance.model).toBe('BIG_PARTY_COMMITTEE');
  });

  test('bad input and missing ids', async () => {
    const id = await createAlliance(await freshCommunity());
    const unchanged = [{ table: 'alliance' as const, id }];
    expectError(await expectNothingWritten(app, () => app.execute(UPDATE, { id, input: { name: '' } }), unchanged), 'BAD_USER_INPUT', 'name');
    expectError(await expectNothingWritten(app, () => app.execute(UPDATE, { id, input: { leadOrganizationId: w.partyMemberId } }), unchanged), 'BAD_USER_INPUT', 'input.leadOrganizationId');
    expectError(await expectNothingWritten(app, () => app.execute(UPDATE, { id, input: { name: '改名', leadOrganizationId: toGlobalId('PartyOrganization', 999999) } }), unchanged), 'NOT_FOUND', 'input.leadOrganizationId');
    expectError(await app.execute(UPDATE, { id: toGlobalId('Alliance', 999999), input: { name: '无' } }), 'NOT_FOUND', 'id');
    expectError(await app.execute(UPDATE, { id: w.communityId, input: { name: '无' } }), 'BAD_USER_INPUT', 'id');
  });
});

describe('alliance members', () => {
  test('add members of each role; the "3" need the matching unit kind', async () => {
    const allianceId = await createAlliance(await freshCommunity());
    const core = await ok(app, ADD, { input: { allianceId, unitId: w.units.hospitalId, role: 'CORE', joinedOn: '2021-07-01' } });
    expect(core.addAllianceMember).toEqual({
      id: expect.any(String),
      role: 'CORE',
      seatTitle: null,
      joinedOn: '2021-07-01',
      unit: { id: w.units.hospitalId, name: '市第一人民医院' },
      seatHolder: null,
      alliance: { id: allianceId },
    });
    const police = await ok(app, ADD, { input: { allianceId, unitId: w.units.policeStationId, role: 'POLICE', seatTitle: '兼职委员', seatHolderId: officerId } });
    expect(police.addAllianceMember).toMatchObject({ role: 'POLICE', seatTitle: '兼职委员', seatHolder: { id: officerId, name: '孙警官' } });
    await ok(app, ADD, { input: { allianceId, unitId: w.units.propertyCompanyId, role: 'PROPERTY' } });
    await ok(app, ADD, { input: { allianceId, unitId: w.units.ownersCommitteeId, role: 'OWNERS_COMMITTEE' } });
    await ok(app, ADD, { input: { allianceId, unitId: w.units.enterpriseId, role: 'OUT_OF_AREA' } });
    expect((await ok(app, NODE, { id: allianceId })).node.memberCount).toBe(5);
  });

  test.each([
    ['POLICE', 'hospitalId'],
    ['POLICE', 'propertyCompanyId'],
    ['PROPERTY', 'ownersCommitteeId'],
    ['PROPERTY', 'hospitalId'],
    ['OWNERS_COMMITTEE', 'propertyCompanyId'],
    ['OWNERS_COMMITTEE', 'policeStationId'],
  ] as const)('role %s for the unit %s is rejected (BAD_USER_INPUT on input.role) and nothing is written', async (role, unit) => {
    const allianceId = await createAlliance(await freshCommunity());
    const result = await expectNothingWritten(app, () => app.execute(ADD, { input: { allianceId, unitId: w.units[unit], role } }));
    expectError(result, 'BAD_USER_INPUT', 'input.role');
  });

  test('a unit twice in one alliance gives CONFLICT, even with another role', async () => {
    const allianceId = await createAlliance(await freshCommunity());
    await ok(app, ADD, { input: { allianceId, unitId: w.units.schoolId, role: 'IN_AREA' } });
    const result = await expectNothingWritten(app, () => app.execute(ADD, { input: { allianceId, unitId: w.units.schoolId, role: 'OUT_OF_AREA' } }));
    expectError(result, 'CONFLICT', 'input.unitId');
    // The same unit in another alliance is fine.
    const other = await createAlliance(await freshCommunity());
    await ok(app, ADD, { input: { allianceId: other, unitId: w.units.schoolId, role: 'OUT_OF_AREA' } });
  });

  test('five identical adds at once: one wins, every loser gets the sequential duplicate answer, one seat is stored', async () => {
    const allianceId = await createAlliance(await freshCommunity());
    const input = { allianceId, unitId: w.units.schoolId, role: 'IN_AREA' };
    const sequential = await expectRacedDuplicatesAnswerAsSequential(app, ADD, { input }, 'CONFLICT', 'input.unitId', 5);
    expect(sequential.errors![0].message).toBe('和平里小学 is already a member of this alliance');
    const [{ count }] = await app.orm.em.fork().execute('select count(*)::int as count from alliance_member where alliance_id = ?', [dbId(allianceId)]);
    expect(count).toBe(1);
  });

  test('a seat holder must be employed by the member unit', async () => {
    const allianceId = await createAlliance(await freshCommunity());
    const jobless = await createPerson(app, { name: '赵无业', partyStatus: 'RETIRED' });
    for (const seatHolderId of [w.partyMemberId, jobless]) {
      const result = await expectNothingWritten(app, () => app.execute(ADD, { input: { allianceId, unitId: w.units.policeStationId, role: 'POLICE', seatTitle: '兼职委员', seatHolderId } }));
      expectError(result, 'BAD_USER_INPUT', 'input.seatHolderId');
    }
  });

  test('a seat holder who leaves the unit (another employer, or none) leaves its seat vacant; seats held for their new unit stay', async () => {
    const UPDATE_PERSON = `mutation($id: ID!, $unit: ID) { updatePerson(id: $id, input: { employerUnitId: $unit }) { id } }`;
    const seatHolderOf = async (memberId: string) => (await ok(app, `query($id: ID!) { node(id: $id) { ... on AllianceMember { seatHolder { id } } } }`, { id: memberId })).node.seatHolder;
    for (const nextEmployer of [w.units.hospitalId, null]) {
      const allianceId = await createAlliance(await freshCommunity());
      const officer = await createPerson(app, { name: '钱警官', partyStatus: 'IN_SERVICE', employerUnitId: w.units.policeStationId });
      const seat = (await ok(app, ADD, { input: { allianceId, unitId: w.units.policeStationId, role: 'POLICE', seatTitle: '兼职委员', seatHolderId: officer } })).addAllianceMember.id;
      // A correction that keeps the employer keeps the seat.
      await ok(app, UPDATE_PERSON, { id: officer, unit: w.units.policeStationId });
      expect(await seatHolderOf(seat)).toEqual({ id: officer });
      if (nextEmployer === null) await ok(app, `mutation($id: ID!) { updatePerson(id: $id, input: { partyStatus: RETIRED }) { id } }`, { id: officer });
      await ok(app, UPDATE_PERSON, { id: officer, unit: nextEmployer });
      expect(await seatHolderOf(seat)).toBeNull();
    }
  });

  test('a seat holder who retires, the employer kept on record, leaves the seat vacant; nothing else changes (review: a retired member kept representing the unit in the alliance), and a retired person is given no seat', async () => {
    const UPDATE_STATUS = `mutation($id: ID!, $status: PartyStatus) { updatePerson(id: $id, input: { partyStatus: $status }) { id partyStatus } }`;
    const seatHolderOf = async (memberId: string) => (await ok(app, `query($id: ID!) { node(id: $id) { ... on AllianceMember { seatHolder { id } } } }`, { id: memberId })).node.seatHolder;
    const allianceId = await createAlliance(await freshCommunity());
    const otherAlliance = await createAlliance(await freshCommunity());
    const officer = await createPerson(app, { name: '李警官', partyStatus: 'IN_SERVICE', employerUnitId: w.units.policeStationId });
    const colleague = await createPerson(app, { name: '周警官', partyStatus: 'IN_SERVICE', employerUnitId: w.units.policeStationId });
    const seat = (await ok(app, ADD, { input: { allianceId, unitId: w.units.policeStationId, role: 'POLICE', seatTitle: '兼职委员', seatHolderId: officer, joinedOn: '2022-03-01' } })).addAllianceMember.id;
    const colleagueSeat = (await ok(app, ADD, { input: { allianceId: otherAlliance, unitId: w.units.policeStationId, role: 'POLICE', seatTitle: '兼职委员', seatHolderId: colleague } })).addAllianceMember.id;
    // An edit that keeps them in service keeps the seat.
    await ok(app, UPDATE_STATUS, { id: officer, status: 'IN_SERVICE' });
    expect(await seatHolderOf(seat)).toEqual({ id: officer });
    const [seatBefore, colleagueSeatBefore, officerBefore, countsBefore] = [await rawRow(app, 'alliance_member', seat), await rawRow(app, 'alliance_member', colleagueSeat), await rawRow(app, 'person', officer), await rowCounts(app)];

    expect((await ok(app, UPDATE_STATUS, { id: officer, status: 'RETIRED' })).updatePerson.partyStatus).toBe('RETIRED');
    expect(await seatHolderOf(seat)).toBeNull();
    expect(await rawRow(app, 'alliance_member', seat)).toEqual({ ...seatBefore, seat_holder_id: null, updated_at: expect.any(String) });
    // The employer stays on record; the colleague's seat for the same unit, and every table's rows, stay as they were.
    expect(await rawRow(app, 'person', officer)).toEqual({ ...officerBefore, party_status: 'RETIRED', updated_at: expect.any(String) });
    expect(await rawRow(app, 'alliance_member', colleagueSeat)).toEqual(colleagueSeatBefore);
    expect(await rowCounts(app)).toEqual(countsBefore);

    // Nor is a retired person seated for the unit they retired from, in a new seat or an existing one.
    const third = await createAlliance(await freshCommunity());
    const refused = await expectNothingWritten(app, () => app.execute(ADD, { input: { allianceId: third, unitId: w.units.policeStationId, role: 'POLICE', seatHolderId: officer } }));
    expectError(refused, 'BAD_USER_INPUT', 'input.seatHolderId');
    expect(refused.errors![0].message).toBe('input.seatHolderId: the seat holder must work at 新华派出所: this person has retired (RETIRED) from it');
    expectError(await expectNothingWritten(app, () => app.execute(UPDATE_MEMBER, { id: seat, input: { seatHolderId: officer } }), [{ table: 'alliance_member', id: seat }]), 'BAD_USER_INPUT', 'input.seatHolderId');
  });

  test('Migration20270101200000 vacates the seats of holders recorded as retired, or as working elsewhere, before the rules (they kept the seat until their next edit); seats of holders who still work at the unit stay', async () => {
    const allianceId = await createAlliance(await freshCommunity());
    const person = (name: string, partyStatus: 'IN_SERVICE' | 'MOBILE' | null, unit: string) => createPerson(app, { name, partyStatus, employerUnitId: unit });
    const seat = async (unitId: string, role: string, seatHolderId?: string) =>
      (await ok(app, ADD, { input: { allianceId, unitId, role, seatTitle: '兼职委员', ...(seatHolderId ? { seatHolderId } : {}) } })).addAllianceMember.id;
    const retiree = await person('郑警官', 'IN_SERVICE', w.units.policeStationId);
    const leaver = await person('冯医生', 'IN_SERVICE', w.units.hospitalId);
    const [teacher, mobile, staff] = [await person('陈老师', 'IN_SERVICE', w.units.schoolId), await person('褚经理', 'MOBILE', w.units.enterpriseId), await person('卫管家', null, w.units.propertyCompanyId)];
    const seats = {
      retired: await seat(w.units.policeStationId, 'POLICE', retiree),
      left: await seat(w.units.hospitalId, 'IN_AREA', leaver),
      teacher: await seat(w.units.schoolId, 'IN_AREA', teacher),
      mobile: await seat(w.units.enterpriseId, 'OUT_OF_AREA', mobile),
      staff: await seat(w.units.propertyCompanyId, 'PROPERTY', staff),
      vacant: await seat(w.units.ownersCommitteeId, 'OWNERS_COMMITTEE'),
    };
    // Legacy rows: the retirement and the move recorded before the person edit vacated the seat.
    const em = app.orm.em.fork();
    await em.execute(`update person set party_status = 'RETIRED' where id = ?`, [dbId(retiree)]);
    await em.execute('update person set employer_unit_id = ? where id = ?', [dbId(w.units.schoolId), dbId(leaver)]);
    const before = Object.fromEntries(await Promise.all(Object.entries(seats).map(async ([key, id]) => [key, await rawRow(app, 'alliance_member', id)])));
    expect([before.retired.seat_holder_id, before.left.seat_holder_id]).toEqual([dbId(retiree), dbId(leaver)]);
    const [personsBefore, countsBefore] = [[await rawRow(app, 'person', retiree), await rawRow(app, 'person', leaver)], await rowCounts(app)];

    const migration = new Migration20270101200000_vacate_legacy_seat_holders(app.orm.em.getDriver(), app.orm.config);
    await migration.up();
    expect(migration.getQueries().map(String)).toEqual([VACATE_SEATS_NOT_REPRESENTED]);
    for (const query of migration.getQueries()) await app.orm.em.fork().execute(String(query));

    // Only the holder is cleared, as the person edit clears it (vacateSeatsOutside); the title and the rest stay.
    expect(await rawRow(app, 'alliance_member', seats.retired)).toEqual({ ...before.retired, seat_holder_id: null });
    expect(await rawRow(app, 'alliance_member', seats.left)).toEqual({ ...before.left, seat_holder_id: null });
    for (const key of ['teacher', 'mobile', 'staff', 'vacant'] as const) expect({ key, row: await rawRow(app, 'alliance_member', seats[key]) }).toEqual({ key, row: before[key] });
    expect([await rawRow(app, 'person', retiree), await rawRow(app, 'person', leaver)]).toEqual(personsBefore);
    expect(await rowCounts(app)).toEqual(countsBefore);
  });

  test("community staff recording that a seat holder left the unit vacate their seat in the street's alliance too (outside the staff's scope)", async () => {
    const tree = await buildTree(app);
    const allianceId = await createAlliance(tree.streetId, 'BIG_PARTY_COMMITTEE', '新华街道大党委');
    const unit = await createUnit(app, { name: '街道派出所', kind: 'POLICE_STATION', areaId: tree.communityId });
    const officer = await createPerson(app, { name: '吴警官', partyStatus: 'IN_SERVICE', employerUnitId: unit, residenceCommunityId: tree.communityId });
    const seat = (await ok(app, ADD, { input: { allianceId, unitId: unit, role: 'POLICE', seatTitle: '兼职委员', seatHolderId: officer } })).addAllianceMember.id;
    const staff = accountViewer(Role.COMMUNITY_STAFF, [await areaPath(app, tree.communityId)]);
    const result = await app.execute(`mutation($id: ID!) { updatePerson(id: $id, input: { partyStatus: RETIRED, employerUnitId: null }) { id } }`, { id: officer }, staff);
    expect(result.errors).toBeUndefined();
    expect((await ok(app, `query($id: ID!) { node(id: $id) { ... on AllianceMember { seatHolder { id } } } }`, { id: seat })).node.seatHolder).toBeNull();
  });

  test('bad ids and bad input write nothing', async () => {
    const allianceId = await createAlliance(await freshCommunity());
    const cases: [Record<string, unknown>, string, string][] = [
      [{ unitId: w.communityId }, 'BAD_USER_INPUT', 'input.unitId'],
      [{ unitId: 'nope' }, 'BAD_USER_INPUT', 'input.unitId'],
      [{ unitId: toGlobalId('Unit', 999999) }, 'NOT_FOUND', 'input.unitId'],
      [{ allianceId: toGlobalId('Alliance', 999999) }, 'NOT_FOUND', 'input.allianceId'],
      [{ allianceId: w.communityId }, 'BAD_USER_INPUT', 'input.allianceId'],
      [{ seatHolderId: w.units.hospitalId }, 'BAD_USER_INPUT', 'input.seatHolderId'],
      [{ seatHolderId: toGlobalId('Person', 999999) }, 'NOT_FOUND', 'input.seatHolderId'],
      [{ seatTitle: '' }, 'BAD_USER_INPUT', 'seatTitle'],
    ];
    for (const [overrides, code, field] of cases) {
      const input = { allianceId, unitId: w.units.hospitalId, role: 'CORE', ...overrides };
      expectError(await expectNothingWritten(app, () => app.execute(ADD, { input })), code, field);
    }
  });

  test('updateAllianceMember: changes only given fields, clears with null, keeps the rules', async () => {
    const allianceId = await createAlliance(await freshCommunity());
    const member = (await ok(app, ADD, { input: { allianceId, unitId: w.units.policeStationId, role: 'POLICE', seatTitle: '兼职委员', seatHolderId: officerId, joinedOn: '2022-03-01' } })).addAllianceMember;
    const unchanged = [{ table: 'alliance_member' as const, id: member.id }];

    const retitled = await ok(app, UPDATE_MEMBER, { id: member.id, input: { seatTitle: '兼职副书记' } });
    expect(retitled.updateAllianceMember).toEqual({ ...member, seatTitle: '兼职副书记' });

    expectError(await expectNothingWritten(app, () => app.execute(UPDATE_MEMBER, { id: member.id, input: { role: null } }), unchanged), 'BAD_USER_INPUT', 'input.role');
    expectError(await expectNothingWritten(app, () => app.execute(UPDATE_MEMBER, { id: member.id, input: { role: 'PROPERTY' } }), unchanged), 'BAD_USER_INPUT', 'input.role');
    expectError(await expectNothingWritten(app, () => app.execute(UPDATE_MEMBER, { id: member.id, input: { seatHolderId: w.partyMemberId } }), unchanged), 'BAD_USER_INPUT', 'input.seatHolderId');

    const inArea = await ok(app, UPDATE_MEMBER, { id: member.id, input: { role: 'IN_AREA' } });
    expect(inArea.updateAllianceMember.role).toBe('IN_AREA');

    const cleared = await ok(app, UPDATE_MEMBER, { id: member.id, input: { seatTitle: null, seatHolderId: null, joinedOn: null } });
    expect(cleared.updateAllianceMember).toMatchObject({ seatTitle: null, seatHolder: null, joinedOn: null, role: 'IN_AREA' });
    expect(await rawRow(app, 'alliance_member', member.id)).toMatchObject({ seat_title: null, seat_holder_id: null, joined_on: null });

    expectError(await app.execute(UPDATE_MEMBER, { id: toGlobalId('AllianceMember', 999999), input: { seatTitle: '无' } }), 'NOT_FOUND', 'id');
  });

  test('removeAllianceMember removes the membership and returns its ID', async () => {
    const allianceId = await createAlliance(await freshCommunity());
    const member = (await ok(app, ADD, { input: { allianceId, unitId: w.units.hospitalId, role: 'CORE' } })).addAllianceMember;
    await ok(app, ADD, { input: { allianceId, unitId: w.units.schoolId, role: 'IN_AREA' } });
    const before = await rowCounts(app);
    const removed = await ok(app, REMOVE, { id: member.id });
    expect(removed.removeAllianceMember).toBe(member.id);
    expect((await rowCounts(app)).alliance_member).toBe(before.alliance_member - 1);
    expect(await rawRow(app, 'alliance_member', member.id)).toBeUndefined();
    const after = await ok(app, `query($id: ID!, $m: ID!) { a: node(id: $id) { ... on Alliance { memberCount members { edges { node { unit { name } } } } } } m: node(id: $m) { id } }`, { id: allianceId, m: member.id });
    expect(after).toEqual({ a: { memberCount: 1, members: { edges: [{ node: { unit: { name: '和平里小学' } } }] } }, m: null });
    expectError(await expectNothingWritten(app, () => app.execute(REMOVE, { id: member.id })), 'NOT_FOUND', 'id');
    expectError(await expectNothingWritten(app, () => app.execute(REMOVE, { id: allianceId })), 'BAD_USER_INPUT', 'id');
    // The unit may rejoin.
    await ok(app, ADD, { input: { allianceId, unitId: w.units.hospitalId, role: 'CORE' } });
  });

  test('a unit holding a POLICE seat cannot stop being a police station', async () => {
    const allianceId = await createAlliance(await freshCommunity());
    const stationId = await createUnit(app, { name: '幸福里警务室', kind: 'POLICE_STATION' });
    await ok(app, ADD, { input: { allianceId, unitId: stationId, role: 'POLICE' } });
    const result = await expectNothingWritten(
      app,
      () => app.execute(`mutation($id: ID!) { updateUnit(id: $id, input: { kind: ENTERPRISE }) { id kind } }`, { id: stationId }),
      [{ table: 'unit', id: stationId }],
    );
    expectError(result, 'BAD_USER_INPUT');
  });

  const UPDATE_KIND = `mutation($id: ID!, $input: UpdateUnitInput!) { updateUnit(id: $id, input: $input) { id kind } }`;

  test('a kind change and a POLICE seat at the same moment: the seat waits for the change and is refused', async () => {
    const allianceId = await createAlliance(await freshCommunity());
    const police = await createUnit(app, { name: '竞态派出所', kind: 'POLICE_STATION', areaId: w.communityId });
    const [changed, seated] = await race(app, ['select 1 from unit where id = $1 for no key update', [dbId(police)]],
      () => app.execute(UPDATE_KIND, { id: police, input: { kind: 'ENTERPRISE' } }),
      () => app.execute(ADD, { input: { allianceId, unitId: police, role: 'POLICE' } }));
    expect(changed.errors).toBeUndefined();
    expectError(seated, 'BAD_USER_INPUT', 'input.role');
    expect(await app.orm.em.fork().execute('select role from alliance_member where alliance_id = ?', [dbId(allianceId)])).toEqual([]);
  });

  test('a POLICE seat and a kind change at the same moment: the change waits for the seat and is refused', async () => {
    const allianceId = await createAlliance(await freshCommunity());
    const police = await createUnit(app, { name: '竞态警务室', kind: 'POLICE_STATION', areaId: w.communityId });
    const [seated, changed] = await race(app, ['select 1 from unit where id = $1 for no key update', [dbId(police)]],
      () => app.execute(ADD, { input: { allianceId, unitId: police, role: 'POLICE' } }),
      () => app.execute(UPDATE_KIND, { id: police, input: { kind: 'ENTERPRISE' } }));
    expect(seated.errors).toBeUndefined();
    expectError(changed, 'BAD_USER_INPUT', 'input.kind');
    expect((await rawRow(app, 'unit', police))!.kind).toBe('POLICE_STATION');
  });
});

describe('nested relations', () => {
  test('community { alliance { members { edges { node { role unit { name } } } } } } and unit { allianceMemberships }', async () => {
    const tree = await buildTree(app);
    const units = await buildUnits(app, tree);
    const leadId = await createPartyOrganization(app, { name: '幸福里社区党委', kind: 'COMMITTEE', areaId: tree.communityId });
    const allianceId = (await ok(app, CREATE, { input: { areaId: tree.communityId, model: 'ONE_THREE_N', name: '幸福里社区"1+3+N"党建联盟', leadOrganizationId: leadId } })).createAlliance.id;
    const joined: [string, string][] = [
      [units.hospitalId, 'CORE'],
      [units.policeStationId, 'POLICE'],
      [units.ownersCommitteeId, 'OWNERS_COMMITTEE'],
      [units.propertyCompanyId, 'PROPERTY'],
      [units.schoolId, 'IN_AREA'],
      [units.enterpriseId, 'OUT_OF_AREA'],
    ];
    for (const [unitId, role] of joined) await ok(app, ADD, { input: { allianceId, unitId, role } });

    const data = await ok(app, `query($community: ID!, $other: ID!, $unit: ID!) {
      community: node(id: $community) { ... on Community { alliance { id model memberCount leadOrganization { name } area { id }
        members { totalCount edges { node { role unit { name } } } } } } }
      other: node(id: $other) { ... on Community { alliance { id } } }
      unit: node(id: $unit) { ... on Unit { allianceMemberships { totalCount edges { node { role alliance { id name } } } } } }
    }`, { community: tree.communityId, other: tree.otherCommunityId, unit: units.schoolId });

    expect(data.community.alliance).toEqual({
      id: allianceId,
      model: 'ONE_THREE_N',
      memberCount: 6,
      leadOrganization: { name: '幸福里社区党委' },
      area: { id: tree.communityId },
      members: {
        totalCount: 6,
        // In the order they joined.
        edges: [
          { node: { role: 'CORE', unit: { name: '市第一人民医院' } } },
          { node: { role: 'POLICE', unit: { name: '新华派出所' } } },
          { node: { role: 'OWNERS_COMMITTEE', unit: { name: '幸福里小区业主委员会' } } },
          { node: { role: 'PROPERTY', unit: { name: '幸福物业服务有限公司' } } },
          { node: { role: 'IN_AREA', unit: { name: '和平里小学' } } },
          { node: { role: 'OUT_OF_AREA', unit: { name: '外区科技有限公司' } } },
        ],
      },
    });
    expect(data.other.alliance).toBeNull();
    expect(data.unit.allianceMemberships).toEqual({ totalCount: 1, edges: [{ node: { role: 'IN_AREA', alliance: { id: allianceId, name: '幸福里社区"1+3+N"党建联盟' } } }] });

    // Paging through the members of one alliance.
    const PAGE = `query($id: ID!, $first: Int, $after: String) { node(id: $id) { ... on Alliance { members(first: $first, after: $after) { edges { cursor node { id } } pageInfo { hasNextPage endCursor } } } } }`;
    const seen: string[] = [];
    let after: string | null = null;
    for (;;) {
      const page: any = await ok(app, PAGE, { id: allianceId, first: 4, after });
      seen.push(...page.node.members.edges.map((edge: any) => edge.node.id));
      if (!page.node.members.pageInfo.hasNextPage) break;
      after = page.node.members.pageInfo.endCursor;
    }
    expect(seen).toHaveLength(6);
    expect(new Set(seen).size).toBe(6);
  });
});
