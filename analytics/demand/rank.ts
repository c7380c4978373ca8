/**
 * rankDemand: demand cells (what × area × resident group) over a period, each with the metrics of
 * docs/analytics-ranking.md, ranked by TOPSIS closeness with entropy (+ policy) weights,
 * flagged as a "topic of the month" candidate with the reasons that hold. Reads roll-ups only.
 */
import { blendWeights, entropyWeights, topsis } from '../stats/mcdm';
import { empiricalBayesRates } from '../stats/empirical-bayes';
import { histogramQuantile, kthLargestPositive, weightedQuantile } from '../stats/histogram';
import { surgeZ } from '../stats/surge';
import { GROUP_COLUMNS, HISTOGRAM_COLUMNS, UNKNOWN_GROUP, VULNERABLE_MASK } from '../sources/demand-tables';
import type { SqlRunner } from '../sources/sql';
import { GROUPS, explode, shapeOf, type CellShape } from './cells';
import { addDays, addMonths, chinaDay, dayNumber, daysInclusive, elapsedDays, isDay, monthEnd, monthStart, splitPeriod } from './dates';
import { groupSum } from './frames';
import { readRecurrence } from './recurrence';
import { MIN_TREND_POINTS, coverageOf, dataEndNote, gapNote, gapsWithin, trendBegin, trendBuckets, trendEnd, trendEndNote, trendTest, trendValues, uncoveredReasons, type Coverage } from './trend';
import { hasPopulation, readLabels, readModeFor, resolveScope, type Scope } from './scope';
import { COUNT_COLUMNS, GRID_ONLY_RECORDS_NOTE, GROUP_COUNT_COLUMNS, SERIES_COLUMNS, available, readBucketTable, readDataLast, readDataStart, readExemplars, readPeriod, rowAt, valueAt, type BucketTable, type ReadSpec } from './source';
import { CONSULTATIONS_HAVE_NO_GROUP, DemandInputError, type DemandDimension, type DemandKey, type DemandMetrics, type DemandRankingInput, type DemandRankingResult, type DemandRow, type DemandWeight } from './types';

const DIMENSIONS: readonly DemandDimension[] = ['CATEGORY', 'SERVICE_ITEM', 'COMMUNITY', 'GRID', 'RESIDENT_GROUP'];
/** The metrics TOPSIS weighs; `benefit: false` means smaller is more pressing. */
export const CRITERIA = [
  { metric: 'volume', benefit: true },
  { metric: 'smoothedRatePer10k', benefit: true },
  { metric: 'trendZ', benefit: true },
  { metric: 'surgeZ', benefit: true },
  { metric: 'recurrence', benefit: true },
  { metric: 'backlogOpen', benefit: true },
  { metric: 'backlogP90AgeDays', benefit: true },
  { metric: 'resolutionGap', benefit: true },
  { metric: 'satisfactionGap', benefit: true },
  { metric: 'timelinessP90Hours', benefit: true },
  { metric: 'onTimeShare', benefit: false },
  { metric: 'vulnerableShare', benefit: true },
  { metric: 'spread', benefit: true },
] as const satisfies readonly { metric: keyof DemandMetrics; benefit: boolean }[];
/** A metric TOPSIS weighs: the names a policy weight may give (the API's DemandRankingMetric enum). */
export type RankingMetric = (typeof CRITERIA)[number]['metric'];
export const POLICY_METRICS: readonly string[] = CRITERIA.map((c) => c.metric);
/** Each used weight is at most this (the excess goes to the others). */
export const MAX_WEIGHT = 0.3;
/** Share of the blend given to policy weights when any are set. */
export const POLICY_SHARE = 0.5;
export const TOPIC = { topRank: 5, presence: 0.3, trendZ: 1.96, persistentMonths: 3 };
const BACKLOG_LOOKBACK_DAYS = 365;
const EVIDENCE_DAYS = 14;
/** The groups VULNERABLE_MASK marks (the roll-ups' `vulnerable` column): a group cell's share is 1 or 0. */
const VULNERABLE_GROUPS = new Set(GROUP_COLUMNS.filter(([, bit]) => (bit & VULNERABLE_MASK) !== 0).map(([, , group]) => group));
const MAX_PERIOD_DAYS = 3660;
/**
 * Fewest covered days (coverageOf) a baseline needs for a surge, or all of its days when it is
 * shorter. Its rate per day is scaled to the period, and a few days cannot hold the week's rhythm:
 * 3 days from a Saturday hold one working day of a one-window counter (under half a week's share of
 * working days), 5 hold at least 3 (within a sixth of it).
 */
export const MIN_SURGE_BASELINE_DAYS = 5;

function validate(input: DemandRankingInput): void {
  if (!isDay(input.from)) throw new DemandInputError('from', 'must be a day, YYYY-MM-DD');
  if (!isDay(input.to)) throw new DemandInputError('to', 'must be a day, YYYY-MM-DD');
  if (input.to < input.from) throw new DemandInputError('to', `must not be before ${input.from}`);
  if (daysInclusive(input.from, input.to) > MAX_PERIOD_DAYS) throw new DemandInputError('to', `a period is at most ${MAX_PERIOD_DAYS} days`);
  if ((input.baselineFrom === undefined) !== (input.baselineTo === undefined)) throw new DemandInputError('baselineFrom', 'give both baselineFrom and baselineTo, or neither');
  if (input.baselineKind !== undefined && input.baselineFrom !== undefined) throw new DemandInputError('baseline', 'give baseline or baselineFrom/baselineTo, not both');
  if (input.baselineFrom !== undefined) {
    if (!isDay(input.baselineFrom)) throw new DemandInputError('baselineFrom', 'must be a day, YYYY-MM-DD');
    if (!isDay(input.baselineTo!)) throw new DemandInputError('baselineTo', 'must be a day, YYYY-MM-DD');
    if (input.baselineTo! < input.baselineFrom) throw new DemandInputError('baselineTo', `must not be before ${input.baselineFrom}`);
  }
  const dims = input.groupBy;
  if (dims.length < 1 || dims.length > 2) throw new DemandInputError('groupBy', 'give 1 or 2 dimensions');
  if (new Set(dims).size !== dims.length) throw new DemandInputError('groupBy', 'a dimension appears twice');
  for (const d of dims) if (!DIMENSIONS.includes(d)) throw new DemandInputError('groupBy', `unknown dimension ${d}`);
  const has = (d: DemandDimension) => dims.includes(d);
  if (has('CATEGORY') && has('SERVICE_ITEM')) throw new DemandInputError('groupBy', 'a service item lies inside one category: pick CATEGORY or SERVICE_ITEM');
  if (has('COMMUNITY') && has('GRID')) throw new DemandInputError('groupBy', 'a grid lies inside one community: pick COMMUNITY or GRID');
  if (has('GRID') && (has('SERVICE_ITEM') || has('RESIDENT_GROUP'))) throw new DemandInputError('groupBy', 'grid roll-ups keep categories only: GRID pairs with CATEGORY');
  if (has('RESIDENT_GROUP') && input.includeConsultations) throw new DemandInputError('includeConsultations', CONSULTATIONS_HAVE_NO_GROUP);
  if (has('SERVICE_ITEM') && input.sources === 'REQUESTS') throw new DemandInputError('sources', 'requests have no service item: use CATEGORY, or sources SERVICE_RECORDS');
  if (!(input.minSupport >= 0)) throw new DemandInputError('minSupport', 'must be ≥ 0');
  if (!input.allRows && !(input.topN >= 1 && input.topN <= 100)) throw new DemandInputError('topN', 'must be 1-100');
  for (const [metric, weight] of Object.entries(input.policyWeights ?? {})) {
    if (!POLICY_METRICS.includes(metric)) throw new DemandInputError('policyWeights', `unknown metric ${metric}; one of ${POLICY_METRICS.join(', ')}`);
    if (!(typeof weight === 'number' && weight >= 0 && weight <= 10)) throw new DemandInputError('policyWeights', `${metric}: a weight is 0-10`);
  }
}

