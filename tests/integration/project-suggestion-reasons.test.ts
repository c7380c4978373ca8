import { addListItem, categoryId, createProblemList } from '../helpers/closed-loop-fixtures';
import { buildWorld, ok, type World } from '../helpers/fixtures';
import { addRequestDemand, addServiceDemand, templateId } from '../helpers/project-fixtures';
import { createTestApp, type TestApp } from '../helpers/test-app';

/*
 * The reasons of `projectSuggestions` state what is true, in yuan, when the budget is tight
 * (review 3, D2 and D3). June 2026:
 *   幸福里社区: 200 canteen demands (all elderly), 50 street-light demands and 4 requests; 49,700
 *   yuan from an enterprise, earmarked for elderly care;  和平里社区: 40 after-school (children).
 *   长者食堂   420,000 − 49,700 = 370,300 net (ELDERLY)
 *   路灯照明   280,000 net (GENERAL, ELDERLY; its MONEY need cannot use earmarked money)
 *   四点半课堂 180,000 net (CHILDREN)
 * Costs are rounded up to units of 1,000 yuan and the budget down: the canteen counts 371 units.
 */

let app: TestApp;
let w: World;
const JUNE = { from: '2026-06-01', to: '2026-06-30' };
const LIGHTS = '路灯照明改造 · 幸福里社区';
const CANTEEN = '长者食堂 · 幸福里社区';
const AFTER_SCHOOL = '四点半课堂 · 和平里社区';

const SUGGEST = `query($input: ProjectSuggestionsInput!) { projectSuggestions(input: $input) {
  selected { label netCost costUnits reasons bindingConstraints }
  rejected(first: 50) { label netCost costUnits reasons bindingConstraints }
  totals { budget spent left projects }
  greedy { feasible selected explanation }
  bindingConstraints unservableGroups solver { provenOptimal gap capacityUnits } } }`;
const suggest = async (input: Record<string, unknown>) => (await ok(app, SUGGEST, { input: { ...JUNE, areaId: w.districtId, ...input } })).projectSuggestions;
const byLabel = (list: any[], label: string) => list.find((s) => s.label === label);

beforeAll(async () => {
  app = await createTestApp();
  w = await buildWorld(app);
  await addServiceDemand(app, w.communityId, 'CARE-CANTEEN', 200, ['ELDERLY']);
  await addServiceDemand(app, w.communityId, 'HOUSING-LIGHTS', 50);
  await addRequestDemand(app, w.communityId, 'HOUSING-LIGHTS', 4);
  await addServiceDemand(app, w.otherCommunityId, 'CIV-CHILD', 40, ['CHILDREN']);
  const listId = await createProblemList(app, w.communityId, '2026-Q2');
  await addListItem(app, { listId, kind: 'RESOURCE', title: '助老帮扶资金', unitId: w.units.enterpriseId, resourceType: 'MONEY', quantity: 49_700, value: 49_700, categoryId: await categoryId(app, 'CARE-CANTEEN') });
});
afterAll(async () => app?.close());

