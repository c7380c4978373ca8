/** The public shapes of demand ranking, series and hot spots (the contract other code relies on). */

import type { RankingMetric } from './rank';
import type { TrendMethod } from './trend';

export type DemandDimension = 'CATEGORY' | 'SERVICE_ITEM' | 'COMMUNITY' | 'GRID' | 'RESIDENT_GROUP';
export type DemandSources = 'SERVICE_RECORDS' | 'REQUESTS' | 'BOTH';
/** A baseline asked for by kind: the same days 364 days earlier, or the same length just before. */
export type BaselineKindAsked = 'SAME_PERIOD_LAST_YEAR' | 'PREVIOUS_PERIOD';
/** The baseline a ranking used: one of those, or GIVEN (its days given). */
export type BaselineKindUsed = BaselineKindAsked | 'GIVEN';

export interface DemandRankingInput {
  /** YYYY-MM-DD inclusive, China days. */
  from: string;
  to: string;
  /** Default: the same days one year earlier when the data reach back that far, else the same length just before. */
  baselineFrom?: string;
  baselineTo?: string;
  /** A baseline asked for by kind (not with baselineFrom/baselineTo): its days follow from the period, and the answer says the kind. */
  baselineKind?: BaselineKindAsked;
  /** Area path prefixes ('/1/4/'), null = all. A grid's path makes the ranking read the grid roll-ups. */
  areaPaths: string[] | null;
  /** 1 or 2 dimensions. */
  groupBy: DemandDimension[];
  sources: DemandSources;
  includeConsultations: boolean;
  minSupport: number;
  /** Metric name → weight (≥ 0); blended half-and-half with the entropy weights. */
  policyWeights?: Partial<Record<string, number>>;
  topN: number;
  /** Internal callers (project suggestions) take every ranked cell: topN is then ignored. */
  allRows?: boolean;
  now: Date;
  /** Months of history the trend looks at, ending with the month of `to` (default 36). */
  trendMonths?: number;
  /** Evidence record ids per row (default 5, at most 20). */
  evidencePerRow?: number;
}

export interface DemandKey {
  categoryId?: number;
  serviceItemId?: number;
  communityId?: number;
  gridId?: number;
  residentGroup?: string;
}

export interface DemandMetrics {
  /** n: demands (plus consultations when includeConsultations) in the period. */
  volume: number;
  ratePer10k: number | null;
  smoothedRatePer10k: number | null;
  trendZ: number | null;
  senSlope: number | null;
  surgeZ: number | null;
  recurrence: number | null;
  /** Null per resident group: open demands are not kept per group. */
  backlogOpen: number | null;
  backlogP90AgeDays: number | null;
  resolutionGap: number | null;
  satisfactionGap: number | null;
  timelinessP50Hours: number | null;
  timelinessP90Hours: number | null;
  onTimeShare: number | null;
  /** Null when no demand of the cell has a known resident group. */
  vulnerableShare: number | null;
  spread: number | null;
  // Added beyond the contract:
  /** Consultations in the period (counted apart; in volume only with includeConsultations). */
  consultations: number;
  /** Residents the rate is per (the cell's area, or the scope's). */
  population: number | null;
  /** Two-sided p-value of trendZ. */
  trendP: number | null;
  /** SEASONAL (≥ 24 monthly points), PLAIN (Mann–Kendall on the monthly totals in order) or null (trend.ts, trendTest). */
  trendMethod: TrendMethod | null;
  trendPoints: number;
  /** Baseline volume scaled to the period by their days with data (μ of surge z: × period.coveredDays ÷ baseline.coveredDays). */
  surgeExpected: number | null;
  /** Mean hours from receipt to close of finished demands. */
  meanCloseHours: number | null;
  /** Share of the scope's communities with at least one demand of the cell. */
  presence: number | null;
  /** Calendar months in a row, ending with the last month the trend reads, in which the cell ranked in the top 5 by volume (a month left out between two read, for a gap in collection, ends the run; a last month too short to read, the period's first days or a gap, is not counted). */
  persistentMonths: number | null;
}

export interface DemandRow {
  key: DemandKey;
  label: string;
  metrics: DemandMetrics;
  /** TOPSIS closeness 0..1 (0 for rows below support, which are not scored). */
  score: number;
  rank: number;
  topicOfMonth: { flagged: boolean; reasons: string[]; missing: string[] };
  evidenceIds: string[];
  /** Why a metric is null for this row. */
  notes: { metric: string; reason: string }[];
  /** Set on rows below the support gate. */
  belowSupportReason?: string;
  /** Ratings behind satisfactionGap, and finished demands with a close time behind the timeliness metrics (not shown: for the small-cell rule of src/common/disclosure.ts). */
  ratings?: number;
  timed?: number;
  /** The baseline's volume behind surgeExpected (not shown: μ and z give it back, so the small-cell rule judges it). */
  baselineVolume?: number;
}

