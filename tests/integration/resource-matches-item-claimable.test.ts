import { addListItem, categoryId, createPairing, createProblemList } from '../helpers/closed-loop-fixtures';
import { buildWorld, expectError, ok, type World } from '../helpers/fixtures';
import { createTestApp, type TestApp } from '../helpers/test-app';

/*
 * Review (diffreview): resourceMatches' canClaim ("whether the unit can claim the item today
 * (claimListItem)") read only whether the unit serves the item's community. resourceMatches answers
 * PROBLEM items too, which no unit claims, and items already claimed: canClaim said true, and the
 * claim it promised was refused.
 */

let app: TestApp;
let w: World;
const MATCHES = `query($itemId: ID!) { resourceMatches(itemId: $itemId, first: 10) { unit { id } canClaim } }`;
const CLAIM = `mutation($input: ClaimListItemInput!) { claimListItem(input: $input) { id } }`;

beforeAll(async () => {
  app = await createTestApp();
  app.clock.set(new Date('2026-03-15T10:00:00+08:00'));
  w = await buildWorld(app);
});
afterAll(async () => app?.close());

test('canClaim is false where claimListItem refuses the item itself (a PROBLEM item, an item already claimed)', async () => {
  const repair = await categoryId(app, 'HOUSING-REPAIR');
  await createPairing(app, w.units.hospitalId, w.communityId, '2026-01-01');
  const list = await createProblemList(app, w.communityId, '2026-03');
  await addListItem(app, { listId: list, kind: 'RESOURCE', title: '医院维修班', unitId: w.units.hospitalId, categoryId: repair, resourceType: 'STAFF_HOURS', quantity: 10 });
  const problem = await addListItem(app, { listId: list, kind: 'PROBLEM', title: '楼道渗水', categoryId: repair });
  const demand = await addListItem(app, { listId: list, kind: 'DEMAND', title: '楼道维修', categoryId: repair });

  const hospitalMatch = async (itemId: string) => (await ok(app, MATCHES, { itemId })).resourceMatches.find((m: any) => m.unit.id === w.units.hospitalId);
  expectError(await app.execute(CLAIM, { input: { itemId: problem, unitId: w.units.hospitalId } }), 'BAD_USER_INPUT', 'input.itemId');
  expect(await hospitalMatch(problem)).toMatchObject({ canClaim: false });

  expect(await hospitalMatch(demand)).toMatchObject({ canClaim: true });
  await ok(app, CLAIM, { input: { itemId: demand, unitId: w.units.hospitalId } });
  expect((await app.execute(CLAIM, { input: { itemId: demand, unitId: w.units.hospitalId } })).errors).toBeDefined();
  expect(await hospitalMatch(demand)).toMatchObject({ canClaim: false });
});
