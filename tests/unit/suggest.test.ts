import { suggestProjects, type DemandCell, type ResourceSpec, type SuggestionInput, type TemplateSpec } from '../../analytics';
import { mulberry32 } from '../../src/seed/random';


function template(id: number, over: Partial<TemplateSpec> = {}): TemplateSpec {
  return {
    id,
    code: `T${id}`,
    name: `模板${id}`,
    kind: 'SERVICE',
    cost: 100_000,
    categoryIds: [id * 10],
    categoryFamilyIds: [id],
    targetGroups: ['GENERAL'],
    needs: [],
    rho: 0.3,
    beneficiaryRule: 'PER_ADDRESSED_CASE',
    beneficiaryFactor: 1,
    ...over,
  };
}

function cell(categoryId: number, communityId: number, volume: number, score: number, vulnerableShare: number | null = 0): DemandCell {
  return { categoryId, communityId, volume, score, vulnerableShare, metrics: { volume }, label: `c${categoryId}@${communityId}` };
}

function input(over: Partial<SuggestionInput>): SuggestionInput {
  return {
    cells: [],
    templates: [],
    communities: [1, 2, 3, 4].map((id) => ({ id, name: `社区${id}` })),
    resources: [],
    budget: 1_000_000,
    constraints: { requiredGroups: [], perCommunityMaxProjects: null, perCommunityMaxCost: null, allowedTemplateIds: null },
    ...over,
  };
}

function resource(id: number, communityId: number, over: Partial<ResourceSpec>): ResourceSpec {
  return { id, title: `资源${id}`, unitId: 100 + id, unitName: `单位${id}`, communityId, kind: 'MONEY', capacity: 0, unitValue: 1, categoryFamilyId: null, ...over };
}

describe('benefit arithmetic', () => {
  test('b = ρ·Σ C·n·(1+β·v), worked by hand', () => {
    // Two cells of template 1 in community 1: 0.8×100×(1+0.5×0.4) = 96 and 0.5×40×(1+0.5×0) = 20; ρ 0.3 → 34.8.
    const result = suggestProjects(input({
      templates: [template(1, { categoryIds: [10, 11] })],
      cells: [cell(10, 1, 100, 0.8, 0.4), cell(11, 1, 40, 0.5)],
    }));
    const [only] = result.selected;
    expect(only.benefit).toBeCloseTo(34.8, 9);
    expect(only.cells.map((c) => c.contribution)).toEqual([expect.closeTo(28.8, 9), expect.closeTo(6, 9)]);
    expect(only.cells[0].vulnerabilityWeight).toBeCloseTo(1.2, 9);
    expect(only.benefitFormula).toBe('b = ρ·Σ C·n·(1+β·v) = 0.3 × (0.8×100×(1+0.5×0.4) + 0.5×40×(1+0.5×0)) = 34.8');
    // 140 cases × ρ 0.3 × 1 resident per case.
    expect(only.beneficiaries).toBe(42);
    expect(result.params).toEqual({ beta: 0.5, rho: null, costUnit: null });
  });

  test('an unknown vulnerable share (null) gives no boost, and the formula says v is unknown rather than 0', () => {
    // 0.8×100×(1+0.5×0.4) = 96 and 0.5×40×1 = 20: as a share of 0, but shown as unknown; ρ 0.3 → 34.8.
    const result = suggestProjects(input({
      templates: [template(1, { categoryIds: [10, 11] })],
      cells: [cell(10, 1, 100, 0.8, 0.4), cell(11, 1, 40, 0.5, null)],
    }));
    const [only] = result.selected;
    expect(only.benefit).toBeCloseTo(34.8, 9);
    expect(only.cells.map((c) => [c.vulnerableShare, c.vulnerabilityWeight])).toEqual([[0.4, expect.closeTo(1.2, 9)], [null, 1]]);
    expect(only.benefitFormula).toBe('b = ρ·Σ C·n·(1+β·v) = 0.3 × (0.8×100×(1+0.5×0.4) + 0.5×40×(1+0.5×0, v unknown)) = 34.8');
    expect(result.assumptions.join('\n')).toContain('unknown when no demand in the cell has a known group: no boost');
  });

  test('the printed terms multiply out to the printed benefit (scores with more than three decimals)', () => {
    const result = suggestProjects(input({
      templates: [template(1, { categoryIds: [10, 11] })],
      cells: [cell(10, 1, 599, 0.0748364, 0.9368912), cell(11, 1, 277, 0.0312471, 0.1234567)],
    }));
    const [only] = result.selected;
    const [, rho, terms, shown] = /= ([\d.]+) × \((.*)\) = ([\d.]+)$/.exec(only.benefitFormula)!;
    const sum = terms.split(' + ').reduce((total, term) => {
      const [, c, n, beta, v] = /^([\d.]+)×(\d+)×\(1\+([\d.]+)×([\d.]+)\)$/.exec(term)!;
      return total + Number(c) * Number(n) * (1 + Number(beta) * Number(v));
    }, 0);
    expect(Number(shown)).toBeCloseTo(only.benefit, 3);
    expect(Number(rho) * sum).toBeCloseTo(Number(shown), 3);
  });

    test('β and ρ overrides change the arithmetic and are stated in the assumptions', () => {
    const result = suggestProjects(input({ templates: [template(1)], cells: [cell(10, 1, 100, 0.8, 0.4)], params: { beta: 1, rho: 0.5 } }));
    expect(result.selected[0].benefit).toBeCloseTo(0.8 * 100 * 0.5 * 1.4, 9);
    expect(result.assumptions.join('\n')).toContain('ρ = 0.5 for every template');
    expect(result.assumptions.join('\n')).toContain('β = 1:');
  });
});

