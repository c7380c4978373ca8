// A review found this: a unit claimed the list items of a community it does not serve.
import { Role } from '../../src/modules/identity/role';
import { accountViewer, areaPath } from '../helpers/access-fixtures';
import { addListItem, createPairing, createProblemList, expectNothingWritten, rawRow } from '../helpers/closed-loop-fixtures';
import { buildWorld, createPerson, dbId, expectError, ok, rowCounts, type World } from '../helpers/fixtures';
import { createTestApp, type TestApp } from '../helpers/test-app';

/*
 * claimListItem took any unit for any community's SERVICE or DEMAND item. The claim's next step,
 * deliverClaim, is its liaison's, who sees only the communities the unit serves: a claim elsewhere
 * was stuck CLAIMED with a claimant who got NOT_FOUND. Micro-wishes already held the rule; list
 * items now follow the same one (unit/unit-serves.ts assertUnitServes): a unit claims the items of
 * the communities it serves (paired with it today, or seated in its alliance), BAD_USER_INPUT on
 * input.unitId otherwise, and nothing written.
 */

let app: TestApp;
let w: World;
let list: string;
beforeAll(async () => {
  app = await createTestApp();
  app.clock.set(new Date('2026-03-15T10:00:00+08:00'));
  w = await buildWorld(app);
  list = await createProblemList(app, w.communityId, '2026-03');
});
afterAll(async () => app?.close());

const CLAIM = `mutation($input: ClaimListItemInput!) { claimListItem(input: $input) { id status item { id status } unit { id } } }`;
const DELIVER = `mutation($id: ID!) { deliverClaim(id: $id) { id status } }`;
const REFUSAL = 'input.unitId: a unit claims the list items of the communities it serves (paired with it today, or seated in its alliance), the only ones where its liaison can see and deliver them; this unit does not serve the item\'s community';

async function service(title: string): Promise<string> {
  return addListItem(app, { listId: list, kind: 'SERVICE', title });
}

test('a unit serving only another community is refused, writing nothing (item, resource, claims); registering, or a pairing ended or not yet begun, is not serving', async () => {
  await createPairing(app, w.units.schoolId, w.otherCommunityId);
  const item = await service('四点半课堂');
  const resource = await addListItem(app, { listId: list, kind: 'RESOURCE', title: '小学教室', unitId: w.units.schoolId, resourceType: 'VENUE', quantity: 10 });
  const teacher = await createPerson(app, { name: '李老师', partyStatus: 'IN_SERVICE', joinedPartyOn: '2010-07-01', employerUnitId: w.units.schoolId, residenceCommunityId: w.otherCommunityId });
  const input = { itemId: item, unitId: w.units.schoolId, resourceId: resource, quantity: 2, personId: teacher, note: '每周三' };
  const refused = await expectNothingWritten(app, () => app.execute(CLAIM, { input }), [{ table: 'list_item', id: item }, { table: 'list_item', id: resource }]);
  expectError(refused, 'BAD_USER_INPUT', 'input.unitId');
  expect(refused.errors![0].message).toBe(REFUSAL);
  expect(await rawRow(app, 'list_item', item)).toMatchObject({ status: 'OPEN' });

  // Registering with the community (单位报到) is not serving it.
  await ok(app, `mutation($input: RegisterUnitInput!) { registerUnitWithCommunity(input: $input) { id } }`, { input: { unitId: w.units.schoolId, communityId: w.communityId } });
  expectError(await expectNothingWritten(app, () => app.execute(CLAIM, { input: { itemId: item, unitId: w.units.schoolId } })), 'BAD_USER_INPUT', 'input.unitId');
  // A pairing that ended yesterday, or starts tomorrow, serves no longer / not yet.
  await createPairing(app, w.units.schoolId, w.communityId, '2025-01-01', '2026-03-14');
  await createPairing(app, w.units.schoolId, w.communityId, '2026-03-16');
  expectError(await expectNothingWritten(app, () => app.execute(CLAIM, { input: { itemId: item, unitId: w.units.schoolId } })), 'BAD_USER_INPUT', 'input.unitId');
  expect(await rawRow(app, 'list_item', item)).toMatchObject({ status: 'OPEN' });
});

test('a unit paired with the item\'s community today claims it, and its liaison delivers it', async () => {
  const item = await service('义诊');
  await createPairing(app, w.units.hospitalId, w.communityId, '2026-03-15', '2026-03-15');
  const before = await rowCounts(app);
  const claim = (await ok(app, CLAIM, { input: { itemId: item, unitId: w.units.hospitalId } })).claimListItem;
  expect(claim).toMatchObject({ status: 'CLAIMED', item: { id: item, status: 'CLAIMED' }, unit: { id: w.units.hospitalId } });
  expect((await rowCounts(app)).claim).toBe(before.claim + 1);
  expect(await rawRow(app, 'claim', claim.id)).toMatchObject({ unit_id: dbId(w.units.hospitalId), status: 'CLAIMED' });

  const liaison = accountViewer(Role.UNIT_LIAISON, [await areaPath(app, w.communityId)], { unitId: dbId(w.units.hospitalId) });
  const delivered = await app.execute(DELIVER, { id: claim.id }, liaison);
  expect(delivered.errors).toBeUndefined();
  expect((delivered.data as any).deliverClaim.status).toBe('DELIVERED');
});

test('a unit seated in the community\'s alliance serves it and claims a DEMAND item', async () => {
  const alliance = (await ok(app, `mutation($input: CreateAllianceInput!) { createAlliance(input: $input) { id } }`, { input: { areaId: w.communityId, model: 'ONE_THREE_N', name: '幸福里党建联盟' } })).createAlliance.id;
  await ok(app, `mutation($input: AddAllianceMemberInput!) { addAllianceMember(input: $input) { id } }`, { input: { allianceId: alliance, unitId: w.units.policeStationId, role: 'POLICE' } });
  const item = await addListItem(app, { listId: list, kind: 'DEMAND', title: '夜间巡逻' });
  expect((await ok(app, CLAIM, { input: { itemId: item, unitId: w.units.policeStationId } })).claimListItem.status).toBe('CLAIMED');
});
