/**
 * Which buckets a volume trend reads, and how each is scaled: one rule for rankDemand's monthly
 * trend and demandSeries' trend.
 *
 * - Where the scope (not the cell) has any record before the window, data were being collected:
 *   every bucket from the window's first is whole and an empty one is a real zero. Only where the
 *   scope has none does the series start at its first day with data in the window (a zero before
 *   that is no observation at all): trendBegin.
 * - A bucket covered only in part (by the period, or by the data's start) is scaled to its full
 *   length: volume × length / covered days.
 * - A bucket with fewer covered days than its interval's minimum is left out: scaled up, a day
 *   or two of records would swing the trend.
 */
import { mannKendall, seasonalMannKendall, seasonalSenSlope, senSlope, type MannKendallResult } from '../stats/mann-kendall';
import { addDays, daysInclusive, monthEnd } from './dates';

export type TrendInterval = 'DAY' | 'WEEK' | 'MONTH';

/**
 * Fewest covered days a bucket needs to enter a trend: a kept month is scaled at most 31/7 ≈ 4.4×,
 * a kept week 7/3 ≈ 2.3× (a day of records scaled 31 or 7 times would swing the trend). Days are
 * whole: only those before the data begin are left out.
 */
export const MIN_TREND_DAYS: Readonly<Record<TrendInterval, number>> = { DAY: 1, WEEK: 3, MONTH: 7 };

/** A bucket the trend uses: its position in the caller's list, its full length and its covered days. */
export interface TrendBucket {
  index: number;
  length: number;
  covered: number;
}

/** First day of the bucket after the one starting on `start`. */
export function nextBucket(start: string, interval: TrendInterval): string {
  if (interval === 'DAY') return addDays(start, 1);
  if (interval === 'WEEK') return addDays(start, 7);
  return addDays(monthEnd(start), 1);
}

/**
 * The day a trend over a window starting on `from` begins, from what source.ts's readDataStart
 * reads of the scope: `from` when the scope has any record before it (a scope whose data reach
 * back is whole from the window's first bucket, even where that bucket is empty), else the
 * scope's first day with data in the window (null: none, no trend).
 */
export function trendBegin(from: string, scope: { before: boolean; first: string | null }): string | null {
  return scope.before ? from : scope.first;
}

/**
 * The buckets (given by their starts, consecutive, oldest first) a trend over [from, to] uses,
 * with the trend beginning on `dataFirst` (trendBegin; null: no data, no trend). The result is
 * consecutive too: only buckets at either edge can be short.
 */
export function trendBuckets(starts: readonly string[], interval: TrendInterval, from: string, to: string, dataFirst: string | null): TrendBucket[] {
  if (dataFirst === null) return [];
  const begin = dataFirst > from ? dataFirst : from;
  const out: TrendBucket[] = [];
  starts.forEach((start, index) => {
    const end = addDays(nextBucket(start, interval), -1);
    const covered = Math.max(0, daysInclusive(start > begin ? start : begin, end < to ? end : to));
    if (covered >= MIN_TREND_DAYS[interval]) out.push({ index, length: daysInclusive(start, end), covered });
  });
  return out;
}

/** A bucket's volume scaled to its full length. Multiplied before divided: 15 × 31 / 15 is 31 exactly, 15 × (31 / 15) is not, and Mann–Kendall reads that as a change. */
export function scaledVolume(volume: number, bucket: TrendBucket): number {
  return (volume * bucket.length) / bucket.covered;
}

/** Fewest points a plain Mann–Kendall trend is computed on (3 can never be significant). */
export const MIN_TREND_POINTS = 4;

/**
 * The trend test over the scaled bucket values: seasonal (per season of `period` buckets) once
 * there are two full cycles, else plain from MIN_TREND_POINTS; null with fewer.
 */
export function trendTest(values: readonly number[], period: number): { mk: MannKendallResult; seasonal: boolean; senSlope: number | null } | null {
  const seasonal = values.length >= 2 * period;
  const mk = seasonal ? seasonalMannKendall(values, period) : values.length >= MIN_TREND_POINTS ? mannKendall(values) : null;
  if (!mk) return null;
  return { mk, seasonal, senSlope: seasonal ? seasonalSenSlope(values, period) : senSlope(values) };
}
