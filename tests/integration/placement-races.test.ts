/**
 * reportMember's placement rule (a reported member sits in a branch or group inside the community
 * they live in: assertPlacement, assertPlacementsHold) against the writers that move what the rule
 * reads: an area moved to another community (area.service moveArea), an organisation re-attached
 * to another area (updatePartyOrganization), and a reported member re-placed (updatePerson). Each
 * side checks against what the other has committed; read unlocked, both checks passed on the state
 * before the other's change and both committed: a member reported into another community's branch.
 * Either order run one after the other refuses the second write (BAD_USER_INPUT); a race must end
 * the same way: one write succeeds, the other is refused, and nobody is misplaced.
 */
import { UPDATE_AREA } from '../operations/areas';
import { buildWorld, createGrid, createPartyOrganization, dbId, ok, type World } from '../helpers/fixtures';
import { createMember, createServicePost, reportMember } from '../helpers/member-fixtures';
import { categoryId } from '../helpers/closed-loop-fixtures';
import { race } from '../helpers/lock-race';
import { createTestApp, type TestApp } from '../helpers/test-app';

let app: TestApp;
let w: World;

beforeAll(async () => {
  app = await createTestApp();
  w = await buildWorld(app);
});
afterAll(async () => app?.close());

const REPORT = `mutation($input: ReportMemberInput!) { reportMember(input: $input) { id reportedOn } }`;
const UPDATE_PERSON = `mutation($id: ID!, $input: UpdatePersonInput!) { updatePerson(id: $id, input: $input) { id } }`;
const UPDATE_ORG = `mutation($id: ID!, $input: UpdatePartyOrganizationInput!) { updatePartyOrganization(id: $id, input: $input) { id } }`;
const CREATE_REQUEST = `mutation($input: CreateRequestInput!) { createRequest(input: $input) { id } }`;

/** Reported members placed outside the community they live in (what assertPlacementsHold refuses). */
async function misplaced(person: string): Promise<{ name: string; community: string; organization: string }[]> {
  return app.orm.em.fork().execute(
    `select p.name, c.name as community, o.name as organization
       from person p join party_organization o on o.id = p.organization_id join area oa on oa.id = o.area_id join area c on c.id = p.residence_community_id
      where p.id = ? and p.reported_on is not null and oa.path not like c.path || '%'`,
    [dbId(person)],
  );
}

const code = (result: { errors?: { extensions?: Record<string, any> }[] }) => result.errors?.[0]?.extensions?.code ?? 'OK';

/** A fresh grid of w.communityId with a branch on it and a request in it (so a move re-files roll-ups), a post and an unreported member. */
async function scene(tag: string) {
  const grid = await createGrid(app, w.communityId, `迁移网格${tag}`);
  const branch = await createPartyOrganization(app, { name: `迁移网格党支部${tag}`, kind: 'BRANCH', areaId: grid });
  await ok(app, CREATE_REQUEST, { input: { title: '路灯不亮', body: '路灯不亮', channel: 'VISIT', categoryId: await categoryId(app, 'HOUSING-REPAIR'), areaId: grid } });
  const post = await createServicePost(app, { communityId: w.communityId, title: `岗位${tag}`, capacity: 5 });
  const person = await createMember(app, { name: `报到党员${tag}`, communityId: w.communityId, employerUnitId: w.units.hospitalId });
  return { grid, branch, post, person };
}

test('reportMember racing a move of the branch\'s grid to another community: the member is not left reported into the other community', async () => {
  const { grid, branch, post, person } = await scene('甲');
  // The move rewrites the paths and checks the placements under the grid (none reported yet), then
  // waits to re-file the grid's requests (request_daily held). The report comes meanwhile.
  const [moved, reported] = await race(app, ['lock table request_daily in share mode', []],
    () => app.execute(UPDATE_AREA, { id: grid, input: { parentId: w.otherCommunityId } }),
    () => app.execute(REPORT, { input: { personId: person, communityId: w.communityId, organizationId: branch, postId: post } }));
  expect({ moved: code(moved), reported: code(reported), misplaced: await misplaced(person) }).toEqual(expect.objectContaining({ misplaced: [] }));
  expect([code(moved), code(reported)].sort()).toEqual(['BAD_USER_INPUT', 'OK']);
});

test('reportMember racing the branch being re-attached to another community\'s grid: the member is not left reported into the other community', async () => {
  const { branch, post, person } = await scene('乙');
  // The report reads the branch and its area, then waits to insert its post claim (post_claim held);
  // the re-attachment runs meanwhile and checks the branch's members (none committed yet).
  const [reported, reattached] = await race(app, ['lock table post_claim in share mode', []],
    () => app.execute(REPORT, { input: { personId: person, communityId: w.communityId, organizationId: branch, postId: post } }),
    () => app.execute(UPDATE_ORG, { id: branch, input: { areaId: w.otherGridId } }));
  expect({ reported: code(reported), reattached: code(reattached), misplaced: await misplaced(person) }).toEqual(expect.objectContaining({ misplaced: [] }));
  expect([code(reported), code(reattached)].sort()).toEqual(['BAD_USER_INPUT', 'OK']);
});

test('updatePerson placing a reported member in a branch whose grid is moving to another community: not left misplaced', async () => {
  const { grid, branch, post, person } = await scene('丙');
  const stay = await createPartyOrganization(app, { name: '留守党支部', kind: 'BRANCH', areaId: w.gridId });
  await reportMember(app, { personId: person, communityId: w.communityId, organizationId: stay, postId: post });
  const [moved, placed] = await race(app, ['lock table request_daily in share mode', []],
    () => app.execute(UPDATE_AREA, { id: grid, input: { parentId: w.otherCommunityId } }),
    () => app.execute(UPDATE_PERSON, { id: person, input: { organizationId: branch } }));
  expect({ moved: code(moved), placed: code(placed), misplaced: await misplaced(person) }).toEqual(expect.objectContaining({ misplaced: [] }));
  expect([code(moved), code(placed)].sort()).toEqual(['BAD_USER_INPUT', 'OK']);
});

test('updatePartyOrganization re-attaching a branch with a reported member to a grid that is moving to another community: the member is not left misplaced', async () => {
  const { grid, post, person } = await scene('丁');
  const branch = await createPartyOrganization(app, { name: '待迁党支部', kind: 'BRANCH', areaId: w.gridId });
  await reportMember(app, { personId: person, communityId: w.communityId, organizationId: branch, postId: post });
  const [moved, reattached] = await race(app, ['lock table request_daily in share mode', []],
    () => app.execute(UPDATE_AREA, { id: grid, input: { parentId: w.otherCommunityId } }),
    () => app.execute(UPDATE_ORG, { id: branch, input: { areaId: grid } }));
  expect({ moved: code(moved), reattached: code(reattached), misplaced: await misplaced(person) }).toEqual(expect.objectContaining({ misplaced: [] }));
  expect([code(moved), code(reattached)].sort()).toEqual(['BAD_USER_INPUT', 'OK']);
});