/** Why a cell is not ranked: no demand at all (it has consultations only), or fewer than minSupport. */
function belowSupportReason(cell: Cell, input: DemandRankingInput): string {
  if (cell.volume === 0) return cell.consultations > 0 ? `no demand in the period (${cell.consultations} consultations, not counted)` : 'no demand in the period';
  return `volume ${cell.volume} < minSupport ${input.minSupport}`;
}

/**
 * The criterion a ranking leaves out: by area, volume (areas differ in size: their smoothed rates
 * per 10k residents compare them); without one, the rate (every cell has the same residents, so
 * the rate orders them as volume does).
 */
const leftOutCriterion = (areaDim: boolean): keyof DemandMetrics => (areaDim ? 'volume' : 'smoothedRatePer10k');

/**
 * The baseline: given by its days, or by its kind, else 364 days earlier (same weekdays, same
 * season) when the scope's data reach back, else the days just before.
 */
function baselineOf(input: DemandRankingInput, dataFirst: string | null): Omit<DemandRankingResult['baseline'], 'coveredDays'> {
  if (input.baselineFrom && input.baselineTo) return { from: input.baselineFrom, to: input.baselineTo, days: daysInclusive(input.baselineFrom, input.baselineTo), kind: 'GIVEN' };
  const days = daysInclusive(input.from, input.to);
  const lastYear = addDays(input.from, -364);
  const kind = input.baselineKind ?? (dataFirst !== null && dataFirst <= lastYear ? 'SAME_PERIOD_LAST_YEAR' : 'PREVIOUS_PERIOD');
  if (kind === 'SAME_PERIOD_LAST_YEAR') return { from: lastYear, to: addDays(input.to, -364), days, kind };
  return { from: addDays(input.from, -days), to: addDays(input.from, -1), days, kind };
}

interface Cell {
  id: string;
  key: DemandKey;
  /** Summed roll-up columns over the period (non-group cells). */
  sums: Record<string, number | null>;
  volume: number;
  demands: number;
  consultations: number;
  baselineVolume: number;
  /** Volume per unit (community or grid) in the period. */
  perUnit: Map<number, number>;
  /** Normalised monthly volumes (oldest first) for the trend. */
  monthly: Map<string, number>;
  /** Open demands by age bucket: [age in days, count]. */
  open: [number, number][];
  latest: Date | null;
  evidence: { ref: string; latest: Date }[];
  notes: { metric: string; reason: string }[];
}

const timer = () => {
  const started = performance.now();
  const marks: Record<string, number> = {};
  let last = started;
  return {
    mark(name: string) {
      const now = performance.now();
      marks[name] = Math.round((now - last) * 10) / 10;
      last = now;
    },
    done() {
      marks.total = Math.round((performance.now() - started) * 10) / 10;
      return marks;
    },
  };
};

