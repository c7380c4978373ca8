/**
 * Which buckets a volume trend reads, and how each is scaled: one rule for rankDemand's monthly
 * trend and demandSeries' trend.
 *
 * - The series starts at the first day with data in the scope (not the cell: a zero after the
 *   scope's data began is a real zero, one before is no observation at all).
 * - A bucket covered only in part (by the period, or by the data's start) is scaled to its full
 *   length: volume × length / covered days.
 * - A bucket with fewer covered days than its interval's minimum is left out: scaled up, a day
 *   or two of records would swing the trend.
 */
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
 * The buckets (given by their starts, consecutive, oldest first) a trend over [from, to] uses,
 * with the data of the scope beginning on `dataFirst` (null: no data, no trend). The result is
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
