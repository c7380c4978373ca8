import { addListItem, createPairing, createProblemList } from '../helpers/closed-loop-fixtures';
import { buildWorld, ok, type World } from '../helpers/fixtures';
import { addServiceDemand, templateId } from '../helpers/project-fixtures';
import { createTestApp, type TestApp } from '../helpers/test-app';

/*
 * A suggestion never counts on more of a resource than it has left. The matched quantity was
 * rounded to the cent to the nearest, so a resource with a fraction of a cent left over (a claim of
 * 0.004 yuan, a third of an hour) was matched a little more than it had, and acceptSuggestion with
 * the default funding answered CONFLICT ("has 49999.996 left, not the 50000 …") however often the
 * suggestions were run again: a suggestion offered that could never be accepted.
 */
let app: TestApp;
let w: World;
beforeAll(async () => {
  app = await createTestApp();
  w = await buildWorld(app);
  await addServiceDemand(app, w.communityId, 'CARE-CANTEEN', 200, ['ELDERLY']);
});
afterAll(async () => app?.close());

const SUGGEST = `query($input: ProjectSuggestionsInput!) { projectSuggestions(input: $input) {
  selected { suggestionId template { code } community { id } matchedResources { quantity value resource { id } } }
  rejected(first: 50) { suggestionId template { code } community { id } matchedResources { quantity value resource { id } } }
} }`;
const ACCEPT = `mutation($input: AcceptSuggestionInput!) { acceptSuggestion(input: $input) { id status fundingSources { kind amount unit { id } } } }`;
const left = async (itemId: string) => (await ok(app, `query($id: ID!) { node(id: $id) { ... on ListItem { remainingQuantity } } }`, { id: itemId })).node.remainingQuantity;

test('a resource with a fraction of a cent left is matched at most what it has left, and the suggestion is accepted', async () => {
  const listId = await createProblemList(app, w.communityId, '2026-Q2');
  const cash = await addListItem(app, { listId, kind: 'RESOURCE', title: '共建资金', unitId: w.units.enterpriseId, resourceType: 'MONEY', quantity: 50_000, value: 50_000 });
  const service = await addListItem(app, { listId, kind: 'SERVICE', title: '助老服务' });
  await createPairing(app, w.units.enterpriseId, w.communityId); // a unit claims the items of the communities it serves
  await ok(app, `mutation($input: ClaimListItemInput!) { claimListItem(input: $input) { id } }`, {
    input: { itemId: service, unitId: w.units.enterpriseId, resourceId: cash, quantity: 0.004 },
  });
  expect(await left(cash)).toBe(49_999.996);

  const s = (await ok(app, SUGGEST, { input: { budget: 3_000_000, from: '2026-06-01', to: '2026-06-30', allowedTemplateIds: [await templateId(app, 'ELDERLY-CANTEEN')] } })).projectSuggestions;
  const suggestion = [...s.selected, ...s.rejected].find((x: any) => x.template.code === 'ELDERLY-CANTEEN' && x.community.id === w.communityId);
  const match = suggestion.matchedResources.find((m: any) => m.resource.id === cash);
  expect(match.quantity).toBeLessThanOrEqual(49_999.996);

  const project = (await ok(app, ACCEPT, { input: { suggestionId: suggestion.suggestionId } })).acceptSuggestion;
  expect(project.status).toBe('PROPOSED');
  expect(project.fundingSources.find((f: any) => f.unit?.id === w.units.enterpriseId).amount).toBe(match.value);
  expect(await left(cash)).toBeCloseTo(49_999.996 - match.quantity, 6);
});
