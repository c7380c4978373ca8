import { buildWorld, dbId, type World } from '../helpers/fixtures';
import { buildOrganizations, createMember, createServicePost, reportMember, type Organizations } from '../helpers/member-fixtures';
import { race } from '../helpers/lock-race';
import { createTestApp, type TestApp } from '../helpers/test-app';

/*
 * An edit of a person (updatePerson) racing a write that checks the same person (a post claim, a
 * report, a wish claimed by a party member) ends as one of the two sequential orders would: the
 * edit locks the person, the checks read it locked (claims and reports) or FOR SHARE. Read
 * unlocked, both committed: a moved member kept posts of the old community, or was reported where
 * they no longer lived, and a wish was claimed by someone no longer a party member.
 */

let app: TestApp;
let w: World;
let orgs: Organizations;

beforeAll(async () => {
  app = await createTestApp();
  app.clock.set(new Date('2026-03-15T10:00:00+08:00'));
  w = await buildWorld(app);
  orgs = await buildOrganizations(app, w);
});
afterAll(async () => app?.close());

const MOVE = `mutation($id: ID!, $input: UpdatePersonInput!) { updatePerson(id: $id, input: $input) { id reportedOn } }`;
const CLAIM = `mutation($input: ClaimServicePostInput!) { claimServicePost(input: $input) { id status } }`;
const PUBLISH_WISH = `mutation($input: PublishMicroWishInput!) { publishMicroWish(input: $input) { id } }`;
const CLAIM_WISH = `mutation($id: ID!, $input: ClaimMicroWishInput!) { claimMicroWish(id: $id, input: $input) { id status } }`;
const REPORT = `mutation($input: ReportMemberInput!) { reportMember(input: $input) { id reportedOn } }`;

async function personRow(personId: string) {
  const [row] = await app.orm.em.fork().execute<{ reported_on: string | null; residence_community_id: number; organization_id: number | null }[]>(
    'select reported_on, residence_community_id, organization_id from person where id = ?', [dbId(personId)],
  );
  return row;
}
async function activeClaims(personId: string): Promise<number> {
  const [row] = await app.orm.em.fork().execute<{ n: number }[]>(`select count(*)::int as n from post_claim where person_id = ? and status = 'ACTIVE'`, [dbId(personId)]);
  return row.n;
}

test('a move racing claimServicePost: the moved member, no longer reported, holds no post of the old community', async () => {
  const first = await createServicePost(app, { communityId: w.communityId, title: '楼栋长', capacity: 5 });
  const second = await createServicePost(app, { communityId: w.communityId, title: '文明劝导', capacity: 5 });
  const personId = await createMember(app, { name: '搬家党员甲', communityId: w.communityId, employerUnitId: w.units.hospitalId });
  await reportMember(app, { personId, communityId: w.communityId, organizationId: orgs.gridBranchId, postId: first });

  // Hold the person's row: the move blocks writing the person (after ending the claims it saw), the
  // claim blocks inserting its row (key-share lock on the person), after both read the person.
  const [moved, claimed] = await race(
    app,
    ['select 1 from person where id = $1 for update', [dbId(personId)]],
    () => app.execute(MOVE, { id: personId, input: { residenceCommunityId: w.otherCommunityId } }),
    () => app.execute(CLAIM, { input: { postId: second, personId } }),
  );
  expect(moved.errors).toBeUndefined();
  const person = await personRow(personId);
  expect(person.residence_community_id).toBe(dbId(w.otherCommunityId));
  expect(person.reported_on).toBeNull();
  // README / assertKeepsAPost: "A member whose report ended (a move to another community) holds none".
  // Either the claim is refused, or the move ends it too.
  expect({ claim: claimed.errors?.[0]?.extensions?.code ?? 'OK', activeClaims: await activeClaims(personId) }).toEqual(
    expect.objectContaining({ activeClaims: 0 }),
  );
});

test('a move racing reportMember: the member is not left reported (and holding a post) where they no longer live', async () => {
  const post = await createServicePost(app, { communityId: w.communityId, title: '环境监督', capacity: 5 });
  const personId = await createMember(app, { name: '搬家党员乙', communityId: w.communityId, employerUnitId: w.units.hospitalId });

  // reportMember locks the post, then the person: it waits on the held person row first; the move
  // (which read the person unlocked: not reported) then waits to write it.
  const [reported, moved] = await race(
    app,
    ['select 1 from person where id = $1 for update', [dbId(personId)]],
    () => app.execute(REPORT, { input: { personId, communityId: w.communityId, organizationId: orgs.gridBranchId, postId: post } }),
    () => app.execute(MOVE, { id: personId, input: { residenceCommunityId: w.otherCommunityId } }),
  );
  expect(reported.errors).toBeUndefined();
  expect(moved.errors).toBeUndefined();
  const person = await personRow(personId);
  // Sequentially (report, then move) the move ends the report and its posts; (move, then report) the report is refused.
  const consistent = person.reported_on === null
    ? (await activeClaims(personId)) === 0
    : person.residence_community_id === dbId(w.communityId);
  expect({ person, activeClaims: await activeClaims(personId), consistent }).toEqual(expect.objectContaining({ consistent: true }));
});

test('leaving the party racing claimMicroWish: the wish is not claimed by someone no longer a party member', async () => {
  const personId = await createMember(app, { name: '退党测试丙', communityId: w.communityId, employerUnitId: w.units.hospitalId });
  const wish = (await app.execute(PUBLISH_WISH, { input: { communityId: w.communityId, title: '一台轮椅' } })).data!.publishMicroWish.id;

  // The edit reads the person first (before the fix: unlocked, then waits to write it); the claim
  // then checks the person while the edit is not yet committed.
  const [edited, claimed] = await race(
    app,
    ['select 1 from person where id = $1 for update', [dbId(personId)]],
    () => app.execute(MOVE, { id: personId, input: { partyStatus: null, joinedPartyOn: null } }),
    () => app.execute(CLAIM_WISH, { id: wish, input: { personId } }),
  );
  expect(edited.errors).toBeUndefined();
  // Sequentially (edit, then claim) the claim is refused: a wish is claimed by a party member or a unit.
  expect(claimed.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  const [row] = await app.orm.em.fork().execute<{ status: string; claimant_person_id: number | null }[]>('select status, claimant_person_id from micro_wish where id = ?', [dbId(wish)]);
  expect(row).toEqual({ status: 'PUBLISHED', claimant_person_id: null });
});
