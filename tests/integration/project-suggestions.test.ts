import { toGlobalId } from '../../src/common/global-id';
import { addListItem, categoryId, createProblemList, expectNothingWritten } from '../helpers/closed-loop-fixtures';
import { buildWorld, expectError, ok, type World } from '../helpers/fixtures';
import { addRequestDemand, addServiceDemand, templateId } from '../helpers/project-fixtures';
import { createTestApp, type TestApp } from '../helpers/test-app';

/*
 * 幸福里社区: 200 elderly canteen demands (all elderly), 50 street-light demands and 10 requests;
 * 和平里社区: 40 after-school demands (all children). Resources in 幸福里: a 200 m² hall from
 * 和平里小学 (not metered per m²: no declared value) and 50,000 yuan from an enterprise, earmarked
 * for elderly care (养老助残).
 *
 * By hand (C = n / 200, the interim volume share; β = 0.5):
 *   长者食堂   C 1.0, n 200, v 1 → 1.0×200×0.35×1.5 = 105;   420,000 − 135,000 (150 m² × 900) − 50,000 = 235,000 net
 *   路灯照明   C 0.3, n 60,  v 0 → 0.3×60×0.7×1    = 12.6;  280,000 net (its MONEY need cannot use earmarked money)
 *   四点半课堂 C 0.2, n 40,  v 1 → 0.2×40×0.4×1.5   = 4.8;   180,000 net (和平里 has no resources)
 * Budget 500,000: canteen + lights = 515,000 does not fit; canteen + after-school = 415,000 → benefit 109.8.
 */

let app: TestApp;
let w: World;
let hallId: string;
let cashId: string;

const SUGGEST = `query($input: ProjectSuggestionsInput!) {
  projectSuggestions(input: $input) {
    selected { ...S }
    rejected(first: 50) { ...S }
    rejectedCount
    totals { budget spent left grossCost matchedValue benefit beneficiaries projects }
    greedy { sameAsExact feasible benefit spent selected onlyInExact onlyInGreedy explanation }
    bindingConstraints unservableGroups assumptions
    parameters { beta rho from to requiredGroups perCommunityMaxProjects perCommunityMaxCost }
    demand { latestDay rowsRead cells scoreSource }
    solver { method provenOptimal upperBound gap candidates withoutDemand costUnit capacityUnits dpCells nodes groupLayers sharedResourceRounds engineMs loadMs }
  }
}
fragment S on ProjectSuggestion {
  suggestionId label kind targetGroups servesRequiredGroups grossCost matchedValue netCost costUnits benefit benefitFormula rho beta
  beneficiaries beneficiaryFormula benefitPer10kYuan selected inGreedy reasons bindingConstraints
  template { code name } community { id name }
  coveredCells { label volume score vulnerableShare vulnerabilityWeight contribution category { code } metrics { name value } }
  matchedResources { title unitName kind quantity unitSaving value resource { id } unit { id name } }
}`;

const BASE = { from: '2026-06-01', to: '2026-06-30' };
const suggest = (input: Record<string, unknown>) => app.execute(SUGGEST, { input: { ...BASE, ...input } });
const byTemplate = (list: any[], code: string) => list.find((s) => s.template.code === code);

beforeAll(async () => {
  app = await createTestApp();
  w = await buildWorld(app);
  await addServiceDemand(app, w.communityId, 'CARE-CANTEEN', 200, ['ELDERLY']);
  await addServiceDemand(app, w.communityId, 'HOUSING-LIGHTS', 50);
  await addRequestDemand(app, w.communityId, 'HOUSING-LIGHTS', 10);
  await addServiceDemand(app, w.otherCommunityId, 'CIV-CHILD', 40, ['CHILDREN']);
  // Outside the period: never counted.
  await addServiceDemand(app, w.communityId, 'HOUSING-PARKING', 500, [], '2026-08-01');
  const listId = await createProblemList(app, w.communityId, '2026-Q2');
  hallId = await addListItem(app, { listId, kind: 'RESOURCE', title: '学校礼堂', unitId: w.units.schoolId, resourceType: 'VENUE', quantity: 200 });
  cashId = await addListItem(app, { listId, kind: 'RESOURCE', title: '助老帮扶资金', unitId: w.units.enterpriseId, resourceType: 'MONEY', quantity: 50000, value: 50000, categoryId: await categoryId(app, 'CARE-CANTEEN') });
});
afterAll(async () => {
  await app?.close();
});

