import { Role } from '../../src/modules/identity/role';
import { accountViewer, areaPath } from '../helpers/access-fixtures';
import { buildWorld, createPartyOrganization, expectError, expectNothingWritten, ok, uniqueCode, type World } from '../helpers/fixtures';
import { createTestApp, type TestApp } from '../helpers/test-app';

// The party tree stays inside one line of the area tree (community committee → grid branch →
// building group): an organisation's parent sits on its area, above or inside it. Without the rule, staff of one community
// hung their branch under the neighbour community's committee, which then listed it as its child.

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

const ORG = `id area { id } parent { id }`;
const CREATE = `mutation($input: CreatePartyOrganizationInput!) { createPartyOrganization(input: $input) { ${ORG} } }`;
const UPDATE = `mutation($id: ID!, $input: UpdatePartyOrganizationInput!) { updatePartyOrganization(id: $id, input: $input) { ${ORG} } }`;
const CHILDREN = `query($id: ID!) { node(id: $id) { ... on PartyOrganization { children { totalCount } } } }`;

const branchInput = (parentId: string) => ({ name: '幸福里第一网格党支部', code: uniqueCode('DZ'), kind: 'BRANCH', areaId: w.gridId, parentId });

test('community staff cannot hang a branch of their grid under the neighbour community\'s committee; nothing is written', async () => {
  const staff = accountViewer(Role.COMMUNITY_STAFF, [await areaPath(app, w.communityId)]);
  const result = await expectNothingWritten(app, () => app.execute(CREATE, { input: branchInput(otherCommittee) }, staff));
  expectError(result, 'BAD_USER_INPUT', 'input.parentId');
  expect((await ok(app, CHILDREN, { id: otherCommittee })).node.children.totalCount).toBe(0);
});

test('nor may an administrator: the parent must sit on the organisation\'s line of the area tree', async () => {
  expectError(await expectNothingWritten(app, () => app.execute(CREATE, { input: branchInput(otherCommittee) })), 'BAD_USER_INPUT', 'input.parentId');
  // Under its own community's committee, or the street's, it is fine.
  const streetCommittee = await createPartyOrganization(app, { name: '新华街道党工委', kind: 'COMMITTEE', areaId: w.streetId });
  expect((await ok(app, CREATE, { input: branchInput(ownCommittee) })).createPartyOrganization.parent.id).toBe(ownCommittee);
  expect((await ok(app, CREATE, { input: branchInput(streetCommittee) })).createPartyOrganization.parent.id).toBe(streetCommittee);
});

test('updates keep the rule: re-parenting under another community\'s committee, or re-attaching out from under the parent, is refused', async () => {
  const branch = (await ok(app, CREATE, { input: branchInput(ownCommittee) })).createPartyOrganization.id;
  const unchanged = [{ table: 'party_organization' as const, id: branch }];
  expectError(await expectNothingWritten(app, () => app.execute(UPDATE, { id: branch, input: { parentId: otherCommittee } }), unchanged), 'BAD_USER_INPUT', 'input.parentId');
  expectError(await expectNothingWritten(app, () => app.execute(UPDATE, { id: branch, input: { areaId: w.otherGridId } }), unchanged), 'BAD_USER_INPUT', 'input.areaId');
  // Both together, consistently, is a move of the branch to the other community.
  const moved = (await ok(app, UPDATE, { id: branch, input: { areaId: w.otherGridId, parentId: otherCommittee } })).updatePartyOrganization;
  expect(moved).toMatchObject({ area: { id: w.otherGridId }, parent: { id: otherCommittee } });
});
