import type { CoveredCell, DemandCell, TemplateSpec } from './types';

/**
 * β, the extra weight of vulnerable residents' demand: 0.5, so a cell whose demand comes
 * entirely from elderly, children, disabled or low-income residents counts 1.5 times. The
 * articles' projects (Chancheng's 13 for the elderly, youth, children and women) put these groups
 * first; 0.5 leans towards them without letting a small vulnerable cell outrank a large general
 * one. An input overrides it.
 */
export const DEFAULT_BETA = 0.5;

/**
 * ρ, the share of the covered demand a project addresses, when a template does not say: 0.3.
 * A single community project (one canteen, one after-school room) serves a part of those who
 * asked, limited by places and opening hours; 0.3 is deliberately modest so that projects are
 * compared on demand they can plausibly absorb. Works that remove a cause (street lights,
 * drainage) carry a higher ρ on their templates. Both are assumptions, stated in every answer.
 */
export const DEFAULT_RHO = 0.3;

const round = (value: number, digits: number) => Math.round(value * 10 ** digits) / 10 ** digits;

/**
 * The fewest demands a cell's v (vulnerable share) boosts its benefit from. Below it v says little
 * about who needs a project, and it would describe those few residents to whoever reads the benefit
 * (a cell of one request showed that resident's group through 1 + β·v): such a cell counts v as
 * unknown (no boost), for every viewer. The small-cell rule's k (src/common/disclosure.ts).
 */
export const MIN_DEMANDS_FOR_V = 5;

export interface BenefitBreakdown {
  benefit: number;
  cells: CoveredCell[];
  formula: string;
}

/**
 * b = Σ_cells C·n·ρ·(1 + β·v) over the given cells (the template's categories in the candidate's
 * community), with the arithmetic as a readable string. Terms are listed largest first; past six
 * the rest are summed into one.
 */
export function benefitOf(cells: readonly DemandCell[], rho: number, beta: number): BenefitBreakdown {
  const covered: CoveredCell[] = cells
    .map((cell) => {
      // An unknown share (no demand names a group, or too few demands) gives no boost: v counts 0, said in the formula.
      const v = cell.volume >= MIN_DEMANDS_FOR_V ? cell.vulnerableShare : null;
      const vulnerabilityWeight = 1 + beta * (v ?? 0);
      return {
        categoryId: cell.categoryId,
        communityId: cell.communityId,
        label: cell.label,
        volume: cell.volume,
        score: cell.score,
        vulnerableShare: v,
        metrics: cell.metrics,
        vulnerabilityWeight,
        contribution: cell.score * cell.volume * rho * vulnerabilityWeight,
      };
    })
    .sort((a, b) => b.contribution - a.contribution || a.categoryId - b.categoryId);
  const benefit = covered.reduce((sum, cell) => sum + cell.contribution, 0);
  // Six decimals, as coveredCells shows them: with C cut to three, the printed terms missed the
  // printed benefit by up to 0.75 % (0.075×599×… for C = 0.074836), and an analyst redoing the sum could not trust it.
  const vText = (c: CoveredCell) => (c.vulnerableShare !== null ? `${round(c.vulnerableShare, 6)}` : c.volume < MIN_DEMANDS_FOR_V ? `0, v of fewer than ${MIN_DEMANDS_FOR_V} demands` : '0, v unknown');
  const shown = covered.slice(0, 6).map((c) => `${round(c.score, 6)}×${c.volume}×(1+${beta}×${vText(c)})`);
  const rest = covered.slice(6);
  if (rest.length) shown.push(`${round(rest.reduce((sum, c) => sum + c.contribution / rho, 0), 6)} (${rest.length} more cells)`);
  const formula = `b = ρ·Σ C·n·(1+β·v) = ${rho} × (${shown.join(' + ') || '0'}) = ${round(benefit, 3)}`;
  return { benefit, cells: covered, formula };
}

/**
 * The product of the numbers a formula states, to whole residents, halves up, computed on the
 * numbers as written (each operand's shortest decimal form, scaled to a whole number): floating
 * point makes 0.35 × 90 31.499999999999996, not the 31.5 on paper, and no fixed cut of decimals
 * is right for every operand (1.4999999999 × 1 must stay under the half).
 */
function wholeResidents(...operands: number[]): number {
  const written = operands.map((operand) => String(operand));
  // An operand JavaScript writes with an exponent (1e-7, 1e21) is no template's figure: plain rounding.
  if (written.some((text) => /e/i.test(text)) || operands.some((operand) => operand < 0)) return Math.round(operands.reduce((product, operand) => product * operand, 1));
  let product = 1n;
  let decimals = 0;
  for (const text of written) {
    const [whole, fraction = ''] = text.split('.');
    product *= BigInt(whole + fraction);
    decimals += fraction.length;
  }
  const scale = 10n ** BigInt(decimals);
  const quotient = product / scale;
  return Number(2n * (product % scale) >= scale ? quotient + 1n : quotient);
}

/** The template's estimate of how many residents benefit, and how it was reached. */
export function beneficiariesOf(template: TemplateSpec, cells: readonly CoveredCell[], rho: number): { beneficiaries: number; formula: string } {
  switch (template.beneficiaryRule) {
    case 'FIXED':
      return { beneficiaries: Math.round(template.beneficiaryFactor), formula: `fixed: ${template.beneficiaryFactor} residents served (template estimate)` };
    case 'PER_10K_YUAN': {
      const beneficiaries = wholeResidents(template.cost / 10_000, template.beneficiaryFactor);
      return { beneficiaries, formula: `${template.beneficiaryFactor} per 10,000 yuan × ${template.cost} yuan / 10,000 = ${beneficiaries}` };
    }
    case 'PER_ADDRESSED_CASE': {
      const volume = cells.reduce((sum, cell) => sum + cell.volume, 0);
      const beneficiaries = wholeResidents(template.beneficiaryFactor, rho, volume);
      return { beneficiaries, formula: `${template.beneficiaryFactor} per addressed case × ρ ${rho} × ${volume} cases = ${beneficiaries}` };
    }
  }
}
