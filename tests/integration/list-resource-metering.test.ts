import { addListItem, createPairing, createProblemList, expectNothingWritten } from '../helpers/closed-loop-fixtures';
import { buildWorld, dbId, expectError, ok, type World } from '../helpers/fixtures';
import { race } from '../helpers/lock-race';
import { createTestApp, type TestApp } from '../helpers/test-app';

/*
 * A resource's figures, in their units: totalResourceValue adds yuan only, and an edit of a
 * resource never leaves claims holding more than it has (or holding a count of another unit).
 */
let app: TestApp;
let w: World;
beforeAll(async () => {
  app = await createTestApp();
  w = await buildWorld(app);
  await createPairing(app, w.units.hospitalId, w.communityId); // a unit claims the items of the communities it serves
});
afterAll(async () => app?.close());

let period = 2050;
const freshList = () => createProblemList(app, w.communityId, String((period += 1)));
const ITEM = `id resourceType quantity value remainingQuantity`;
const UPDATE = `mutation($id: ID!, $input: UpdateListItemInput!) { updateListItem(id: $id, input: $input) { ${ITEM} } }`;
const CLAIM = `mutation($input: ClaimListItemInput!) { claimListItem(input: $input) { id status quantity } }`;
const CANCEL = `mutation($id: ID!) { cancelClaim(id: $id, reason: "不需要了") { status } }`;
const item = async (id: string) => (await ok(app, `query($id: ID!) { node(id: $id) { ... on ListItem { ${ITEM} } } }`, { id })).node;
const totalValue = async (list: string) => (await ok(app, `query($id: ID!) { node(id: $id) { ... on ProblemList { resourceCount totalResourceValue } } }`, { id: list })).node;

/** A staff-hours resource of 10 with a claim holding 6 of it. */
async function claimedResource(): Promise<{ list: string; resource: string; claim: string }> {
  const list = await freshList();
  const resource = await addListItem(app, { listId: list, kind: 'RESOURCE', title: '义诊工时', unitId: w.units.hospitalId, resourceType: 'STAFF_HOURS', quantity: 10 });
  const service = await addListItem(app, { listId: list, kind: 'SERVICE', title: '义诊日' });
  const claim = (await ok(app, CLAIM, { input: { itemId: service, unitId: w.units.hospitalId, resourceId: resource, quantity: 6 } })).claimListItem.id;
  return { list, resource, claim };
}

describe('totalResourceValue', () => {
  test('adds yuan only: cash by its amount, goods by their stated value; a count of pieces or hours is never yuan', async () => {
    const list = await freshList();
    await addListItem(app, { listId: list, kind: 'RESOURCE', title: '共建资金', unitId: w.units.hospitalId, resourceType: 'MONEY', quantity: 8_000 });
    await addListItem(app, { listId: list, kind: 'RESOURCE', title: '图书', unitId: w.units.hospitalId, resourceType: 'GOODS', quantity: 300, value: 1_500 });
    await addListItem(app, { listId: list, kind: 'RESOURCE', title: '口罩', unitId: w.units.hospitalId, resourceType: 'GOODS', quantity: 2_000 });
    await addListItem(app, { listId: list, kind: 'RESOURCE', title: '志愿工时', unitId: w.units.hospitalId, resourceType: 'STAFF_HOURS', quantity: 40 });
    // 8,000 yuan of cash and 1,500 yuan of books; the 2,000 masks and 40 hours have no stated value.
    expect(await totalValue(list)).toEqual({ resourceCount: 4, totalResourceValue: 9_500 });
  });

  test('cash counts the yuan it offers (its quantity, what claims and projects draw on), not a value stated beside it', async () => {
    const list = await freshList();
    const cash = await addListItem(app, { listId: list, kind: 'RESOURCE', title: '共建资金', unitId: w.units.hospitalId, resourceType: 'MONEY', quantity: 20_000, value: 40_000 });
    await addListItem(app, { listId: list, kind: 'RESOURCE', title: '图书', unitId: w.units.hospitalId, resourceType: 'GOODS', quantity: 300, value: 1_500 });
    expect(await item(cash)).toMatchObject({ quantity: 20_000, value: 40_000, remainingQuantity: 20_000 });
    expect((await totalValue(list)).totalResourceValue).toBe(21_500); // was 41,500: the 40,000 beside the 20,000 offered
  });

  test('adds to the fen: 1,234.56 and 789.12 yuan are 2,023.68, not the binary float 2023.6799999999998 (review)', async () => {
    const list = await freshList();
    await addListItem(app, { listId: list, kind: 'RESOURCE', title: '图书', unitId: w.units.hospitalId, resourceType: 'GOODS', quantity: 300, value: 1_234.56 });
    await addListItem(app, { listId: list, kind: 'RESOURCE', title: '共建资金', unitId: w.units.hospitalId, resourceType: 'MONEY', value: 789.12 });
    expect((await totalValue(list)).totalResourceValue).toBe(2_023.68);
  });

  test('a resource with a quantity changes kind only with its quantity given again (a venue\'s 50 m² became 50 yuan of cash)', async () => {
    const list = await freshList();
    const hall = await addListItem(app, { listId: list, kind: 'RESOURCE', title: '活动室', unitId: w.units.hospitalId, resourceType: 'VENUE', quantity: 50, value: 3_000 });
    const refused = await expectNothingWritten(app, () => app.execute(UPDATE, { id: hall, input: { resourceType: 'MONEY' } }), [{ table: 'list_item', id: hall }]);
    expectError(refused, 'BAD_USER_INPUT', 'input.quantity');
    expect((await totalValue(list)).totalResourceValue).toBe(3_000);
    // Given again (null for cash: its value), it changes.
    expect((await ok(app, UPDATE, { id: hall, input: { resourceType: 'MONEY', quantity: null } })).updateListItem).toMatchObject({ resourceType: 'MONEY', quantity: 3_000, value: 3_000 });
    expect((await ok(app, UPDATE, { id: hall, input: { resourceType: 'GOODS', quantity: 12 } })).updateListItem).toMatchObject({ resourceType: 'GOODS', quantity: 12, value: 3_000 });
    expect((await totalValue(list)).totalResourceValue).toBe(3_000);
  });
});

