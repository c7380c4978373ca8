import { addListItem, createProblemList } from '../helpers/closed-loop-fixtures';
import { buildWorld, createCommunity, dbId, expectError, expectNothingWritten, ok, type World } from '../helpers/fixtures';
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
const UPDATE = `mutation($id: ID!, $input: UpdateLivelihoodProjectInput!) { updateLivelihoodProject(id: $id, input: $input) { ${P} } }`;
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

test('editing the funding by hand re-takes what the unit gives: less gives back, more takes again, more than is left is CONFLICT and writes nothing', async () => {
  const community = await createCommunity(app, w.streetId, '调整社区');
  await addServiceDemand(app, community, 'CARE-CANTEEN', 200, ['ELDERLY']);
  await addServiceDemand(app, community, 'CARE-DAYCARE', 120, ['ELDERLY']);
  const listId = await createProblemList(app, community, '2026-Q2');
  const cash = await addListItem(app, { listId, kind: 'RESOURCE', title: '调整社区共建资金', unitId: w.units.enterpriseId, resourceType: 'MONEY', quantity: 50_000, value: 50_000 });
  const canteen = (await ok(app, ACCEPT, { input: { suggestionId: await suggestionId('ELDERLY-CANTEEN', community) } })).acceptSuggestion;
  expect(fromUnit(canteen)).toBe(50_000);
  expect(await left(cash)).toBe(0);
  const fund = (government: number, unit: number) => ({
    id: canteen.id,
    input: { fundingSources: [{ kind: 'GOVERNMENT', amount: government }, ...(unit > 0 ? [{ kind: 'UNIT', unitId: w.units.enterpriseId, amount: unit }] : [])] },
  });
  // The government pays it all: the unit's cash is no longer counted on, and is free for another project.
  await ok(app, UPDATE, fund(420_000, 0));
  expect(await left(cash)).toBe(50_000);
  // The unit gives 20,000: that much is taken.
  await ok(app, UPDATE, fund(400_000, 20_000));
  expect(await left(cash)).toBe(30_000);
  // Another project takes the rest.
  const daycare = (await ok(app, ACCEPT, { input: { suggestionId: await suggestionId('DAYCARE-ROOM', community) } })).acceptSuggestion;
  expect(fromUnit(daycare)).toBe(30_000);
  expect(await left(cash)).toBe(0);
  // Back to 50,000 from the unit: its cash is gone, so the edit is refused and nothing changes.
  const refused = await expectNothingWritten(app, () => app.execute(UPDATE, fund(370_000, 50_000)), [{ table: 'livelihood_project', id: canteen.id }]);
  expectError(refused, 'CONFLICT', 'input.fundingSources');
  expect(refused.errors![0].message).toBe('调整社区共建资金 has 0 left, not the 30,000 more the UNIT sources of 20,000 → 50,000 yuan count on (taken since): lower them, or free the resource first');
  expect(await left(cash)).toBe(0);
  // Once the other project is cancelled the cash is back, and the edit takes it; a unit giving more than the
  // suggestion matched gives the rest beyond its listed resources (as any UNIT source added by hand).
  await ok(app, `mutation($id: ID!) { cancelLivelihoodProject(id: $id, input: { note: "撤销" }) { status } }`, { id: daycare.id });
  await ok(app, UPDATE, fund(340_000, 80_000));
  expect(await left(cash)).toBe(0);
  await ok(app, UPDATE, fund(400_000, 20_000));
  expect(await left(cash)).toBe(30_000);
});

test('a funding edit taking the cash back and an acceptance counting on it at once: the first takes it, the second is CONFLICT and writes nothing', async () => {
  const community = await createCommunity(app, w.streetId, '竞争社区');
  await addServiceDemand(app, community, 'CARE-CANTEEN', 200, ['ELDERLY']);
  await addServiceDemand(app, community, 'CARE-DAYCARE', 120, ['ELDERLY']);
  const listId = await createProblemList(app, community, '2026-Q2');
  const cash = await addListItem(app, { listId, kind: 'RESOURCE', title: '竞争社区共建资金', unitId: w.units.enterpriseId, resourceType: 'MONEY', quantity: 50_000, value: 50_000 });
  const canteen = (await ok(app, ACCEPT, { input: { suggestionId: await suggestionId('ELDERLY-CANTEEN', community) } })).acceptSuggestion;
  const fund = (government: number, unit: number) => ({ id: canteen.id, input: { fundingSources: [{ kind: 'GOVERNMENT', amount: government }, { kind: 'UNIT', unitId: w.units.enterpriseId, amount: unit }] } });
  await ok(app, UPDATE, fund(400_000, 20_000));
  const daycareId = await suggestionId('DAYCARE-ROOM', community); // counts on the 30,000 left
  const projects = async () => (await app.orm.em.fork().execute('select count(*)::int as n from livelihood_project'))[0].n;
  const before = await projects();
  const [first, second] = await race(
    app,
    ['select id from list_item where id = $1 for update', [dbId(cash)]],
    () => app.execute(UPDATE, fund(370_000, 50_000)),
    () => app.execute(ACCEPT, { input: { suggestionId: daycareId } }),
  );
  expect(first.errors).toBeUndefined();
  expect(fromUnit(first.data!.updateLivelihoodProject)).toBe(50_000);
  expectError(second, 'CONFLICT', 'input.suggestionId');
  expect(second.errors![0].message).toContain('has 0 left');
  expect(await projects()).toBe(before);
  expect(await left(cash)).toBe(0);
});

