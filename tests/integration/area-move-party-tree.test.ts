import { buildWorld, createCommunity, createGrid, createPartyOrganization, createStreet, expectError, expectNothingWritten, ok, rawRow, uniqueCode, type World } from '../helpers/fixtures';
import { createTestApp, type TestApp } from '../helpers/test-app';

// Moving an area carries the organisations attached to its subtree along; one whose parent
// organisation stays behind, off its new line of the area tree, broke the nesting rule that
// create/updatePartyOrganization keep (a grid branch moved with its grid kept the old community's
// committee as parent). The move now re-parents it under the one organisation of the nearest
// area above it on its new line, takes the one named in organizationParentId, or is refused.

let app: TestApp;
let w: World;

beforeAll(async () => {
  app = await createTestApp();
  w = await buildWorld(app);
});
afterAll(async () => {
  await app?.close();
});

const MOVE = `mutation($id: ID!, $input: UpdateAreaInput!) { updateArea(id: $id, input: $input) { id } }`;
const PARENT = `query($id: ID!) { node(id: $id) { ... on PartyOrganization { parent { id } } } }`;
const parentOf = async (org: string): Promise<string | null> => (await ok(app, PARENT, { id: org })).node.parent?.id ?? null;
const move = (id: string, input: Record<string, unknown>) => app.execute(MOVE, { id, input });

let seq = 0;
const community = (streetId = w.streetId) => createCommunity(app, streetId, `迁移社区${++seq}`);
const district = async (): Promise<string> =>
  (await ok(app, `mutation($input: CreateDistrictInput!) { createDistrict(input: $input) { id } }`, { input: { name: `迁入区${++seq}`, code: uniqueCode('D') } })).createDistrict.id;

test('a grid moved to another community takes its branch under that community\'s committee; the branch\'s own group stays under it', async () => {
  const [from, to] = [await community(), await community()];
  const grid = await createGrid(app, from, '迁移网格');
  const oldCommittee = await createPartyOrganization(app, { name: '迁出社区党委', kind: 'COMMITTEE', areaId: from });
  const newCommittee = await createPartyOrganization(app, { name: '迁入社区党委', kind: 'COMMITTEE', areaId: to });
  // A functional branch and a group on the new community are not territorial parents: not candidates.
  await createPartyOrganization(app, { name: '迁入社区流动党员党支部', kind: 'BRANCH', areaId: to, functional: true, parentId: newCommittee });
  const branch = await createPartyOrganization(app, { name: '迁移网格党支部', kind: 'BRANCH', areaId: grid, parentId: oldCommittee });
  const building = (await ok(app, `mutation($input: CreateBuildingInput!) { createBuilding(input: $input) { id } }`, { input: { name: '迁移1号楼', code: uniqueCode('B'), gridId: grid } })).createBuilding.id;
  const group = await createPartyOrganization(app, { name: '迁移1号楼党小组', kind: 'GROUP', areaId: building, parentId: branch });
  const groupBefore = await rawRow(app, 'party_organization', group);

  await ok(app, MOVE, { id: grid, input: { parentId: to } });
  expect(await parentOf(branch)).toBe(newCommittee);
  expect(await rawRow(app, 'party_organization', group)).toEqual(groupBefore);
  // The tree now keeps the rule updatePartyOrganization enforces: re-asserting the parent passes.
  await ok(app, `mutation($id: ID!, $input: UpdatePartyOrganizationInput!) { updatePartyOrganization(id: $id, input: $input) { id } }`, { id: branch, input: { parentId: newCommittee } });
});

test('a street moved to another district: its nested committees stay as they are, its committee goes under the new district\'s', async () => {
  const [fromDistrict, toDistrict] = [await district(), await district()];
  const street = await createStreet(app, fromDistrict, '迁移街道');
  const streetCommunity = await community(street);
  const grid = await createGrid(app, streetCommunity, '街道网格');
  const oldDistrictCommittee = await createPartyOrganization(app, { name: '迁出区委', kind: 'COMMITTEE', areaId: fromDistrict });
  const newDistrictCommittee = await createPartyOrganization(app, { name: '迁入区委', kind: 'COMMITTEE', areaId: toDistrict });
  const streetCommittee = await createPartyOrganization(app, { name: '迁移街道党工委', kind: 'COMMITTEE', areaId: street, parentId: oldDistrictCommittee });
  const communityCommittee = await createPartyOrganization(app, { name: '街道社区党委', kind: 'COMMITTEE', areaId: streetCommunity, parentId: streetCommittee });
  const branch = await createPartyOrganization(app, { name: '街道网格党支部', kind: 'BRANCH', areaId: grid, parentId: communityCommittee });
  const nested = [communityCommittee, branch];
  const before = await Promise.all(nested.map((id) => rawRow(app, 'party_organization', id)));

  await ok(app, MOVE, { id: street, input: { parentId: toDistrict } });
  expect(await Promise.all(nested.map((id) => rawRow(app, 'party_organization', id)))).toEqual(before);
  expect(await parentOf(streetCommittee)).toBe(newDistrictCommittee);
});

