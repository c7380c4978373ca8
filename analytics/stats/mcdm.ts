/**
 * Multi-criteria ranking: entropy weights and TOPSIS. A matrix is rows = alternatives,
 * columns = criteria; every criterion here is a "benefit" (larger = more pressing) unless
 * `benefit[j]` is false.
 */

/**
 * Entropy weights (Shannon's entropy method). Each column is first min-max normalised so that
 * it is non-negative (cost criteria reversed), then p_ij = r_ij / Σ_i r_ij,
 * e_j = −(1/ln m) Σ_i p_ij ln p_ij (0·ln 0 = 0), d_j = 1 − e_j, w_j = d_j / Σ_k d_k.
 * A constant column carries no information: d_j = 0. Returns entropies and weights; all weights 0
 * when no column varies.
 */
export function entropyWeights(matrix: readonly (readonly number[])[], benefit?: readonly boolean[]): { entropy: number[]; weights: number[] } {
  const m = matrix.length;
  const n = m ? matrix[0].length : 0;
  const entropy: number[] = [];
  const divergence: number[] = [];
  for (let j = 0; j < n; j++) {
    const column = matrix.map((row) => row[j]);
    const min = Math.min(...column);
    const max = Math.max(...column);
    if (m < 2 || max === min) {
      entropy.push(1);
      divergence.push(0);
      continue;
    }
    const isBenefit = benefit?.[j] ?? true;
    const r = column.map((x) => (isBenefit ? (x - min) / (max - min) : (max - x) / (max - min)));
    const total = r.reduce((s, v) => s + v, 0);
    let e = 0;
    for (const v of r) if (v > 0) e -= (v / total) * Math.log(v / total);
    e /= Math.log(m);
    entropy.push(e);
    divergence.push(1 - e);
  }
  const sum = divergence.reduce((s, d) => s + d, 0);
  return { entropy, weights: divergence.map((d) => (sum > 0 ? d / sum : 0)) };
}

export interface TopsisResult {
  /** Weighted normalised matrix v_ij = w_j x_ij / √Σ_i x_ij². */
  weighted: number[][];
  idealBest: number[];
  idealWorst: number[];
  distanceBest: number[];
  distanceWorst: number[];
  /** C_i = D⁻_i / (D⁺_i + D⁻_i); 0.5 when an alternative is both (all columns constant). */
  closeness: number[];
}

/** TOPSIS (Hwang & Yoon 1981) with vector normalisation. */
export function topsis(matrix: readonly (readonly number[])[], weights: readonly number[], benefit?: readonly boolean[]): TopsisResult {
  const m = matrix.length;
  const n = weights.length;
  const norms = weights.map((_, j) => Math.sqrt(matrix.reduce((s, row) => s + row[j] * row[j], 0)));
  const weighted = matrix.map((row) => row.map((x, j) => (norms[j] > 0 ? (weights[j] * x) / norms[j] : 0)));
  const idealBest: number[] = [];
  const idealWorst: number[] = [];
  for (let j = 0; j < n; j++) {
    const column = weighted.map((row) => row[j]);
    const hi = m ? Math.max(...column) : 0;
    const lo = m ? Math.min(...column) : 0;
    const isBenefit = benefit?.[j] ?? true;
    idealBest.push(isBenefit ? hi : lo);
    idealWorst.push(isBenefit ? lo : hi);
  }
  const distance = (row: number[], ideal: number[]) => Math.sqrt(row.reduce((s, v, j) => s + (v - ideal[j]) ** 2, 0));
  const distanceBest = weighted.map((row) => distance(row, idealBest));
  const distanceWorst = weighted.map((row) => distance(row, idealWorst));
  const closeness = distanceBest.map((best, i) => (best + distanceWorst[i] > 0 ? distanceWorst[i] / (best + distanceWorst[i]) : 0.5));
  return { weighted, idealBest, idealWorst, distanceBest, distanceWorst, closeness };
}

/**
 * Blends data-driven and policy weights and caps each: used = (1 − λ)·entropy + λ·policy (policy
 * normalised to sum 1; λ = 0 without policy), then no weight above `cap`: the excess is shared
 * among the uncapped weights in proportion, repeated until none exceeds it. Sums to 1 (when any
 * weight is positive).
 */
export function blendWeights(entropy: readonly number[], policy: readonly (number | null)[] | null, lambda: number, cap: number): number[] {
  const n = entropy.length;
  let used = [...entropy];
  const policySum = policy ? policy.reduce<number>((s, p) => s + (p ?? 0), 0) : 0;
  if (policy && policySum > 0) used = entropy.map((e, j) => (1 - lambda) * e + (lambda * (policy[j] ?? 0)) / policySum);
  const total = used.reduce((s, w) => s + w, 0);
  if (total <= 0) return used.map(() => 0);
  used = used.map((w) => w / total);
  const effectiveCap = Math.max(cap, 1 / Math.max(1, used.filter((w) => w > 0).length));
  for (let round = 0; round < n; round++) {
    const over = used.map((w) => w > effectiveCap + 1e-12);
    if (!over.some(Boolean)) break;
    const excess = used.reduce((s, w, j) => s + (over[j] ? w - effectiveCap : 0), 0);
    const freeSum = used.reduce((s, w, j) => s + (over[j] || w >= effectiveCap ? 0 : w), 0);
    if (freeSum <= 0) break;
    used = used.map((w, j) => (over[j] ? effectiveCap : w >= effectiveCap ? w : w + (excess * w) / freeSum));
  }
  return used;
}
