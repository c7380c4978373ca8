import { buildWorld, dbId, expectError, ok, type World } from '../helpers/fixtures';
import { buildOrganizations, createMember, createServicePost, reportMember, type Organizations } from '../helpers/member-fixtures';
import { createTestApp, type TestApp } from '../helpers/test-app';

/*
 * Review (posts): 双报到 is for people in work (in-service members and non-party staff, through an
 * employer). The rule held only on the day of the report: a reported member who then retired (or
 * left their employer) stayed reported, was counted in membersReported and reportedMembers, and
 * went on claiming service posts. The report now ends with the change, as it does with a move.
 */

let app: TestApp;
let w: World;
let orgs: Organizations;

const NOW = new Date('2026-03-15T10:00:00+08:00');
const UPDATE = `mutation($id: ID!, $input: UpdatePersonInput!) { updatePerson(id: $id, input: $input) { id partyStatus reportedOn organization { id } } }`;
const CLAIM = `mutation($input: ClaimServicePostInput!) { claimServicePost(input: $input) { id status } }`;

beforeAll(async () => {
  app = await createTestApp();
  app.clock.set(NOW);
  w = await buildWorld(app);
  orgs = await buildOrganizations(app, w);
});
afterAll(async () => {
  await app?.close();
});

async function reported(name: string): Promise<{ personId: string; postId: string }> {
  const postId = await createServicePost(app, { communityId: w.communityId, title: `${name}的岗位`, capacity: 5 });
  const personId = await createMember(app, { name, communityId: w.communityId, employerUnitId: w.units.hospitalId });
  await reportMember(app, { personId, communityId: w.communityId, organizationId: orgs.gridBranchId, postId });
  return { personId, postId };
}

async function state(personId: string): Promise<{ reported_on: string | null; active: number }> {
  const [row] = await app.orm.em.fork().execute<{ reported_on: string | null; active: number }[]>(
    `select p.reported_on, (select count(*)::int from post_claim c where c.person_id = p.id and c.status = 'ACTIVE') as active from person p where p.id = ?`,
    [dbId(personId)],
  );
  return row;
}

test.each([
  ['retires', { partyStatus: 'RETIRED', employerUnitId: null }],
  ['becomes a mobile member', { partyStatus: 'MOBILE' }],
])('a reported member who %s reports no more: the report and the posts held end', async (_label, input) => {
  const { personId } = await reported(`成员${_label}`);
  const result = await ok(app, UPDATE, { id: personId, input });
  expect(result.updatePerson).toMatchObject({ reportedOn: null, organization: { id: orgs.gridBranchId } });
  expect(await state(personId)).toEqual({ reported_on: null, active: 0 });
  const members = await ok(app, `query($c: ID!) { reportedMembers(filter: { communityId: $c }, first: 100) { edges { node { id } } } }`, { c: w.communityId });
  expect(members.reportedMembers.edges.map((edge: any) => edge.node.id)).not.toContain(personId);
  // And they claim no other post: only reported members do.
  const other = await createServicePost(app, { communityId: w.communityId, title: '文明劝导员', capacity: 5 });
  expectError(await app.execute(CLAIM, { input: { postId: other, personId } }), 'BAD_USER_INPUT', 'input.personId');
});

test('a non-party staff member (在职非党员) who leaves their employer reports no more', async () => {
  const postId = await createServicePost(app, { communityId: w.communityId, title: '助老志愿者', capacity: 5 });
  const personId = await createMember(app, { name: '非党员职工', communityId: w.communityId, employerUnitId: w.units.hospitalId, partyStatus: null });
  await reportMember(app, { personId, communityId: w.communityId, organizationId: orgs.gridBranchId, postId });
  await ok(app, UPDATE, { id: personId, input: { employerUnitId: null } });
  expect(await state(personId)).toEqual({ reported_on: null, active: 0 });
});

test('a change that keeps them in work keeps the report and the posts (an in-service member who leaves the party is non-party staff)', async () => {
  const { personId } = await reported('换单位成员');
  await ok(app, UPDATE, { id: personId, input: { employerUnitId: w.units.schoolId } });
  expect(await state(personId)).toEqual({ reported_on: '2026-03-15', active: 1 });
  await ok(app, UPDATE, { id: personId, input: { partyStatus: null, joinedPartyOn: null } });
  expect(await state(personId)).toEqual({ reported_on: '2026-03-15', active: 1 });
});