/** Ranks demand cells; see the module comment and docs/analytics-ranking.md for every formula. */
export async function rankDemand(db: SqlRunner, input: DemandRankingInput): Promise<DemandRankingResult> {
  validate(input);
  const clock = timer();
  const shape = shapeOf(input.groupBy);
  const scope = await resolveScope(db, input.areaPaths, shape.area === 'GRID');
  const mode = readModeFor(scope, shape.what === 'item');
  if (mode === 'ITEM' && scope.unitLevel === 'GRID') throw new DemandInputError('areaId', 'service items are counted per community: pick a community or a wider area');
  if (shape.byGroup && mode === 'GRID') throw new DemandInputError('groupBy', 'resident groups are kept per community: pick a community or a wider area');
  const leftOut = leftOutCriterion(shape.area !== null);
  if (input.policyWeights?.[leftOut] !== undefined) {
    throw new DemandInputError(
      'policyWeights',
      shape.area !== null
        ? 'volume is no criterion when ranking areas (their sizes differ: smoothedRatePer10k compares them); weigh smoothedRatePer10k'
        : 'smoothedRatePer10k is no criterion without an area in groupBy (every cell has the same residents: volume orders them alike); weigh volume',
    );
  }
  const spec = (columns: readonly string[], byUnit: boolean, latest = false): ReadSpec => ({
    mode, what: shape.what, byUnit, unitIds: scope.filter, sources: input.sources, columns: columns.filter((c) => mode !== 'ITEM' || c !== 'latest'), latest,
  });
  // Trend window: the last `trendMonths` months up to the month of `to`; where in it the trend begins
  // is trend.ts's rule (trendBegin, from what readDataStart reads of the scope and the source).
  const trendMonths = Math.min(Math.max(input.trendMonths ?? 36, 4), mode === 'ITEM' ? 12 : 60);
  const lastMonth = monthStart(input.to);
  const firstMonth = addMonths(lastMonth, -(trendMonths - 1));
  // The scope's own data decide whether last year can be the baseline (a community whose data
  // began this year has no last year, whatever the others have), and with the source's city-wide
  // data where the trend begins.
  const [dataLast, dataStart] = await Promise.all([
    readDataLast(db, mode),
    readDataStart(db, spec([], false), firstMonth, input.to, input.includeConsultations, chinaDay(input.now)),
  ]);
  const baseline = baselineOf(input, dataStart.earliest);
  clock.mark('scope');

  const notes: string[] = [];
  const areaDim = shape.area !== null;
  const asOf = chinaDay(input.now) < input.to ? chinaDay(input.now) : input.to;
  // A period running to today is compared with its baseline for the time gone by, not for whole days.
  const elapsed = elapsedDays(input.from, input.to, input.now);
  if (elapsed < daysInclusive(input.from, input.to)) {
    notes.push(`surgeZ: the period runs to today, so its volume is compared with the baseline over the ${round(elapsed, 2)} days gone by, not ${daysInclusive(input.from, input.to)}`);
  }
  const backlogFrom = addDays(input.to, -BACKLOG_LOOKBACK_DAYS + 1);
  const evidenceFrom = addDays(input.to, -EVIDENCE_DAYS + 1) > input.from ? addDays(input.to, -EVIDENCE_DAYS + 1) : input.from;

  // The series need volumes and open counts; per-group columns only when a group is a dimension.
  // (Per community over three years that is 50,000+ rows: every column left out counts.)
  const evidencePerRow = Math.min(Math.max(input.evidencePerRow ?? 5, 0), 20);
  const seriesColumns = shape.byGroup ? SERIES_COLUMNS : ['demands', 'consultations', 'open'];
  // When no record lies after `to` (the usual question: up to the latest data), the month of `to`
  // is its monthly row: the series reads it with the other months, and its days are read only for
  // backlog ages (rows with something open; none for group cells, which keep no backlog).
  const wholeLastMonth = dataLast !== null && dataLast <= input.to;
  const monthsTo = wholeLastMonth ? lastMonth : addMonths(lastMonth, -1);
  // Likewise the period sums: per-group counts for group cells, close-time histograms for the others (which alone have timeliness).
  const periodColumns = shape.byGroup ? [...COUNT_COLUMNS, ...GROUP_COUNT_COLUMNS] : [...COUNT_COLUMNS, ...HISTOGRAM_COLUMNS];
  const baseColumns = shape.byGroup ? ['demands', 'consultations', ...GROUP_COUNT_COLUMNS] : ['demands', 'consultations'];
  // Worked out before the reads start: a throw while the list below is being built would leave
  // the reads already started with nobody to handle their failures.
  const wholeMonths = splitPeriod(input.from, input.to).months;
  // The backlog looks back 365 days; the month that window starts in is read by day (only where
  // something is open), or its days before the window would count too. Group cells keep no backlog.
  // And where the trend window is shorter than that year (service items: 12 months; trendMonths),
  // the whole months before it are read for their open demands alone.
  const backlogMonth = monthStart(backlogFrom);
  const firstWholeBacklogMonth = backlogFrom === backlogMonth ? backlogMonth : addMonths(backlogMonth, 1);
  const readBacklogMonthByDay = !shape.byGroup && backlogFrom !== backlogMonth;
  const readBacklogMonthsBefore = !shape.byGroup && firstWholeBacklogMonth < firstMonth;
  // The trend reads up to the last day that is over (trendEnd): the records of the days after it
  // (today's, still coming in) are read apart and taken out of their month for the trend.
  const trendTo = trendEnd(input.to, chinaDay(input.now));
  const trendToNote = trendEndNote(input.to, trendTo);
  const [period, base, months, current, exemplars, recurrence, backlogDays, backlogMonths, notOver, periodData, baselineData] = await Promise.all([
    readPeriod(db, spec(periodColumns, true, true), input.from, input.to, dataLast),
    readPeriod(db, spec(baseColumns, areaDim), baseline.from, baseline.to),
    // Earlier months from the monthly roll-up; the month of `to` day by day (exact backlog ages, partial month).
    monthsTo >= firstMonth ? readBucketTable(db, spec(seriesColumns, areaDim), firstMonth, monthsTo, 'month') : Promise.resolve(null),
    wholeLastMonth && shape.byGroup ? Promise.resolve(null)
      : readBucketTable(db, { ...spec(seriesColumns, areaDim), openOnly: wholeLastMonth }, lastMonth, input.to, 'day'),
    // Evidence: exemplars of the last 14 days, and of the whole months inside the period (none when none are asked for).
    evidencePerRow === 0 ? Promise.resolve([]) : Promise.all([
      readExemplars(db, spec([], true), evidenceFrom, input.to, false, evidencePerRow),
      wholeMonths ? readExemplars(db, spec([], true), wholeMonths[0], wholeMonths[1], true, evidencePerRow) : Promise.resolve([]),
    ]).then(([a, b]) => [...a, ...b]),
    input.sources === 'SERVICE_RECORDS' || shape.what === 'item' ? Promise.resolve(null) : readRecurrence(db, shape, scope, input.from, input.to),
    readBacklogMonthByDay ? readBucketTable(db, { ...spec(seriesColumns, areaDim), openOnly: true }, backlogFrom, monthEnd(backlogMonth), 'day') : Promise.resolve(null),
    readBacklogMonthsBefore ? readBucketTable(db, { ...spec(seriesColumns, areaDim), openOnly: true }, firstWholeBacklogMonth, addMonths(firstMonth, -1), 'month') : Promise.resolve(null),
    trendTo < input.to ? readBucketTable(db, spec(seriesColumns, areaDim), addDays(trendTo, 1), input.to, 'day') : Promise.resolve(null),
    // Where the period's and the baseline's data begin, and their gaps in collection: the surge's covered days.
    readDataStart(db, spec([], false), input.from, input.to, input.includeConsultations, chinaDay(input.now)),
    readDataStart(db, spec([], false), baseline.from, baseline.to, input.includeConsultations, chinaDay(input.now)),
  ]);
  clock.mark('sql');
  // The surge compares days with data (coverageOf, trend.ts's rule): a day before the data begin
  // or inside a gap in collection is no day of zero demand, in the baseline (read as one, a fall
  // came out as a surge) or in the period. The period counts its days gone by (today's hours so far).
  const periodCoverage = coverageOf(input.from, input.to, chinaDay(input.now), periodData);
  const baselineCoverage = coverageOf(baseline.from, baseline.to, chinaDay(input.now), baselineData);
  // Rounded once, to what the answer shows (period.coveredDays): μ and z then follow from the shown
  // days exactly (computed unrounded, a period running to 10:00 gave μ 344.17 where the shown days gave 344.20).
  const surgeDays = round(Math.max(0, elapsed - (periodCoverage.days - periodCoverage.covered)), 2);
  const baselineDays = baselineCoverage.covered;
  const baselineTooShort = baselineDays < Math.min(MIN_SURGE_BASELINE_DAYS, baseline.days);
  notes.push(...surgeNotes(periodCoverage, baselineCoverage, surgeDays, baselineDays, baselineTooShort));

  // 1. Period cells: sums per cell (danfojs groupby-sum over cell × unit rows), volume per unit.
  const cells = new Map<string, Cell>();
  const newCell = (id: string, key: DemandKey): Cell => ({
    id, key, sums: {}, volume: 0, demands: 0, consultations: 0, baselineVolume: 0, perUnit: new Map(), monthly: new Map(), open: [], latest: null, evidence: [], notes: [],
  });
  const frameRows: Record<string, number | string | null>[] = [];
  let recordsCounted = 0;
  let latestRecordAt: Date | null = null;
  for (const row of period) {
    recordsCounted += (row.values.demands ?? 0) + (input.includeConsultations ? (row.values.consultations ?? 0) : 0);
    if (row.latest && (!latestRecordAt || row.latest > latestRecordAt)) latestRecordAt = row.latest;
    for (const part of explode(shape, scope, row)) {
      let cell = cells.get(part.id);
      if (!cell) cells.set(part.id, (cell = newCell(part.id, part.key)));
      const volume = part.demands + (input.includeConsultations ? part.consultations : 0);
      cell.volume += volume;
      cell.demands += part.demands;
      cell.consultations += part.consultations;
      cell.perUnit.set(row.unit, (cell.perUnit.get(row.unit) ?? 0) + volume);
      if (row.latest && (!cell.latest || row.latest > cell.latest)) cell.latest = row.latest;
      if (!shape.byGroup) frameRows.push({ cell: part.id, ...row.values });
    }
  }
  const summed = groupSum(frameRows, 'cell', periodColumns);
  for (const [id, sums] of summed) cells.get(id)!.sums = sums;
  clock.mark('frames');

  // 2. Baseline volume per cell.
  for (const row of base) for (const part of explode(shape, scope, row)) {
    const cell = cells.get(part.id);
    if (cell) cell.baselineVolume += part.demands + (input.includeConsultations ? part.consultations : 0);
  }

  // 3. Monthly series and open backlog by age.
  // The trend begins at the window's first day when the scope has data before it and collection
  // ran on that day (else where collection resumed), or at the scope's first day with data in the
  // window when it has none before (trendBegin); that month is scaled or left out (trendBuckets).
  const column = (name: string) => seriesColumns.indexOf(name);
  const [DEMANDS, CONSULTATIONS, OPEN] = [column('demands'), column('consultations'), column('open')];
  const dataFirst = trendBegin(firstMonth, dataStart);
  const monthKeys: string[] = [];
  if (dataFirst) for (let m = monthStart(dataFirst); m <= lastMonth; m = addMonths(m, 1)) monthKeys.push(m);
  // Partly covered months (the month of `to`, the month the data begin in, months across a gap in
  // collection) scaled, or left out under 7 days: trend.ts.
  const gaps = gapsWithin(dataStart.gaps, dataFirst, trendTo);
  const trendMonthsUsed = trendBuckets(monthKeys, 'MONTH', firstMonth, trendTo, dataFirst, gaps);
  // Said only when some cell's trend is read (below): a ranking whose cells have too few months has
  // no trend to explain. Gaps are said either way: a gap may be why there are too few months.
  const trendNotes = [
    ...(trendToNote ? [`the trend reads months ${trendToNote}`] : []),
    ...[dataEndNote(trendTo, dataStart.sourceLast, dataStart.sourceAfter)].filter((note): note is string => note !== null).map((note) => `the trend: ${note}`),
  ];
  const gapNotes = gaps.map((gap) => `the trend: ${gapNote(gap, 'MONTH')}`);
  let trendRead = false;
  const usableMonths = trendMonthsUsed.map((b) => monthKeys[b.index]);
  // Without a group dimension an entry's cell depends on its what × unit alone: looked up once per pair.
  const cellOfPair = new Map<number, Map<number, Cell | null>>();
  const cellOf = (what: number, unit: number): Cell | null => {
    let units = cellOfPair.get(what);
    if (!units) cellOfPair.set(what, (units = new Map()));
    let cell = units.get(unit);
    if (cell === undefined) {
      const id = explode(shape, scope, { what, unit, bucket: '', values: {}, latest: null })[0]?.id;
      units.set(unit, (cell = (id === undefined ? null : cells.get(id)) ?? null));
    }
    return cell;
  };
  const add = (cell: Cell, month: string, volume: number) => cell.monthly.set(month, (cell.monthly.get(month) ?? 0) + volume);
  // Per bucket (an offset from the table's first day): its month key, and its backlog age from
  // that offset and month (null: not counted). Both computed once per bucket, not per entry.
  // `sign` -1 takes the rows' volumes out of the series (the days not over), and counts no backlog.
  const addSeries = (t: BucketTable | null, monthOf: (offset: number) => string, age: (offset: number, month: string) => number | null, inSeries: boolean, sign = 1) => {
    if (!t) return;
    const monthOfOffset = new Map<number, string>();
    const ageOfOffset = new Map<number, number | null>();
    for (let i = 0; i < t.size; i++) {
      const offset = t.offset[i];
      let month = monthOfOffset.get(offset);
      if (month === undefined) monthOfOffset.set(offset, (month = monthOf(offset)));
      if (shape.byGroup) {
        if (!inSeries) continue;
        for (const part of explode(shape, scope, rowAt(t, i, month))) {
          const cell = cells.get(part.id);
          if (cell) add(cell, month, sign * (part.demands + (input.includeConsultations ? part.consultations : 0)));
        }
        continue;
      }
      const cell = cellOf(t.what[i], t.unit[i]);
      if (!cell) continue;
      if (inSeries) add(cell, month, sign * (valueAt(t, i, DEMANDS) + (input.includeConsultations ? valueAt(t, i, CONSULTATIONS) : 0)));
      if (sign < 0) continue;
      const open = valueAt(t, i, OPEN);
      if (open > 0) {
        let a = ageOfOffset.get(offset);
        if (a === undefined) ageOfOffset.set(offset, (a = age(offset, month)));
        if (a !== null) cell.open.push([a, open]);
      }
    }
  };
  const asOfN = dayNumber(asOf);
  // Whole months inside the backlog's year only: the part-month it begins in is read by day.
  const monthAge = (bucket: string) => (bucket >= backlogFrom ? Math.max(0, asOfN - dayNumber(addDays(bucket, 14))) : null);
  const dayAge = (table: BucketTable) => (offset: number) => Math.max(0, asOfN - dayNumber(table.from) - offset);
  // (The month of `to`, when read whole, has its backlog ages from its days; so has the month the backlog starts in.)
  if (months) addSeries(months, (offset) => addDays(months.from, offset), (_offset, month) => (month === lastMonth ? null : monthAge(month)), true);
  if (current) addSeries(current, () => lastMonth, dayAge(current), !wholeLastMonth);
  if (backlogDays) addSeries(backlogDays, () => backlogMonth, dayAge(backlogDays), false);
  if (backlogMonths) addSeries(backlogMonths, (offset) => addDays(backlogMonths.from, offset), (_offset, month) => monthAge(month), false);
  if (notOver) addSeries(notOver, (offset) => monthStart(addDays(notOver.from, offset)), () => null, true, -1);
  clock.mark('series');

  // 4. Metrics per cell.
  const pooledResolution = ratio(sumOf(cells, 'finished'), sumOf(cells, 'demands') - sumOf(cells, 'cancelled'));
  const metricsOf = new Map<string, DemandMetrics>();
  const populations = [...cells.values()].map((cell) => populationOf(cell, shape, scope));
  const ratedVolumes = [...cells.values()].map((cell) => rateVolume(cell, scope));
  const eb = ebByPool([...cells.values()], ratedVolumes, populations, shape, areaPopulations(shape, scope));
  const spreadOf = spreadByCell(cells, shape, scope);
  [...cells.values()].forEach((cell, i) => {
    const s = cell.sums;
    const population = populations[i];
    const rated = ratedVolumes[i];
    // Monthly totals, partly covered months scaled to their length (trendBuckets), each at its place (trendValues).
    const series = trendValues(trendMonthsUsed, (index) => cell.monthly.get(monthKeys[index]) ?? 0);
    const trend = trendTest(series, 12);
    if (trend) trendRead = true;
    const surge = baselineTooShort ? null : surgeZ(cell.volume, cell.baselineVolume, surgeDays, baselineDays);
    const hist = HISTOGRAM_COLUMNS.map((c) => s[c]);
    const histOk = !shape.byGroup && hist.every((v) => v !== null && v !== undefined);
    const group = cell.key.residentGroup;
    const quality = !shape.byGroup;
    const note = (metric: string, reason: string) => cell.notes.push({ metric, reason });
    const metrics: DemandMetrics = {
      volume: cell.volume,
      consultations: cell.consultations,
      population,
      ratePer10k: population ? (rated / population) * 1e4 : null,
      // Smoothing borrows strength across areas; a cell that is the whole scope has its own rate.
      smoothedRatePer10k: areaDim ? eb.get(cell.id) ?? null : population ? round((rated / population) * 1e4, 4) : null,
      trendZ: trend ? round(trend.mk.z, 4) : null,
      trendP: trend ? round(trend.mk.p, 4) : null,
      trendMethod: trend ? trend.method : null,
      trendPoints: trendMonthsUsed.length,
      senSlope: trend ? round(trend.senSlope ?? 0, 4) : null,
      surgeZ: surge ? round(surge.z, 4) : null,
      surgeExpected: surge ? round(surge.expected, 2) : null,
      recurrence: recurrence?.get(cell.id) ?? null,
      // Open demands are not kept per resident group: unknown, not 0, for a group's cell.
      backlogOpen: quality ? cell.open.reduce((sum, [, n]) => sum + n, 0) : null,
      backlogP90AgeDays: quality ? weightedQuantile(cell.open.map(([a]) => a), cell.open.map(([, n]) => n), 0.9) : null,
      resolutionGap: quality ? complement(ratio(s.finished, sub(s.demands, s.cancelled))) : null,
      satisfactionGap: quality && available(mode, 'satisfied') ? complement(ratio(s.satisfied, s.satisfaction_count)) : null,
      timelinessP50Hours: histOk ? roundOrNull(histogramQuantile(hist as number[], 0.5), 2) : null,
      timelinessP90Hours: histOk ? roundOrNull(histogramQuantile(hist as number[], 0.9), 2) : null,
      onTimeShare: quality && available(mode, 'on_time') ? ratio(s.on_time, s.timed) : null,
      meanCloseHours: quality ? roundOrNull(ratio(s.close_seconds_sum, s.timed), 0, 1 / 3600) : null,
      // Unknown, not 0, when no demand of the cell names a group: 0 would claim no vulnerable residents.
      vulnerableShare: group ? (group === UNKNOWN_GROUP ? null : VULNERABLE_GROUPS.has(group) ? 1 : 0) : ratio(s.vulnerable, s.with_group),
      spread: spreadOf.get(cell.id) ?? null,
      presence: areaDim ? null : round(cell.perUnit.size && scope.units.size ? [...cell.perUnit.values()].filter((v) => v > 0).length / scope.units.size : 0, 4),
      persistentMonths: null,
    };
    if (metrics.ratePer10k !== null) metrics.ratePer10k = round(metrics.ratePer10k, 4);
    if (population === null && areaDim && metrics.smoothedRatePer10k !== null) note('smoothedRatePer10k', 'no population is recorded for the area: the rate of its pool (r̄) stands in, so the other criteria decide how pressing the cell is');
    if (population === null) note('ratePer10k', 'no population is recorded for the area');
    else if (rated < cell.volume) note('ratePer10k', `${cell.volume - rated} of the ${cell.volume} demands are from areas with no population recorded: the rate counts the other ${rated}, of the residents it is per`);
    if (!trend) note('trendZ', `${trendMonthsUsed.length} monthly points: the trend needs at least ${MIN_TREND_POINTS}`);
    if (!surge) note('surgeZ', surgeNullReason(baselineCoverage, baselineTooShort, periodCoverage, surgeDays));
    if (metrics.recurrence === null) note('recurrence', recurrence === null ? 'computed from requests only (repeats from the same building within 90 days); one-window records keep no address' : 'no request in the cell was located at a building');
    if (shape.byGroup) {
      note('backlogOpen', 'open demands are not kept per resident group; rank by CATEGORY for the backlog');
      note('resolutionGap', 'open, finished, close times and ratings are not kept per resident group; rank by CATEGORY for them');
    }
    else {
      if (!available(mode, 'on_time')) note('onTimeShare', 'service_daily keeps no deadlines: group by CATEGORY for timeliness');
      if (!histOk) note('timelinessP90Hours', mode === 'GRID' ? 'close-time histograms are kept per community, not per grid' : 'close-time histograms are kept per category, not per service item');
      if (metrics.resolutionGap === null) note('resolutionGap', 'no demand in the period');
      if (metrics.satisfactionGap === null) note('satisfactionGap', available(mode, 'satisfied') ? 'no rating in the period' : 'service_daily keeps no satisfied count');
    }
    if (metrics.vulnerableShare === null) note('vulnerableShare', 'no demand in the cell has a known resident group');
    if (metrics.spread === null) note('spread', areaDim ? 'spread is across areas; this cell is one area' : 'no area has demand');
    metricsOf.set(cell.id, metrics);
  });
  if (trendRead) notes.push(...trendNotes);
  notes.push(...gapNotes);
  persistence(cells, metricsOf, usableMonths);
  clock.mark('metrics');

  // 5. Support gate, weights, TOPSIS, rank.
  const all = [...cells.values()];
  const eligible = all.filter((cell) => cell.volume >= input.minSupport && cell.volume > 0);
  const below = all.filter((cell) => !(cell.volume >= input.minSupport && cell.volume > 0));
  const criteria = CRITERIA.filter((c) => c.metric !== leftOutCriterion(areaDim));
  const columns = criteria.map((c) => eligible.map((cell) => metricsOf.get(cell.id)![c.metric] as number | null));
  const usable = columns.map((values) => values.some((v) => v !== null && Number.isFinite(v)));
  // A null is "no evidence of pressure": 0 for benefit criteria (or the least observed, if negative), 1 for on-time share.
  const fallback = criteria.map((c, j) => {
    let f = c.benefit ? 0 : 1;
    for (const x of columns[j]) if (x !== null && Number.isFinite(x)) f = c.benefit ? Math.min(f, x) : Math.max(f, x);
    return f;
  });
  const matrix = eligible.map((_, i) =>
    criteria.map((_c, j) => {
      const v = columns[j][i];
      return v !== null && Number.isFinite(v) ? v : fallback[j];
    }),
  );
  const used = criteria.map((_, j) => usable[j]);
  const sub2 = (row: number[]) => row.filter((_, j) => used[j]);
  const entropy = entropyWeights(matrix.map(sub2), criteria.filter((_, j) => used[j]).map((c) => c.benefit));
  const policy = input.policyWeights && Object.keys(input.policyWeights).length ? criteria.filter((_, j) => used[j]).map((c) => input.policyWeights![c.metric] ?? 0) : null;
  const blended = blendWeights(entropy.weights, policy, POLICY_SHARE, MAX_WEIGHT);
  const policySum = policy ? policy.reduce((s, p) => s + p, 0) : 0;
  const weights: DemandWeight[] = [];
  let k = 0;
  criteria.forEach((c, j) => {
    if (used[j]) {
      weights.push({ metric: c.metric, entropy: round(entropy.weights[k], 6), policy: policy ? (policySum > 0 ? round(policy[k] / policySum, 6) : 0) : null, used: round(blended[k], 6) });
      k++;
    } else weights.push({ metric: c.metric, entropy: null, policy: input.policyWeights?.[c.metric] !== undefined ? 0 : null, used: 0 });
  });
  // Entropy weighs what separates the cells: with nothing to separate there is nothing to weigh.
  if (eligible.length > 0 && blended.every((w) => w === 0)) notes.push('weights: nothing separates the ranked cells (a single cell, or every criterion tied), so every weight is 0 and every score 0.5; policyWeights would still be used');
  const scores = eligible.length ? topsis(matrix.map(sub2), blended, criteria.filter((_, j) => used[j]).map((c) => c.benefit)).closeness : [];
  const labels = await labelsFor(db, all, shape, scope);
  const collator = new Intl.Collator();
  // Last, the cell's key: two communities may share a name, and the order must not be the database's.
  const byKey = (a: Cell, b: Cell) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  const order = eligible.map((cell, i) => ({ cell, score: scores[i] })).sort((a, b) => b.score - a.score || b.cell.volume - a.cell.volume || collator.compare(labels(a.cell), labels(b.cell)) || byKey(a.cell, b.cell));
  clock.mark('rank');

  // 6. Evidence (exemplars of the last days), topic-of-the-month flags, output rows.
  for (const ex of exemplars) {
    for (const part of explode(shape, scope, { what: ex.what, unit: ex.unit, bucket: '', values: Object.fromEntries(GROUPS.map(([c]) => [c, 1])), latest: ex.latest })) {
      cells.get(part.id)?.evidence.push({ ref: ex.exemplar, latest: ex.latest });
    }
  }
  const per = evidencePerRow;
  const toRow = (cell: Cell, score: number, rank: number): DemandRow => {
    const metrics = metricsOf.get(cell.id)!;
    // Newest first, ties as the roll-ups break them (exemplarKey): the longer reference, then the greater by code unit.
    const evidence = [...new Map(cell.evidence.sort((a, b) => b.latest.getTime() - a.latest.getTime() || b.ref.length - a.ref.length || (b.ref > a.ref ? 1 : b.ref < a.ref ? -1 : 0)).map((e) => [e.ref, e])).keys()].slice(0, per).map(evidenceId);
    if (shape.byGroup) cell.notes.push({ metric: 'evidenceIds', reason: 'records of the cell\'s category and area; the group is not kept per exemplar' });
    const ratings = Number(cell.sums.satisfaction_count ?? 0);
    const timed = Number(cell.sums.timed ?? 0);
    return { key: cell.key, label: labels(cell), metrics, score: round(score, 6), rank, topicOfMonth: { flagged: false, reasons: [], missing: [] }, evidenceIds: evidence, notes: cell.notes, ratings, timed, baselineVolume: cell.baselineVolume };
  };
  const ranked = order.map(({ cell, score }, i) => toRow(cell, score, i + 1));
  // Presence counts the scope's units: its grids when the area is a grid's or finer, else its communities.
  const presenceUnits = scope.unitLevel === 'GRID' ? 'grids' : 'communities';
  for (const row of ranked) row.topicOfMonth = topicOfMonth(row, ranked.length, areaDim, pooledResolution, presenceUnits);
  const belowRows = below
    .sort((a, b) => b.volume - a.volume || collator.compare(labels(a), labels(b)) || byKey(a, b))
    .map((cell) => ({ ...toRow(cell, 0, 0), belowSupportReason: belowSupportReason(cell, input), topicOfMonth: { flagged: false, reasons: [], missing: ['below the support gate'] } }));
  if (mode === 'ITEM') notes.push('service items read service_daily: deadlines, close-time histograms and satisfied counts are not kept there, so those metrics are null');
  if (mode === 'GRID') notes.push(GRID_ONLY_RECORDS_NOTE);
  if (shape.byGroup) notes.push('a record with several resident groups counts in each of its groups');
  clock.mark('rows');
  return {
    rows: input.allRows ? ranked : ranked.slice(0, input.topN),
    belowSupport: belowRows,
    weights,
    snapshot: { latestRecordAt, recordsCounted },
    period: { from: input.from, to: input.to, days: daysInclusive(input.from, input.to), coveredDays: surgeDays },
    baseline: { ...baseline, coveredDays: baselineDays },
    rankedCells: ranked.length,
    notes,
    timings: clock.done(),
  };
}

