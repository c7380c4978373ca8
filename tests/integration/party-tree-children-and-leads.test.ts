import { buildWorld, createCommunity, createGrid, createPartyOrganization, createUnit, dbId, expectError, expectNothingWritten, ok, rawRow, type World } from '../helpers/fixtures';
import { createTestApp, type TestApp } from '../helpers/test-app';

// The party-tree nesting rule and the alliance lead rule hold from every side that can break them.
// Found by a review of this session's changes: each was checked from one side only.

let app: TestApp;
let w: World;

beforeAll(async () => {
  app = await createTestApp();
  w = await buildWorld(app);
});
afterAll(async () => {
  await app?.close();
});

const UPDATE_ORG = `mutation($id: ID!, $input: UpdatePartyOrganizationInput!) { updatePartyOrganization(id: $id, input: $input) { id area { id } } }`;
const MOVE_AREA = `mutation($id: ID!, $to: ID!) { updateArea(id: $id, input: { parentId: $to }) { id } }`;
const CREATE_ALLIANCE = `mutation($input: CreateAllianceInput!) { createAlliance(input: $input) { id } }`;
const ADD = `mutation($input: AddAllianceMemberInput!) { addAllianceMember(input: $input) { id role } }`;
const UPDATE_MEMBER = `mutation($id: ID!, $input: UpdateAllianceMemberInput!) { updateAllianceMember(id: $id, input: $input) { id role seatTitle } }`;

let seq = 0;
const freshCommunity = () => createCommunity(app, w.streetId, `复核社区${++seq}`);

test('a committee with branches on its grids cannot be re-attached to another community: its branches would sit under the neighbour\'s committee', async () => {
  const community = await freshCommunity();
  const grid = await createGrid(app, community, '复核网格');
  const committee = await createPartyOrganization(app, { name: '复核社区党委', kind: 'COMMITTEE', areaId: community });
  await createPartyOrganization(app, { name: '复核网格党支部', kind: 'BRANCH', areaId: grid, parentId: committee });
  const result = await expectNothingWritten(app, () => app.execute(UPDATE_ORG, { id: committee, input: { areaId: w.otherCommunityId } }), [{ table: 'party_organization', id: committee }]);
  expectError(result, 'BAD_USER_INPUT', 'input.areaId');
  // Down its own line (onto its own grid) the branch is still inside it: fine.
  expect((await ok(app, UPDATE_ORG, { id: committee, input: { areaId: grid } })).updatePartyOrganization.area.id).toBe(grid);
});

test('a grid whose branch leads its community\'s alliance cannot be moved to another community; nothing is written', async () => {
  const community = await freshCommunity();
  const grid = await createGrid(app, community, '领头网格');
  const lead = await createPartyOrganization(app, { name: '领头网格党支部', kind: 'BRANCH', areaId: grid });
  await ok(app, CREATE_ALLIANCE, { input: { areaId: community, name: '复核联盟', model: 'ONE_THREE_N', leadOrganizationId: lead } });
  const result = await expectNothingWritten(app, () => app.execute(MOVE_AREA, { id: grid, to: w.otherCommunityId }), [{ table: 'area', id: grid }]);
  expectError(result, 'BAD_USER_INPUT', 'input.parentId');
});

test('a seat of an alliance holding two CORE seats from before the rule can still be edited without touching its role', async () => {
  const community = await freshCommunity();
  const alliance = (await ok(app, CREATE_ALLIANCE, { input: { areaId: community, name: '旧数据联盟', model: 'ONE_THREE_N' } })).createAlliance.id;
  const first = (await ok(app, ADD, { input: { allianceId: alliance, unitId: await createUnit(app, { name: '旧核心单位一', kind: 'AGENCY' }), role: 'CORE' } })).addAllianceMember.id;
  const second = (await ok(app, ADD, { input: { allianceId: alliance, unitId: await createUnit(app, { name: '旧核心单位二', kind: 'AGENCY' }), role: 'IN_AREA' } })).addAllianceMember.id;
  // As four concurrent adds left it before the rule: two CORE seats.
  await app.orm.em.fork().execute(`update alliance_member set role = 'CORE' where id = ?`, [dbId(second)]);
  const edited = await app.execute(UPDATE_MEMBER, { id: first, input: { seatTitle: '兼职副书记' } });
  expect(edited.errors).toBeUndefined();
  expect((await rawRow(app, 'alliance_member', first))!.seat_title).toBe('兼职副书记');
  // Mending it, by giving the second another role, works too.
  expect((await ok(app, UPDATE_MEMBER, { id: second, input: { role: 'IN_AREA' } })).updateAllianceMember.role).toBe('IN_AREA');
});