export interface DemandWeight {
  metric: RankingMetric;
  /** The entropy weight (null when the metric was left out: null for every row). */
  entropy: number | null;
  policy: number | null;
  used: number;
}

export interface DemandRankingResult {
  rows: DemandRow[];
  /** Cells that failed the support gate: listed apart, not dropped. */
  belowSupport: DemandRow[];
  weights: DemandWeight[];
  snapshot: { latestRecordAt: Date | null; recordsCounted: number };
  // Added beyond the contract:
  /** coveredDays: the days surgeZ reads (trend.ts, coverageOf): those gone by (today's hours so far), less the days before the data begin and inside gaps in collection. */
  period: { from: string; to: string; days: number; coveredDays: number };
  /** coveredDays: its days with data (coverageOf): μ = baseline volume × period.coveredDays ÷ baseline.coveredDays. */
  baseline: { from: string; to: string; days: number; coveredDays: number; kind: BaselineKindUsed };
  /** Cells ranked (above support) before topN was applied. */
  rankedCells: number;
  notes: string[];
  /** Milliseconds per step, for benchmarks. */
  timings: Record<string, number>;
}

export type SeriesInterval = 'DAY' | 'WEEK' | 'MONTH';

export interface DemandSeriesInput {
  from: string;
  to: string;
  /** The time the question is asked: the trend reads no day that is not over (trendEnd). */
  now: Date;
  areaPaths: string[] | null;
  key: DemandKey;
  interval: SeriesInterval;
  sources: DemandSources;
  includeConsultations: boolean;
}

export interface DemandSeriesPoint {
  /** First day of the bucket (YYYY-MM-DD); weeks start on Monday. */
  start: string;
  /** Days of the bucket inside [from, to]. */
  days: number;
  volume: number;
  open: number | null;
  finished: number | null;
}

export interface DemandSeriesResult {
  points: DemandSeriesPoint[];
  total: number;
  /** Runs of days inside the period with nothing recorded anywhere in the city (trend.ts, collectionGapsIn): no data, not zero demand. */
  collectionGaps: { first: string; last: string; days: number }[];
  /** Over the points from dataBegin, edge points scaled or left out (trend.ts); null under MIN_TREND_POINTS such points (seasonal from two cycles). */
  trend: DemandSeriesTrend | null;
}

export interface DemandSeriesTrend {
  z: number;
  p: number;
  senSlope: number | null;
  /** As the ranking's trendMethod (trend.ts, trendTest): SEASONAL from two cycles of points, else PLAIN. */
  method: TrendMethod;
  /** How many points the trend read, from firstPointUsed to lastPointUsed: all of them but those a gap in collection left too short (trendBuckets). */
  pointsUsed: number;
  /** Start of the first and of the last point read. */
  firstPointUsed: string;
  lastPointUsed: string;
  /** Where the trend begins (trendBegin): when the scope has records before the period, the first day from `from` on which the source (whole city, same sources) has any (`from` itself unless collection paused); else the scope's first day with data in the period. */
  dataBegin: string;
  /** The above in words, with the points scaled and the minimum days. */
  note: string;
}

export interface DemandHotspotsInput {
  from: string;
  to: string;
  areaPaths: string[] | null;
  categoryId: number;
  /** COMMUNITY or GRID. */
  level: 'COMMUNITY' | 'GRID';
  sources: DemandSources;
  includeConsultations: boolean;
  /** Areas to return, highest z first. */
  limit: number;
}

export interface DemandHotspot {
  communityId?: number;
  gridId?: number;
  label: string;
  volume: number;
  population: number | null;
  /** Expected count if the area had the parent's rate: parent rate × population. */
  expected: number | null;
  /** Poisson z = (n − E)/√E. */
  z: number | null;
  ratePer10k: number | null;
  /** EB-smoothed rate ÷ the parent's rate. */
  smoothedRateRatio: number | null;
  hot: boolean;
}

export interface DemandHotspotsResult {
  parentRatePer10k: number | null;
  statistic: string;
  areas: DemandHotspot[];
}

/**
 * Why includeConsultations cannot go with resident groups: the roll-ups count groups for demands
 * only (the quality columns are demand-only), so the flag would be silently ignored.
 */
export const CONSULTATIONS_HAVE_NO_GROUP = 'resident groups are counted for demands only: leave includeConsultations false when grouping or filtering by resident group';

/** A bad input analytics detects itself; the API turns it into BAD_USER_INPUT naming `field`. */
export class DemandInputError extends Error {
  constructor(readonly field: string, message: string) {
    super(message);
  }
}
