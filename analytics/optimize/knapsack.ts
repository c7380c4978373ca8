/**
 * 0/1 knapsack by dynamic programming over integer weights, and the rounding that makes yuan
 * amounts integer weights safely.
 */

/** Default rounding unit for costs: 1,000 yuan. */
export const DEFAULT_COST_UNIT = 1000;
/** The DP table never gets wider than this many capacity units (the unit grows by powers of ten instead). */
export const MAX_CAPACITY_UNITS = 60_000;

/**
 * The rounding unit for a budget: 1,000 yuan, or the smallest power of ten above it that keeps
 * the budget within MAX_CAPACITY_UNITS units (a 30M budget → 1,000 yuan, 30,000 units; a 300M
 * budget → 10,000 yuan).
 */
export function costUnitFor(budget: number, preferred = DEFAULT_COST_UNIT): number {
  let unit = preferred;
  while (budget / unit > MAX_CAPACITY_UNITS) unit *= 10;
  return unit;
}

/**
 * Costs are rounded UP and budgets and caps DOWN to whole units, so a selection that fits in
 * units fits in yuan: Σ cost ≤ Σ unit·⌈cost/unit⌉ ≤ unit·⌊budget/unit⌋ ≤ budget. The price is
 * that a selection within `unit` yuan per project of the budget may be passed over.
 */
export function costToUnits(cost: number, unit: number): number {
  // A hair of tolerance so 2000.0000000001 (floating-point noise) stays 2 units.
  return Math.max(0, Math.ceil(cost / unit - 1e-9));
}

export function capToUnits(cap: number, unit: number): number {
  return Math.max(0, Math.floor(cap / unit + 1e-9));
}

export interface KnapsackResult {
  value: number;
  weight: number;
  /** Indices of the chosen items, ascending. */
  chosen: number[];
  /** Table cells filled (items × capacity + 1): the work done. */
  cells: number;
}

/**
 * Exact 0/1 knapsack: maximise Σ values[i] over subsets with Σ weights[i] ≤ capacity.
 * O(n·capacity) time, one Float64 row plus one bit per (item, capacity) to rebuild the choice.
 * Weights must be integers ≥ 0; items with no value are never taken.
 */
export function knapsack01(weights: ArrayLike<number>, values: ArrayLike<number>, capacity: number): KnapsackResult {
  const n = weights.length;
  const width = Math.max(0, Math.floor(capacity)) + 1;
  const best = new Float64Array(width);
  const words = (width + 31) >>> 5;
  const took = new Uint32Array(n * words);
  for (let i = 0; i < n; i++) {
    const w = weights[i];
    const v = values[i];
    if (!(v > 0) || w >= width) continue;
    const row = i * words;
    for (let c = width - 1; c >= w; c--) {
      const candidate = best[c - w] + v;
      if (candidate > best[c]) {
        best[c] = candidate;
        took[row + (c >>> 5)] |= 1 << (c & 31);
      }
    }
  }
  const chosen: number[] = [];
  let c = width - 1;
  let weight = 0;
  for (let i = n - 1; i >= 0; i--) {
    if (took[i * words + (c >>> 5)] & (1 << (c & 31))) {
      chosen.push(i);
      c -= weights[i];
      weight += weights[i];
    }
  }
  chosen.reverse();
  return { value: best[width - 1], weight, chosen, cells: n * width };
}