describe('required groups that cannot be served together (D2)', () => {
  test('300,000 yuan for ELDERLY and CHILDREN: the cheapest pair costs 460,000, so nothing is selected, and the answer says why', async () => {
    const a = await suggest({ budget: 300_000, requiredGroups: ['ELDERLY', 'CHILDREN'] });
    expect(a.selected).toEqual([]);
    expect(a.totals).toEqual({ budget: 300_000, spent: 0, left: 300_000, projects: 0 });
    // The solver proved there is no selection: nothing is "not proven".
    expect(a.solver).toMatchObject({ provenOptimal: true, gap: 0 });
    expect(a.rejected.flatMap((r: any) => r.bindingConstraints)).not.toContain('NOT_PROVEN');
    expect([...a.bindingConstraints].sort()).toEqual(['BUDGET', 'GROUP_REQUIREMENT']);
    // Each group alone can be served: none is unservable, the pair is.
    expect(a.unservableGroups).toEqual([]);

    const together = 'ELDERLY and CHILDREN cannot all be served within the budget: the cheapest projects serving them, '
      + `${LIGHTS} (ELDERLY, 280,000 yuan net) and ${AFTER_SCHOOL} (CHILDREN, 180,000 yuan net), `
      + 'cost 460,000 yuan together, more than the budget of 300,000 yuan; no selection meets the group requirement';
    expect(byLabel(a.rejected, LIGHTS)).toMatchObject({ netCost: 280_000, bindingConstraints: ['GROUP_REQUIREMENT'], reasons: [together] });
    expect(byLabel(a.rejected, AFTER_SCHOOL)).toMatchObject({ netCost: 180_000, bindingConstraints: ['GROUP_REQUIREMENT'], reasons: [together] });
    expect(byLabel(a.rejected, CANTEEN)).toMatchObject({
      netCost: 370_300, costUnits: 371, bindingConstraints: ['BUDGET'], reasons: ['costs 370,300 yuan net, more than the whole budget of 300,000 yuan'],
    });

    // The greedy rule serves one group and not the other; it does not pretend the exact answer met anything.
    expect(a.greedy).toEqual({
      feasible: false,
      selected: [LIGHTS],
      explanation: 'No selection within the budget serves every required group (ELDERLY and CHILDREN cannot all be served: 460,000 yuan against 300,000), so the exact answer is empty. '
        + `The greedy rule takes ${LIGHTS} by benefit per yuan and leaves CHILDREN unserved.`,
    });
  });

  test('a group no candidate serves: every candidate says so, nothing is "not proven"', async () => {
    const a = await suggest({ budget: 500_000, requiredGroups: ['DISABLED'] });
    expect(a).toMatchObject({ selected: [], unservableGroups: ['DISABLED'], solver: { provenOptimal: true } });
    expect(a.bindingConstraints).toEqual(['GROUP_REQUIREMENT']);
    const none = 'no allowed candidate within the budget serves DISABLED; no selection meets the group requirement';
    for (const label of [LIGHTS, CANTEEN, AFTER_SCHOOL]) expect(byLabel(a.rejected, label)).toMatchObject({ bindingConstraints: ['GROUP_REQUIREMENT'], reasons: [none] });
  });
});

describe('rejection reasons state true yuan (D3)', () => {
  test('370,500 yuan: 90,500 yuan is left, and the canteen (370,300 net) is out only because its cost is rounded up', async () => {
    const a = await suggest({ budget: 370_500 });
    expect(a.selected.map((s: any) => s.label)).toEqual([LIGHTS]);
    expect(a.totals).toEqual({ budget: 370_500, spent: 280_000, left: 90_500, projects: 1 });
    expect(a.solver.capacityUnits).toBe(370);
    expect(byLabel(a.rejected, AFTER_SCHOOL)).toMatchObject({
      bindingConstraints: ['BUDGET'],
      reasons: ['needs 180,000 yuan net; 90,500 yuan of the budget is left, and the selected projects give more benefit for the money'],
    });
    expect(byLabel(a.rejected, CANTEEN)).toMatchObject({
      netCost: 370_300,
      costUnits: 371,
      bindingConstraints: ['BUDGET'],
      reasons: ['costs 370,300 yuan net, within the budget of 370,500 yuan, but costs are counted in whole units of 1,000 yuan: 371 units of 1,000 yuan after rounding up, against 370 in the budget'],
    });
  });

  test('650,500 yuan for the lights or the canteen: what is left covers the canteen in yuan, not in whole units, and the reason says so', async () => {
    const allowedTemplateIds = [await templateId(app, 'STREET-LIGHTS'), await templateId(app, 'ELDERLY-CANTEEN')];
    const a = await suggest({ budget: 650_500, allowedTemplateIds });
    // Both: 280,000 + 370,300 = 650,300 yuan ≤ 650,500, but 280 + 371 = 651 units > 650. The lights weigh more.
    expect(a.selected.map((s: any) => s.label)).toEqual([LIGHTS]);
    expect(a.totals).toEqual({ budget: 650_500, spent: 280_000, left: 370_500, projects: 1 });
    expect(byLabel(a.rejected, CANTEEN)).toMatchObject({
      netCost: 370_300,
      costUnits: 371,
      bindingConstraints: ['BUDGET'],
      reasons: ['needs 370,300 yuan net and 370,500 yuan of the budget is left, but costs are counted in whole units of 1,000 yuan: 371 units of 1,000 yuan after rounding up, against the 370 the selected projects leave of the budget\'s 650'],
    });
  });
});
