import { median, twoSidedP } from './normal';

/** The Mann–Kendall statistic of one series, and its normal approximation. */
export interface MannKendallResult {
  n: number;
  /** S = Σ_{i<j} sgn(x_j − x_i). */
  s: number;
  /** Var(S) = [n(n−1)(2n+5) − Σ_t t(t−1)(2t+5)] / 18, t = sizes of tied groups. */
  varS: number;
  /** (S − 1)/σ for S > 0, 0 for S = 0, (S + 1)/σ for S < 0 (continuity correction). */
  z: number;
  /** Two-sided p-value of z. */
  p: number;
}

function tieTerm(values: readonly number[]): number {
  const counts = new Map<number, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  let sum = 0;
  for (const t of counts.values()) if (t > 1) sum += t * (t - 1) * (2 * t + 5);
  return sum;
}

function sgn(x: number): number {
  return x > 0 ? 1 : x < 0 ? -1 : 0;
}

/** S and tie-corrected Var(S) of one series (no z): the building block of both forms. */
export function mannKendallS(x: readonly number[]): { s: number; varS: number } {
  const n = x.length;
  let s = 0;
  for (let i = 0; i < n - 1; i++) for (let j = i + 1; j < n; j++) s += sgn(x[j] - x[i]);
  return { s, varS: (n * (n - 1) * (2 * n + 5) - tieTerm(x)) / 18 };
}

function zOf(s: number, varS: number): number {
  if (varS <= 0 || s === 0) return 0;
  const sigma = Math.sqrt(varS);
  return s > 0 ? (s - 1) / sigma : (s + 1) / sigma;
}

/** Mann–Kendall trend test (Mann 1945, Kendall 1975) with ties and continuity correction. Needs n ≥ 3. */
export function mannKendall(x: readonly number[]): MannKendallResult | null {
  if (x.length < 3) return null;
  const { s, varS } = mannKendallS(x);
  const z = zOf(s, varS);
  return { n: x.length, s, varS, z, p: twoSidedP(z) };
}

/**
 * Seasonal Mann–Kendall (Hirsch, Slack & Smith 1982): S and Var(S) are summed over the seasons
 * (x[i] belongs to season i mod `period`), each season compared only with itself across years,
 * then z is formed once from the sums with the continuity correction. A null is a missing
 * observation (Hirsch et al. allow them): it keeps its place, so the values after it stay in their
 * seasons, and its season is compared over the years it was observed. Needs two cycles observed.
 */
export function seasonalMannKendall(x: readonly (number | null)[], period: number): MannKendallResult | null {
  const observed = x.filter((v) => v !== null).length;
  if (observed < 2 * period) return null;
  let s = 0;
  let varS = 0;
  for (let season = 0; season < period; season++) {
    const values: number[] = [];
    for (let i = season; i < x.length; i += period) if (x[i] !== null) values.push(x[i]!);
    if (values.length < 2) continue;
    const part = mannKendallS(values);
    s += part.s;
    varS += part.varS;
  }
  const z = zOf(s, varS);
  return { n: observed, s, varS, z, p: twoSidedP(z) };
}

/**
 * Sen's slope (Sen 1968): the median of (x_j − x_i)/(j − i) over all i < j; units of x per step.
 * A null is a missing observation: no pair uses it, and the others keep their steps apart.
 */
export function senSlope(x: readonly (number | null)[]): number | null {
  const slopes: number[] = [];
  for (let i = 0; i < x.length - 1; i++) {
    if (x[i] === null) continue;
    for (let j = i + 1; j < x.length; j++) if (x[j] !== null) slopes.push((x[j]! - x[i]!) / (j - i));
  }
  return slopes.length ? median(slopes) : null;
}

/**
 * Seasonal Sen slope (Hirsch et al. 1982): the median of the slopes between values of the same
 * season, (x_j − x_i)/(j − i) with j − i a multiple of `period`; units of x per step (not per year).
 * Nulls are missing observations, as in senSlope.
 */
export function seasonalSenSlope(x: readonly (number | null)[], period: number): number | null {
  const slopes: number[] = [];
  for (let i = 0; i < x.length; i++) {
    if (x[i] === null) continue;
    for (let j = i + period; j < x.length; j += period) if (x[j] !== null) slopes.push((x[j]! - x[i]!) / (j - i));
  }
  return slopes.length ? median(slopes) : null;
}
