/**
 * Small cells, for viewers who may not see personal data (portals, analysts): a figure drawn from a
 * few records describes those few residents (a cell of one request showed that resident's rating,
 * how fast their case closed and that they are disabled). One rule for every figure they read:
 *
 * - a mean or rate of ratings needs MIN_CELL_RECORDS ratings behind it;
 * - a cell of fewer than MIN_CELL_RECORDS demands (or timed cases, for close times) shows its
 *   count and score, not its details: how it was resolved, rated and how fast, whom it served,
 *   whether it recurred, and which records it holds (evidence ids).
 *
 * Staff who may see the records themselves read every figure. Where a figure enters a computed score
 * (a street's ranking score), the score is computed without it for these viewers, or it could be
 * worked back out of the score.
 *
 * Counts (suppressedCells, suppressesTotal, rateShown below): a portal (an API key, third-party sites) reads no
 * count of 1 to MIN_CELL_RECORDS − 1 records either: "2 requests from DISABLED residents of one
 * community on one day" points at a household the neighbours know. Such a cell's counts and every
 * figure drawn from them are null, with `suppressed` set so a chart can say "fewer than 5". Zero
 * stays 0 everywhere (that nobody asked singles out nobody). A total beside suppressed cells is null
 * too when it is itself 1 to MIN_CELL_RECORDS − 1; the cells are suppressed with their complement,
 * column by column (each count of a row judged on its own), so that no total less the cells shown
 * gives a small count back; a rate beside its counts is null when its numerator or the rest is 1 to
 * MIN_CELL_RECORDS − 1 (rateShown). Staff and analysts (signed-in accounts, audited) read exact
 * counts. Left open: differencing across queries (a street's total less its communities', two
 * overlapping periods) and across two breakdowns of one answer read together.
 */
import { UseMiddleware, type MiddlewareFn } from 'type-graphql';
import { MIN_DEMANDS_FOR_V } from '../../analytics';
import type { AppContext, Viewer } from '../context/context';
import { directoryRecordOutsideScope } from '../modules/identity/personal-data';
import { maySeePersonalData } from './privacy';

/**
 * k = 5, the one threshold of every small-cell rule here: the usual minimum cell size of published
 * statistics (fewer records than that describe residents their neighbours can name). The
 * suggestions' vulnerability boost needs as many demands (analytics' MIN_DEMANDS_FOR_V, which holds
 * the number), one number for both.
 */
export const MIN_CELL_RECORDS = MIN_DEMANDS_FOR_V;

/** Whether `viewer` reads small cells without their details. */
export function hidesSmallCells(viewer: Viewer): boolean {
  return !maySeePersonalData(viewer);
}

/**
 * Whether a figure drawn from `records` records (a mean or rate of ratings, a mean close time of
 * finished cases, a cell's evidence ids) may be shown to a viewer who `hides` small cells.
 */
export function figureShown(hides: boolean, records: number): boolean {
  return !hides || records >= MIN_CELL_RECORDS;
}

/**
 * Whether a total's figure may be shown beside rows whose own figure was hidden: the total less the
 * shown rows is the hidden rows' figure, so those rows together (`hiddenRecords`: their ratings, or
 * their finished records) need MIN_CELL_RECORDS as one row would (4.33 × 6 − 5 × 5 = the one hidden
 * rating of 1). None hidden, or enough of them: shown.
 */
export function totalShown(hides: boolean, hiddenRecords: number): boolean {
  return !hides || hiddenRecords === 0 || hiddenRecords >= MIN_CELL_RECORDS;
}

/** Whether `viewer` reads no count of 1 to MIN_CELL_RECORDS − 1 (a portal); staff and analysts read exact counts. */
export function suppressesSmallCounts(viewer: Viewer): boolean {
  return viewer.kind === 'portal';
}

/** A count a portal may not read: 1 to MIN_CELL_RECORDS − 1 (0 is shown). */
export function isSmallCount(records: number): boolean {
  return records > 0 && records < MIN_CELL_RECORDS;
}