test('a grid moved within its street under the street\'s committee keeps that parent', async () => {
  const [from, to] = [await community(), await community()];
  const grid = await createGrid(app, from, '同街网格');
  const streetCommittee = await createPartyOrganization(app, { name: '新华街道党工委', kind: 'COMMITTEE', areaId: w.streetId });
  await createPartyOrganization(app, { name: '同街迁入社区党委', kind: 'COMMITTEE', areaId: to });
  const branch = await createPartyOrganization(app, { name: '同街网格党支部', kind: 'BRANCH', areaId: grid, parentId: streetCommittee });
  const before = await rawRow(app, 'party_organization', branch);
  await ok(app, MOVE, { id: grid, input: { parentId: to } });
  expect(await rawRow(app, 'party_organization', branch)).toEqual(before);
});

test('two organisations on the nearest area: the move is refused (CONFLICT naming the branch) and nothing changes, unless one is named', async () => {
  const [from, to] = [await community(), await community()];
  const grid = await createGrid(app, from, '歧义网格');
  const oldCommittee = await createPartyOrganization(app, { name: '歧义迁出社区党委', kind: 'COMMITTEE', areaId: from });
  const first = await createPartyOrganization(app, { name: '歧义迁入社区党委', kind: 'COMMITTEE', areaId: to });
  await createPartyOrganization(app, { name: '歧义迁入社区党总支', kind: 'GENERAL_BRANCH', areaId: to });
  const branch = await createPartyOrganization(app, { name: '歧义网格党支部', kind: 'BRANCH', areaId: grid, parentId: oldCommittee });
  const unchanged = [{ table: 'area', id: grid }, { table: 'party_organization', id: branch }];

  const refused = await expectNothingWritten(app, () => move(grid, { parentId: to }), unchanged);
  expectError(refused, 'CONFLICT', 'input.organizationParentId');
  expect(refused.errors![0].message).toContain('歧义网格党支部');

  // A parent off the branch's new line (the old committee) is refused too, as updatePartyOrganization refuses it.
  expectError(await expectNothingWritten(app, () => move(grid, { parentId: to, organizationParentId: oldCommittee }), unchanged), 'BAD_USER_INPUT', 'input.organizationParentId');

  await ok(app, MOVE, { id: grid, input: { parentId: to, organizationParentId: first } });
  expect(await parentOf(branch)).toBe(first);
});

test('no organisation anywhere on the new line: refused, nothing changes', async () => {
  const emptyStreet = await createStreet(app, await district(), '空街道');
  const to = await community(emptyStreet);
  const from = await community();
  const grid = await createGrid(app, from, '无处网格');
  const oldCommittee = await createPartyOrganization(app, { name: '无处迁出社区党委', kind: 'COMMITTEE', areaId: from });
  const branch = await createPartyOrganization(app, { name: '无处网格党支部', kind: 'BRANCH', areaId: grid, parentId: oldCommittee });
  const result = await expectNothingWritten(app, () => move(grid, { parentId: to }), [{ table: 'area', id: grid }, { table: 'party_organization', id: branch }]);
  expectError(result, 'CONFLICT', 'input.organizationParentId');
  expect(result.errors![0].message).toContain('无处网格党支部');
});

test('an organisation left behind under a parent the move takes away is not re-parented silently: refused, nothing changes', async () => {
  const [from, to] = [await community(), await community()];
  const grid = await createGrid(app, from, '留守网格');
  const branch = await createPartyOrganization(app, { name: '留守网格党支部', kind: 'BRANCH', areaId: grid });
  // A functional branch on the community, organised under the grid's branch (a parent inside its area).
  const functional = await createPartyOrganization(app, { name: '留守社区志愿者党支部', kind: 'BRANCH', areaId: from, functional: true, parentId: branch });
  const result = await expectNothingWritten(app, () => move(grid, { parentId: to }), [{ table: 'area', id: grid }, { table: 'party_organization', id: functional }]);
  expectError(result, 'CONFLICT', 'input.parentId');
  expect(result.errors![0].message).toContain('留守社区志愿者党支部');
});

test('organizationParentId is only for a move', async () => {
  const committee = await createPartyOrganization(app, { name: '无移动社区党委', kind: 'COMMITTEE', areaId: w.communityId });
  expectError(await move(w.gridId, { name: '改名网格', organizationParentId: committee }), 'BAD_USER_INPUT', 'input.organizationParentId');
});