describe('updateListItem keeps what claims hold covered', () => {
  test('clearing the quantity (unmetering) while a claim holds part of it is refused on input.quantity, nothing written; after the claim is cancelled it may', async () => {
    const { resource, claim } = await claimedResource();
    const refused = await expectNothingWritten(app, () => app.execute(UPDATE, { id: resource, input: { quantity: null } }), [{ table: 'list_item', id: resource }]);
    expectError(refused, 'BAD_USER_INPUT', 'input.quantity');
    expect(await item(resource)).toMatchObject({ quantity: 10, remainingQuantity: 4 });
    await ok(app, CANCEL, { id: claim });
    expect((await ok(app, UPDATE, { id: resource, input: { quantity: null } })).updateListItem).toMatchObject({ quantity: null, remainingQuantity: null });
  });

  test('lowering the quantity below what claims hold is refused on input.quantity, nothing written; down to exactly it is fine', async () => {
    const { resource } = await claimedResource();
    const refused = await expectNothingWritten(app, () => app.execute(UPDATE, { id: resource, input: { quantity: 5.5 } }), [{ table: 'list_item', id: resource }]);
    expectError(refused, 'BAD_USER_INPUT', 'input.quantity');
    expect((await ok(app, UPDATE, { id: resource, input: { quantity: 6 } })).updateListItem).toMatchObject({ quantity: 6, remainingQuantity: 0 });
  });

  test('changing the kind while a claim holds part of it is refused on input.resourceType (the 6 hours held would be 6 of something else)', async () => {
    const { resource } = await claimedResource();
    for (const input of [{ resourceType: 'GOODS', quantity: 10 }, { resourceType: 'MONEY', value: 10_000 }, { resourceType: 'VENUE' }]) {
      const refused = await expectNothingWritten(app, () => app.execute(UPDATE, { id: resource, input }), [{ table: 'list_item', id: resource }]);
      expectError(refused, 'BAD_USER_INPUT', 'input.resourceType');
    }
  });

  test('a quantity of 0.3 covers claims of 0.1 and 0.2 (their float sum is 0.30000000000000004)', async () => {
    const list = await freshList();
    const resource = await addListItem(app, { listId: list, kind: 'RESOURCE', title: '场地', unitId: w.units.hospitalId, resourceType: 'VENUE', quantity: 1 });
    for (const [title, quantity] of [['一', 0.1], ['二', 0.2]] as const) {
      const service = await addListItem(app, { listId: list, kind: 'SERVICE', title });
      await ok(app, CLAIM, { input: { itemId: service, unitId: w.units.hospitalId, resourceId: resource, quantity } });
    }
    expect((await ok(app, UPDATE, { id: resource, input: { quantity: 0.3 } })).updateListItem).toMatchObject({ quantity: 0.3, remainingQuantity: 0 });
  });

  test('a claim and an unmetering edit racing on the resource queue on its row lock: the claim first, the edit then sees it and is refused', async () => {
    const list = await freshList();
    const resource = await addListItem(app, { listId: list, kind: 'RESOURCE', title: '义诊工时', unitId: w.units.hospitalId, resourceType: 'STAFF_HOURS', quantity: 10 });
    const service = await addListItem(app, { listId: list, kind: 'SERVICE', title: '义诊日' });
    const [claim, edit] = await race(
      app,
      ['select 1 from list_item where id = $1 for update', [dbId(resource)]],
      () => app.execute(CLAIM, { input: { itemId: service, unitId: w.units.hospitalId, resourceId: resource, quantity: 6 } }),
      () => app.execute(UPDATE, { id: resource, input: { quantity: null } }),
    );
    expect(claim.errors).toBeUndefined();
    expectError(edit, 'BAD_USER_INPUT', 'input.quantity');
    expect(await item(resource)).toMatchObject({ quantity: 10, remainingQuantity: 4 });
  });

  test('an edit lowering the quantity and a claim racing: the edit first, the claim then sees the lower quantity and is refused', async () => {
    const list = await freshList();
    const resource = await addListItem(app, { listId: list, kind: 'RESOURCE', title: '义诊工时', unitId: w.units.hospitalId, resourceType: 'STAFF_HOURS', quantity: 10 });
    const service = await addListItem(app, { listId: list, kind: 'SERVICE', title: '义诊日' });
    const [edit, claim] = await race(
      app,
      ['select 1 from list_item where id = $1 for update', [dbId(resource)]],
      () => app.execute(UPDATE, { id: resource, input: { quantity: 3 } }),
      () => app.execute(CLAIM, { input: { itemId: service, unitId: w.units.hospitalId, resourceId: resource, quantity: 6 } }),
    );
    expect(edit.errors).toBeUndefined();
    expectError(claim, 'BAD_USER_INPUT', 'input.quantity');
    expect(await item(resource)).toMatchObject({ quantity: 3, remainingQuantity: 3 });
  });
});