/** `fields` of T may be null once suppressed; `suppressed` says they were. */
export type Suppressible<T, F extends keyof T> = Omit<T, F> & { [P in F]: T[P] | null } & { suppressed: boolean };

/**
 * Whether a total must be suppressed for a viewer who `suppresses` small counts: when it is itself
 * 1 to MIN_CELL_RECORDS − 1. The cells beside it are suppressed column by column with their
 * complement (suppressedCells), so the total less the cells shown is 0 or at least MIN_CELL_RECORDS
 * records, whichever breakdown it is read against: it tells no single cell's count.
 */
export function suppressesTotal(suppresses: boolean, total: number): boolean {
  return suppresses && isSmallCount(total);
}

/**
 * Which cells of one count column a viewer who `suppresses` small counts may not read (standard
 * primary and complementary suppression): the cells of 1 to MIN_CELL_RECORDS − 1, and those
 * `alreadyHidden` (their row is); then, while the hidden cells hold 1 to MIN_CELL_RECORDS − 1
 * together, the smallest shown non-zero cell too, until they hold MIN_CELL_RECORDS or more or
 * nothing non-zero is left shown (then the column's total is itself 1-4, suppressed as such). The
 * column's total less the cells shown never gives a small count back. `groups` (one key per cell):
 * cells whose subtotal is shown apart, each group judged as its own column (requestsResolved is the
 * RESOLVED and CLOSED rows of requestsByStatus; received less it, the other rows), then the whole
 * column once more, as its total is shown too: a group of 1-4 with nothing left to hide in it takes
 * a complement from another (received 12 less ORDERED 10 shown is the 2 resolved). 0 stays shown.
 */
export function hiddenCounts(suppresses: boolean, counts: readonly number[], alreadyHidden: readonly boolean[] = [], groups: readonly unknown[] = []): boolean[] {
  const hidden = counts.map((count, i) => suppresses && count > 0 && (isSmallCount(count) || (alreadyHidden[i] ?? false)));
  if (!suppresses) return hidden;
  const all = counts.map((_, i) => i);
  const columns = [...new Set(all.map((i) => groups[i]))].map((group) => all.filter((i) => groups[i] === group));
  for (const cells of columns.length > 1 ? [...columns, all] : columns) {
    let hiddenSum = cells.reduce((sum, i) => sum + (hidden[i] ? counts[i] : 0), 0);
    const shown = cells.filter((i) => !hidden[i] && counts[i] > 0).sort((a, b) => counts[a] - counts[b] || a - b);
    for (const i of shown) {
      if (!isSmallCount(hiddenSum)) break;
      hidden[i] = true;
      hiddenSum += counts[i];
    }
  }
  return hidden;
}

/**
 * Cells `hidden` (hiddenCounts over their counts) grown for a rate over some of their records (a
 * parent's rate per 10,000: the demands of areas with a population ÷ their residents): the rate ×
 * the residents gives those records' total, and less the cells shown (`rated`: each cell's records
 * the rate counts), the hidden cells' share, so that share must be 0 or MIN_CELL_RECORDS or more as
 * well. The complement is taken among the cells the rate counts (one outside it, with no residents,
 * protects nothing); a share still 1-4 (nothing rated left to hide) leaves the rate to be null.
 */
export function ratedComplement(rated: readonly number[], hidden: readonly boolean[]): boolean[] {
  return hiddenCounts(true, rated, hidden).map((ratedHidden, i) => ratedHidden || (hidden[i] ?? false));
}

