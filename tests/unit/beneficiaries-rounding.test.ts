import { beneficiariesOf } from '../../analytics/suggest/benefit';
import type { CoveredCell, TemplateSpec } from '../../analytics';

/**
 * The beneficiary formula states its operands ("1 per addressed case × ρ 0.35 × 90 cases = N") and
 * rounds halves up elsewhere (0.5 × 37 × 5 = 92.5 → 93, 0.3 × 195 = 58.5 → 59). The stated product
 * 1 × 0.35 × 90 is 31.5, so N must be 32; floating point (90 × 0.35 = 31.499999999999996) gives 31.
 * Found by a review tracing every number of the demo city's suggestions: 妇幼健康服务 · 芙蓉社区 (ρ 0.35, 90 cases).
 */
const template: TemplateSpec = {
  id: 1, code: 'T1', name: '妇幼健康服务', kind: 'SERVICE', cost: 200_000, categoryIds: [10], categoryFamilyIds: [1],
  targetGroups: ['WOMEN', 'CHILDREN'], needs: [], rho: 0.35, beneficiaryRule: 'PER_ADDRESSED_CASE', beneficiaryFactor: 1,
};
const cell = (volume: number): CoveredCell => ({
  categoryId: 10, communityId: 8, label: 'x', volume, score: 0.1, vulnerableShare: null, metrics: {}, vulnerabilityWeight: 1, contribution: 0,
} as unknown as CoveredCell);

describe('beneficiaries follow from the numbers the formula states', () => {
  it('1 per addressed case × ρ 0.35 × 90 cases = 32 (31.5 rounded half up, as 92.5 → 93 elsewhere)', () => {
    const out = beneficiariesOf(template, [cell(90)], 0.35);
    expect(out.formula).toBe('1 per addressed case × ρ 0.35 × 90 cases = 32');
    expect(out.beneficiaries).toBe(32);
  });
  it('the other half-way cases of the demo round up (control)', () => {
    expect(beneficiariesOf({ ...template, beneficiaryFactor: 5 }, [cell(37)], 0.5).beneficiaries).toBe(93);
    expect(beneficiariesOf(template, [cell(195)], 0.3).beneficiaries).toBe(59);
  });
});
