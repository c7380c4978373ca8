import {
  blendWeights,
  empiricalBayesRates,
  entropyWeights,
  histogramQuantile,
  kthLargestPositive,
  mannKendall,
  normalCdf,
  seasonalMannKendall,
  seasonalSenSlope,
  senSlope,
  surgeZ,
  topsis,
  weightedQuantile,
} from '../../analytics';
import { mulberry32 } from '../../src/seed/random';

describe('Mann–Kendall', () => {
  test('1..100: S = 4950, Var(S) = 112750, z = 14.7387 (the values MannKendall.jl / pyMannKendall publish in their tests)', () => {
    const result = mannKendall(Array.from({ length: 100 }, (_, i) => i + 1))!;
    expect(result.s).toBe(4950);
    expect(result.varS).toBe(112750);
    expect(result.z).toBeCloseTo(14.73869998208331, 10);
    expect(result.p).toBeLessThan(1e-6);
  });

  test('ties: [1, 2, 2, 3] worked by hand', () => {
    // Pairs: (1,2)+1 (1,2)+1 (1,3)+1 (2,2)0 (2,3)+1 (2,3)+1 → S = 5.
    // Var(S) = [4·3·13 − 2·1·9] / 18 = (156 − 18)/18 = 7.6667; z = (5 − 1)/√7.6667 = 1.44463.
    const result = mannKendall([1, 2, 2, 3])!;
    expect(result.s).toBe(5);
    expect(result.varS).toBeCloseTo(138 / 18, 12);
    expect(result.z).toBeCloseTo(1.44463, 5);
    // p = 2(1 − Φ(1.44463)) = 0.14856 (normal table).
    expect(result.p).toBeCloseTo(0.14856, 4);
  });

  test('decreasing series gets the continuity correction the other way; a flat series is z = 0; too short is null', () => {
    // [3, 2, 1]: S = −3, Var = 3·2·11/18 = 3.6667, z = (−3 + 1)/1.91485 = −1.04447.
    expect(mannKendall([3, 2, 1])!.z).toBeCloseTo(-1.04447, 5);
    expect(mannKendall([4, 4, 4, 4])!.z).toBe(0);
    expect(mannKendall([1, 2])).toBeNull();
  });

  test('seasonal form sums S and Var(S) over seasons (Hirsch, Slack & Smith 1982), worked by hand', () => {
    // Period 2: season 0 = [1, 2, 3] → S = 3, Var = 3.6667; season 1 = [10, 12, 11] → S = 1 − 1 + 1 = 1, Var = 3.6667.
    // S = 4, Var = 7.3333, z = (4 − 1)/√7.3333 = 1.10782.
    const result = seasonalMannKendall([1, 10, 2, 12, 3, 11], 2)!;
    expect(result.s).toBe(4);
    expect(result.varS).toBeCloseTo(132 / 18, 12);
    expect(result.z).toBeCloseTo(1.10782, 5);
    // A strong within-year cycle repeated three times, no trend: the seasonal test sees S = 0.
    const cycle = Array.from({ length: 36 }, (_, i) => [5, 9, 20, 30, 22, 10, 6, 4, 3, 3, 4, 5][i % 12]);
    expect(seasonalMannKendall(cycle, 12)!.s).toBe(0);
    expect(seasonalMannKendall(cycle.slice(0, 20), 12)).toBeNull();
  });

  test('Sen slope and its seasonal form, worked by hand', () => {
    // [1, 3, 2, 5]: slopes 2, 0.5, 1.3333, −1, 1, 3 → sorted −1, 0.5, 1, 1.3333, 2, 3 → median (1 + 1.3333)/2.
    expect(senSlope([1, 3, 2, 5])).toBeCloseTo(7 / 6, 12);
    // Season 0 slopes 0.5, 0.5, 0.5; season 1 slopes 1, 0.25, −0.5 → median of the six = 0.5 per step.
    expect(seasonalSenSlope([1, 10, 2, 12, 3, 11], 2)).toBeCloseTo(0.5, 12);
    expect(senSlope([7])).toBeNull();
  });

  test('a null is a missing observation: the others keep their seasons and their steps apart', () => {
    // Period 2 with x[2] missing: season 0 = [1, 3] → S = 1, Var = 1; season 1 = [10, 12, 11] → S = 1, Var = 3.6667.
    const result = seasonalMannKendall([1, 10, null, 12, 3, 11], 2)!;
    expect(result).toMatchObject({ n: 5, s: 2 });
    expect(result.varS).toBeCloseTo(1 + 66 / 18, 12);
    // Two cycles must be observed, not only spanned.
    expect(seasonalMannKendall([1, 10, null, 12], 2)).toBeNull();
    // [1, 2, _, 4]: slopes 1, 1.5, 1 (4 − 1 over 3 steps, not 2) → median 1.
    expect(senSlope([1, 2, null, 4])).toBe(1);
    // Season 0 = [1, _, 3] at places 0 and 4: one slope, 2/4; season 1: 1, 0.25, −0.5 → median of 0.5, 1, 0.25, −0.5 = 0.375.
    expect(seasonalSenSlope([1, 10, null, 12, 3, 11], 2)).toBeCloseTo(0.375, 12);
    expect(senSlope([null, 7, null])).toBeNull();
  });

  test('normal CDF agrees with the table to 1e-6', () => {
    expect(normalCdf(1.96)).toBeCloseTo(0.9750021, 6);
    expect(normalCdf(-1)).toBeCloseTo(0.1586553, 6);
    expect(normalCdf(0)).toBeCloseTo(0.5, 6);
  });
});