/** How suppressedCells judges a breakdown's rows. */
export interface CountRules<T, F extends keyof T> {
  /** The records a row holds, if judged: when hidden (hiddenCounts over all rows), every one of `fields` of the row is null. */
  size?: (row: T) => number;
  /** Count fields judged column by column as well (hiddenCounts, the row's hidden cells counted as hidden). */
  counts?: readonly F[];
  /** Per count field, the group of a row's cell (hiddenCounts' `groups`). */
  groupOf?: (row: T, field: F) => unknown;
  /** Figures drawn from counts (a sum, an average, a rate): null once any count they are drawn from is. */
  derived?: Partial<Record<F, readonly F[]>>;
  /** A count the row does not show but gives away (Remainder): judged as a count column, linked to its sum. */
  remainder?: Remainder<F>;
}

/**
 * A count a reader works out without being shown it: the row's `of` less its `parts` (a day's
 * received less resolved is its unresolved; a record count less the open and finished, the
 * cancelled). It is judged as a count of its own, and it, the parts and the whole go together: with
 * one part hidden the whole and the others give it back, with the whole hidden the parts would.
 */
export interface Remainder<F> {
  of: F;
  parts: readonly F[];
}

/** The name under which suppressedCells and remainderLinks judge a Remainder (never in an answer). */
export const REMAINDER = '(remainder)' as const;

/** `remainder`'s value in `row`: null when the whole or a part is (nothing to work out, or hidden). */
export function remainderOf<F extends PropertyKey>(row: { [P in F]?: number | null }, remainder: Remainder<F>): number | null {
  const values = [remainder.of, ...remainder.parts].map((field) => row[field]);
  if (values.some((value) => value === null || value === undefined)) return null;
  const [whole, ...parts] = values as number[];
  return parts.reduce((rest, part) => rest - part, whole);
}

/** `derived` with `remainder`'s links added: each of its parts and REMAINDER is drawn from the others and the whole. */
export function remainderLinks<F extends PropertyKey>(derived: Partial<Record<F, readonly F[]>>, remainder: Remainder<F>): Partial<Record<F | typeof REMAINDER, readonly (F | typeof REMAINDER)[]>> {
  const linked = { ...derived } as Partial<Record<F | typeof REMAINDER, readonly (F | typeof REMAINDER)[]>>;
  const together = [...remainder.parts, REMAINDER];
  for (const field of together) {
    const from = [...together.filter((other) => other !== field), remainder.of];
    linked[field] = [...new Set([...(linked[field] ?? []), ...from])];
  }
  return linked;
}

/**
 * `nulled` (a row's null fields) with every figure drawn from one of them added, until none is left
 * to add: links go both ways and chain (open hidden hides the rest of a row, which hides finished).
 */
export function withDerivedNulled<F extends PropertyKey>(nulled: Set<F>, derived: Partial<Record<F, readonly F[]>>): Set<F> {
  const links = Object.entries(derived) as [F, readonly F[]][];
  for (let grown = true; grown;) {
    grown = false;
    for (const [field, from] of links) {
      if (!nulled.has(field) && from.some((source) => nulled.has(source))) {
        nulled.add(field);
        grown = true;
      }
    }
  }
  return nulled;
}

/**
 * Whether one count column's total must be suppressed beside rows that overlap (a record of several
 * resident groups counts in each of their rows, once in the total): Σ `cells` (every row's count)
 * less the total is the records counted twice or more, and the total less the `shown` cells (null:
 * suppressed) is no longer the hidden cells' sum, so either may be 1 to MIN_CELL_RECORDS − 1
 * (ELDERLY 10 + DISABLED 8 − 15 = the 3 disabled elderly residents). Rows that partition the total
 * give 0 and the hidden cells' sum (0 or MIN_CELL_RECORDS or more, hiddenCounts): shown.
 */
export function overlapSuppressesTotal(suppresses: boolean, total: number, cells: readonly number[], shown: readonly (number | null)[]): boolean {
  const sum = (values: readonly (number | null)[]) => values.reduce<number>((acc, value) => acc + (value ?? 0), 0);
  return suppresses && (isSmallCount(sum(cells) - total) || isSmallCount(Math.abs(total - sum(shown))));
}