describe('resource matching reduces net cost', () => {
  test('venue and staff hours matched, the staff saving capped by the declared value: 300,000 − 83,000 = 217,000', () => {
    const canteen = template(1, {
      cost: 300_000,
      needs: [{ kind: 'VENUE', quantity: 100, unitValue: 800 }, { kind: 'STAFF_HOURS', quantity: 200, unitValue: 50 }],
    });
    const result = suggestProjects(input({
      templates: [canteen],
      cells: [cell(10, 1, 100, 1)],
      resources: [
        resource(1, 1, { kind: 'VENUE', capacity: 150, unitValue: null, title: '学校礼堂' }),
        // 120 h declared at 3,000 yuan: 25 yuan per hour, below the 50 the project would pay.
        resource(2, 1, { kind: 'STAFF_HOURS', capacity: 120, unitValue: 25, title: '志愿服务工时' }),
        // Another community's resource is never matched here.
        resource(3, 2, { kind: 'VENUE', capacity: 500, unitValue: null }),
      ],
    }));
    const [project] = result.selected;
    expect(project.matches).toEqual([
      expect.objectContaining({ resourceId: 1, quantity: 100, unitSaving: 800, value: 80_000, unitName: '单位1' }),
      expect.objectContaining({ resourceId: 2, quantity: 120, unitSaving: 25, value: 3_000 }),
    ]);
    expect(project).toMatchObject({ grossCost: 300_000, matchedValue: 83_000, netCost: 217_000, costUnits: 217 });
    expect(result.totals).toMatchObject({ spent: 217_000, left: 783_000, grossCost: 300_000, matchedValue: 83_000 });
  });

  test('an earmarked resource serves only projects in its category family', () => {
    const lights = template(1, { cost: 200_000, needs: [{ kind: 'STAFF_HOURS', quantity: 100, unitValue: 80 }] });
    const result = suggestProjects(input({
      templates: [lights],
      cells: [cell(10, 1, 50, 1)],
      resources: [resource(1, 1, { kind: 'STAFF_HOURS', capacity: 100, unitValue: null, categoryFamilyId: 9 })],
    }));
    expect(result.selected[0]).toMatchObject({ matchedValue: 0, netCost: 200_000, matches: [] });
  });

  test('two projects never count the same money twice: the selection is re-solved at shared costs', () => {
    // Both need cash; the community has 150,000 of it. Alone each costs 100,000 net, so both seem
    // to fit 300,000; together they cost 500,000 − 150,000 = 350,000, which does not.
    const a = template(1, { cost: 250_000, needs: [{ kind: 'MONEY', quantity: 150_000, unitValue: 1 }] });
    const b = template(2, { cost: 250_000, needs: [{ kind: 'MONEY', quantity: 150_000, unitValue: 1 }] });
    const result = suggestProjects(input({
      budget: 300_000,
      templates: [a, b],
      cells: [cell(10, 1, 100, 1), cell(20, 1, 90, 1)],
      resources: [resource(1, 1, { capacity: 150_000 })],
    }));
    expect(result.selected.map((c) => c.templateId)).toEqual([1]);
    expect(result.selected[0]).toMatchObject({ matchedValue: 150_000, netCost: 100_000 });
    const other = result.rejected[0];
    // What is left of the money after the selected project: nothing.
    expect(other).toMatchObject({ templateId: 2, matchedValue: 0, netCost: 250_000, bindingConstraints: ['BUDGET'] });
    expect(result.totals).toMatchObject({ spent: 100_000, benefit: 30 });
    // The first solve (each with the money to itself) bounds the answer: 30 + 27 = 57; not proven.
    expect(result.stats).toMatchObject({ sharedResourceRounds: 1, provenOptimal: false, upperBound: 57, gap: 27 });
  });
});

