/**
 * Surge z: how far the recent count stands above what the baseline predicts,
 * z = (x − μ) / σ with μ = baseline count scaled to the recent period's length and
 * σ = √μ (Poisson), the right spread for counts; null when the baseline predicts nothing.
 */
export function surgeZ(recent: number, baseline: number, recentDays: number, baselineDays: number): { z: number; expected: number } | null {
  if (baselineDays <= 0 || recentDays <= 0) return null;
  const expected = (baseline * recentDays) / baselineDays;
  if (expected <= 0) return null;
  return { z: (recent - expected) / Math.sqrt(expected), expected };
}