/**
 * A breakdown's rows as a viewer who `suppresses` small counts reads them: a row whose size is
 * hidden (hiddenCounts: 1-4 records, or the complement of such rows) has all its `fields` null; each
 * of `counts` is judged as its own column too (a day of 20 requests and 2 resolved shows no
 * `resolved: 2`), and what is derived from a hidden count goes with it; a `remainder` the row gives
 * away is judged as a count too, and stripped. `suppressed`: some field of the row is null. Staff and analysts read every row as given.
 */
export function suppressedCells<T extends object, F extends keyof T>(suppresses: boolean, rows: readonly T[], fields: readonly F[], rules: CountRules<T, F>): Suppressible<T, F>[] {
  if (rules.remainder) {
    // The remainder judged as one more count column of the rows, then stripped: it is never a field.
    type Wide = T & { [REMAINDER]: number | null };
    const { remainder, ...others } = rules;
    const wide = rows.map((row) => ({ ...row, [REMAINDER]: remainderOf(row as { [P in F]?: number | null }, remainder) }) as Wide);
    const judged = suppressedCells<Wide, F | typeof REMAINDER>(suppresses, wide, [...fields, REMAINDER], {
      ...(others as CountRules<Wide, F | typeof REMAINDER>),
      counts: [...(others.counts ?? []), REMAINDER],
      derived: remainderLinks<F>(others.derived ?? {}, remainder),
    });
    return judged.map(({ [REMAINDER]: _remainder, ...row }) => row as unknown as Suppressible<T, F>);
  }
  const rowHidden = rules.size ? hiddenCounts(suppresses, rows.map(rules.size)) : rows.map(() => false);
  const nulled = rows.map((_, i) => new Set<F>(rowHidden[i] ? fields : []));
  for (const field of rules.counts ?? []) {
    const column = hiddenCounts(suppresses, rows.map((row) => Number(row[field] ?? 0)), rowHidden, rows.map((row) => rules.groupOf?.(row, field)));
    column.forEach((hidden, i) => hidden && nulled[i].add(field));
  }
  for (const set of nulled) withDerivedNulled(set, rules.derived ?? {});
  return rows.map((row, i) => {
    const out: Record<string, unknown> = { ...row, suppressed: nulled[i].size > 0 };
    for (const field of nulled[i]) out[field as string] = null;
    return out as Suppressible<T, F>;
  });
}

/**
 * Whether a rate may be shown to a viewer who `suppresses` small counts: a rate beside its
 * denominator (or beside the records it is of) gives its numerator back, and the denominator less
 * it, so neither may be 1 to MIN_CELL_RECORDS − 1 (a street's 28 requests at 7.14% resolved are 2
 * resolved). A rate not shown is left out of any score computed from it.
 */
export function rateShown(suppresses: boolean, numerator: number, denominator: number): boolean {
  return !suppresses || !(isSmallCount(numerator) || isSmallCount(denominator - numerator));
}

/**
 * Whether a viewer who `suppresses` small counts is left without a whole row (demandRanking's,
 * whose types keep their counts non-null for clients): it holds 1 to MIN_CELL_RECORDS − 1 of any of
 * `counts` (0 stays). The rows shown say how many were withheld, never which or how small.
 */
export function withholdsRow(suppresses: boolean, counts: readonly number[]): boolean {
  return suppresses && counts.some(isSmallCount);
}

export const SUPPRESSED_COUNT_REASON = `fewer than ${MIN_CELL_RECORDS} records: counts and the figures drawn from them are not shown to portals`;

/** The demand metrics that describe how a cell's cases went and whom they served (not how many there were). */
export const CELL_DETAIL_METRICS = [
  'resolutionGap', 'satisfactionGap', 'timelinessP50Hours', 'timelinessP90Hours', 'onTimeShare', 'meanCloseHours',
  'backlogOpen', 'backlogP90AgeDays', 'vulnerableShare', 'recurrence',
] as const;

