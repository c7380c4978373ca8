/**
 * Close-time histogram: the bin edges (hours) the roll-ups count finished demands into, and
 * quantiles read back from bin counts by linear interpolation inside the bin. The last bin is
 * open-ended: a quantile falling in it is reported as its lower edge (a lower bound).
 */
export const CLOSE_HOURS_EDGES: readonly number[] = [0, 1, 4, 8, 24, 48, 72, 120, 168, 336, 504, 720];

export const HISTOGRAM_BINS = CLOSE_HOURS_EDGES.length;

/** The q-quantile (0..1) of the values binned into `counts` (counts[k] holds [edges[k], edges[k+1])). */
export function histogramQuantile(counts: readonly number[], q: number, edges: readonly number[] = CLOSE_HOURS_EDGES): number | null {
  const total = counts.reduce((s, c) => s + c, 0);
  if (total <= 0) return null;
  const target = q * total;
  let below = 0;
  for (let k = 0; k < counts.length; k++) {
    const c = counts[k];
    if (c > 0 && below + c >= target) {
      if (k === edges.length - 1) return edges[k];
      const fraction = (target - below) / c;
      return edges[k] + fraction * (edges[k + 1] - edges[k]);
    }
    below += c;
  }
  return edges[edges.length - 1];
}

/** Weighted quantile of discrete values (e.g. ages in days weighted by open counts): the smallest v with cumulative weight ≥ q·total. */
export function weightedQuantile(values: readonly number[], weights: readonly number[], q: number): number | null {
  const order = values.map((_, i) => i).filter((i) => weights[i] > 0).sort((a, b) => values[a] - values[b]);
  const total = order.reduce((s, i) => s + weights[i], 0);
  if (total <= 0) return null;
  let cumulative = 0;
  for (const i of order) {
    cumulative += weights[i];
    if (cumulative >= q * total - 1e-9) return values[i];
  }
  return values[order[order.length - 1]];
}

/** The k-th largest of the positive values (counting repeats), or 0 when fewer than k are positive. */
export function kthLargestPositive(values: number[], k: number): number {
  const top: number[] = []; // the k largest so far, descending
  for (const v of values) {
    if (v <= 0 || (top.length === k && v <= top[k - 1])) continue;
    let i = top.length === k ? k - 1 : top.length;
    while (i > 0 && top[i - 1] < v) {
      top[i] = top[i - 1];
      i--;
    }
    top[i] = v;
  }
  return top.length === k ? top[k - 1] : 0;
}
