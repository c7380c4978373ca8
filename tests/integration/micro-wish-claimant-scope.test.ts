// A review found these: a wish claimed for a member or unit outside its community was stuck on staff.
import { Role } from '../../src/modules/identity/role';
import { accountViewer, areaPath } from '../helpers/access-fixtures';
import { createPairing, expectNothingWritten, rawRow } from '../helpers/closed-loop-fixtures';
import { buildWorld, createPerson, dbId, expectError, ok, type World } from '../helpers/fixtures';
import { createTestApp, type TestApp } from '../helpers/test-app';
import type { Viewer } from '../../src/context/context';

/*
 * A wish claimed for a member or a unit must stay reachable by that claimant, whose own step is
 * fulfillMicroWish (ROLE_MUTATIONS): staff of community A could name as claimant a member who lives
 * elsewhere (seen in A through the grid they work) or a unit that serves another community; the
 * claim succeeded, and then the claimant's fulfillMicroWish was NOT_FOUND and their own
 * claimedMicroWishes showed nothing: the wish was stuck on staff. Such a claim is now refused
 * (BAD_USER_INPUT on the claimant's field, micro-wish.rules.ts assertMemberLivesIn, unit/unit-serves.ts assertUnitServes).
 */

let app: TestApp;
let w: World;
beforeAll(async () => {
  app = await createTestApp();
  app.clock.set(new Date('2026-03-15T10:00:00+08:00'));
  w = await buildWorld(app);
});
afterAll(async () => app?.close());

const PUBLISH = `mutation($input: PublishMicroWishInput!) { publishMicroWish(input: $input) { id } }`;
const CLAIM = `mutation($id: ID!, $input: ClaimMicroWishInput!) { claimMicroWish(id: $id, input: $input) { id status } }`;
const FULFIL = `mutation($id: ID!) { fulfillMicroWish(id: $id) { id status } }`;
const CLAIMED_BY_ME = `query($id: ID!) { node(id: $id) { ... on Person { claimedMicroWishes { totalCount } } } }`;

/** `ok` as a given viewer. */
async function okAs(viewer: Viewer, query: string, variables: Record<string, unknown>): Promise<any> {
  const result = await app.execute(query, variables, viewer);
  expect(result.errors).toBeUndefined();
  return result.data;
}

async function publish(title: string): Promise<string> {
  return (await ok(app, PUBLISH, { input: { communityId: w.communityId, title } })).publishMicroWish.id;
}

test('a member living in another community, serving our grid, is refused as claimant by our staff; one living here claims, sees and fulfils it', async () => {
  const member = await createPerson(app, { name: '外社区党员', partyStatus: 'IN_SERVICE', joinedPartyOn: '2010-07-01', employerUnitId: w.units.hospitalId, residenceCommunityId: w.otherCommunityId });
  await ok(app, `mutation($input: AssignGridWorkerInput!) { assignGridWorker(input: $input) { id } }`, { input: { gridId: w.gridId, personId: member, role: 'PART_TIME' } });
  const wish = await publish('一台助听器');
  const staff = accountViewer(Role.COMMUNITY_STAFF, [await areaPath(app, w.communityId)]);
  const claim = await expectNothingWritten(app, () => app.execute(CLAIM, { id: wish, input: { personId: member } }, staff), [{ table: 'micro_wish', id: wish }]);
  expectError(claim, 'BAD_USER_INPUT', 'input.personId');
  expect(claim.errors![0].message).toBe('input.personId: a party member claims the wishes of the community they live in (双报到: members serve where they live), the only one where they can see and fulfil them; this member lives in another community');
  expect(await rawRow(app, 'micro_wish', wish)).toMatchObject({ status: 'PUBLISHED', claimant_person_id: null });

  // A member of no community is refused too (no member account could reach the wish); only the district sees them.
  const homeless = await createPerson(app, { name: '无居住地党员', partyStatus: 'RETIRED', joinedPartyOn: '1990-07-01' });
  const none = await app.execute(CLAIM, { id: wish, input: { personId: homeless } });
  expectError(none, 'BAD_USER_INPUT', 'input.personId');
  expect(none.errors![0].message).toMatch(/this member has no residence community$/);

  // The member living here: claimed by staff, seen by the member among their claimed wishes, fulfilled by them.
  const local = await createPerson(app, { name: '本社区党员', partyStatus: 'IN_SERVICE', joinedPartyOn: '2012-07-01', employerUnitId: w.units.hospitalId, residenceCommunityId: w.communityId });
  expect((await okAs(staff, CLAIM, { id: wish, input: { personId: local } })).claimMicroWish.status).toBe('CLAIMED');
  const me = accountViewer(Role.PARTY_MEMBER, [await areaPath(app, w.communityId)], { personId: dbId(local) });
  expect((await okAs(me, CLAIMED_BY_ME, { id: local })).node.claimedMicroWishes.totalCount).toBe(1);
  expect((await okAs(me, FULFIL, { id: wish })).fulfillMicroWish.status).toBe('FULFILLED');
});