export const SMALL_CELL_REASON = `fewer than ${MIN_CELL_RECORDS} demands (or ratings, or timed cases): not shown to viewers who may not see personal data`;

/** The metrics computed from the cases with a close time (timed): a few of them are those cases' times. */
const TIMED_METRICS: ReadonlySet<string> = new Set(['timelinessP50Hours', 'timelinessP90Hours', 'onTimeShare', 'meanCloseHours']);

/** What a cell's details are computed from, as far as known (undefined: not kept, so not shown). */
export interface CellCounts {
  /** Demands (consultations excluded). */
  demands: number;
  ratings?: number;
  /** Finished demands with a close time. */
  timed?: number;
}

/**
 * `metrics` without the details a viewer who hides small cells may not read: all of
 * CELL_DETAIL_METRICS for a cell of fewer than MIN_CELL_RECORDS `demands`, and satisfactionGap for
 * fewer than MIN_CELL_RECORDS `ratings` (unknown ratings: hidden). `hidden` names what was nulled.
 */
export function withoutSmallCellDetails<T extends object>(metrics: T, counts: CellCounts): { metrics: T; hidden: string[] } {
  const hidden: string[] = [];
  const out: Record<string, unknown> = { ...(metrics as Record<string, unknown>) };
  for (const name of CELL_DETAIL_METRICS) {
    if (!(name in out) || out[name] === null) continue;
    const few = counts.demands < MIN_CELL_RECORDS
      || (name === 'satisfactionGap' && (counts.ratings ?? 0) < MIN_CELL_RECORDS)
      || (TIMED_METRICS.has(name) && counts.timed !== undefined && counts.timed < MIN_CELL_RECORDS);
    if (few) {
      out[name] = null;
      hidden.push(name);
    }
  }
  return { metrics: out as T, hidden };
}

/** The figures of a shown demand cell that give a count back (withoutSmallCountFigures). */
export interface CountBearingFigures {
  surgeExpected?: number | null;
  surgeZ?: number | null;
  backlogOpen?: number | null;
  ratePer10k?: number | null;
  smoothedRatePer10k?: number | null;
  population?: number | null;
  volume?: number | null;
}

/**
 * The counts of a shown demand cell a portal may not read although the cell is shown: its surge
 * figures when the baseline held 1-4 (μ gives the baseline's count back, and so does surgeZ =
 * (n − μ)/√μ beside n; judged on the count itself, `baselineVolume`, and hidden when it is not known:
 * a project's kept suggestion does not keep it), its open backlog when 1-4, and its rate per 10,000
 * when the demands it counts, or those it leaves out (areas with no population), are 1-4 (rate ×
 * population gives the one, volume less it the other; `ownArea` false: the smoothed rate is the same
 * rate). One place for the rule: the demand ranking, live suggestions and kept ones read it.
 */
export function withoutSmallCountFigures<T extends CountBearingFigures>(metrics: T, baselineVolume: number | undefined, ownArea: boolean): { metrics: T; hidden: string[] } {
  const hidden: string[] = [];
  const out: CountBearingFigures = { ...metrics };
  if (metrics.surgeExpected != null && (baselineVolume === undefined || isSmallCount(baselineVolume))) {
    out.surgeExpected = null;
    out.surgeZ = null;
    hidden.push('surgeExpected', 'surgeZ');
  }
  if (metrics.backlogOpen != null && isSmallCount(metrics.backlogOpen)) {
    out.backlogOpen = null;
    hidden.push('backlogOpen');
  }
  const rated = metrics.ratePer10k != null && metrics.population ? Math.round((metrics.ratePer10k * metrics.population) / 1e4) : null;
  if (rated !== null && (isSmallCount(rated) || isSmallCount((metrics.volume ?? 0) - rated))) {
    out.ratePer10k = null;
    hidden.push('ratePer10k');
    if (!ownArea && metrics.smoothedRatePer10k != null) {
      out.smoothedRatePer10k = null;
      hidden.push('smoothedRatePer10k');
    }
  }
  return { metrics: out as T, hidden };
}

