import { Role } from '../../src/modules/identity/role';
import { accountViewer, areaPath } from '../helpers/access-fixtures';
import { buildWorld, createCommunity, createPartyOrganization, createUnit, expectError, expectNothingWritten, ok, rawRow, type World } from '../helpers/fixtures';
import { createTestApp, type TestApp } from '../helpers/test-app';

let app: TestApp;
let w: World;
let ownCommittee: string;
let otherCommittee: string;

beforeAll(async () => {
  app = await createTestApp();
  w = await buildWorld(app);
  ownCommittee = await createPartyOrganization(app, { name: '幸福里社区党委', kind: 'COMMITTEE', areaId: w.communityId });
  otherCommittee = await createPartyOrganization(app, { name: '和平里社区党委', kind: 'COMMITTEE', areaId: w.otherCommunityId });
});
afterAll(async () => {
  await app?.close();
});

const CREATE = `mutation($input: CreateAllianceInput!) { createAlliance(input: $input) { id leadOrganization { id } } }`;
const UPDATE = `mutation($id: ID!, $input: UpdateAllianceInput!) { updateAlliance(id: $id, input: $input) { id leadOrganization { id } } }`;
const UPDATE_ORG = `mutation($id: ID!, $input: UpdatePartyOrganizationInput!) { updatePartyOrganization(id: $id, input: $input) { id } }`;
const ADD = `mutation($input: AddAllianceMemberInput!) { addAllianceMember(input: $input) { id role } }`;
const UPDATE_MEMBER = `mutation($id: ID!, $input: UpdateAllianceMemberInput!) { updateAllianceMember(id: $id, input: $input) { id role } }`;

let seq = 0;
const freshCommunity = () => createCommunity(app, w.streetId, `联盟测试社区${++seq}`);

describe('the leading organisation (the "1") is the alliance area\'s own', () => {
  test('community staff cannot make the neighbour community\'s committee lead their alliance; nothing is written', async () => {
    const staff = accountViewer(Role.COMMUNITY_STAFF, [await areaPath(app, w.communityId)]);
    const input = { areaId: w.communityId, name: '幸福里"1+3+N"党建联盟', model: 'ONE_THREE_N', leadOrganizationId: otherCommittee };
    expectError(await expectNothingWritten(app, () => app.execute(CREATE, { input }, staff)), 'BAD_USER_INPUT', 'input.leadOrganizationId');
    expectError(await expectNothingWritten(app, () => app.execute(CREATE, { input })), 'BAD_USER_INPUT', 'input.leadOrganizationId');
    // Their own community's committee is fine.
    const created = await app.execute(CREATE, { input: { ...input, leadOrganizationId: ownCommittee } }, staff);
    expect(created.errors).toBeUndefined();
    expect(created.data.createAlliance.leadOrganization.id).toBe(ownCommittee);
  });

  test('updateAlliance refuses a lead from another community, and a party group of another community', async () => {
    const community = await freshCommunity();
    const lead = await createPartyOrganization(app, { name: '新社区党委', kind: 'COMMITTEE', areaId: community });
    const id = (await ok(app, CREATE, { input: { areaId: community, name: '新社区联盟', model: 'ONE_N_X', leadOrganizationId: lead } })).createAlliance.id;
    const group = await createPartyOrganization(app, { name: '幸福里1号楼党小组', kind: 'GROUP', areaId: w.buildingId });
    for (const leadOrganizationId of [otherCommittee, group]) {
      const result = await expectNothingWritten(app, () => app.execute(UPDATE, { id, input: { leadOrganizationId } }), [{ table: 'alliance', id }]);
      expectError(result, 'BAD_USER_INPUT', 'input.leadOrganizationId');
    }
    expect((await ok(app, UPDATE, { id, input: { leadOrganizationId: null } })).updateAlliance.leadOrganization).toBeNull();
  });

  test('a street\'s big party committee may be led by the street\'s committee', async () => {
    const streetCommittee = await createPartyOrganization(app, { name: '新华街道党工委', kind: 'COMMITTEE', areaId: w.streetId });
    const result = await ok(app, CREATE, { input: { areaId: w.streetId, name: '新华街道大党委', model: 'BIG_PARTY_COMMITTEE', leadOrganizationId: streetCommittee } });
    expect(result.createAlliance.leadOrganization.id).toBe(streetCommittee);
  });

  test('the leading committee cannot be re-attached to another community while it leads the alliance', async () => {
    const community = await freshCommunity();
    const lead = await createPartyOrganization(app, { name: '再一个社区党委', kind: 'COMMITTEE', areaId: community });
    await ok(app, CREATE, { input: { areaId: community, name: '再一个联盟', model: 'ONE_THREE_N', leadOrganizationId: lead } });
    const result = await expectNothingWritten(app, () => app.execute(UPDATE_ORG, { id: lead, input: { areaId: w.otherCommunityId } }), [{ table: 'party_organization', id: lead }]);
    expectError(result, 'BAD_USER_INPUT', 'input.areaId');
  });
});

describe('an alliance has one CORE seat (the "1")', () => {
  test('a second CORE unit is refused, by add and by a role change; nothing is written', async () => {
    const community = await freshCommunity();
    const id = (await ok(app, CREATE, { input: { areaId: community, name: '单核联盟', model: 'ONE_THREE_N' } })).createAlliance.id;
    const office = await createUnit(app, { name: '新华街道办事处', kind: 'AGENCY', areaId: w.streetId });
    const agency = await createUnit(app, { name: '区民政局', kind: 'AGENCY' });
    const core = (await ok(app, ADD, { input: { allianceId: id, unitId: office, role: 'CORE' } })).addAllianceMember.id;
    expectError(await expectNothingWritten(app, () => app.execute(ADD, { input: { allianceId: id, unitId: agency, role: 'CORE' } })), 'CONFLICT', 'input.role');
    const seat = (await ok(app, ADD, { input: { allianceId: id, unitId: agency, role: 'IN_AREA' } })).addAllianceMember.id;
    const result = await expectNothingWritten(app, () => app.execute(UPDATE_MEMBER, { id: seat, input: { role: 'CORE' } }), [{ table: 'alliance_member', id: seat }]);
    expectError(result, 'CONFLICT', 'input.role');
    expect((await rawRow(app, 'alliance_member', seat))!.role).toBe('IN_AREA');
    // The CORE seat itself may be edited, its role given again included.
    expect((await ok(app, UPDATE_MEMBER, { id: core, input: { role: 'CORE', seatTitle: '兼职副书记' } })).updateAllianceMember.role).toBe('CORE');
  });

  test('two different units added as CORE at the same moment: one seat is stored', async () => {
    const community = await freshCommunity();
    const id = (await ok(app, CREATE, { input: { areaId: community, name: '并发单核联盟', model: 'ONE_THREE_N' } })).createAlliance.id;
    const units = await Promise.all([1, 2, 3, 4].map((i) => createUnit(app, { name: `并发核心单位${i}`, kind: 'AGENCY' })));
    const results = await Promise.all(units.map((unitId) => app.execute(ADD, { input: { allianceId: id, unitId, role: 'CORE' } })));
    expect(results.filter((result) => !result.errors)).toHaveLength(1);
    for (const loser of results.filter((result) => result.errors)) expectError(loser, 'CONFLICT', 'input.role');
    const rows = await app.orm.em.fork().execute(`select count(*)::int as n from alliance_member m join alliance a on a.id = m.alliance_id where a.name = '并发单核联盟' and m.role = 'CORE'`);
    expect(rows[0].n).toBe(1);
  });
});