function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
function roundOrNull(x: number | null, digits: number, scale = 1): number | null {
  return x === null ? null : round(x * scale, digits);
}
function ratio(a: number | null | undefined, b: number | null | undefined): number | null {
  if (a === null || a === undefined || b === null || b === undefined || b <= 0) return null;
  return round(a / b, 6);
}
function sub(a: number | null | undefined, b: number | null | undefined): number | null {
  return a === null || a === undefined || b === null || b === undefined ? null : a - b;
}
function complement(x: number | null): number | null {
  return x === null ? null : round(1 - x, 6);
}
function sumOf(cells: Map<string, Cell>, column: string): number {
  let s = 0;
  for (const cell of cells.values()) s += cell.sums[column] ?? 0;
  return s;
}

/** Residents behind a cell: its area's (the units mapped to it), or the whole scope's; only units with a known population (hasPopulation). */
function populationOf(cell: Cell, shape: CellShape, scope: Scope): number | null {
  if (!shape.area) return scope.population;
  const area = shape.area === 'GRID' ? cell.key.gridId : cell.key.communityId;
  let total = 0;
  let known = false;
  for (const unit of scope.units.values()) {
    const mapsTo = shape.area === 'GRID' || scope.unitLevel === 'COMMUNITY' ? unit.id : unit.communityId;
    if (mapsTo === area && hasPopulation(unit)) {
      total += unit.population;
      known = true;
    }
  }
  return known ? total : null;
}