/**
 * A suggestion's demand cell's metrics (live or kept) as a viewer who hides small cells reads them;
 * `suppressCounts` (a portal) also without the counts a shown cell's figures give back
 * (withoutSmallCountFigures; the cell is a category × community one, its own area).
 */
export function suggestionCellMetrics(metrics: Record<string, number | null>, volume: number, suppressCounts: boolean): Record<string, number | null> {
  const details = withoutSmallCellDetails(metrics, suggestionCellCounts(volume)).metrics;
  return suppressCounts ? withoutSmallCountFigures(details, undefined, true).metrics : details;
}

/**
 * What a suggestion's demand cell (live or kept) tells of itself: its volume counts demands only
 * (consultations excluded); its ratings and timed cases are not kept, so those figures always go.
 */
export function suggestionCellCounts(volume: number): CellCounts {
  return { demands: volume, ratings: undefined, timed: 0 };
}

/**
 * A stored JSON document (a project's kept suggestion) with every demand cell in it (an object with a
 * numeric `volume` beside `metrics` or `metricValues`) stripped of its details as above. Ratings and
 * timed cases are not kept there, so satisfactionGap and the close-time figures always go.
 */
export function withoutSmallCellDetailsJson<T>(value: T, suppressCounts = false): T {
  if (Array.isArray(value)) return value.map((element) => withoutSmallCellDetailsJson(element, suppressCounts)) as T;
  if (!value || typeof value !== 'object') return value;
  const object = Object.fromEntries(Object.entries(value).map(([key, element]) => [key, withoutSmallCellDetailsJson(element, suppressCounts)])) as Record<string, unknown>;
  if (typeof object.volume === 'number') {
    for (const key of ['metrics', 'metricValues']) {
      const metrics = object[key];
      if (metrics && typeof metrics === 'object' && !Array.isArray(metrics)) {
        object[key] = suggestionCellMetrics(metrics as Record<string, number | null>, object.volume, suppressCounts);
      }
    }
  }
  return object as T;
}

/** Whether a stored JSON document holds a demand cell (a numeric `volume` beside `metrics` or `metricValues`) of 1 to MIN_CELL_RECORDS − 1. */
export function holdsSmallCell(value: unknown): boolean {
  if (Array.isArray(value)) return value.some(holdsSmallCell);
  if (!value || typeof value !== 'object') return false;
  const object = value as Record<string, unknown>;
  if (typeof object.volume === 'number' && ('metrics' in object || 'metricValues' in object) && isSmallCount(object.volume)) return true;
  return Object.values(object).some(holdsSmallCell);
}

const hideSmallCellsForViewer: MiddlewareFn<AppContext> = async ({ context, root }, next) => {
  const value = await next();
  if (value == null) return value;
  if (!hidesSmallCells(context.viewer)) {
    // Staff see the details of their own area's residents only: a project of another community (the
    // public directory) is read as by a viewer who may not see personal data. Per row, as FreeText.
    return (await directoryRecordOutsideScope(context, root)) ? withoutSmallCellDetailsJson(value) : value;
  }
  // A portal reads no count of 1-4: a kept suggestion quotes its cells' volumes in the benefit, its
  // arithmetic and its explanation, so one holding such a cell is withheld whole (the project's own
  // fields stay).
  const suppressCounts = suppressesSmallCounts(context.viewer);
  if (suppressCounts && holdsSmallCell(value)) return null;
  return withoutSmallCellDetailsJson(value, suppressCounts);
};

/**
 * Marks a JSON field that keeps demand cells (a project's kept suggestion): small cells lose their
 * details for viewers who hide them and for staff reading a record outside their scope (a project
 * of another community), and a portal reads none of it when it holds a cell of 1-4.
 */
export const SmallCellsHidden = () => UseMiddleware(hideSmallCellsForViewer);
