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
 * C is each cell's TOPSIS closeness in demandRanking (grouped by category × community, both
 * sources, minSupport 1); the test reads it from the ranking and checks every number from it.
 * On this fixture the ranking puts the street lights first (10 requests still open: backlog and
 * resolution gap), the canteen second, the after-school room third:
 *   长者食堂   b = 0.35 × C₁×200×1.5;  420,000 − 135,000 (150 m² × 900) − 50,000 = 235,000 net
 *   路灯照明   b = 0.7  × C₂×60×1;     280,000 net (its MONEY need cannot use earmarked money)
 *   四点半课堂 b = 0.4  × C₃×40×1.5;   180,000 net (和平里 has no resources)
 * Budget 500,000: canteen + lights = 515,000 does not fit; lights + after-school (460,000) beats
 * canteen + after-school (415,000) because the ranking weighs the lights' unresolved backlog.
 */

let app: TestApp;
let w: World;
let hallId: string;
let cashId: string;
/** C per cell label, read from the ranking exactly as the suggestions read it. */
let C: { canteen: number; lights: number; afterSchool: number };

const SUGGEST = `query($input: ProjectSuggestionsInput!) {
  projectSuggestions(input: $input) {
    selected { ...S }
    rejected(first: 50) { ...S }
    rejectedCount
    totals { budget spent left grossCost matchedValue benefit beneficiaries projects }
    greedy { sameAsExact feasible benefit spent selected onlyInExact onlyInGreedy explanation }
    bindingConstraints unservableGroups assumptions
    parameters { beta rho from to requiredGroups perCommunityMaxProjects perCommunityMaxCost }
    demand { latestDay recordsCounted cells scoreSource }
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
const round = (value: number, digits: number) => Math.round(value * 10 ** digits) / 10 ** digits;

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
  const ranking = await ok(app, `query($input: DemandRankingInput!) { demandRanking(input: $input) { rows { label score } } }`, {
    input: { ...BASE, areaId: w.districtId, groupBy: ['CATEGORY', 'COMMUNITY'], sources: 'BOTH', minSupport: 1, topN: 100 },
  });
  const score = (label: string) => ranking.demandRanking.rows.find((row: any) => row.label === label).score;
  C = { canteen: score('养老助残 / 老年助餐 · 幸福里社区'), lights: score('住房物业 / 路灯照明 · 幸福里社区'), afterSchool: score('民政服务 / 儿童关爱 · 和平里社区') };
});
afterAll(async () => {
  await app?.close();
});

describe('projectSuggestions', () => {
  test('the exact selection, with every number explained and consistent (worked above from the ranking\'s C)', async () => {
    // The ranking's order on this fixture, which the selection below depends on.
    expect(C.lights).toBeGreaterThan(C.canteen);
    expect(C.canteen).toBeGreaterThan(C.afterSchool);
    expect(C.afterSchool).toBeGreaterThan(0);
    const canteenB = 0.35 * C.canteen * 200 * 1.5;
    const lightsB = 0.7 * C.lights * 60;
    const afterSchoolB = 0.4 * C.afterSchool * 40 * 1.5;
    // The worked premise: lights + after-school is the best pair that fits 500,000.
    expect(lightsB + afterSchoolB).toBeGreaterThan(canteenB + afterSchoolB);

    const result = await suggest({ budget: 500_000, areaId: w.districtId });
    expect(result.errors).toBeUndefined();
    const answer = result.data.projectSuggestions;
    expect(answer.selected.map((s: any) => s.template.code)).toEqual(['STREET-LIGHTS', 'AFTER-SCHOOL']);

    const lights = byTemplate(answer.selected, 'STREET-LIGHTS');
    expect(lights).toMatchObject({
      label: '路灯照明改造 · 幸福里社区', kind: 'WORKS', grossCost: 280_000, matchedValue: 0, netCost: 280_000, costUnits: 280, rho: 0.7, beta: 0.5,
      selected: true, inGreedy: true, bindingConstraints: [], community: { id: w.communityId, name: '幸福里社区' },
    });
    expect(lights.benefit).toBeCloseTo(lightsB, 3);
    // No street-light demand names a resident group: v is unknown (null), not 0, and gives no boost.
    expect(lights.benefitFormula).toBe(`b = ρ·Σ C·n·(1+β·v) = 0.7 × (${round(C.lights, 6)}×60×(1+0.5×0, v unknown)) = ${round(lightsB, 3)}`);
    expect(lights.coveredCells).toEqual([expect.objectContaining({ label: '住房物业 / 路灯照明 · 幸福里社区', volume: 60, score: C.lights, vulnerableShare: null, vulnerabilityWeight: 1, category: { code: 'HOUSING-LIGHTS' } })]);
    expect(lights.coveredCells[0].metrics).toContainEqual({ name: 'vulnerableShare', value: null });
    expect(lights.coveredCells[0].contribution).toBeCloseTo(lightsB, 3);
    // Every metric of the ranking row travels with the cell: the 10 open requests are its backlog.
    expect(lights.coveredCells[0].metrics).toEqual(expect.arrayContaining([{ name: 'volume', value: 60 }, { name: 'backlogOpen', value: 10 }]));
    // 60 cases × ρ 0.7 × 20 residents per case.
    expect(lights.beneficiaries).toBe(840);
    expect(lights.reasons[0]).toMatch(new RegExp(`^selected in the exact optimum: benefit ${round(lightsB, 2)}\\d* for 280,000 yuan net`));

    const afterSchool = byTemplate(answer.selected, 'AFTER-SCHOOL');
    expect(afterSchool).toMatchObject({ netCost: 180_000, matchedValue: 0, beneficiaries: 60, community: { name: '和平里社区' } });
    expect(afterSchool.benefit).toBeCloseTo(afterSchoolB, 3);

    // Rejected for the budget, yet fully explained: the resources it would have matched, its net cost.
    const canteen = byTemplate(answer.rejected, 'ELDERLY-CANTEEN');
    expect(canteen).toMatchObject({ selected: false, grossCost: 420_000, matchedValue: 185_000, netCost: 235_000, beneficiaries: 200, bindingConstraints: ['BUDGET'] });
    expect(canteen.benefit).toBeCloseTo(canteenB, 3);
    expect(canteen.coveredCells).toEqual([expect.objectContaining({ label: '养老助残 / 老年助餐 · 幸福里社区', volume: 200, score: C.canteen, vulnerableShare: 1, vulnerabilityWeight: 1.5, category: { code: 'CARE-CANTEEN' } })]);
    expect(canteen.matchedResources).toEqual([
      { title: '学校礼堂', unitName: '和平里小学', kind: 'VENUE', quantity: 150, unitSaving: 900, value: 135_000, resource: { id: hallId }, unit: { id: w.units.schoolId, name: '和平里小学' } },
      { title: '助老帮扶资金', unitName: '外区科技有限公司', kind: 'MONEY', quantity: 50_000, unitSaving: 1, value: 50_000, resource: { id: cashId }, unit: { id: w.units.enterpriseId, name: '外区科技有限公司' } },
    ]);
    expect(canteen.reasons[0]).toContain('40,000 yuan of the budget is left');

    expect(answer.rejectedCount).toBe(1);
    expect(answer.totals).toMatchObject({ budget: 500_000, spent: 460_000, left: 40_000, grossCost: 460_000, matchedValue: 0, beneficiaries: 900, projects: 2 });
    expect(answer.totals.benefit).toBeCloseTo(lightsB + afterSchoolB, 2);
    expect(answer.greedy).toMatchObject({ sameAsExact: true, feasible: true, spent: 460_000, onlyInExact: [], onlyInGreedy: [] });
    expect(answer.bindingConstraints).toEqual(['BUDGET']);
    expect(answer.parameters).toEqual({ beta: 0.5, rho: null, from: '2026-06-01', to: '2026-06-30', requiredGroups: [], perCommunityMaxProjects: null, perCommunityMaxCost: null });
    // 200 + 50 one-window demands and 10 requests in June; the August parking records are outside.
    expect(answer.demand).toMatchObject({ latestDay: '2026-06-15', recordsCounted: 300, cells: 3 });
    expect(answer.demand.scoreSource).toContain('TOPSIS');
    expect(answer.solver).toMatchObject({ method: 'DYNAMIC_PROGRAMMING', provenOptimal: true, gap: 0, candidates: 3, costUnit: 1000, capacityUnits: 500, sharedResourceRounds: 0 });
    expect(answer.solver.upperBound).toBeCloseTo(lightsB + afterSchoolB, 2);
    // 18 templates × 2 communities, 3 of them with demand.
    expect(answer.solver.withoutDemand).toBe(33);
    expect(answer.assumptions.join('\n')).toMatch(/ρ per template \(default 0.3\)/);
    expect(answer.assumptions.join('\n')).toContain('TOPSIS closeness');
  });

  test('a community cap binds: one project per community', async () => {
    const answer = (await suggest({ budget: 1_000_000, areaId: w.districtId, perCommunityMaxProjects: 1 })).data.projectSuggestions;
    expect(answer.selected.map((s: any) => s.template.code).sort()).toEqual(['AFTER-SCHOOL', 'STREET-LIGHTS']);
    expect(byTemplate(answer.rejected, 'ELDERLY-CANTEEN').bindingConstraints).toEqual(['COMMUNITY_MAX_PROJECTS']);
    expect(answer.solver).toMatchObject({ provenOptimal: true, method: expect.stringMatching(/^(BRANCH_AND_BOUND|MULTIPLE_CHOICE_DP)$/) });
  });

  test('a required group: children served even when the budget would rather buy the canteen', async () => {
    // 520,000 fits canteen + lights (515,000), the best pair; requiring children forces the after-school room in.
    const without = (await suggest({ budget: 520_000, areaId: w.districtId })).data.projectSuggestions;
    expect(without.selected.map((s: any) => s.template.code)).toEqual(['STREET-LIGHTS', 'ELDERLY-CANTEEN']);
    const withGroup = (await suggest({ budget: 520_000, areaId: w.districtId, requiredGroups: ['CHILDREN'] })).data.projectSuggestions;
    expect(withGroup.selected.map((s: any) => s.template.code)).toEqual(['STREET-LIGHTS', 'AFTER-SCHOOL']);
    expect(byTemplate(withGroup.selected, 'AFTER-SCHOOL')).toMatchObject({ servesRequiredGroups: ['CHILDREN'], bindingConstraints: ['GROUP_REQUIREMENT'] });
    expect(byTemplate(withGroup.rejected, 'ELDERLY-CANTEEN').bindingConstraints).toEqual(['BUDGET', 'GROUP_REQUIREMENT']);
    expect(withGroup.solver.groupLayers).toBe(1);
  });

  test('a group no candidate serves is reported; nothing is selected', async () => {
    const answer = (await suggest({ budget: 500_000, requiredGroups: ['DISABLED'] })).data.projectSuggestions;
    expect(answer).toMatchObject({ selected: [], unservableGroups: ['DISABLED'], totals: { spent: 0, projects: 0 } });
  });

  test('the area scopes the candidates; β, ρ and allowed templates are honoured', async () => {
    const answer = (await suggest({ budget: 500_000, areaId: w.otherCommunityId, beta: 0, rho: 0.5 })).data.projectSuggestions;
    expect(answer.selected.map((s: any) => s.label)).toEqual(['四点半课堂 · 和平里社区']);
    // C comes from the ranking of the scope alone, where the cell has nothing to be compared with.
    const ranking = await ok(app, `query($input: DemandRankingInput!) { demandRanking(input: $input) { rows { score } } }`, {
      input: { ...BASE, areaId: w.otherCommunityId, groupBy: ['CATEGORY', 'COMMUNITY'], sources: 'BOTH', minSupport: 1 },
    });
    const alone = ranking.demandRanking.rows[0].score;
    expect(answer.selected[0]).toMatchObject({ rho: 0.5, beta: 0 });
    expect(answer.selected[0].benefit).toBeCloseTo(0.5 * alone * 40, 3);
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
    // A million yuan buys all three candidates.
    const answer = (await suggest({ budget: 1_000_000, areaId: w.districtId })).data.projectSuggestions;
    canteenSuggestion = byTemplate(answer.selected, 'ELDERLY-CANTEEN').suggestionId;
  });

  test('a bad funding split, a budget over the cap or a forged ID write nothing', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ suggestionId: canteenSuggestion, budget: 420_000, fundingSources: [{ kind: 'GOVERNMENT', amount: 400_000 }] }, 'input.fundingSources'],
      [{ suggestionId: canteenSuggestion, fundingSources: [{ kind: 'UNIT', amount: 420_000 }] }, 'input.fundingSources.0.unitId'],
      [{ suggestionId: canteenSuggestion, fundingSources: [{ kind: 'GOVERNMENT', unitId: w.units.schoolId, amount: 420_000 }] }, 'input.fundingSources.0.unitId'],
      [{ suggestionId: canteenSuggestion, budget: 600_000 }, 'input.budget'],
      // Funding is kept to the fen: 0.004 yuan would be stored as 0 past "more than 0" (the sum still matches to the fen).
      [{ suggestionId: canteenSuggestion, budget: 420_000, fundingSources: [{ kind: 'GOVERNMENT', amount: 420_000 }, { kind: 'SOCIAL', amount: 0.004 }] }, 'input.fundingSources.1.amount'],
      [{ suggestionId: canteenSuggestion, budget: 420_000.004, fundingSources: [{ kind: 'GOVERNMENT', amount: 420_000 }] }, 'input.budget'],
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
    expect(project.suggestion.suggestion).toMatchObject({ templateCode: 'ELDERLY-CANTEEN', netCost: 235_000, selected: true });
    expect(project.suggestion.suggestion.benefit).toBeCloseTo(0.35 * C.canteen * 200 * 1.5, 3);
    expect(project.suggestion.query).toMatchObject({ budget: 1_000_000, from: '2026-06-01', to: '2026-06-30' });
    expect(project.suggestion.assumptions.length).toBeGreaterThan(3);
    expect(project.events).toEqual({ totalCount: 1, edges: [{ node: { sequence: 1, kind: 'PROPOSED', fromStatus: null, toStatus: 'PROPOSED', actor: 'account:system', note: '社区两委会研究同意申报' } }] });
  });

  test('the same template in the same community cannot be accepted twice while active: CONFLICT, nothing written', async () => {
    const result = await expectNothingWritten(app, () => app.execute(ACCEPT, { input: { suggestionId: canteenSuggestion } }));
    expectError(result, 'CONFLICT', 'input.suggestionId');
  });

  test('a rejected suggestion may be accepted too (the decision is the community\'s), with its own funding', async () => {
    // 250,000 buys the canteen (235,000 net) but not the lights (280,000).
    const answer = (await suggest({ budget: 250_000, areaId: w.districtId })).data.projectSuggestions;
    const lights = byTemplate(answer.rejected, 'STREET-LIGHTS');
    const data = await ok(app, ACCEPT, {
      input: { suggestionId: lights.suggestionId, name: '幸福里背街小巷亮化', budget: 260_000, fundingSources: [{ kind: 'GOVERNMENT', amount: 200_000 }, { kind: 'UNIT_POOLED', amount: 60_000, note: '共建单位统筹' }] },
    });
    expect(data.acceptSuggestion).toMatchObject({ name: '幸福里背街小巷亮化', budget: 260_000, kind: 'WORKS', expectedBeneficiaries: 840 });
    expect(data.acceptSuggestion.suggestion.suggestion).toMatchObject({ selected: false, bindingConstraints: ['BUDGET'] });
  });
});