describe('selection', () => {
  test('the exact optimum where the ratio greedy is wrong: 1,000,000 yuan, A 600k (ratio best) vs B + C at 500k each', () => {
    const result = suggestProjects(input({
      templates: [template(1, { cost: 600_000 }), template(2, { cost: 500_000 }), template(3, { cost: 500_000 })],
      cells: [cell(10, 1, 700, 1), cell(20, 2, 500, 1), cell(30, 3, 500, 1)],
    }));
    expect(result.selected.map((c) => c.templateId).sort()).toEqual([2, 3]);
    expect(result.totals).toMatchObject({ spent: 1_000_000, left: 0, benefit: 300 });
    expect(result.greedy).toMatchObject({ sameAsExact: false, feasible: true, benefit: 210, spent: 600_000, onlyInExact: ['2:2', '3:3'], onlyInGreedy: ['1:1'] });
    expect(result.greedy.explanation).toContain('+90, +42.9%');
    const a = result.rejected.find((c) => c.templateId === 1)!;
    expect(a.bindingConstraints).toEqual(['BUDGET']);
    expect(result.stats).toMatchObject({ provenOptimal: true, method: 'DYNAMIC_PROGRAMMING', costUnit: 1000, capacityUnits: 1000 });
  });

  test('a required group takes a weaker project and says so on both sides', () => {
    const result = suggestProjects(input({
      budget: 200_000,
      templates: [template(1), template(2), template(3, { targetGroups: ['CHILDREN'] })],
      cells: [cell(10, 1, 100, 1), cell(20, 2, 90, 1), cell(30, 3, 20, 1)],
      constraints: { requiredGroups: ['CHILDREN'], perCommunityMaxProjects: null, perCommunityMaxCost: null, allowedTemplateIds: null },
    }));
    expect(result.selected.map((c) => c.templateId).sort()).toEqual([1, 3]);
    const children = result.selected.find((c) => c.templateId === 3)!;
    expect(children.bindingConstraints).toEqual(['GROUP_REQUIREMENT']);
    expect(children.servesRequiredGroups).toEqual(['CHILDREN']);
    const displaced = result.rejected.find((c) => c.templateId === 2)!;
    expect(displaced.bindingConstraints).toEqual(['BUDGET', 'GROUP_REQUIREMENT']);
    expect(result.bindingConstraints).toEqual(expect.arrayContaining(['BUDGET', 'GROUP_REQUIREMENT']));
  });

  test('community caps bind and are named; a template left out of allowedTemplateIds is rejected for that', () => {
    const result = suggestProjects(input({
      templates: [template(1), template(2), template(3)],
      cells: [cell(10, 1, 100, 1), cell(20, 1, 90, 1), cell(30, 1, 80, 1)],
      constraints: { requiredGroups: [], perCommunityMaxProjects: 1, perCommunityMaxCost: null, allowedTemplateIds: [1, 2] },
    }));
    expect(result.selected.map((c) => c.templateId)).toEqual([1]);
    expect(result.rejected.find((c) => c.templateId === 2)!.bindingConstraints).toEqual(['COMMUNITY_MAX_PROJECTS']);
    expect(result.rejected.find((c) => c.templateId === 3)!.bindingConstraints).toEqual(['TEMPLATE_NOT_ALLOWED']);
    expect(result.stats).toMatchObject({ provenOptimal: true, method: expect.stringMatching(/^(BRANCH_AND_BOUND|MULTIPLE_CHOICE_DP)$/) });
  });

  test('when the DP table would be too big, the cost unit grows (and says so) until it fits', () => {
    const templates = [1, 2, 3, 4, 5, 6].map((id) => template(id, { cost: 60_000 + id * 17_300 }));
    const cells = templates.flatMap((t) => [1, 2, 3, 4].map((c) => cell(t.categoryIds[0], c, 10 + ((t.id * 7 + c * 3) % 40), 0.5)));
    // 24 items × 1,001 columns at 1,000 yuan is 24,024 cells; allow 6,000: 5,000 yuan (201 columns) is the first unit that fits.
    const result = suggestProjects(input({ templates, cells, limits: { maxWork: 6_000, nodeLimit: 1 } }));
    expect(result.stats).toMatchObject({ costUnit: 5000, capacityUnits: 200, provenOptimal: true, method: 'DYNAMIC_PROGRAMMING' });
    expect(result.assumptions.join('\n')).toContain('rounded UP to 5,000 yuan');
    expect(result.totals.spent).toBeLessThanOrEqual(1_000_000);
    for (const c of result.selected) expect(c.costUnits).toBe(Math.ceil(c.netCost / 5000));
  });

  test('a project that fits the budget or a cap only in yuan is out because costs are rounded up to whole units, and its reason says so', () => {
    // Budget 300,700 (300 units), cap 200,700 yuan per community (200 units).
    const result = suggestProjects(input({
      budget: 300_700,
      templates: [template(1, { cost: 100_000 }), template(2, { cost: 100_500 }), template(3, { cost: 200_500 }), template(4, { cost: 199_900 })],
      cells: [cell(10, 1, 100, 1), cell(20, 1, 90, 1), cell(30, 2, 80, 1), cell(40, 3, 10, 1)],
      constraints: { requiredGroups: [], perCommunityMaxProjects: null, perCommunityMaxCost: 200_700, allowedTemplateIds: null },
    }));
    expect(result.selected.map((c) => `${c.templateId}:${c.communityId}`).sort()).toEqual(['1:1', '4:3']);
    expect(result.totals).toMatchObject({ spent: 299_900, left: 800 });
    // 100,000 + 100,500 = 200,500 yuan ≤ 200,700, but 100 + 101 = 201 units > 200.
    expect(result.rejected.find((c) => c.templateId === 2)!).toMatchObject({
      bindingConstraints: ['BUDGET', 'COMMUNITY_MAX_COST'],
      reasons: [
        'needs 100,500 yuan net; 800 yuan of the budget is left, and the selected projects give more benefit for the money',
        '社区1\'s selected projects would then cost 200,500 yuan net, within the per-community cap of 200,700 yuan, but costs are counted in whole units of 1,000 yuan: 101 units of 1,000 yuan after rounding up, against the 100 its selected projects leave of the cap\'s 200',
      ],
    });
    expect(result.rejected.find((c) => c.templateId === 3)!).toMatchObject({
      bindingConstraints: ['COMMUNITY_MAX_COST'],
      reasons: ['costs 200,500 yuan net, within the per-community cap of 200,700 yuan, but costs are counted in whole units of 1,000 yuan: 201 units of 1,000 yuan after rounding up, against 200 in the cap'],
    });
  });

  test('required groups the budget cannot serve together: nothing selected, GROUP_REQUIREMENT binds, the reasons name the groups and the cheapest projects', () => {
    // ELDERLY + CHILDREN: 100,400 + 100,400 = 200,800 yuan ≤ 201,000, but 101 + 101 = 202 units > 201; YOUTH goes with either.
    const result = suggestProjects(input({
      budget: 201_000,
      templates: [template(1, { cost: 100_400, targetGroups: ['ELDERLY'] }), template(2, { cost: 100_400, targetGroups: ['CHILDREN'] }), template(3, { cost: 50_000, targetGroups: ['YOUTH'] })],
      cells: [cell(10, 1, 100, 1), cell(20, 2, 90, 1), cell(30, 3, 80, 1)],
      constraints: { requiredGroups: ['YOUTH', 'CHILDREN', 'ELDERLY'], perCommunityMaxProjects: null, perCommunityMaxCost: null, allowedTemplateIds: null },
    }));
    expect(result.selected).toEqual([]);
    expect(result.stats).toMatchObject({ provenOptimal: true, gap: 0 });
    expect(result.unservableGroups).toEqual([]);
    expect([...result.bindingConstraints].sort()).toEqual(['BUDGET', 'GROUP_REQUIREMENT']);
    const reason = 'ELDERLY and CHILDREN cannot all be served within the budget: the cheapest projects serving them, 模板1 · 社区1 (ELDERLY, 100,400 yuan net) and 模板2 · 社区2 (CHILDREN, 100,400 yuan net), '
      + 'cost 200,800 yuan together, within the budget of 201,000 yuan, but costs are counted in whole units of 1,000 yuan: 202 units of 1,000 yuan after rounding up, against 201 in the budget; no selection meets the group requirement';
    for (const c of result.rejected) expect(c).toMatchObject({ bindingConstraints: ['GROUP_REQUIREMENT'], reasons: [reason] });
    expect(result.greedy.explanation).toBe('No selection within the budget serves every required group (ELDERLY and CHILDREN cannot all be served: 202 units of 1,000 yuan after rounding up, against 201), so the exact answer is empty. '
      + 'The greedy rule takes 模板1 · 社区1, 模板3 · 社区3 by benefit per yuan and leaves CHILDREN unserved.');
  });

  test('required groups a per-community cap keeps apart: the reasons name the cap', () => {
    const result = suggestProjects(input({
      templates: [template(1, { targetGroups: ['ELDERLY'] }), template(2, { targetGroups: ['CHILDREN'] })],
      cells: [cell(10, 1, 100, 1), cell(20, 1, 90, 1)],
      constraints: { requiredGroups: ['ELDERLY', 'CHILDREN'], perCommunityMaxProjects: 1, perCommunityMaxCost: null, allowedTemplateIds: null },
    }));
    expect(result.selected).toEqual([]);
    expect(result.stats.provenOptimal).toBe(true);
    expect(result.bindingConstraints).toEqual(['GROUP_REQUIREMENT', 'COMMUNITY_MAX_PROJECTS']);
    for (const c of result.rejected) {
      expect(c).toMatchObject({
        bindingConstraints: ['GROUP_REQUIREMENT', 'COMMUNITY_MAX_PROJECTS'],
        reasons: ['ELDERLY and CHILDREN can be served together within the budget, but not with at most 1 project(s) per community; no selection meets the group requirement'],
      });
    }
    expect(result.greedy.explanation).toMatch(/^No selection within the budget and the per-community caps serves every required group \(ELDERLY and CHILDREN\), so the exact answer is empty\. /);
  });

  test('a group nobody can serve is reported and nothing is selected', () => {
    const result = suggestProjects(input({
      templates: [template(1)],
      cells: [cell(10, 1, 100, 1)],
      constraints: { requiredGroups: ['DISABLED'], perCommunityMaxProjects: null, perCommunityMaxCost: null, allowedTemplateIds: null },
    }));
    expect(result.selected).toEqual([]);
    expect(result.unservableGroups).toEqual(['DISABLED']);
    expect(result.totals).toMatchObject({ spent: 0, left: 1_000_000, projects: 0 });
  });
});