test('empirical-Bayes smoothing by the method of moments, worked by hand', () => {
  // Counts 2, 30, 50 over populations 100, 1000, 1000: raw rates .02, .03, .05; pooled r̄ = 82/2100 = .0390476.
  // s² = [100(.02 − r̄)² + 1000(.03 − r̄)² + 1000(.05 − r̄)²]/2100 = .238095/2100 = 1.13379e-4;
  // A = s² − r̄/(2100/3) = 1.13379e-4 − 5.57823e-5 = 5.75964e-5; α = r̄/A = 677.95;
  // w = 100/777.95 = .128543 and 1000/1677.95 = .595964; r̂_1 = .128543·.02 + .871457·.0390476 = .0365992.
  const result = empiricalBayesRates([2, 30, 50], [100, 1000, 1000])!;
  expect(result.pooledRate).toBeCloseTo(82 / 2100, 12);
  expect(result.betweenVariance).toBeCloseTo(5.75964e-5, 9);
  expect(result.alpha).toBeCloseTo(677.95, 1);
  expect(result.weights[0]).toBeCloseTo(0.128543, 5);
  expect(result.weights[1]).toBeCloseTo(0.595964, 5);
  expect(result.smoothed[0]).toBeCloseTo(0.0365992, 6);
  // The small area moves most; big areas keep most of their own rate.
  expect(Math.abs(result.smoothed[0] - 0.02)).toBeGreaterThan(Math.abs(result.smoothed[2] - 0.05));
  // No variation beyond Poisson noise: everything is the pooled rate.
  const flat = empiricalBayesRates([10, 10], [1000, 1000])!;
  expect(flat.alpha).toBe(Number.POSITIVE_INFINITY);
  expect(flat.smoothed).toEqual([0.01, 0.01]);
});

test('surge z with a Poisson spread, worked by hand', () => {
  // 40 in 60 baseline days → μ = 20 over 30 days; z = (30 − 20)/√20 = 2.23607.
  const result = surgeZ(30, 40, 30, 60)!;
  expect(result.expected).toBe(20);
  expect(result.z).toBeCloseTo(2.23607, 5);
  expect(surgeZ(5, 0, 30, 30)).toBeNull();
});

test('quantiles read from a histogram and from weighted values', () => {
  // Bins [0,1) [1,4) [4,8) …: 10 values in [1,4) and 10 in [4,8).
  const counts = [0, 10, 10, 0, 0, 0, 0, 0, 0, 0, 0, 0];
  expect(histogramQuantile(counts, 0.25)).toBeCloseTo(2.5, 12); // 5th of 10 in [1,4): 1 + 0.5·3
  expect(histogramQuantile(counts, 0.9)).toBeCloseTo(7.2, 12); // 18th: 8th of 10 in [4,8): 4 + 0.8·4
  expect(histogramQuantile([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 3], 0.5)).toBe(720); // open last bin: its lower edge
  expect(histogramQuantile(new Array(12).fill(0), 0.5)).toBeNull();
  // Ages 1, 5, 30 days with weights 8, 1, 1: p90 = 5 (cumulative 8, 9 ≥ 9), p50 = 1.
  expect(weightedQuantile([30, 1, 5], [1, 8, 1], 0.9)).toBe(5);
  expect(weightedQuantile([30, 1, 5], [1, 8, 1], 0.5)).toBe(1);
});