describe('projectSuggestions', () => {
  test('the exact selection, with every number explained and consistent (worked by hand above)', async () => {
    const result = await suggest({ budget: 500_000, areaId: w.districtId });
    expect(result.errors).toBeUndefined();
    const answer = result.data.projectSuggestions;
    expect(answer.selected.map((s: any) => s.template.code)).toEqual(['ELDERLY-CANTEEN', 'AFTER-SCHOOL']);

    const canteen = byTemplate(answer.selected, 'ELDERLY-CANTEEN');
    expect(canteen).toMatchObject({
      label: '长者食堂 · 幸福里社区', kind: 'SERVICE', grossCost: 420_000, matchedValue: 185_000, netCost: 235_000, costUnits: 235,
      benefit: 105, rho: 0.35, beta: 0.5, beneficiaries: 200, selected: true, inGreedy: true, bindingConstraints: [],
      community: { id: w.communityId, name: '幸福里社区' },
    });
    expect(canteen.benefitFormula).toBe('b = ρ·Σ C·n·(1+β·v) = 0.35 × (1×200×(1+0.5×1)) = 105');
    expect(canteen.coveredCells).toEqual([expect.objectContaining({ label: '老年助餐 · 幸福里社区', volume: 200, score: 1, vulnerableShare: 1, vulnerabilityWeight: 1.5, contribution: 105, category: { code: 'CARE-CANTEEN' } })]);
    expect(canteen.coveredCells[0].metrics).toEqual(expect.arrayContaining([{ name: 'volume', value: 200 }, { name: 'requests', value: 0 }]));
    expect(canteen.matchedResources).toEqual([
      { title: '学校礼堂', unitName: '和平里小学', kind: 'VENUE', quantity: 150, unitSaving: 900, value: 135_000, resource: { id: hallId }, unit: { id: w.units.schoolId, name: '和平里小学' } },
      { title: '助老帮扶资金', unitName: '外区科技有限公司', kind: 'MONEY', quantity: 50_000, unitSaving: 1, value: 50_000, resource: { id: cashId }, unit: { id: w.units.enterpriseId, name: '外区科技有限公司' } },
    ]);
    expect(canteen.reasons[0]).toMatch(/^selected in the exact optimum: benefit 105 for 235,000 yuan net/);

    const afterSchool = byTemplate(answer.selected, 'AFTER-SCHOOL');
    expect(afterSchool).toMatchObject({ netCost: 180_000, matchedValue: 0, benefit: 4.8, beneficiaries: 60, community: { name: '和平里社区' } });

    const lights = byTemplate(answer.rejected, 'STREET-LIGHTS');
    expect(lights).toMatchObject({ selected: false, netCost: 280_000, matchedValue: 0, bindingConstraints: ['BUDGET'] });
    expect(lights.benefit).toBeCloseTo(12.6, 9);
    expect(lights.coveredCells[0]).toMatchObject({ volume: 60, score: 0.3 });
    expect(lights.coveredCells[0].metrics).toEqual(expect.arrayContaining([{ name: 'requests', value: 10 }, { name: 'serviceDemands', value: 50 }]));
    // 60 cases × ρ 0.7 × 20 residents per case.
    expect(lights.beneficiaries).toBe(840);
    expect(lights.reasons[0]).toContain('85,000 yuan of the budget is left');

    expect(answer.rejectedCount).toBe(1);
    expect(answer.totals).toEqual({ budget: 500_000, spent: 415_000, left: 85_000, grossCost: 600_000, matchedValue: 185_000, benefit: 109.8, beneficiaries: 260, projects: 2 });
    expect(answer.greedy).toMatchObject({ sameAsExact: true, feasible: true, benefit: 109.8, spent: 415_000, onlyInExact: [], onlyInGreedy: [] });
    expect(answer.bindingConstraints).toEqual(['BUDGET']);
    expect(answer.parameters).toEqual({ beta: 0.5, rho: null, from: '2026-06-01', to: '2026-06-30', requiredGroups: [], perCommunityMaxProjects: null, perCommunityMaxCost: null });
    expect(answer.demand).toMatchObject({ latestDay: '2026-06-15', cells: 3 });
    expect(answer.demand.scoreSource).toContain('interim');
    expect(answer.solver).toMatchObject({ method: 'DYNAMIC_PROGRAMMING', provenOptimal: true, upperBound: 109.8, gap: 0, candidates: 3, costUnit: 1000, capacityUnits: 500, sharedResourceRounds: 0 });
    // 18 templates × 2 communities, 3 of them with demand.
    expect(answer.solver.withoutDemand).toBe(33);
    expect(answer.assumptions.join('\n')).toMatch(/ρ per template \(default 0.3\)/);
  });

  test('a community cap binds: one project per community', async () => {
    const answer = (await suggest({ budget: 1_000_000, areaId: w.districtId, perCommunityMaxProjects: 1 })).data.projectSuggestions;
    expect(answer.selected.map((s: any) => s.template.code).sort()).toEqual(['AFTER-SCHOOL', 'ELDERLY-CANTEEN']);
    expect(byTemplate(answer.rejected, 'STREET-LIGHTS').bindingConstraints).toEqual(['COMMUNITY_MAX_PROJECTS']);
    expect(answer.solver).toMatchObject({ provenOptimal: true, method: expect.stringMatching(/^(BRANCH_AND_BOUND|MULTIPLE_CHOICE_DP)$/) });
  });

  test('a required group: children served even when the budget would rather buy street lights', async () => {
    const without = (await suggest({ budget: 520_000, areaId: w.districtId })).data.projectSuggestions;
    expect(without.selected.map((s: any) => s.template.code)).toEqual(['ELDERLY-CANTEEN', 'STREET-LIGHTS']);
    const withGroup = (await suggest({ budget: 520_000, areaId: w.districtId, requiredGroups: ['CHILDREN'] })).data.projectSuggestions;
    expect(withGroup.selected.map((s: any) => s.template.code)).toEqual(['ELDERLY-CANTEEN', 'AFTER-SCHOOL']);
    expect(byTemplate(withGroup.selected, 'AFTER-SCHOOL')).toMatchObject({ servesRequiredGroups: ['CHILDREN'], bindingConstraints: ['GROUP_REQUIREMENT'] });
    expect(byTemplate(withGroup.rejected, 'STREET-LIGHTS').bindingConstraints).toEqual(['BUDGET', 'GROUP_REQUIREMENT']);
    expect(withGroup.solver.groupLayers).toBe(1);
  });

  test('a group no candidate serves is reported; nothing is selected', async () => {
    const answer = (await suggest({ budget: 500_000, requiredGroups: ['DISABLED'] })).data.projectSuggestions;
    expect(answer).toMatchObject({ selected: [], unservableGroups: ['DISABLED'], totals: { spent: 0, projects: 0 } });
  });

  test('the area scopes the candidates; β, ρ and allowed templates are honoured', async () => {
    const answer = (await suggest({ budget: 500_000, areaId: w.otherCommunityId, beta: 0, rho: 0.5 })).data.projectSuggestions;
    expect(answer.selected.map((s: any) => s.label)).toEqual(['四点半课堂 · 和平里社区']);
    // C is the volume share within the scope: 40/40 → 1×40×0.5×1 = 20.
    expect(answer.selected[0]).toMatchObject({ benefit: 20, rho: 0.5, beta: 0 });
    const allowed = (await suggest({ budget: 1_000_000, areaId: w.districtId, allowedTemplateIds: [await templateId(app, 'STREET-LIGHTS')] })).data.projectSuggestions;
    expect(allowed.selected.map((s: any) => s.template.code)).toEqual(['STREET-LIGHTS']);
    expect(byTemplate(allowed.rejected, 'ELDERLY-CANTEEN').bindingConstraints).toEqual(['TEMPLATE_NOT_ALLOWED']);
  });

  test('lastDays counts back from today (China time)', async () => {
    app.clock.set(new Date('2026-06-20T04:00:00Z'));
    try {
      const answer = (await app.execute(SUGGEST, { input: { budget: 500_000, lastDays: 10 } })).data.projectSuggestions;
      expect(answer.parameters).toMatchObject({ from: '2026-06-11', to: '2026-06-20' });
      expect(answer.totals.projects).toBe(2);
    } finally {
      app.clock.reset();
    }
  });

  test.each([
    ['a negative budget', { budget: -5 }, 'input.budget'],
    ['a zero budget', { budget: 0 }, 'input.budget'],
    ['an empty period', { budget: 1000, from: '2026-06-30', to: '2026-06-01' }, 'input.to'],
    ['no period at all', { budget: 1000, from: null, to: null }, 'input.from'],
    ['both lastDays and dates', { budget: 1000, lastDays: 30 }, 'input.lastDays'],
    ['an unknown area', { budget: 1000, areaId: toGlobalId('Community', 999_999) }, 'input.areaId'],
    ['a grid as the area', { budget: 1000, areaId: 'grid' }, 'input.areaId'],
    ['a malformed area ID', { budget: 1000, areaId: '!!' }, 'input.areaId'],
    ['an unknown template', { budget: 1000, allowedTemplateIds: [toGlobalId('ProjectTemplate', 999_999)] }, 'input.allowedTemplateIds.0'],
    ['a unit ID as a template', { budget: 1000, allowedTemplateIds: ['unit'] }, 'input.allowedTemplateIds.0'],
    ['ρ above 1', { budget: 1000, rho: 1.5 }, 'input.rho'],
    ['a negative β', { budget: 1000, beta: -1 }, 'input.beta'],
  ])('%s is BAD_USER_INPUT naming the field', async (_name, input, field) => {
    const resolved: Record<string, unknown> = { ...input };
    if (resolved.areaId === 'grid') resolved.areaId = w.gridId;
    if (Array.isArray(resolved.allowedTemplateIds) && resolved.allowedTemplateIds[0] === 'unit') resolved.allowedTemplateIds = [w.units.schoolId];
    const result = await suggest(resolved);
    expectError(result, 'BAD_USER_INPUT', field);
  });
});