/**
 * The demand a cell's rate counts: that of the units whose residents populationOf counts
 * (hasPopulation), as demandHotspots' rates count. Demand of a community with no population
 * recorded, divided by the others' residents, would raise the rate of every scope holding one.
 */
function rateVolume(cell: Cell, scope: Scope): number {
  let n = 0;
  for (const [unit, volume] of cell.perUnit) if (hasPopulation(scope.units.get(unit))) n += volume;
  return n;
}

/** Residents per area of the cells' area dimension (community or grid) across the scope, where known. */
function areaPopulations(shape: CellShape, scope: Scope): Map<number, number> {
  const out = new Map<number, number>();
  if (!shape.area) return out;
  for (const unit of scope.units.values()) {
    const area = shape.area === 'GRID' || scope.unitLevel === 'COMMUNITY' ? unit.id : unit.communityId;
    if (hasPopulation(unit)) out.set(area, (out.get(area) ?? 0) + unit.population);
  }
  return out;
}

/**
 * EB-smoothed rates per 10k, pooled over cells that share everything but the area (cells without
 * an area dimension are not smoothed: see the metrics).
 * A pool holds every area of the scope: one without a cell had no such demand (0 of its
 * residents), and leaving it out would raise the pooled rate every cell shrinks towards.
 * `counts`: the cells' demand a rate counts (rateVolume).
 */
