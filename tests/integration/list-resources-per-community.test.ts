import { buildWorld, dbId, expectError, ok, type World } from '../helpers/fixtures';
import { addListItem, categoryId, createPairing, createProblemList, expectNothingWritten } from '../helpers/closed-loop-fixtures';
import { createTestApp, type TestApp } from '../helpers/test-app';
import { accountViewer, areaPath } from '../helpers/access-fixtures';
import { Role } from '../../src/modules/identity/role';

let app: TestApp;
let w: World;
beforeAll(async () => {
  app = await createTestApp();
  w = await buildWorld(app);
});
afterAll(async () => app?.close());

const CLAIM = `mutation($input: ClaimListItemInput!) { claimListItem(input: $input) { id status resource { id remainingQuantity } } }`;
const REMAINING = `query($id: ID!) { node(id: $id) { ... on ListItem { remainingQuantity resourceClaims { totalCount } } } }`;
const MATCHES = `query($id: ID!) { resourceMatches(itemId: $id) { resource { id } canClaim } }`;

test("a claim cannot draw on what the unit listed for another community: that community's resource would drain through claims it cannot see", async () => {
  // The hospital serves both communities, and offers each its own doctors' hours.
  await createPairing(app, w.units.hospitalId, w.communityId);
  await createPairing(app, w.units.hospitalId, w.otherCommunityId);
  const cat = await categoryId(app, 'CARE-CANTEEN');
  const listA = await createProblemList(app, w.communityId, '2026-Q1');
  const listB = await createProblemList(app, w.otherCommunityId, '2026-Q1');
  const offeredToB = await addListItem(app, { listId: listB, kind: 'RESOURCE', title: '和平里义诊工时', unitId: w.units.hospitalId, resourceType: 'STAFF_HOURS', quantity: 10, categoryId: cat });
  const offeredToA = await addListItem(app, { listId: listA, kind: 'RESOURCE', title: '幸福里义诊工时', unitId: w.units.hospitalId, resourceType: 'STAFF_HOURS', quantity: 10, categoryId: cat });
  const service = await addListItem(app, { listId: listA, kind: 'SERVICE', title: '幸福里义诊日', categoryId: cat });

  // Suggested for A's item: A's own offer only.
  const matches = (await ok(app, MATCHES, { id: service })).resourceMatches.map((m: any) => m.resource.id);
  expect(matches).toEqual([offeredToA]);

  // The hospital's liaison sees both communities; neither they nor an administrator may spend B's hours on A's item.
  const liaison = accountViewer(Role.UNIT_LIAISON, [await areaPath(app, w.communityId), await areaPath(app, w.otherCommunityId)], { unitId: dbId(w.units.hospitalId) });
  for (const viewer of [liaison, undefined]) {
    const refused = await expectNothingWritten(app, () => app.execute(CLAIM, { input: { itemId: service, unitId: w.units.hospitalId, resourceId: offeredToB, quantity: 4 } }, viewer), [
      { table: 'list_item', id: service },
      { table: 'list_item', id: offeredToB },
    ]);
    expectError(refused, 'BAD_USER_INPUT', 'input.resourceId');
  }
  const staffB = accountViewer(Role.COMMUNITY_STAFF, [await areaPath(app, w.otherCommunityId)]);
  expect((await ok(app, REMAINING, { id: offeredToB })).node).toEqual({ remainingQuantity: 10, resourceClaims: { totalCount: 0 } });
  const seenByB = await app.execute(REMAINING, { id: offeredToB }, staffB);
  expect(seenByB.data!.node).toEqual({ remainingQuantity: 10, resourceClaims: { totalCount: 0 } });

  // A's own offer still serves A's item.
  const claim = (await ok(app, CLAIM, { input: { itemId: service, unitId: w.units.hospitalId, resourceId: offeredToA, quantity: 4 } })).claimListItem;
  expect(claim).toMatchObject({ status: 'CLAIMED', resource: { id: offeredToA, remainingQuantity: 6 } });
});

test('totalResourceValue counts cash listed by its quantity in yuan (a MONEY resource needs no separate value)', async () => {
  const list = await createProblemList(app, w.communityId, '2026-Q2');
  await addListItem(app, { listId: list, kind: 'RESOURCE', title: '共建资金', unitId: w.units.hospitalId, resourceType: 'MONEY', quantity: 8000 });
  await addListItem(app, { listId: list, kind: 'RESOURCE', title: '助学金', unitId: w.units.hospitalId, resourceType: 'MONEY', value: 2000 });
  await addListItem(app, { listId: list, kind: 'RESOURCE', title: '会议室', unitId: w.units.hospitalId, resourceType: 'VENUE', quantity: 50, value: 1200.5 });
  await addListItem(app, { listId: list, kind: 'RESOURCE', title: '志愿服务', unitId: w.units.hospitalId, resourceType: 'STAFF_HOURS', quantity: 40 });
  const data = await ok(app, `query($id: ID!) { node(id: $id) { ... on ProblemList { resourceCount totalResourceValue items(kinds: [RESOURCE]) { edges { node { resourceType quantity value } } } } } }`, { id: list });
  expect(data.node.resourceCount).toBe(4);
  // 8,000 yuan of cash + 2,000 yuan of cash + the venue's 1,200.5; the hours carry no value.
  expect(data.node.totalResourceValue).toBe(11200.5);
});
