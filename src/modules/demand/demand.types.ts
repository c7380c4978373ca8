import { DateTimeISOResolver, LocalDateResolver } from 'graphql-scalars';
import { Field, Float, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { HOTSPOT, TREND_METHODS, type DemandKey, type TrendMethod as AnalyticsTrendMethod } from '../../../analytics';
import { MIN_CELL_RECORDS } from '../../common/disclosure';
import { enumOf } from '../../common/enum-of';
import { BaselineKindUsed, DemandRankingMetric, DemandResidentGroup } from './demand.inputs';
import type { RowTextScope } from './residents-say';

// Result types made only of scalars use `simpleResolvers`: GraphQL's default resolver, without
// the per-field middleware (the access guard has nothing to check on a scalar) — a large answer
// has thousands of such fields.

/** analytics' TREND_METHODS (analytics/demand/trend.ts, trendTest), the one list; the same strings as before. */
export const TrendMethod = enumOf<AnalyticsTrendMethod>(TREND_METHODS);
export type TrendMethod = AnalyticsTrendMethod;
registerEnumType(TrendMethod, {
  name: 'TrendMethod',
  description: 'The Mann–Kendall test a trend ran: SEASONAL, per season (12 months, 52 weeks or 7 days), from two full cycles of points; PLAIN, over the points in order (from 4 points).',
  valuesConfig: {
    SEASONAL: { description: 'Seasonal Mann–Kendall, per season (12 months, 52 weeks or 7 days), once two full cycles of points exist.' },
    PLAIN: { description: 'Mann–Kendall over the points in order (from 4 points).' },
  },
});

// DemandResidentGroup lives with the inputs (demandSeries takes it too); re-exported for the rows.
export { DemandResidentGroup };

@ObjectType({ simpleResolvers: true, description: 'Every metric of a demand cell (formulas: README, demand ranking). Null when it cannot be computed; the row\'s notes say why.' })
export class DemandMetricsType {
  @Field(() => Int, { description: 'Demands in the period (plus consultations with includeConsultations).' }) volume!: number;
  @Field(() => Int, { description: 'Consultations (咨询) in the cell and period: never demand, counted apart (in volume only with includeConsultations).' }) consultations!: number;
  @Field(() => Int, { nullable: true, description: 'Residents the rate is per: of the cell\'s area, or of the scope, counting the communities (grids) with a population recorded.' }) population!: number | null;
  @Field(() => Float, { nullable: true, description: 'Demands per 10,000 residents: the demands from the communities (grids) with a population recorded ÷ their residents (`population`) × 10⁴, as demandHotspots counts; demands from areas with none are left out (the row\'s notes say how many). Null for a portal when the demands it counts, or those it leaves out, are 1-4 (rate × population would give them).' }) ratePer10k!: number | null;
  @Field(() => Float, { nullable: true, description: 'Empirical-Bayes smoothed rate per 10,000; without an area dimension the cell\'s own rate, null for a portal as ratePer10k is. By area, null for a portal (with a note) where the pool\'s rate it is drawn towards counts a row withheld or a rate nulled (× the areas\' residents it would give them back), and where that rate stands in for an area with no population.' }) smoothedRatePer10k!: number | null;
  @Field(() => Float, { nullable: true, description: 'Mann–Kendall z of the monthly volumes (seasonal with ≥ 24 months).' }) trendZ!: number | null;
  @Field(() => Float, { nullable: true, description: 'Two-sided p-value of trendZ; null without a trend.' }) trendP!: number | null;
  @Field(() => TrendMethod, { nullable: true, description: 'SEASONAL with ≥ 24 months read, else PLAIN (on the monthly totals); null without a trend.' }) trendMethod!: TrendMethod | null;
  @Field(() => Int, { description: 'Months the trend read (a month a gap in collection left under 7 days is none).' }) trendPoints!: number;
  @Field(() => Float, { nullable: true, description: 'Sen slope: change in monthly volume per month.' }) senSlope!: number | null;
  @Field(() => Float, { nullable: true, description: '(n − μ)/√μ, μ = the baseline\'s volume × period.coveredDays ÷ baseline.coveredDays: days before the data begin and inside gaps in collection are not read as zeros. Null when the baseline has data on fewer than 5 of its days (all of them, if shorter) or no record.' }) surgeZ!: number | null;
  @Field(() => Float, { nullable: true, description: 'μ of surgeZ: the baseline\'s volume scaled to the period by their days with data (coveredDays).' }) surgeExpected!: number | null;
  @Field(() => Float, { nullable: true, description: 'Share of requests repeating one from the same building within 90 days.' }) recurrence!: number | null;
  @Field(() => Int, { nullable: true, description: `Open demands received in the 365 days up to \`to\`; null per resident group (not kept per group: see notes), and for a portal when it is 1-${MIN_CELL_RECORDS - 1} (a count of a few residents' cases: see notes).` }) backlogOpen!: number | null;
  @Field(() => Float, { nullable: true, description: '90th percentile age in days, at `to`, of the open demands backlogOpen counts.' }) backlogP90AgeDays!: number | null;
  @Field(() => Float, { nullable: true, description: '1 − finished / (demands − cancelled).' }) resolutionGap!: number | null;
  @Field(() => Float, { nullable: true, description: '1 − ratings ≥ 4 / ratings.' }) satisfactionGap!: number | null;
  @Field(() => Float, { nullable: true, description: 'Median hours from received to finished, from the close-time histogram (linear inside a bin); none is kept per grid or service item.' }) timelinessP50Hours!: number | null;
  @Field(() => Float, { nullable: true, description: '90th percentile hours from received to finished, as timelinessP50Hours.' }) timelinessP90Hours!: number | null;
  @Field(() => Float, { nullable: true, description: 'Mean hours from received to finished, over the finished demands with a close time.' }) meanCloseHours!: number | null;
  @Field(() => Float, { nullable: true, description: 'Finished within the deadline / finished with a close time.' }) onTimeShare!: number | null;
  @Field(() => Float, { nullable: true, description: 'ELDERLY, CHILDREN, DISABLED, LOW_INCOME / demands with a known group; null when no demand has a known group.' }) vulnerableShare!: number | null;
  @Field(() => Float, { nullable: true, description: 'Share of areas where the cell is in the local top decile.' }) spread!: number | null;
  @Field(() => Float, { nullable: true, description: 'Share (0-1) of the scope\'s communities (grids) with at least one demand in the cell: the topic of the month needs ≥ 0.3. Null when the cell has an area dimension.' }) presence!: number | null;
  @Field(() => Int, { nullable: true, description: 'Calendar months in a row, back from the last month the trend reads, in which the cell was among the top 5 by volume (the topic of the month needs 3); null when the trend reads no month.' }) persistentMonths!: number | null;
}

@ObjectType({ simpleResolvers: true })
export class MetricNote {
  @Field() metric!: string;
  @Field() reason!: string;
}

@ObjectType({ simpleResolvers: true, description: 'Whether the cell is a "topic of the month" candidate: every condition must hold.' })
export class TopicOfMonth {
  @Field() flagged!: boolean;
  @Field(() => [String], { description: 'Conditions that hold, with their numbers.' }) reasons!: string[];
  @Field(() => [String], { description: 'Conditions that do not.' }) missing!: string[];
}

/** One ranked cell (a plain object from analytics; relations resolve through DataLoaders). */
@ObjectType({ description: 'A ranked demand cell.' })
export class DemandRankingRow {
  key!: DemandKey;
  /** Where the row's free text lies (set by the service; read by the residentsSay field). */
  textScope?: RowTextScope;
  @Field(() => ID, { nullable: true }) categoryId?: string | null;
  @Field(() => ID, { nullable: true }) serviceItemId?: string | null;
  @Field(() => ID, { nullable: true }) communityId?: string | null;
  @Field(() => ID, { nullable: true }) gridId?: string | null;
  @Field(() => DemandResidentGroup, { nullable: true, description: 'Set when grouped by RESIDENT_GROUP; UNKNOWN for the demands with no group recorded.' }) residentGroup?: DemandResidentGroup | null;
  @Field() label!: string;
  @Field(() => DemandMetricsType) metrics!: DemandMetricsType;
  @Field(() => Float, { description: 'TOPSIS closeness 0..1.' }) score!: number;
  @Field(() => Int, { description: '1 = most pressing; 0 below support. For a portal, the rows withheld (snapshot.rowsWithheld) leave gaps: the rows shown keep the positions computed over all cells (1, 3, 4 when the second was withheld).' }) rank!: number;
  @Field(() => TopicOfMonth) topicOfMonth!: TopicOfMonth;
  @Field(() => [String], { description: 'Records behind the volume: request global ids (resolvable with node) and ServiceRecord:<source>:<sourceId> references. Demands only, never consultations.' }) evidenceIds!: string[];
  @Field(() => [MetricNote]) notes!: MetricNote[];
  @Field(() => String, { nullable: true }) belowSupportReason?: string | null;
}

@ObjectType({ simpleResolvers: true })
export class DemandWeightType {
  @Field(() => DemandRankingMetric) metric!: DemandRankingMetric;
  @Field(() => Float, { nullable: true, description: 'Entropy weight; null when the metric is null for every row.' }) entropy!: number | null;
  @Field(() => Float, { nullable: true }) policy!: number | null;
  @Field(() => Float, { description: 'The weight TOPSIS used: sums to 1 over metrics, except when nothing separates the ranked cells (a single cell, or every metric tied, with no policy weights): then 0 for all, every score 0.5, and the notes say so.' }) used!: number;
}

@ObjectType({ simpleResolvers: true })
export class DemandSnapshot {
  @Field(() => DateTimeISOResolver, { nullable: true }) latestRecordAt!: Date | null;
  @Field(() => Int, { description: 'Records counted in the period (demands, plus consultations with includeConsultations). For a portal: the records of the rows in this answer (rows and belowSupport, their volumes summed; a record in several resident groups counts in each), so neither the rows withheld nor the cells past topN are in it and it cannot be subtracted back to them.' }) recordsCounted!: number;
  @Field(() => Int, { description: `Rows left out of rows and belowSupport because the viewer is a portal and they hold 1-${MIN_CELL_RECORDS - 1} of something they count (demands, volume, consultations): "fewer than ${MIN_CELL_RECORDS}" describes residents their neighbours can name. 0 for staff and analysts, who read every row.` }) rowsWithheld!: number;
}

@ObjectType({ simpleResolvers: true })
export class DemandPeriod {
  @Field(() => LocalDateResolver) from!: string;
  @Field(() => LocalDateResolver) to!: string;
  @Field(() => Int) days!: number;
  @Field(() => Float, { description: 'The days surgeZ reads: those gone by (a period running to today counts today\'s hours so far), less the days before the data begin and inside gaps in collection (10 or more days with nothing recorded anywhere, same sources), as the trend reads them. The notes name the days left out.' }) coveredDays!: number;
  @Field(() => BaselineKindUsed, { nullable: true, description: 'The baseline\'s kind; null on the period itself.' }) kind?: BaselineKindUsed;
}

@ObjectType({ description: 'Demand cells ranked by TOPSIS, with the weights used and the data snapshot.' })
export class DemandRanking {
  @Field(() => [DemandRankingRow]) rows!: DemandRankingRow[];
  @Field(() => [DemandRankingRow], { description: 'Cells below minSupport, with the reason: listed apart, not ranked.' }) belowSupport!: DemandRankingRow[];
  @Field(() => [DemandWeightType]) weights!: DemandWeightType[];
  @Field(() => DemandSnapshot) snapshot!: DemandSnapshot;
  @Field(() => DemandPeriod) period!: DemandPeriod;
  @Field(() => DemandPeriod) baseline!: DemandPeriod;
  @Field(() => Int, { description: 'Cells ranked before topN.' }) rankedCells!: number;
  @Field(() => [String], { description: 'Notes on the whole answer. Those on the trend (where it ends, where the data end) only when some cell\'s trend is read; each gap in collection always, as it may be why none is.' }) notes!: string[];
}

@ObjectType({ simpleResolvers: true, description: `One point of a series. For a portal, a point of 1-${MIN_CELL_RECORDS - 1} records, or one suppressed as their complement (the smallest others, until the suppressed points hold ${MIN_CELL_RECORDS} or more), has volume, open and finished null and suppressed true ("fewer than ${MIN_CELL_RECORDS}"); open, finished and the rest (volume less them) of the other points are judged by the same rule, each over the points, and are null together (any two give the third back); 0 stays 0. Staff and analysts read exact counts.` })
export class DemandSeriesPointType {
  @Field(() => LocalDateResolver, { description: 'First day of the point; weeks start on Monday.' }) start!: string;
  @Field(() => Int, { description: 'Days of the point inside the period (a first or last week or month may be cut by from/to).' }) days!: number;
  @Field(() => Int, { nullable: true, description: 'Null only when suppressed.' }) volume!: number | null;
  @Field(() => Int, { nullable: true, description: 'Of the demands received in the point, those open as they stand now; null by resident group (not kept per group) and when suppressed.' }) open!: number | null;
  @Field(() => Int, { nullable: true, description: 'Of the demands received in the point, those finished as they stand now; null as open is.' }) finished!: number | null;
  @Field({ description: `True when the viewer is a portal and some count of the point is null (see the type).` }) suppressed!: boolean;
}

@ObjectType({ simpleResolvers: true, description: 'Mann–Kendall trend over the points from dataBegin: where the scope (any category or group) has records before the period, from `from` when the same sources had any record city-wide on it (an empty point is then a real zero), or from the day they had one again after a gap in collection (the points before are no observations); else from the scope\'s first day with data in the period. It ends on `to`, or yesterday when `to` is today or later (a day not over is not read; its records are left out of the trend, not of the points). Inside it, a gap in collection (10 or more days in a row with nothing recorded anywhere, same sources) is not read as zeros: its days are not covered. Partly covered points (at the edges or across a gap) scaled to their full length, or left out when too short (a week under 3 days, a month under 7); one left out between two read is a missing point, the later ones keep their seasons.' })
export class SeriesTrend {
  @Field(() => Float) z!: number;
  @Field(() => Float) p!: number;
  @Field(() => Float, { nullable: true, description: 'Per point, over the scaled volumes the trend read; null for a portal when a point is suppressed (a median of differences between points gives one back).' }) senSlope!: number | null;
  @Field(() => TrendMethod) method!: TrendMethod;
  @Field(() => Int, { description: 'Points the trend read, firstPointUsed to lastPointUsed: all of them but those a gap in collection left too short.' }) pointsUsed!: number;
  @Field(() => LocalDateResolver, { description: 'Start of the first point the trend read.' }) firstPointUsed!: string;
  @Field(() => LocalDateResolver, { description: 'Start of the last point the trend read.' }) lastPointUsed!: string;
  @Field(() => LocalDateResolver, { description: 'Where the trend begins. When the scope has records before the period: the first day from `from` on with any record of the same sources city-wide (`from` itself unless collection had stopped); else the scope\'s first day with data in the period.' }) dataBegin!: string;
  @Field({ description: 'The points read, the gaps in collection, those scaled (days covered of their length) and the minimum days, in words.' }) note!: string;
}

@ObjectType({ simpleResolvers: true, description: 'Days in a row (10 or more) with nothing recorded anywhere in the city from the same sources: no data, not zero demand (an import not made, a system switched over). Shorter empty runs are closures, real zeros.' })
export class CollectionGap {
  @Field(() => LocalDateResolver, { description: 'First empty day.' }) first!: string;
  @Field(() => LocalDateResolver, { description: 'Last empty day.' }) last!: string;
  @Field(() => Int) days!: number;
}

@ObjectType()
export class DemandSeries {
  @Field(() => [DemandSeriesPointType], { description: 'Every bucket of the period, as counted: a bucket across a collection gap holds only its other days\' records (collectionGaps says which days had none to hold).' }) points!: DemandSeriesPointType[];
  @Field(() => Int, { nullable: true, description: `Null for a portal when totalSuppressed.` }) total!: number | null;
  @Field({ description: `True for a portal when the total is 1-${MIN_CELL_RECORDS - 1}: total is null. (The points are suppressed with their complement, so the total less the points shown never gives a small count back.)` }) totalSuppressed!: boolean;
  @Field(() => [CollectionGap], { description: 'The gaps in collection inside the period (up to the last day that is over), oldest first: shade them on a chart. The trend does not read their days as zeros.' }) collectionGaps!: CollectionGap[];
  @Field(() => SeriesTrend, { nullable: true }) trend!: SeriesTrend | null;
}

@ObjectType({ description: `An area of a hot-spot list, highest z first. For a portal, an area of 1-${MIN_CELL_RECORDS - 1} demands, or one suppressed as their complement (the smallest others, until the suppressed areas hold ${MIN_CELL_RECORDS} or more, both in all demands and in those parentRatePer10k counts), has volume, expected, z, ratePer10k, smoothedRateRatio and hot null and suppressed true, and is listed after the areas shown, by label (its place tells no z); expected, z and smoothedRateRatio of every area are null when parentRatePer10k is.` })
export class DemandHotspotType {
  communityKey?: number;
  gridKey?: number;
  @Field(() => ID, { nullable: true }) communityId?: string | null;
  @Field(() => ID, { nullable: true }) gridId?: string | null;
  @Field() label!: string;
  @Field(() => Int, { nullable: true, description: 'Null only when suppressed.' }) volume!: number | null;
  @Field(() => Int, { nullable: true }) population!: number | null;
  @Field(() => Float, { nullable: true }) expected!: number | null;
  @Field(() => Float, { nullable: true, description: 'Poisson z = (n − E)/√E.' }) z!: number | null;
  @Field(() => Float, { nullable: true }) ratePer10k!: number | null;
  @Field(() => Float, { nullable: true }) smoothedRateRatio!: number | null;
  @Field(() => Boolean, { nullable: true, description: `z ≥ ${HOTSPOT.z} and smoothedRateRatio ≥ ${HOTSPOT.ratio}. Null only when suppressed.` }) hot!: boolean | null;
  @Field({ description: `True when the viewer is a portal and the area's volume is null (see the type).` }) suppressed!: boolean;
}

@ObjectType()
export class DemandHotspots {
  @Field(() => Float, { nullable: true, description: `The parent area\'s rate per 10,000: the demands of its communities (grids) with a population recorded ÷ their residents, as demandRanking\'s ratePer10k counts. Null for a portal when the count it gives back, rate × the residents of the areas (Σ expected) less the demands the rate counts in the areas shown (ratePer10k × population), is 1-${MIN_CELL_RECORDS - 1}.` }) parentRatePer10k!: number | null;
  @Field() statistic!: string;
  @Field(() => [DemandHotspotType]) areas!: DemandHotspotType[];
}