function ebByPool(cells: Cell[], counts: number[], populations: (number | null)[], shape: CellShape, areas: Map<number, number>): Map<string, number> {
  const pools = new Map<string, number[]>();
  cells.forEach((cell, i) => {
    const pool = shape.area ? `${cell.key.categoryId ?? cell.key.serviceItemId ?? '-'}|${cell.key.residentGroup ?? '-'}` : '*';
    if (!pools.has(pool)) pools.set(pool, []);
    pools.get(pool)!.push(i);
  });
  const areaOfCell = (cell: Cell) => (shape.area === 'GRID' ? cell.key.gridId : cell.key.communityId);
  const out = new Map<string, number>();
  for (const members of pools.values()) {
    const present = new Set(members.map((i) => areaOfCell(cells[i])));
    const absent = [...areas].filter(([area]) => !present.has(area)).map(([, population]) => population);
    const result = empiricalBayesRates(
      [...members.map((i) => counts[i]), ...absent.map(() => 0)],
      [...members.map((i) => populations[i] ?? 0), ...absent],
    );
    if (!result) continue;
    members.forEach((i, j) => {
      // An area with no population recorded has weight 0 (w = d/(d+α) with no residents known): its
      // smoothed rate is the pool's r̄, "as pressing as the average", not null. Null read as 0 ("no
      // pressure") and scored a community's demand as none at all when ranked by area.
      const smoothed = Number.isFinite(result.smoothed[j]) ? result.smoothed[j] : result.pooledRate;
      out.set(cells[i].id, round(smoothed * 1e4, 4));
    });
  }
  return out;
}

