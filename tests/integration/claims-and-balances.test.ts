import { SYSTEM_VIEWER } from '../../src/context/context';
import { Role } from '../../src/modules/identity/role';
import { PointKind } from '../../src/modules/points/points.entity';
import { awardPoints } from '../../src/modules/points/points.service';
import { accountViewer, areaPath } from '../helpers/access-fixtures';
import { addListItem, createPairing, createProblemList } from '../helpers/closed-loop-fixtures';
import { buildWorld, createPerson, dbId, ok, type World } from '../helpers/fixtures';
import { createMember } from '../helpers/member-fixtures';
import { hold, waiters } from '../helpers/lock-race';
import { transactionRetriesSoFar } from '../../src/common/transaction';
import { createTestApp, type TestApp } from '../helpers/test-app';

/* Claims, resources and balances (found by a review of the lists and points): each test failed before its fix. */

let app: TestApp;
let w: World;
beforeAll(async () => {
  app = await createTestApp();
  app.clock.set(new Date('2026-03-15T10:00:00+08:00'));
  w = await buildWorld(app);
  // The hospital serves community A (paired with it), as a unit's claims on A's lists require.
  await createPairing(app, w.units.hospitalId, w.communityId);
});
afterAll(async () => app?.close());

const CLAIM = `mutation($input: ClaimListItemInput!) { claimListItem(input: $input) { id person { id } resource { remainingQuantity } } }`;
let period = 2040;
const freshList = () => createProblemList(app, w.communityId, String((period += 1)));
const staffA = async () => accountViewer(Role.COMMUNITY_STAFF, [await areaPath(app, w.communityId)]);

test('a claim and an edit of its resource by community staff queue one after the other (they deadlocked: a lock through the scope filter locked the joined rows)', async () => {
  const staff = await staffA();
  const list = await freshList();
  const resource = await addListItem(app, { listId: list, kind: 'RESOURCE', title: '义诊工时', unitId: w.units.hospitalId, resourceType: 'STAFF_HOURS', quantity: 20 });
  const service = await addListItem(app, { listId: list, kind: 'SERVICE', title: '义诊日' });
  // Hold the community's area row: the claim locked it with the item (through the scope filter) and stopped there.
  const release = await hold(app, 'select 1 from area where id = $1 for update', [dbId(w.communityId)]);
  const retriesBefore = transactionRetriesSoFar();
  let claimDone = false;
  let updateDone = false;
  const claiming = app.execute(CLAIM, { input: { itemId: service, unitId: w.units.hospitalId, resourceId: resource, quantity: 4 } }, staff).finally(() => (claimDone = true));
  await waiters(app, 1, () => claimDone);
  // The update locks the resource row, then waited for the list row the claim held.
  const updating = app.execute(`mutation($id: ID!) { updateListItem(id: $id, input: { quantity: 30 }) { id } }`, { id: resource }, staff).finally(() => (updateDone = true));
  await waiters(app, 2, () => updateDone);
  await release();
  const [claim, update] = await Promise.all([claiming, updating]);
  expect(claim.errors).toBeUndefined();
  expect(update.errors).toBeUndefined();
  // Queued, not a deadlock quietly run again by inTransaction.
  expect(transactionRetriesSoFar()).toBe(retriesBefore);
});

test('a unit names its own worker living in another community to carry out a claim (the liaison and staff alike)', async () => {
  const service = await addListItem(app, { listId: await freshList(), kind: 'SERVICE', title: '上门义诊' });
  const doctor = await createPerson(app, { name: '王医生', partyStatus: 'IN_SERVICE', joinedPartyOn: '2010-07-01', employerUnitId: w.units.hospitalId, residenceCommunityId: w.otherCommunityId });
  const liaison = accountViewer(Role.UNIT_LIAISON, [await areaPath(app, w.communityId)], { unitId: dbId(w.units.hospitalId) });
  for (const viewer of [liaison, await staffA()]) {
    const result = await app.execute(CLAIM, { input: { itemId: service, unitId: w.units.hospitalId, personId: doctor } }, viewer);
    expect(result.errors).toBeUndefined(); // it was NOT_FOUND on input.personId
    await app.orm.em.fork().execute(`delete from claim; update list_item set status = 'OPEN' where id = ?`, [dbId(service)]);
  }
});

test('a resource of 0.3 takes claims of 0.1 then 0.2: what is left is exact to a millionth', async () => {
  const list = await freshList();
  const resource = await addListItem(app, { listId: list, kind: 'RESOURCE', title: '场地', unitId: w.units.hospitalId, resourceType: 'VENUE', quantity: 0.3 });
  const [a, b] = [await addListItem(app, { listId: list, kind: 'SERVICE', title: '一' }), await addListItem(app, { listId: list, kind: 'SERVICE', title: '二' })];
  const first = await ok(app, CLAIM, { input: { itemId: a, unitId: w.units.hospitalId, resourceId: resource, quantity: 0.1 } });
  expect(first.claimListItem.resource.remainingQuantity).toBe(0.2); // actual 0.19999999999999998
  const second = await app.execute(CLAIM, { input: { itemId: b, unitId: w.units.hospitalId, resourceId: resource, quantity: 0.2 } });
  expect(second.errors).toBeUndefined(); // it was BAD_USER_INPUT: "more than the resource has left (0.19999999999999998 of 0.3)"
});

test('the balance of a person read through their work elsewhere is null, as their ledger is out of sight', async () => {
  const personId = await createMember(app, { name: '外社区网格员', communityId: w.otherCommunityId, employerUnitId: w.units.hospitalId });
  await app.orm.em.fork().transactional(async (em) => {
    await awardPoints(em, { person: dbId(personId), kind: PointKind.CLAIM_CONFIRMED, sourceType: 'Claim', sourceId: 424242, verifier: SYSTEM_VIEWER, at: new Date() });
    await em.flush();
  });
  await ok(app, `mutation($input: AssignGridWorkerInput!) { assignGridWorker(input: $input) { id } }`, { input: { gridId: w.gridId, personId, role: 'FULL_TIME' } });
  const result = await app.execute(`query($id: ID!) { node(id: $id) { ... on Person { pointBalance pointEntries { totalCount } } } }`, { id: personId }, await staffA());
  expect(result.data.node.pointEntries.totalCount).toBe(0);
  // Their ledger is kept by their residence community, outside A: no balance A cannot see the entries of.
  expect(result.data.node.pointBalance).toBeNull(); // actual 10
});
