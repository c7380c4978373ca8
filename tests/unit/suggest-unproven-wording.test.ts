import { suggestProjects, type DemandCell, type ResourceSpec, type SuggestionInput, type TemplateSpec } from '../../analytics';
import { mulberry32 } from '../../src/seed/random';

/*
 * Review (diffreview): e5af369 stopped an answer not proven optimal from calling its projects
 * "selected in the exact optimum", but the same answer's greedy comparison still said "The exact
 * selection reaches …" (151 of 786 unproven answers in 1,000 random instances) and its assumptions
 * "the optimum is exact for those rounded costs" (every one of them).
 */

function template(id: number, over: Partial<TemplateSpec> = {}): TemplateSpec {
  return {
    id, code: `T${id}`, name: `模板${id}`, kind: 'SERVICE', cost: 100_000, categoryIds: [id * 10], categoryFamilyIds: [id], targetGroups: ['GENERAL'],
    needs: [], rho: 0.3, beneficiaryRule: 'FIXED', beneficiaryFactor: 1, ...over,
  };
}
const cell = (categoryId: number, communityId: number, volume: number, score: number): DemandCell => ({ categoryId, communityId, volume, score, vulnerableShare: 0, metrics: { volume }, label: `c${categoryId}@${communityId}` });
function input(over: Partial<SuggestionInput>): SuggestionInput {
  return {
    cells: [], templates: [], communities: [1, 2, 3, 4].map((id) => ({ id, name: `社区${id}` })), resources: [], budget: 1_000_000,
    constraints: { requiredGroups: [], perCommunityMaxProjects: null, perCommunityMaxCost: null, allowedTemplateIds: null }, ...over,
  };
}
function resource(id: number, communityId: number, over: Partial<ResourceSpec>): ResourceSpec {
  return { id, title: `资源${id}`, unitId: 100 + id, unitName: `单位${id}`, communityId, kind: 'MONEY', capacity: 0, unitValue: 1, categoryFamilyId: null, ...over };
}

test('an answer not proven optimal is called exact nowhere in its explanation (greedy comparison, assumptions)', () => {
  const random = mulberry32(11);
  const groups = ['ELDERLY', 'CHILDREN', 'GENERAL'] as const;
  let unproven = 0;
  for (let run = 0; run < 300; run++) {
    const communities = 2 + Math.floor(random() * 6);
    const templates = Array.from({ length: 2 + Math.floor(random() * 3) }, (_, k) => {
      const cost = (50 + Math.floor(random() * 400)) * 1000;
      return template(k + 1, { cost, targetGroups: [groups[Math.floor(random() * 3)]], needs: [{ kind: 'MONEY', quantity: Math.floor(cost * (0.3 + random() * 0.7)), unitValue: 1 }] });
    });
    const cells = templates.flatMap((t) => Array.from({ length: communities }, (_, c) => c + 1).flatMap((c) => (random() < 0.8 ? [cell(t.categoryIds[0], c, 1 + Math.floor(random() * 300), random())] : [])));
    const resources = Array.from({ length: communities }, (_, c) => resource(c + 1, c + 1, { capacity: Math.floor(random() * 400_000) }));
    const result = suggestProjects(input({
      cells, templates, resources, budget: 100_000 + Math.floor(random() * 2_000_000),
      communities: Array.from({ length: communities }, (_, c) => ({ id: c + 1, name: `社区${c + 1}` })),
    }));
    const texts = [result.greedy.explanation, ...result.assumptions];
    if (result.stats.provenOptimal) continue;
    unproven += 1;
    expect({ run, exact: texts.filter((text) => /exact selection|optimum is exact/.test(text)) }).toEqual({ run, exact: [] });
  }
  expect(unproven).toBeGreaterThan(0);
});

test('a proven answer still says exact (the wording is kept where it is true)', () => {
  const result = suggestProjects(input({
    budget: 11_000,
    communities: [{ id: 1, name: '社区1' }],
    cells: [cell(10, 1, 10, 1), cell(20, 1, 10, 1)],
    templates: [template(1, { cost: 10_001, rho: 0.1 }), template(2, { cost: 11_000, rho: 0.105 })],
  }));
  expect(result.stats.provenOptimal).toBe(true);
  expect(result.greedy.explanation).toContain('The exact selection reaches 1.05');
  expect(result.assumptions.some((text) => text.includes('the optimum is exact for those rounded costs'))).toBe(true);
});
