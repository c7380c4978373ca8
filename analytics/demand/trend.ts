/**
 * Which buckets a volume trend reads, and how each is scaled: one rule for rankDemand's monthly
 * trend and demandSeries' trend.
 *
 * - Where the scope (not the cell) has any record before the window, its data reach back: the
 *   trend begins where the source as a whole (the whole city, the same roll-up and sources) has
 *   data, on or after the window's first day. With collection running on that day, every bucket
 *   from the window's first is whole and an empty one is a real zero; after a gap in collection
 *   (nothing recorded anywhere), the buckets before it resumed are no observations. Where the scope
 *   has no record before the window, the series starts at its first day with data in the window (a
 *   zero before that is no observation at all either): trendBegin.
 * - It ends on the last day that is over (trendEnd): today's records are still coming in, and read
 *   as a whole day they made a fall.
 * - A bucket covered only in part (by the period, the data's start, or today) is scaled to its
 *   full length: volume × length / covered days.
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
 * reads: the one rule for which buckets are observations.
 * - The scope has no record before `from`: its first day with data in the window (null: none, no
 *   trend). Buckets before it are not zeros, they were not observed.
 * - The scope has records before `from`: the first day on or after `from` on which the source as
 *   a whole (the whole city, same roll-up and sources, any category) has a record. That is `from`
 *   when data were being collected on it (continuous data: an empty bucket of the scope's from the
 *   window's first is a real zero); after a gap in collection, the day it resumed (the empty
 *   buckets before are a gap in the data, not a lack of demand: read as zeros they made a rise).
 *   Never after the scope's own first day in the window, which is a day of the source's too.
 */
export function trendBegin(from: string, data: { before: boolean; first: string | null; sourceFirst: string | null }): string | null {
  if (!data.before) return data.first;
  return data.sourceFirst !== null && data.sourceFirst < from ? from : data.sourceFirst;
}

/**
 * The last day a trend over a window ending on `to` reads: `to`, but never today (China time) or
 * later, a day whose records are still coming in. (Where the data simply end earlier, an import not
 * yet made, the days after are still read as zeros, and dataEndNote says so.)
 */
export function trendEnd(to: string, today: string): string {
  const lastOver = addDays(today, -1);
  return to < lastOver ? to : lastOver;
}

/** Why a trend ends before `to` (trendEnd), in words; null when it does not. */
export function trendEndNote(to: string, end: string): string | null {
  return end < to ? `up to ${end}: ${addDays(end, 1)} is not over yet, its records are still coming in` : null;
}

/**
 * Where the data end before the trend does (sourceLast, readDataStart: the source's last day with a
 * record anywhere in the city), in words; null when they do not. The days after are read as zeros:
 * the roll-ups cannot tell demand that stopped from records not imported yet, so the analyst is told.
 */
export function dataEndNote(trendTo: string, sourceLast: string | null): string | null {
  if (sourceLast === null || sourceLast >= trendTo) return null;
  return `nothing was recorded anywhere (same sources, whole city) after ${sourceLast}: the days to ${trendTo} are read as zeros; if their records are not imported yet, end the period on ${sourceLast}`;
}

/**
 * The buckets (given by their starts, consecutive, oldest first) a trend over [from, to] uses (`to`: trendEnd),
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
