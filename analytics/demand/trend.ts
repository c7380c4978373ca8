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
 * - Inside it, a gap in collection (GAP_MIN_DAYS or more days in a row with nothing recorded
 *   anywhere in the city, same roll-up and sources: readDataStart's `gaps`) is not read as zeros
 *   either: its days are not covered.
 * - A bucket covered only in part (by the period, the data's start, today, or a gap) is scaled to
 *   its full length: volume × length / covered days.
 * - A bucket with fewer covered days than its interval's minimum is left out: scaled up, a day
 *   or two of records would swing the trend. Left out in the middle (a gap), it is a missing
 *   observation at its place, not a step closer: trendValues.
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

/**
 * Fewest days in a row with nothing recorded anywhere in the city (same roll-up, same sources) that
 * are a gap in collection rather than the calendar's own rhythm. Shorter runs are closures: Sundays,
 * weekends, one-day closures, and the statutory holidays, the longest of which, Spring Festival and
 * National Day, close offices for up to 9 days in a row (with their make-up weekends: Spring
 * Festival 2026, Feb 15-23). A closure recurs every year, being closed is a real lack of service
 * (the demand comes in the days after, in the same or the next bucket: scaling the bucket up as if
 * open would count it twice), and the seasonal test compares like with like. A week, 7, would take
 * the Golden Weeks of a one-window source for gaps. Ten days and more no calendar explains: an
 * import not made or failed, a system switched over. (A real gap of 7-9 days is then read as
 * zeros: a bucket about a third low, the size of a Golden Week's dip.) A longer run that the
 * working-day calendar has off day by day (Spring Festival 2020, lengthened to ten days) is a
 * closure all the same: isCollectionGap.
 */
export const GAP_MIN_DAYS = 10;

/**
 * Whether the empty days strictly between two days with records are a gap in collection
 * (GAP_MIN_DAYS or more) rather than a closure; `lastBefore` null: nothing was ever recorded before.
 * A run of GAP_MIN_DAYS or more that the working-day calendar closes day by day (`closures`,
 * readDataStart's: Spring Festival 2020, lengthened to 10 days) is a closure all the same: the
 * counters were shut, not the collection. Counting calendar days stays the rule, so a calendar
 * that lags (a year chinese-days does not know yet) reads as it did. The one test for every edge
 * (trendBegin, collectionGapsIn, readDataStart's run past `to`); the walk over the days inside
 * the window applies it in SQL.
 */
export function isCollectionGap(lastBefore: string | null, firstAfter: string, closures: readonly CollectionGap[] = []): boolean {
  if (lastBefore === null) return true;
  if (daysInclusive(lastBefore, firstAfter) - 2 < GAP_MIN_DAYS) return false;
  const first = addDays(lastBefore, 1);
  const last = addDays(firstAfter, -1);
  return !closures.some((closure) => closure.first <= first && last <= closure.last);
}

/** A gap in collection: its first and last day, both with nothing recorded anywhere in the city. */
export interface CollectionGap {
  first: string;
  last: string;
}

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
 *   A gap by GAP_MIN_DAYS's rule, counted from the source's last day before `from`
 *   (`sourceBefore`): a shorter empty run across `from` is a closure (the first days of October,
 *   of a year), read as real zeros like the same closure inside a window, and the trend begins on
 *   `from`. Never after the scope's own first day in the window, which is a day of the source's too.
 */
export function trendBegin(from: string, data: { before: boolean; first: string | null; sourceFirst: string | null; sourceBefore: string | null; closures?: readonly CollectionGap[] }): string | null {
  if (!data.before) return data.first;
  if (data.sourceFirst === null || data.sourceFirst <= from) return data.sourceFirst === null ? null : from;
  return isCollectionGap(data.sourceBefore, data.sourceFirst, data.closures) ? data.sourceFirst : from;
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
 * Not when records resume after the window (`sourceAfter`): the empty days are then a gap (gapNote)
 * or a closure, not the end of the data.
 */
export function dataEndNote(trendTo: string, sourceLast: string | null, sourceAfter: string | null): string | null {
  if (sourceLast === null || sourceLast >= trendTo || sourceAfter !== null) return null;
  return `nothing was recorded anywhere (same sources, whole city) after ${sourceLast}: the days to ${trendTo} are read as zeros; if their records are not imported yet, end the period on ${sourceLast}`;
}

/**
 * The collection gaps (readDataStart's) a trend over [begin, end] reads across, cut to those days:
 * the ones its buckets leave uncovered and its notes name.
 */
export function gapsWithin(gaps: readonly CollectionGap[], begin: string | null, end: string): CollectionGap[] {
  if (begin === null) return [];
  return gaps
    .filter((gap) => gap.last >= begin && gap.first <= end)
    .map((gap) => ({ first: gap.first < begin ? begin : gap.first, last: gap.last > end ? end : gap.last }));
}

/**
 * The gaps in collection inside [from, end] as a chart shades them (demandSeries' collectionGaps):
 * the trend's gaps (readDataStart's, cut to the period), and an empty start that trendBegin's rule
 * calls a gap (GAP_MIN_DAYS or more empty days counted from the last record before `from`, or
 * none before at all). Not the days after the data's last record when nothing follows (dataEndNote
 * says those are read as zeros) nor the days after `end` (not over yet).
 */
export function collectionGapsIn(
  data: { sourceFirst: string | null; sourceBefore: string | null; sourceAfter: string | null; gaps: readonly CollectionGap[]; closures?: readonly CollectionGap[] },
  from: string,
  end: string,
): CollectionGap[] {
  if (end < from) return [];
  if (data.sourceFirst === null) {
    // Nothing in the period. Records after it: a gap when the empty run holds GAP_MIN_DAYS (counted
    // from the last record before, if any). Records only before it: the data end (read as zeros,
    // dataEndNote). None anywhere: no data to shade.
    return data.sourceAfter !== null && isCollectionGap(data.sourceBefore, data.sourceAfter, data.closures) ? [{ first: from, last: end }] : [];
  }
  const emptyStart = data.sourceFirst > from && isCollectionGap(data.sourceBefore, data.sourceFirst, data.closures);
  const emptyStartLast = addDays(data.sourceFirst, -1);
  return [...(emptyStart ? [{ first: from, last: emptyStartLast < end ? emptyStartLast : end }] : []), ...gapsWithin(data.gaps, from, end)];
}

/** Days of [first, last] (empty when last < first) inside the gaps. */
function gapDays(first: string, last: string, gaps: readonly CollectionGap[]): number {
  let days = 0;
  for (const gap of gaps) {
    const a = gap.first > first ? gap.first : first;
    const b = gap.last < last ? gap.last : last;
    if (a <= b) days += daysInclusive(a, b);
  }
  return days;
}

/**
 * Days of [first, last] the data cover: those from `begin` on (trendBegin: where the data begin;
 * null: no data, none) outside the collection gaps (gapsWithin). The one rule for which days are
 * observed: a trend's buckets (trendBuckets) and the surge's period and baseline (coverageOf) count
 * their days by it, so a day the trend does not read as a zero is no zero day of a baseline either.
 */
export function coveredDays(first: string, last: string, begin: string | null, gaps: readonly CollectionGap[]): number {
  if (begin === null) return 0;
  const from = first > begin ? first : begin;
  return from > last ? 0 : daysInclusive(from, last) - gapDays(from, last, gaps);
}

/**
 * The buckets (given by their starts, consecutive, oldest first) a trend over [from, to] uses (`to`: trendEnd),
 * with the trend beginning on `dataFirst` (trendBegin; null: no data, no trend). A bucket's covered
 * days are coveredDays' (in [begin, to], outside the collection gaps). Short buckets are at
 * either edge or across a gap; one left out in the middle leaves a hole in the indexes, which
 * trendValues keeps as a missing observation.
 */
export function trendBuckets(starts: readonly string[], interval: TrendInterval, from: string, to: string, dataFirst: string | null, gaps: readonly CollectionGap[]): TrendBucket[] {
  if (dataFirst === null) return [];
  const out: TrendBucket[] = [];
  starts.forEach((start, index) => {
    const end = addDays(nextBucket(start, interval), -1);
    const covered = coveredDays(start > from ? start : from, end < to ? end : to, dataFirst, gaps);
    if (covered >= MIN_TREND_DAYS[interval]) out.push({ index, length: daysInclusive(start, end), covered });
  });
  return out;
}

/** What coverageOf reads of readDataStart's answer over the same days (source.ts, DataStart). */
export interface CoverageData {
  before: boolean;
  first: string | null;
  sourceFirst: string | null;
  sourceBefore: string | null;
  gaps: readonly CollectionGap[];
  closures?: readonly CollectionGap[];
}

/**
 * The days of [from, to] with data, read as a trend over them reads its days: up to the last day
 * that is over (`end`, trendEnd), from where the data begin (`begin`, trendBegin), outside the
 * collection gaps (`gaps`); `covered` of those `days` (coveredDays). `data` is readDataStart's over
 * [from, to]. The surge scales its baseline by these days (rank.ts): a day before the data begin, or
 * inside a gap, is no day of zero demand. Days after the data's last record, with none after them,
 * are covered: read as zeros, as the trend reads them (dataEndNote).
 */
export interface Coverage {
  from: string;
  end: string;
  /** Days of [from, end]: 0 when the range begins today or later (no day of it is over). */
  days: number;
  begin: string | null;
  /** The scope has a record before `from` (where `begin` comes from: the source's collection, or the scope's own first day). */
  before: boolean;
  gaps: CollectionGap[];
  covered: number;
}

export function coverageOf(from: string, to: string, today: string, data: CoverageData): Coverage {
  const end = trendEnd(to, today);
  const days = end < from ? 0 : daysInclusive(from, end);
  const begin = days === 0 ? from : trendBegin(from, data);
  const gaps = days === 0 ? [] : gapsWithin(data.gaps, begin, end);
  return { from, end, days, begin, before: data.before, gaps, covered: days === 0 ? 0 : coveredDays(from, end, begin, gaps) };
}

/**
 * Why a coverage leaves days out, in words: where the data begin (the source's collection resumed,
 * or the scope's own data begin) and each gap in collection. Empty when every day is covered.
 */
export function uncoveredReasons(c: Coverage): string[] {
  if (c.covered === c.days) return [];
  if (c.begin === null) return [`nothing was recorded (same sources${c.before ? ', whole city' : ', in the area'}) from ${c.from} to ${c.end}`];
  const out: string[] = [];
  if (c.begin > c.from) {
    out.push(c.before
      ? `nothing was recorded anywhere (same sources, whole city) from ${c.from} to ${addDays(c.begin, -1)}`
      : `the area's data begin on ${c.begin}`);
  }
  for (const gap of c.gaps) out.push(`nothing was recorded anywhere (same sources, whole city) from ${gap.first} to ${gap.last}`);
  return out;
}

/**
 * The values a trend test reads: each used bucket's volume scaled (scaledVolume) at its place from
 * the first used bucket, a bucket left out between two used ones (a gap swallowed it) as null. The
 * seasonal test and the Sen slopes read places: closed up, every bucket after a hole would move
 * into the season before its own (December compared with last year's January) and the slopes would
 * count one step fewer between the buckets on either side.
 */
export function trendValues(used: readonly TrendBucket[], volumeOf: (index: number) => number): (number | null)[] {
  if (used.length === 0) return [];
  const values: (number | null)[] = new Array(used[used.length - 1].index - used[0].index + 1).fill(null);
  for (const bucket of used) values[bucket.index - used[0].index] = scaledVolume(volumeOf(bucket.index), bucket);
  return values;
}

/**
 * A collection gap in words, for the notes of a trend by `interval`: the analyst sees why a bucket
 * was scaled or left out.
 */
export function gapNote(gap: CollectionGap, interval: TrendInterval): string {
  const unit = interval.toLowerCase();
  const read = interval === 'DAY' ? 'they are left out, not a point'
    : `a ${unit} they fall in is read from its other days, scaled to its length, and left out with fewer than ${MIN_TREND_DAYS[interval]} of them`;
  return `nothing was recorded anywhere (same sources, whole city) from ${gap.first} to ${gap.last}: those days are not read as zeros; ${read}`;
}

/** A bucket's volume scaled to its full length. Multiplied before divided: 15 × 31 / 15 is 31 exactly, 15 × (31 / 15) is not, and Mann–Kendall reads that as a change. */
export function scaledVolume(volume: number, bucket: TrendBucket): number {
  return (volume * bucket.length) / bucket.covered;
}

/** Fewest points a plain Mann–Kendall trend is computed on (3 can never be significant). */
export const MIN_TREND_POINTS = 4;

/**
 * Which test trendTest ran, as the ranking (trendMethod, on monthly totals) and the series (method,
 * on its points: days, weeks or months) both say it: SEASONAL, the seasonal Mann–Kendall (per season
 * of `period` points, from two full cycles observed); PLAIN, Mann–Kendall over the points in order.
 * The API's TrendMethod enum (src/modules/demand/demand.types.ts) is this list.
 */
export const TREND_METHODS = ['SEASONAL', 'PLAIN'] as const;
export type TrendMethod = (typeof TREND_METHODS)[number];

/**
 * The trend test over the scaled bucket values at their places (trendValues; null: left out):
 * seasonal (per season of `period` buckets) once two full cycles are observed, else plain from
 * MIN_TREND_POINTS observed; null with fewer. The plain test reads only the order of the values, so
 * it reads the observed ones in order; the seasonal test and the Sen slopes read their places.
 */
export function trendTest(values: readonly (number | null)[], period: number): { mk: MannKendallResult; method: TrendMethod; senSlope: number | null } | null {
  const observed = values.filter((v): v is number => v !== null);
  const seasonal = observed.length >= 2 * period;
  const mk = seasonal ? seasonalMannKendall(values, period) : observed.length >= MIN_TREND_POINTS ? mannKendall(observed) : null;
  if (!mk) return null;
  return { mk, method: seasonal ? 'SEASONAL' : 'PLAIN', senSlope: seasonal ? seasonalSenSlope(values, period) : senSlope(values) };
}