/** Spread: share of units where the cell's what (or group) is in the unit's top decile by volume. */
function spreadByCell(cells: Map<string, Cell>, shape: CellShape, scope: Scope): Map<string, number> {
  const out = new Map<string, number>();
  if (shape.area || scope.units.size === 0) return out;
  const byUnit = new Map<number, [string, number][]>();
  for (const cell of cells.values()) for (const [unit, v] of cell.perUnit) if (v > 0) {
    if (!byUnit.has(unit)) byUnit.set(unit, []);
    byUnit.get(unit)!.push([cell.id, v]);
  }
  const top = new Map<string, number>();
  for (const list of byUnit.values()) {
    list.sort((a, b) => b[1] - a[1]);
    const k = Math.max(1, Math.ceil(list.length / 10));
    const threshold = list[k - 1][1];
    for (const [id, v] of list) if (v >= threshold) top.set(id, (top.get(id) ?? 0) + 1);
  }
  for (const cell of cells.values()) out.set(cell.id, round((top.get(cell.id) ?? 0) / scope.units.size, 4));
  return out;
}

/** Months in a row, ending with the last month, in which the cell is among the top 5 by volume. */
function persistence(cells: Map<string, Cell>, metrics: Map<string, DemandMetrics>, months: string[]): void {
  const all = [...cells.values()];
  const streak = new Map<string, number>();
  // Walking back from the last month, only cells still on a streak matter: after a month or two
  // none is left (thousands of cells × 36 months of sorting was 90 ms of a ranking by community).
  let onStreak = all;
  for (let k = months.length - 1; k >= 0 && onStreak.length > 0; k--) {
    const m = months[k];
    // A month left out for a gap in collection (trendBuckets) ends every streak: "months running" are calendar months.
    if (k < months.length - 1 && addMonths(m, 1) !== months[k + 1]) break;
    // Ties with the 5th count as top 5 (so the answer does not depend on row order); with fewer than 5 non-zero cells, all of them are.
    const threshold = kthLargestPositive(all.map((c) => c.monthly.get(m) ?? 0), TOPIC.topRank);
    onStreak = onStreak.filter((c) => {
      const v = c.monthly.get(m) ?? 0;
      return v > 0 && v >= threshold;
    });
    for (const cell of onStreak) streak.set(cell.id, (streak.get(cell.id) ?? 0) + 1);
  }
  for (const cell of all) metrics.get(cell.id)!.persistentMonths = months.length ? (streak.get(cell.id) ?? 0) : null;
}

/**
 * The surge's days in words, for the answer's notes: each of the period and the baseline that
 * leaves days out says which and why, and then μ's arithmetic with the days it used.
 */
function surgeNotes(period: Coverage, baseline: Coverage, periodDays: number, baselineDays: number, tooShort: boolean): string[] {
  const out: string[] = [];
  for (const [name, c] of [['period', period], ['baseline', baseline]] as const) {
    const reasons = uncoveredReasons(c);
    if (reasons.length) out.push(`surgeZ: the ${name} (${c.from} to ${c.end}) has data on ${c.covered} of its ${c.days} days: ${reasons.join('; ')}; those days are not read as zeros`);
  }
  if (out.length && !tooShort && baselineDays > 0) out.push(`surgeZ: μ = baseline volume × ${round(periodDays, 2)} ÷ ${baselineDays} (days with data in the period and in the baseline)`);
  return out;
}