test('a unit serving another community is refused as claimant by our staff; paired with ours, its liaison fulfils it', async () => {
  await createPairing(app, w.units.schoolId, w.otherCommunityId);
  const wish = await publish('修缮门窗');
  const staff = accountViewer(Role.COMMUNITY_STAFF, [await areaPath(app, w.communityId)]);
  const claim = await expectNothingWritten(app, () => app.execute(CLAIM, { id: wish, input: { unitId: w.units.schoolId } }, staff), [{ table: 'micro_wish', id: wish }]);
  expectError(claim, 'BAD_USER_INPUT', 'input.unitId');
  expect(claim.errors![0].message).toBe('input.unitId: a unit claims the wishes of the communities it serves (paired with it today, or seated in its alliance), the only ones where its liaison can see and fulfil them; this unit does not serve the wish\'s community');

  // Registering with the community (单位报到) is not serving it: the liaison's scope has no registrations.
  await ok(app, `mutation($input: RegisterUnitInput!) { registerUnitWithCommunity(input: $input) { id } }`, { input: { unitId: w.units.schoolId, communityId: w.communityId } });
  expectError(await app.execute(CLAIM, { id: wish, input: { unitId: w.units.schoolId } }, staff), 'BAD_USER_INPUT', 'input.unitId');
  // A pairing that ended, or starts tomorrow, serves no longer / not yet.
  await createPairing(app, w.units.schoolId, w.communityId, '2025-01-01', '2026-03-14');
  await createPairing(app, w.units.schoolId, w.communityId, '2026-03-16');
  expectError(await app.execute(CLAIM, { id: wish, input: { unitId: w.units.schoolId } }, staff), 'BAD_USER_INPUT', 'input.unitId');

  // Paired with our community today: claimed, and its liaison fulfils it.
  await createPairing(app, w.units.hospitalId, w.communityId, '2026-03-15', '2026-03-15');
  expect((await okAs(staff, CLAIM, { id: wish, input: { unitId: w.units.hospitalId } })).claimMicroWish.status).toBe('CLAIMED');
  const liaison = accountViewer(Role.UNIT_LIAISON, [await areaPath(app, w.communityId)], { unitId: dbId(w.units.hospitalId) });
  expect((await okAs(liaison, FULFIL, { id: wish })).fulfillMicroWish.status).toBe('FULFILLED');
});

test('a unit seated in our community\'s alliance serves it and may claim', async () => {
  const alliance = (await ok(app, `mutation($input: CreateAllianceInput!) { createAlliance(input: $input) { id } }`, { input: { areaId: w.communityId, model: 'ONE_THREE_N', name: '幸福里党建联盟' } })).createAlliance.id;
  await ok(app, `mutation($input: AddAllianceMemberInput!) { addAllianceMember(input: $input) { id } }`, { input: { allianceId: alliance, unitId: w.units.policeStationId, role: 'POLICE' } });
  const wish = await publish('一张书桌');
  expect((await ok(app, CLAIM, { id: wish, input: { unitId: w.units.policeStationId } })).claimMicroWish.status).toBe('CLAIMED');
});
