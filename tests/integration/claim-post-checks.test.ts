import { PartyStatus, Person } from '../../src/modules/person/person.entity';
import { buildWorld, dbId, expectError, ok, type World } from '../helpers/fixtures';
import { buildOrganizations, createMember, createServicePost, expectNothingWritten, reportMember, type Organizations } from '../helpers/member-fixtures';
import { createTestApp, type TestApp } from '../helpers/test-app';
import { toGlobalId } from '../../src/common/global-id';

/*
 * Review of claimServicePost: what a claim checks of the member beyond a report day. A claim is made
 * under a current report, to the post's community, on a day not before the report began, and by a
 * member who still may report (whyMayNotReport).
 */

let app: TestApp;
let w: World;
let orgs: Organizations;

const NOW = new Date('2026-03-15T10:00:00+08:00');
const at = (day: string) => new Date(`${day}T10:00:00+08:00`);
const CLAIM = `mutation($input: ClaimServicePostInput!) { claimServicePost(input: $input) { id status claimedOn } }`;
const UPDATE = `mutation($id: ID!, $input: UpdatePersonInput!) { updatePerson(id: $id, input: $input) { id reportedOn } }`;

beforeAll(async () => {
  app = await createTestApp();
  app.clock.set(NOW);
  w = await buildWorld(app);
  orgs = await buildOrganizations(app, w);
});
afterAll(async () => {
  await app?.close();
});
afterEach(() => app.clock.set(NOW));

let seq = 0;
async function reportedInA(): Promise<string> {
  seq += 1;
  const postId = await createServicePost(app, { communityId: w.communityId, title: `报到岗位${seq}`, capacity: 5 });
  const personId = await createMember(app, { name: `认岗成员${seq}`, communityId: w.communityId, employerUnitId: w.units.hospitalId });
  await reportMember(app, { personId, communityId: w.communityId, organizationId: orgs.gridBranchId, postId });
  return personId;
}

test('a member whose report ended with a move claims no post: neither of the community they left nor, before reporting there, of the one they live in now', async () => {
  const personId = await reportedInA();
  await ok(app, UPDATE, { id: personId, input: { residenceCommunityId: w.otherCommunityId } });
  const oldPost = await createServicePost(app, { communityId: w.communityId, title: '旧社区岗位', capacity: 5 });
  const newPost = await createServicePost(app, { communityId: w.otherCommunityId, title: '新社区岗位', capacity: 5 });
  for (const postId of [oldPost, newPost]) {
    expectError(await expectNothingWritten(app, () => app.execute(CLAIM, { input: { postId, personId } })), 'BAD_USER_INPUT', 'input.personId');
  }
  // Reported in the new community, they claim its posts, and still none of the old one's.
  await reportMember(app, { personId, communityId: w.otherCommunityId, organizationId: orgs.otherBranchId, postId: newPost });
  const another = await createServicePost(app, { communityId: w.otherCommunityId, title: '新社区第二岗位', capacity: 5 });
  expect((await ok(app, CLAIM, { input: { postId: another, personId } })).claimServicePost).toMatchObject({ status: 'ACTIVE', claimedOn: '2026-03-15' });
  expectError(await expectNothingWritten(app, () => app.execute(CLAIM, { input: { postId: oldPost, personId } })), 'BAD_USER_INPUT', 'input.personId');
});

test('the claim day is today, never before the report began (a report is not dated in the future)', async () => {
  const personId = await reportedInA();
  const postId = await createServicePost(app, { communityId: w.communityId, title: '次日认领岗位', capacity: 5 });
  const [{ reported_on }] = await app.orm.em.fork().execute(`select reported_on::text from person where id = ?`, [dbId(personId)]);
  app.clock.set(at('2026-03-16'));
  const claim = (await ok(app, CLAIM, { input: { postId, personId } })).claimServicePost;
  expect(claim.claimedOn).toBe('2026-03-16');
  expect(claim.claimedOn >= reported_on).toBe(true);
});