describe('acceptSuggestion', () => {
  const ACCEPT = `mutation($input: AcceptSuggestionInput!) { acceptSuggestion(input: $input) {
    id name status budget kind progress expectedBeneficiaries targetGroups suggestionId suggestion
    community { name } template { code }
    fundingSources { kind amount note unit { name } }
    events { totalCount edges { node { sequence kind fromStatus toStatus actor note } } }
  } }`;
  let canteenSuggestion: string;

  beforeAll(async () => {
    const answer = (await suggest({ budget: 500_000, areaId: w.districtId })).data.projectSuggestions;
    canteenSuggestion = byTemplate(answer.selected, 'ELDERLY-CANTEEN').suggestionId;
  });

  test('a bad funding split, a budget over the cap or a forged ID write nothing', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ suggestionId: canteenSuggestion, budget: 420_000, fundingSources: [{ kind: 'GOVERNMENT', amount: 400_000 }] }, 'input.fundingSources'],
      [{ suggestionId: canteenSuggestion, fundingSources: [{ kind: 'UNIT', amount: 420_000 }] }, 'input.fundingSources.0.unitId'],
      [{ suggestionId: canteenSuggestion, fundingSources: [{ kind: 'GOVERNMENT', unitId: w.units.schoolId, amount: 420_000 }] }, 'input.fundingSources.0.unitId'],
      [{ suggestionId: canteenSuggestion, budget: 600_000 }, 'input.budget'],
      [{ suggestionId: 'bm90IGEgc3VnZ2VzdGlvbg' }, 'input.suggestionId'],
      [{ suggestionId: Buffer.from(JSON.stringify({ v: 1, t: 1, c: 1, q: { budget: -1 } })).toString('base64url') }, 'input.suggestionId'],
    ];
    for (const [input, field] of cases) {
      const result = await expectNothingWritten(app, () => app.execute(ACCEPT, { input }));
      expectError(result, 'BAD_USER_INPUT', field);
    }
  });

  test('turns the suggestion into a PROPOSED project: funding from the matched units and the government, the snapshot kept', async () => {
    const data = await ok(app, ACCEPT, { input: { suggestionId: canteenSuggestion, note: '社区两委会研究同意申报' } });
    const project = data.acceptSuggestion;
    expect(project).toMatchObject({
      name: '幸福里社区长者食堂', status: 'PROPOSED', budget: 420_000, kind: 'SERVICE', progress: 0, expectedBeneficiaries: 200,
      targetGroups: ['ELDERLY'], suggestionId: canteenSuggestion, community: { name: '幸福里社区' }, template: { code: 'ELDERLY-CANTEEN' },
    });
    expect(project.fundingSources).toEqual([
      { kind: 'UNIT', amount: 135_000, note: 'in kind: 学校礼堂 150 (VENUE)', unit: { name: '和平里小学' } },
      { kind: 'UNIT', amount: 50_000, note: 'cash 50000', unit: { name: '外区科技有限公司' } },
      { kind: 'GOVERNMENT', amount: 235_000, note: 'net cost after co-building units\' resources', unit: null },
    ]);
    expect(project.suggestion.suggestion).toMatchObject({ templateCode: 'ELDERLY-CANTEEN', benefit: 105, netCost: 235_000, selected: true });
    expect(project.suggestion.query).toMatchObject({ budget: 500_000, from: '2026-06-01', to: '2026-06-30' });
    expect(project.suggestion.assumptions.length).toBeGreaterThan(3);
    expect(project.events).toEqual({ totalCount: 1, edges: [{ node: { sequence: 1, kind: 'PROPOSED', fromStatus: null, toStatus: 'PROPOSED', actor: 'account:system', note: '社区两委会研究同意申报' } }] });
  });

  test('the same template in the same community cannot be accepted twice while active: CONFLICT, nothing written', async () => {
    const result = await expectNothingWritten(app, () => app.execute(ACCEPT, { input: { suggestionId: canteenSuggestion } }));
    expectError(result, 'CONFLICT', 'input.suggestionId');
  });

  test('a rejected suggestion may be accepted too (the decision is the community\'s), with its own funding', async () => {
    const answer = (await suggest({ budget: 500_000, areaId: w.districtId })).data.projectSuggestions;
    const lights = byTemplate(answer.rejected, 'STREET-LIGHTS');
    const data = await ok(app, ACCEPT, {
      input: { suggestionId: lights.suggestionId, name: '幸福里背街小巷亮化', budget: 260_000, fundingSources: [{ kind: 'GOVERNMENT', amount: 200_000 }, { kind: 'UNIT_POOLED', amount: 60_000, note: '共建单位统筹' }] },
    });
    expect(data.acceptSuggestion).toMatchObject({ name: '幸福里背街小巷亮化', budget: 260_000, kind: 'WORKS', expectedBeneficiaries: 840 });
    expect(data.acceptSuggestion.suggestion.suggestion).toMatchObject({ selected: false, bindingConstraints: ['BUDGET'] });
  });
});
