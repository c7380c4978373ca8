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

/* Found by a review of the first fix (a cut to 9 decimals): operands with more decimals whose stated product is just under a half. */
describe('beneficiaries round the stated product exactly', () => {
  const fine: TemplateSpec = { ...template, cost: 10_000, beneficiaryRule: 'PER_10K_YUAN', beneficiaryFactor: 1.4999999999 };
  it('1.4999999999 per 10,000 yuan × 10000 yuan / 10,000 = 1', () => {
    expect(beneficiariesOf(fine, [], 0.35).beneficiaries).toBe(1);
  });
  it('1.5 per addressed case × ρ 0.3333333333 × 3 cases = 1 (1.49999999985)', () => {
    expect(beneficiariesOf({ ...fine, beneficiaryRule: 'PER_ADDRESSED_CASE', beneficiaryFactor: 1.5 }, [cell(3)], 0.3333333333).beneficiaries).toBe(1);
  });
  it('a cost that is no whole 10,000s: 2 per 10,000 yuan × 12345 yuan / 10,000 = 2.469 → 2; × 17500 = 3.5 → 4', () => {
    expect(beneficiariesOf({ ...fine, cost: 12_345, beneficiaryFactor: 2 }, [], 0.35).beneficiaries).toBe(2);
    expect(beneficiariesOf({ ...fine, cost: 17_500, beneficiaryFactor: 2 }, [], 0.35).beneficiaries).toBe(4);
  });
});