test('entropy weights, worked by hand; a constant criterion gets weight 0', () => {
  // Column 1 min-max → 0, .5, 1 → p = 0, 1/3, 2/3 → e = −(1/ln 3)(⅓ ln ⅓ + ⅔ ln ⅔) = .579380.
  // Column 2 → 1, 0, 0 → p = 1, 0, 0 → e = 0. d = (.420620, 1) → w = (.296082, .703918).
  const result = entropyWeights([[1, 4], [2, 1], [3, 1]]);
  expect(result.entropy[0]).toBeCloseTo(0.57938, 5);
  expect(result.entropy[1]).toBe(0);
  expect(result.weights[0]).toBeCloseTo(0.296082, 5);
  expect(result.weights[1]).toBeCloseTo(0.703918, 5);
  expect(entropyWeights([[1, 10], [2, 10], [3, 10]]).weights).toEqual([1, 0]);
});

test('TOPSIS on the car example of the R package MCDA (Corsa, Clio, Fiesta)', () => {
  // Price (cost), economy, aesthetics, boot capacity; weights .35 .25 .25 .15. The MCDA documentation gives the
  // positive ideal (.179573776, .171636015, .159499658, .087302767) and negative ideal (.212610118, .124958799,
  // .131352659, .085797547) of the weighted, vector-normalised matrix.
  const result = topsis([[5490, 51.4, 8.5, 285], [6500, 70.6, 7, 288], [6489, 54.3, 7.5, 290]], [0.35, 0.25, 0.25, 0.15], [false, true, true, true]);
  [0.179573776, 0.171636015, 0.159499658, 0.087302767].forEach((v, j) => expect(result.idealBest[j]).toBeCloseTo(v, 8));
  [0.212610118, 0.124958799, 0.131352659, 0.085797547].forEach((v, j) => expect(result.idealWorst[j]).toBeCloseTo(v, 8));
  // By hand for Corsa: D+ = √((.124959−.171636)² + (.085798−.087303)²) = .046701; D− = √((.179574−.212610)² +
  // (.159500−.131353)²) = .043401; C = .043401/(.046701 + .043401) = .48169.
  expect(result.distanceBest[0]).toBeCloseTo(0.046701, 5);
  expect(result.distanceWorst[0]).toBeCloseTo(0.043401, 5);
  expect(result.closeness[0]).toBeCloseTo(0.48169, 4);
  // Clio is closest to the ideal, Fiesta last.
  expect(result.closeness[1]).toBeGreaterThan(result.closeness[0]);
  expect(result.closeness[2]).toBeLessThan(result.closeness[0]);
  for (const c of result.closeness) expect(c).toBeGreaterThanOrEqual(0), expect(c).toBeLessThanOrEqual(1);
});

test('policy weights blend with entropy weights and every weight is capped', () => {
  // (.5, .3, .2) blended half-and-half with policy (0, 0, 1) → (.25, .15, .6); capped at .4 the excess .2 goes
  // to the others in proportion .25 : .15 → (.375, .225, .4).
  const used = blendWeights([0.5, 0.3, 0.2], [0, 0, 1], 0.5, 0.4);
  expect(used[0]).toBeCloseTo(0.375, 12);
  expect(used[1]).toBeCloseTo(0.225, 12);
  expect(used[2]).toBeCloseTo(0.4, 12);
  expect(blendWeights([0.7, 0.3], null, 0.5, 0.4).reduce((s, w) => s + w, 0)).toBeCloseTo(1, 12);
});

describe('kthLargestPositive', () => {
  it('is the k-th of the positive values sorted descending, repeats counted, else 0', () => {
    expect(kthLargestPositive([3, 9, 0, 9, -2, 4, 7], 3)).toBe(7);
    expect(kthLargestPositive([5, 5, 5, 1], 2)).toBe(5);
    expect(kthLargestPositive([4, 0, 2], 3)).toBe(0);
    expect(kthLargestPositive([], 1)).toBe(0);
  });

  it('agrees with sorting on random inputs', () => {
    const random = mulberry32(17);
    for (let trial = 0; trial < 500; trial++) {
      const values = Array.from({ length: Math.floor(random() * 40) }, () => Math.floor(random() * 12) - 3);
      const k = 1 + Math.floor(random() * 6);
      const sorted = values.filter((v) => v > 0).sort((a, b) => b - a);
      expect(kthLargestPositive(values, k)).toBe(sorted.length >= k ? sorted[k - 1] : 0);
    }
  });
});
