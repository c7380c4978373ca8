/**
 * Empirical-Bayes smoothing of rates (Marshall 1991, global method of moments): areas with a
 * small population are pulled towards the pooled rate.
 *
 *   r_i = x_i / d_i,  r̄ = Σx / Σd,  s² = Σ d_i (r_i − r̄)² / Σd,
 *   A = s² − r̄ / (Σd / m)   (the between-area variance; 0 when negative),
 *   α = r̄ / A,  w_i = d_i / (d_i + α),  r̂_i = w_i r_i + (1 − w_i) r̄.
 *
 * With A = 0 (no variation beyond Poisson noise) every w_i is 0 and every r̂_i is r̄.
 */
export interface EbResult {
  pooledRate: number;
  /** Between-area variance A (≥ 0). */
  betweenVariance: number;
  /** α in the units of `populations`; Infinity when A = 0. */
  alpha: number;
  weights: number[];
  smoothed: number[];
  raw: number[];
}

/** Smooths x_i/d_i; areas with d_i ≤ 0 get NaN and are left out of the moments. */
export function empiricalBayesRates(counts: readonly number[], populations: readonly number[]): EbResult | null {
  const idx = counts.map((_, i) => i).filter((i) => populations[i] > 0);
  const m = idx.length;
  if (m === 0) return null;
  const sumX = idx.reduce((s, i) => s + counts[i], 0);
  const sumD = idx.reduce((s, i) => s + populations[i], 0);
  const pooledRate = sumX / sumD;
  const raw = counts.map((x, i) => (populations[i] > 0 ? x / populations[i] : Number.NaN));
  const s2 = idx.reduce((s, i) => s + populations[i] * (raw[i] - pooledRate) ** 2, 0) / sumD;
  const betweenVariance = Math.max(0, s2 - pooledRate / (sumD / m));
  const alpha = betweenVariance > 0 ? pooledRate / betweenVariance : Number.POSITIVE_INFINITY;
  const weights = populations.map((d) => (d > 0 ? (Number.isFinite(alpha) ? d / (d + alpha) : 0) : Number.NaN));
  const smoothed = raw.map((r, i) => (populations[i] > 0 ? weights[i] * r + (1 - weights[i]) * pooledRate : Number.NaN));
  return { pooledRate, betweenVariance, alpha, weights, smoothed, raw };
}
