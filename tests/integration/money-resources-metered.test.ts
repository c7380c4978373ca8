import { addListItem, createPairing, createProblemList } from '../helpers/closed-loop-fixtures';
import { buildWorld, expectError, ok, type World } from '../helpers/fixtures';
import { addServiceDemand, templateId } from '../helpers/project-fixtures';
import { createTestApp, type TestApp } from '../helpers/test-app';

/*
 * "The same 50,000 yuan of a unit's cash cannot fund a second project" (README). Cash listed by its
 * value alone (no quantity: not metered) was counted by projectSuggestions at its value for every
 * suggestion, while an acceptance took nothing of an item without a quantity: every project accepted
 * was funded with the same 50,000 yuan. Cash is counted in yuan: a MONEY resource is metered, its
 * quantity the yuan it offers (its value when not given).
 */
let app: TestApp;
let w: World;
beforeAll(async () => {
  app = await createTestApp();
  w = await buildWorld(app);
  await addServiceDemand(app, w.communityId, 'CARE-CANTEEN', 200, ['ELDERLY']);
  await addServiceDemand(app, w.communityId, 'CARE-DAYCARE', 120, ['ELDERLY']);
});
afterAll(async () => app?.close());

const P = `id status fundingSources { kind amount unit { id } }`;
const SUGGEST = `query($input: ProjectSuggestionsInput!) { projectSuggestions(input: $input) { selected { suggestionId template { code } community { id } } rejected(first: 50) { suggestionId template { code } community { id } } } }`;
const ACCEPT = `mutation($input: AcceptSuggestionInput!) { acceptSuggestion(input: $input) { ${P} } }`;
const ITEM = `id quantity value remainingQuantity`;
async function accept(code: string) {
  const s = (await ok(app, SUGGEST, { input: { budget: 3_000_000, from: '2026-06-01', to: '2026-06-30', allowedTemplateIds: [await templateId(app, code)] } })).projectSuggestions;
  const suggestionId = [...s.selected, ...s.rejected].find((x: any) => x.template.code === code && x.community.id === w.communityId).suggestionId;
  return (await ok(app, ACCEPT, { input: { suggestionId } })).acceptSuggestion;
}
const fromUnit = (project: any) => project.fundingSources.filter((f: any) => f.unit?.id === w.units.enterpriseId).reduce((sum: number, f: any) => sum + f.amount, 0);
const item = async (id: string) => (await ok(app, `query($id: ID!) { node(id: $id) { ... on ListItem { ${ITEM} } } }`, { id })).node;

test('cash listed by its value alone funds one project, not every one accepted', async () => {
  const listId = await createProblemList(app, w.communityId, '2026-Q2');
  const cash = await addListItem(app, { listId, kind: 'RESOURCE', title: '共建资金', unitId: w.units.enterpriseId, resourceType: 'MONEY', value: 50_000 });
  const canteen = await accept('ELDERLY-CANTEEN');
  expect(fromUnit(canteen)).toBe(50_000);
  const daycare = await accept('DAYCARE-ROOM');
  expect(fromUnit(daycare)).toBe(0); // was 50,000: the same cash again
  expect(await item(cash)).toMatchObject({ quantity: 50_000, value: 50_000, remainingQuantity: 0 });
});

test('a MONEY resource keeps an amount: neither quantity nor value, or clearing its quantity, is BAD_USER_INPUT', async () => {
  const listId = await createProblemList(app, w.communityId, '2026-Q3');
  expectError(
    await app.execute(`mutation($input: AddListItemInput!) { addListItem(input: $input) { id } }`, {
      input: { listId, kind: 'RESOURCE', title: '共建资金', unitId: w.units.enterpriseId, resourceType: 'MONEY' },
    }),
    'BAD_USER_INPUT',
    'input.quantity',
  );
  const cash = await addListItem(app, { listId, kind: 'RESOURCE', title: '共建资金', unitId: w.units.enterpriseId, resourceType: 'MONEY', quantity: 8_000 });
  const UPDATE = `mutation($id: ID!, $input: UpdateListItemInput!) { updateListItem(id: $id, input: $input) { ${ITEM} } }`;
  expectError(await app.execute(UPDATE, { id: cash, input: { quantity: null } }), 'BAD_USER_INPUT', 'input.quantity');
  // A venue offered without a count stays unmetered, and becoming cash it needs its amount.
  const hall = await addListItem(app, { listId, kind: 'RESOURCE', title: '活动室', unitId: w.units.enterpriseId, resourceType: 'VENUE' });
  expect(await item(hall)).toMatchObject({ quantity: null, remainingQuantity: null });
  expectError(await app.execute(UPDATE, { id: hall, input: { resourceType: 'MONEY' } }), 'BAD_USER_INPUT', 'input.quantity');
  expect((await ok(app, UPDATE, { id: hall, input: { resourceType: 'MONEY', value: 3_000 } })).updateListItem).toMatchObject({ quantity: 3_000, value: 3_000, remainingQuantity: 3_000 });
});

test('cash listed by its value follows a corrected value (it stayed offered at the first amount); a quantity given apart stays its own', async () => {
  const listId = await createProblemList(app, w.communityId, '2026-Q4');
  const UPDATE = `mutation($id: ID!, $input: UpdateListItemInput!) { updateListItem(id: $id, input: $input) { ${ITEM} } }`;
  const cash = await addListItem(app, { listId, kind: 'RESOURCE', title: '共建资金', unitId: w.units.enterpriseId, resourceType: 'MONEY', value: 50_000 });
  expect((await ok(app, UPDATE, { id: cash, input: { value: 30_000 } })).updateListItem).toMatchObject({ quantity: 30_000, value: 30_000, remainingQuantity: 30_000 });
  // Both given: each as given. Then the quantity is no longer the value, and a value edit leaves it.
  expect((await ok(app, UPDATE, { id: cash, input: { value: 40_000, quantity: 20_000 } })).updateListItem).toMatchObject({ quantity: 20_000, value: 40_000 });
  expect((await ok(app, UPDATE, { id: cash, input: { value: 45_000 } })).updateListItem).toMatchObject({ quantity: 20_000, value: 45_000 });
  // Below what is already used, the corrected value is refused like a quantity would be, and nothing changes.
  const spent = await addListItem(app, { listId, kind: 'RESOURCE', title: '共建资金二', unitId: w.units.enterpriseId, resourceType: 'MONEY', value: 50_000 });
  const service = await addListItem(app, { listId, kind: 'SERVICE', title: '助餐服务' });
  await createPairing(app, w.units.enterpriseId, w.communityId); // a unit claims the items of the communities it serves
  await ok(app, `mutation($input: ClaimListItemInput!) { claimListItem(input: $input) { id } }`, { input: { itemId: service, unitId: w.units.enterpriseId, resourceId: spent, quantity: 10_000 } });
  expectError(await app.execute(UPDATE, { id: spent, input: { value: 1 } }), 'BAD_USER_INPUT', 'input.quantity');
  expect(await item(spent)).toMatchObject({ value: 50_000 });
});