describe('a member still reported though the report rule no longer holds for them takes no new post', () => {
  // Reports made before a change of party status or employer ended the report (person.service keeps
  // such reports rather than end them on an unrelated edit): written as they are on record.
  test.each([
    ['retired', { partyStatus: PartyStatus.RETIRED, employer: true }],
    ['a mobile member', { partyStatus: PartyStatus.MOBILE, employer: true }],
    ['without an employer on record', { partyStatus: PartyStatus.IN_SERVICE, employer: false }],
  ])('one %s: BAD_USER_INPUT on input.personId, nothing written', async (_label, { partyStatus, employer }) => {
    seq += 1;
    const em = app.orm.em.fork();
    const person = em.create(Person, {
      name: `旧报到${seq}`, partyStatus, joinedPartyOn: '2000-07-01', residenceCommunity: dbId(w.communityId),
      employerUnit: employer ? dbId(w.units.hospitalId) : null, reportedOn: '2024-05-01', organization: dbId(orgs.gridBranchId),
    });
    await em.flush();
    const postId = await createServicePost(app, { communityId: w.communityId, title: `旧报到岗位${seq}`, capacity: 5 });
    const result = await expectNothingWritten(app, () => app.execute(CLAIM, { input: { postId, personId: toGlobalId('Person', person.id) } }));
    expectError(result, 'BAD_USER_INPUT', 'input.personId');
  });

  test('one retired, holding a single post, may end it: they cannot claim another first (no dead end)', async () => {
    seq += 1;
    const em = app.orm.em.fork();
    const person = em.create(Person, {
      name: `旧报到单岗${seq}`, partyStatus: PartyStatus.RETIRED, joinedPartyOn: '2000-07-01', residenceCommunity: dbId(w.communityId),
      employerUnit: dbId(w.units.hospitalId), reportedOn: '2024-05-01', organization: dbId(orgs.gridBranchId),
    });
    await em.flush();
    const postId = await createServicePost(app, { communityId: w.communityId, title: `旧报到单岗位${seq}`, capacity: 5 });
    await em.getConnection().execute(`insert into post_claim (post_id, person_id, status, claimed_on, created_at, updated_at)
      values (?, ?, 'ACTIVE', '2024-05-01', now(), now())`, [dbId(postId), person.id]);
    const [{ id: claimId }] = await em.getConnection().execute(`select id from post_claim where person_id = ?`, [person.id]);
    const END = `mutation($id: ID!) { endPostClaim(id: $id) { id status } }`;
    expect((await ok(app, END, { id: toGlobalId('PostClaim', claimId) })).endPostClaim.status).toBe('ENDED');
    // An in-service member still keeps the rule: their only post is ended only by claiming another first.
    const member = await reportedInA();
    const [{ id: onlyClaim }] = await em.getConnection().execute(`select id from post_claim where person_id = ? and status = 'ACTIVE'`, [dbId(member)]);
    expectError(await expectNothingWritten(app, () => app.execute(END, { id: toGlobalId('PostClaim', onlyClaim) })), 'BAD_USER_INPUT', 'id');
  });

  test('an in-service member or non-party staff member with an employer claims as before', async () => {
    const postId = await createServicePost(app, { communityId: w.communityId, title: '照常认领岗位', capacity: 5 });
    seq += 1;
    const em = app.orm.em.fork();
    const staff = em.create(Person, { name: `非党员职工${seq}`, partyStatus: null, residenceCommunity: dbId(w.communityId), employerUnit: dbId(w.units.hospitalId), reportedOn: '2024-05-01', organization: dbId(orgs.gridBranchId) });
    await em.flush();
    expect((await ok(app, CLAIM, { input: { postId, personId: toGlobalId('Person', staff.id) } })).claimServicePost.status).toBe('ACTIVE');
    expect((await ok(app, CLAIM, { input: { postId, personId: await reportedInA() } })).claimServicePost.status).toBe('ACTIVE');
  });
});