describe('explanations are consistent with the numbers (200 random instances, seed 42)', () => {
  test('net = gross − matched, units = ⌈net/unit⌉, totals add up, limits hold, every rejection names a reason', () => {
    const random = mulberry32(42);
    const groups = ['ELDERLY', 'CHILDREN', 'YOUTH', 'WOMEN', 'DISABLED', 'LOW_INCOME', 'GENERAL'] as const;
    for (let run = 0; run < 200; run++) {
      const templates = Array.from({ length: 2 + Math.floor(random() * 6) }, (_, k) => {
        const cost = 50_000 + Math.floor(random() * 450) * 1000 + Math.floor(random() * 1000);
        return template(k + 1, {
          cost,
          categoryIds: [(k + 1) * 10, (k + 1) * 10 + 1],
          targetGroups: [groups[Math.floor(random() * 7)]],
          needs: random() < 0.6 ? [{ kind: 'MONEY', quantity: Math.floor(cost * 0.3), unitValue: 1 }, { kind: 'VENUE', quantity: 50, unitValue: 300 }] : [],
        });
      });
      const cells = templates.flatMap((t) => [1, 2, 3, 4].flatMap((c) => (random() < 0.7 ? [cell(t.categoryIds[Math.floor(random() * 2)], c, 1 + Math.floor(random() * 300), random(), random())] : [])));
      const resources = [1, 2, 3, 4].flatMap((c) => (random() < 0.6 ? [resource(c * 10, c, { capacity: Math.floor(random() * 80_000) }), resource(c * 10 + 1, c, { kind: 'VENUE', capacity: Math.floor(random() * 120), unitValue: null })] : []));
      const required = random() < 0.4 ? [groups[Math.floor(random() * 7)]] : [];
      const budget = 100_000 + Math.floor(random() * 1_500_000);
      const maxProjects = random() < 0.4 ? 1 + Math.floor(random() * 2) : null;
      const maxCost = random() < 0.3 ? 200_000 + Math.floor(random() * 400_000) : null;
      const result = suggestProjects(input({ templates, cells, resources, budget, constraints: { requiredGroups: required, perCommunityMaxProjects: maxProjects, perCommunityMaxCost: maxCost, allowedTemplateIds: null } }));
      const unit = result.stats.costUnit;
      for (const c of [...result.selected, ...result.rejected]) {
        expect(c.netCost).toBeCloseTo(c.grossCost - c.matchedValue, 2);
        expect(c.matchedValue).toBeCloseTo(c.matches.reduce((sum, m) => sum + m.value, 0), 2);
        expect(c.netCost).toBeGreaterThanOrEqual(0);
        expect(c.costUnits).toBe(Math.ceil(c.netCost / unit - 1e-9));
        expect(c.benefit).toBeCloseTo(c.cells.reduce((sum, x) => sum + x.contribution, 0), 2);
        if (!c.selected && c.benefit > 0) expect(c.bindingConstraints.length).toBeGreaterThan(0);
        expect(c.reasons.length).toBeGreaterThan(0);
      }
      // No resource is used beyond its capacity by the selected projects together.
      for (const r of resources) {
        const used = result.selected.flatMap((c) => c.matches).filter((m) => m.resourceId === r.id).reduce((sum, m) => sum + m.quantity, 0);
        expect(used).toBeLessThanOrEqual((r.capacity ?? Infinity) + 0.01);
      }
      // "Nth of M candidates by that ratio": a better rank never quotes a lower ratio (it ranked benefit per cost unit).
      const quoted = result.selected.map((c) => {
        const [, own, shown, rank] = /(?:on its own resources ([\d.]+|∞) per 10,000 yuan of [^,]+(?:,\d{3})* yuan, |\(([\d.]+|∞) per 10,000 yuan, )(\d+)\w\w of \d+ candidates by that ratio/.exec(c.reasons[0])!;
        const ratio = own ?? shown;
        return { run, rank: Number(rank), ratio: ratio === '∞' ? Infinity : Number(ratio) };
      });
      for (const a of quoted) for (const b of quoted) if (a.rank < b.rank) expect(a.ratio).toBeGreaterThanOrEqual(b.ratio);
      const t = result.totals;
      expect(t.spent).toBeCloseTo(result.selected.reduce((sum, c) => sum + c.netCost, 0), 2);
      expect(t.spent).toBeLessThanOrEqual(budget);
      expect(t.left).toBeCloseTo(budget - t.spent, 2);
      expect(t.grossCost - t.matchedValue).toBeCloseTo(t.spent, 2);
      expect(t.benefit).toBeCloseTo(result.selected.reduce((sum, c) => sum + c.benefit, 0), 2);
      // The same projects read the same total, to the last digit shown.
      if (result.greedy.sameAsExact) expect({ run, greedy: result.greedy.benefit }).toEqual({ run, greedy: t.benefit });
      expect(t.beneficiaries).toBe(result.selected.reduce((sum, c) => sum + c.beneficiaries, 0));
      expect(result.selected.reduce((sum, c) => sum + c.costUnits, 0)).toBeLessThanOrEqual(result.stats.capacityUnits);
      for (const community of [1, 2, 3, 4]) {
        const here = result.selected.filter((c) => c.communityId === community);
        if (maxProjects != null) expect(here.length).toBeLessThanOrEqual(maxProjects);
        if (maxCost != null) expect(here.reduce((sum, c) => sum + c.netCost, 0)).toBeLessThanOrEqual(maxCost);
      }
      if (result.selected.length) for (const group of required) expect(result.selected.some((c) => c.targetGroups.includes(group))).toBe(true);
      expect(result.stats.upperBound).toBeGreaterThanOrEqual(t.benefit - 1e-6);
      if (result.stats.provenOptimal) expect(result.stats.gap).toBe(0);
      // NOT_PROVEN only when the answer is not proven; an empty answer under required groups says why.
      const constraints = [...result.bindingConstraints, ...result.rejected.flatMap((c) => c.bindingConstraints)];
      if (result.stats.provenOptimal) expect({ run, constraints }).toEqual({ run, constraints: expect.not.arrayContaining(['NOT_PROVEN']) });
      if (required.length && !result.selected.length && result.stats.provenOptimal) expect({ run, binding: result.bindingConstraints }).toEqual({ run, binding: expect.arrayContaining(['GROUP_REQUIREMENT']) });
      // Reasons print yuan that are true: what is left is totals.left, and "more than" is more.
      const yuan = (text: string) => Number(text.replace(/,/g, ''));
      for (const reason of result.rejected.flatMap((c) => c.reasons)) {
        const left = /; ([\d,.]+) yuan of the budget is left/.exec(reason);
        if (left) expect({ run, reason, left: yuan(left[1]) }).toEqual({ run, reason, left: t.left });
        const more = /^costs ([\d,.]+) yuan net, more than the (?:whole budget|per-community cap) of ([\d,.]+) yuan$/.exec(reason);
        if (more) expect(yuan(more[1])).toBeGreaterThan(yuan(more[2]));
      }
    }
  });
});

test('the ratio a selected reason ranks by is the ratio it quotes (found by a review: 10,001 yuan and 11,000 yuan were both 11 cost units)', () => {
  // A: benefit 1 for 10,001 yuan (0.9999 per 10,000); B: 1.05 for 11,000 yuan (0.9545).
  const result = suggestProjects(input({
    cells: [cell(10, 1, 10, 1), cell(20, 1, 10, 1)],
    templates: [template(1, { cost: 10_001, rho: 0.1, beneficiaryRule: 'FIXED' }), template(2, { cost: 11_000, rho: 0.105, beneficiaryRule: 'FIXED' })],
  }));
  const reason = (code: string) => result.selected.find((o) => o.templateCode === code)!.reasons[0];
  expect(reason('T1')).toMatch(/\(1 per 10,000 yuan, 1st of 2 candidates by that ratio\)/);
  expect(reason('T2')).toMatch(/2nd of 2 candidates by that ratio\)/);
});