/** Why a cell's surge is null: the baseline too short on data, the period with no day of data, or no baseline record. */
function surgeNullReason(baseline: Coverage, tooShort: boolean, period: Coverage, periodDays: number): string {
  const why = (c: Coverage) => uncoveredReasons(c).join('; ');
  if (tooShort) return `the baseline has data on ${baseline.covered} of its ${baseline.days} days (${why(baseline) || 'not over yet'}): at least ${Math.min(MIN_SURGE_BASELINE_DAYS, baseline.days)} are needed to scale it to the period`;
  if (periodDays <= 0) return period.days === 0 ? 'the period has not begun' : `the period has no day with data (${why(period)})`;
  return 'the baseline period has no records to compare with';
}

/**
 * `value` and the `other` it is compared with, shown with as few decimals (0-4) as let the shown
 * figures compare as the exact ones do: 0.2963 against 0.3 reads "29.6%" and "30.0%", not "30%"
 * beside "≥ 30% needed" while the test failed. `scale` 100 for percentages.
 */
function shownAgainst(value: number, other: number, minDigits: number, scale = 1, unit = ''): [string, string] {
  const exact = Math.sign(value - other);
  for (let digits = minDigits; ; digits++) {
    const [a, b] = [value * scale, other * scale].map((x) => x.toFixed(digits));
    if (Math.sign(Number(a) - Number(b)) === exact || digits >= minDigits + 4) return [`${a}${unit}`, `${b}${unit}`];
  }
}

/**
 * The reason a rising cell gives. The slope with as many decimals as keep it above 0 (shownAgainst):
 * at one, a slope of 0.04 a month read "+0.0" as the reason it rises.
 */
export function risingReason(trendZ: number, trendP: number, senSlope: number): string {
  return `rising: Mann–Kendall z = ${trendZ.toFixed(2)} (p = ${trendP.toFixed(3)}), Sen slope +${shownAgainst(senSlope, 0, 1)[0]} a month`;
}

/** The "topic of the month" test (ANALYTICS.md): every condition must hold; `reasons` lists those that do, `missing` the rest. */
function topicOfMonth(row: DemandRow, rankedCount: number, areaDim: boolean, pooledResolution: number | null, units: 'communities' | 'grids'): DemandRow['topicOfMonth'] {
  const m = row.metrics;
  const reasons: string[] = [];
  const missing: string[] = [];
  (row.rank <= TOPIC.topRank ? reasons : missing).push(`rank ${row.rank} of ${rankedCount} (top ${TOPIC.topRank} needed)`);
  if (areaDim) missing.push('a topic of the month is city-wide: rank without COMMUNITY or GRID');
  else if (m.presence !== null) {
    const [presence, needed] = shownAgainst(m.presence, TOPIC.presence, 0, 100, '%');
    (m.presence >= TOPIC.presence ? reasons : missing).push(`present in ${presence} of ${units} (≥ ${needed} needed)`);
  }
  const rising = m.trendZ !== null && m.trendZ >= TOPIC.trendZ && (m.senSlope ?? 0) > 0;
  const persistent = (m.persistentMonths ?? 0) >= TOPIC.persistentMonths;
  if (rising) reasons.push(risingReason(m.trendZ!, m.trendP!, m.senSlope!));
  if (persistent) reasons.push(`among the top ${TOPIC.topRank} by volume for ${m.persistentMonths} months running`);
  if (!rising && !persistent) {
    const [z, needed] = m.trendZ === null ? ['n/a', String(TOPIC.trendZ)] : shownAgainst(m.trendZ, TOPIC.trendZ, 2);
    missing.push(`neither rising (z = ${z}, ${needed} needed${m.trendZ !== null && m.trendZ >= TOPIC.trendZ ? ', but the Sen slope is not positive' : ''}) nor persistent (${m.persistentMonths ?? 0} months, ${TOPIC.persistentMonths} needed)`);
  }
  const resolved = m.resolutionGap === null ? null : 1 - m.resolutionGap;
  if (resolved === null || pooledResolution === null) missing.push('no resolution rate to compare');
  else {
    const [cell, pooled] = shownAgainst(resolved, pooledResolution, 0, 100, '%');
    (resolved < pooledResolution ? reasons : missing).push(`resolved ${cell} vs ${pooled} across all cells (lower needed)`);
  }
  return { flagged: missing.length === 0, reasons, missing };
}

/** 'S:<source>:<id>' → 'ServiceRecord:<source>:<id>'; 'R:<12 digits>' → the Request's global id (base64url "Request:<id>", the API's encoding). */
export function evidenceId(ref: string): string {
  if (ref.startsWith('R:')) return Buffer.from(`Request:${Number(ref.slice(2))}`, 'utf8').toString('base64url');
  return `ServiceRecord:${ref.slice(2)}`;
}

async function labelsFor(db: SqlRunner, cells: Cell[], shape: CellShape, scope: Scope): Promise<(cell: Cell) => string> {
  const whatIds = [...new Set(cells.map((c) => c.key.categoryId ?? c.key.serviceItemId).filter((v): v is number => v !== undefined))];
  const whatLabels = shape.what ? await readLabels(db, shape.what, whatIds) : new Map<number, string>();
  const areaIds = [...new Set(cells.map((c) => c.key.communityId ?? c.key.gridId).filter((v): v is number => v !== undefined))];
  const areaLabels = new Map<number, string>();
  const missingAreas = areaIds.filter((id) => !(scope.unitLevel === (shape.area ?? '') && scope.units.has(id)));
  for (const id of areaIds) if (scope.units.has(id) && scope.unitLevel === shape.area) areaLabels.set(id, scope.units.get(id)!.label);
  if (missingAreas.length) {
    const { rows } = await db.query(`select id, name from area where id = any($1::int[])`, [missingAreas]);
    for (const row of rows) areaLabels.set(Number(row.id), String(row.name));
  }
  // Built once per cell: the ranking's sort asks for labels tens of thousands of times.
  const built = new Map<Cell, string>();
  return (cell) => {
    let label = built.get(cell);
    if (label === undefined) {
      label =
        [
          cell.key.categoryId !== undefined ? whatLabels.get(cell.key.categoryId) : cell.key.serviceItemId !== undefined ? whatLabels.get(cell.key.serviceItemId) : undefined,
          cell.key.communityId !== undefined ? areaLabels.get(cell.key.communityId) : cell.key.gridId !== undefined ? areaLabels.get(cell.key.gridId) : undefined,
          cell.key.residentGroup,
        ]
          .filter(Boolean)
          .join(' · ') || 'all';
      built.set(cell, label);
    }
    return label;
  };
}