test('lowering an in-kind contribution by one yuan gives a little back, never takes more than was matched', async () => {
  // 1,500 volunteer hours worth 5,000 yuan: 3.333… yuan an hour, shown as unitSaving 3.33. 4,999 / 3.33
  // is 1,501.2 hours, more than the 1,500 matched: that was read as taking 1.2 hours more (CONFLICT).
  // In proportion, 4,999 of 5,000 yuan is 1,499.7 hours: 0.3 go back.
  const community = await createCommunity(app, w.streetId, '取整社区');
  await addServiceDemand(app, community, 'CARE-CANTEEN', 200, ['ELDERLY']);
  const listId = await createProblemList(app, community, '2026-Q2');
  const hours = await addListItem(app, { listId, kind: 'RESOURCE', title: '志愿者工时', unitId: w.units.enterpriseId, resourceType: 'STAFF_HOURS', quantity: 1500, value: 5000 });
  const project = (await ok(app, ACCEPT, { input: { suggestionId: await suggestionId('ELDERLY-CANTEEN', community) } })).acceptSuggestion;
  expect(fromUnit(project)).toBe(5000);
  expect(await left(hours)).toBe(0);
  const government = project.fundingSources.filter((f: any) => f.kind === 'GOVERNMENT').reduce((sum: number, f: any) => sum + f.amount, 0);
  const lowered = await app.execute(UPDATE, { id: project.id, input: { fundingSources: [{ kind: 'GOVERNMENT', amount: government + 1 }, { kind: 'UNIT', unitId: w.units.enterpriseId, amount: 4999 }] } });
  expect(lowered.errors).toBeUndefined();
  expect(await left(hours)).toBe(0.3);
});

test('a resource closed since (its claim confirmed) is not taken again by a funding edit', async () => {
  const community = await createCommunity(app, w.streetId, '关闭社区');
  await addServiceDemand(app, community, 'CARE-CANTEEN', 200, ['ELDERLY']);
  const listId = await createProblemList(app, community, '2026-Q2');
  const cash = await addListItem(app, { listId, kind: 'RESOURCE', title: '关闭社区共建资金', unitId: w.units.enterpriseId, resourceType: 'MONEY', quantity: 50_000, value: 50_000 });
  const project = (await ok(app, ACCEPT, { input: { suggestionId: await suggestionId('ELDERLY-CANTEEN', community) } })).acceptSuggestion;
  const government = project.fundingSources.filter((f: any) => f.kind === 'GOVERNMENT').reduce((sum: number, f: any) => sum + f.amount, 0);
  const fund = (unit: number) => ({ id: project.id, input: { fundingSources: [{ kind: 'GOVERNMENT', amount: government + 50_000 - unit }, ...(unit > 0 ? [{ kind: 'UNIT', unitId: w.units.enterpriseId, amount: unit }] : [])] } });
  await ok(app, UPDATE, fund(20_000));
  expect(await left(cash)).toBe(30_000);
  // The rest is handed out and confirmed through a claim elsewhere: the item is CLOSED.
  await app.orm.em.fork().execute(`update list_item set status = 'CLOSED' where id = ?`, [dbId(cash)]);
  const refused = await expectNothingWritten(app, () => app.execute(UPDATE, fund(50_000)), [{ table: 'livelihood_project', id: project.id }]);
  expectError(refused, 'CONFLICT', 'input.fundingSources');
  expect(refused.errors![0].message).toContain('关闭社区共建资金 is closed');
  // Giving less back still works.
  await ok(app, UPDATE, fund(10_000));
});
