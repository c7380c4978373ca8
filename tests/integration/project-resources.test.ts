import { addListItem, createProblemList } from '../helpers/closed-loop-fixtures';
import { buildWorld, dbId, expectError, ok, type World } from '../helpers/fixtures';
import { race } from '../helpers/lock-race';
import { addServiceDemand, templateId } from '../helpers/project-fixtures';
import { createTestApp, type TestApp } from '../helpers/test-app';

/*
 * A co-building unit's resource funds one project, not two (found by a review): an accepted
 * project takes what its default funding counts on from what the item has left, until cancelled.
 */
let app: TestApp;
let w: World;
beforeAll(async () => {
  app = await createTestApp();
  w = await buildWorld(app);
  await addServiceDemand(app, w.communityId, 'CARE-CANTEEN', 200, ['ELDERLY']);
  await addServiceDemand(app, w.communityId, 'CARE-DAYCARE', 120, ['ELDERLY']);
  await addServiceDemand(app, w.otherCommunityId, 'CARE-CANTEEN', 200, ['ELDERLY']);
  await addServiceDemand(app, w.otherCommunityId, 'CARE-DAYCARE', 120, ['ELDERLY']);
});
afterAll(async () => app?.close());

const P = `id status fundingSources { kind amount unit { id } }`;
const SUGGEST = `query($input: ProjectSuggestionsInput!) { projectSuggestions(input: $input) { selected { suggestionId template { code } community { id } } rejected(first: 50) { suggestionId template { code } community { id } } } }`;
const ACCEPT = `mutation($input: AcceptSuggestionInput!) { acceptSuggestion(input: $input) { ${P} } }`;
async function suggestionId(code: string, communityId = w.communityId): Promise<string> {
  const s = (await ok(app, SUGGEST, { input: { budget: 3_000_000, from: '2026-06-01', to: '2026-06-30', allowedTemplateIds: [await templateId(app, code)] } })).projectSuggestions;
  return [...s.selected, ...s.rejected].find((x: any) => x.template.code === code && x.community.id === communityId).suggestionId;
}
async function accept(code: string) {
  return (await ok(app, ACCEPT, { input: { suggestionId: await suggestionId(code) } })).acceptSuggestion;
}
const fromUnit = (project: any) => project.fundingSources.filter((f: any) => f.unit?.id === w.units.enterpriseId).reduce((sum: number, f: any) => sum + f.amount, 0);
const left = async (itemId: string) => (await ok(app, `query($id: ID!) { node(id: $id) { ... on ListItem { remainingQuantity } } }`, { id: itemId })).node.remainingQuantity;

test('one 50,000-yuan cash item funds the first project accepted; the second gets none of it; a cancellation gives it back', async () => {
  const listId = await createProblemList(app, w.communityId, '2026-Q2');
  const cash = await addListItem(app, { listId, kind: 'RESOURCE', title: '共建资金', unitId: w.units.enterpriseId, resourceType: 'MONEY', quantity: 50_000, value: 50_000 });
  const canteen = await accept('ELDERLY-CANTEEN');
  expect(fromUnit(canteen)).toBe(50_000);
  expect(await left(cash)).toBe(0);
  const daycare = await accept('DAYCARE-ROOM');
  expect(fromUnit(daycare)).toBe(0);
  await ok(app, `mutation($id: ID!) { cancelLivelihoodProject(id: $id, input: { note: "撤销" }) { status } }`, { id: canteen.id });
  expect(await left(cash)).toBe(50_000);
});

test('two acceptances counting on the same cash at once: the first takes it, the second is CONFLICT and writes nothing', async () => {
  const listId = await createProblemList(app, w.otherCommunityId, '2026-Q2');
  const cash = await addListItem(app, { listId, kind: 'RESOURCE', title: '和平里共建资金', unitId: w.units.enterpriseId, resourceType: 'MONEY', quantity: 50_000, value: 50_000 });
  const [canteenId, daycareId] = [await suggestionId('ELDERLY-CANTEEN', w.otherCommunityId), await suggestionId('DAYCARE-ROOM', w.otherCommunityId)];
  const projects = async () => (await app.orm.em.fork().execute('select count(*)::int as n from livelihood_project'))[0].n;
  const before = await projects();
  const [first, second] = await race(
    app,
    ['select id from list_item where id = $1 for update', [dbId(cash)]],
    () => app.execute(ACCEPT, { input: { suggestionId: canteenId } }),
    () => app.execute(ACCEPT, { input: { suggestionId: daycareId } }),
  );
  expect(first.errors).toBeUndefined();
  expect(fromUnit(first.data!.acceptSuggestion)).toBe(50_000);
  expectError(second, 'CONFLICT', 'input.suggestionId');
  expect(second.errors![0].message).toContain('has 0 left');
  expect(await projects()).toBe(before + 1);
  expect(await left(cash)).toBe(0);
});
