import { ArrayMaxSize, IsOptional, ValidateNested } from 'class-validator';
import { Field, Float, ID, InputType, Int, registerEnumType } from 'type-graphql';
import { DateInput, IdInput } from '../../common/input-fields';
import { CRITERIA, UNKNOWN_GROUP, type BaselineKindUsed as AnalyticsBaselineKindUsed, type RankingMetric } from '../../../analytics';
import { enumOf } from '../../common/enum-of';
import { RESIDENT_GROUP_VALUES, ResidentGroup } from '../../common/resident-group';

/**
 * A ranked cell's resident group: ResidentGroup's values and analytics' UNKNOWN_GROUP (the demands
 * with no group recorded, a cell of their own). Not ResidentGroup itself: a
 * row holding UNKNOWN would fail to serialise as one; demandSeries takes it as `cellResidentGroup`.
 */
export const DemandResidentGroup = Object.freeze({ ...ResidentGroup, [UNKNOWN_GROUP]: UNKNOWN_GROUP });
export type DemandResidentGroup = ResidentGroup | typeof UNKNOWN_GROUP;
registerEnumType(DemandResidentGroup, {
  name: 'DemandResidentGroup',
  description: 'A ResidentGroup, or UNKNOWN: the demands that record no resident group.',
  valuesConfig: { ...RESIDENT_GROUP_VALUES, [UNKNOWN_GROUP]: { description: 'Demands that record no resident group.' } },
});

export enum DemandDimension {
  CATEGORY = 'CATEGORY',
  SERVICE_ITEM = 'SERVICE_ITEM',
  COMMUNITY = 'COMMUNITY',
  GRID = 'GRID',
  RESIDENT_GROUP = 'RESIDENT_GROUP',
}
registerEnumType(DemandDimension, {
  name: 'DemandDimension',
  description: 'What a ranked cell is: a second-level category, a service item, a community, a grid, a resident group (1 or 2 of these).',
  valuesConfig: {
    CATEGORY: { description: 'A second-level request category; not with SERVICE_ITEM.' },
    SERVICE_ITEM: { description: 'A one-window service item (service records only); not with CATEGORY or GRID.' },
    COMMUNITY: { description: '社区: a community; not with GRID.' },
    GRID: { description: '网格: a grid; pairs only with CATEGORY.' },
    RESIDENT_GROUP: { description: 'A resident group (UNKNOWN: none recorded); not with GRID nor includeConsultations.' },
  },
});

export enum DemandSources {
  SERVICE_RECORDS = 'SERVICE_RECORDS',
  REQUESTS = 'REQUESTS',
  BOTH = 'BOTH',
}
registerEnumType(DemandSources, {
  name: 'DemandSources',
  description: 'One-window service records, resident requests, or both.',
  valuesConfig: {
    SERVICE_RECORDS: { description: '一门式: one-window service records only.' },
    REQUESTS: { description: '群众诉求: resident requests only.' },
    BOTH: { description: 'Service records and requests together; the default.' },
  },
});

export enum BaselineKind {
  SAME_PERIOD_LAST_YEAR = 'SAME_PERIOD_LAST_YEAR',
  PREVIOUS_PERIOD = 'PREVIOUS_PERIOD',
}
/** The values' descriptions, shared with BaselineKindUsed (which adds GIVEN). */
const BASELINE_KIND_VALUES: Readonly<Record<BaselineKind, { description: string }>> = {
  SAME_PERIOD_LAST_YEAR: { description: 'The same days 364 days earlier (same weekdays, same season); the default when the data reach back that far.' },
  PREVIOUS_PERIOD: { description: 'As many days just before the period; the default otherwise.' },
};
registerEnumType(BaselineKind, {
  name: 'BaselineKind',
  description: 'SAME_PERIOD_LAST_YEAR: the same days 364 days earlier (same weekdays); PREVIOUS_PERIOD: the same length just before.',
  valuesConfig: BASELINE_KIND_VALUES,
});

/**
 * The kind of baseline an answer used: a BaselineKind, or GIVEN (its days were given). An enum of
 * its own: GIVEN in BaselineKind would offer the input a value it must refuse (days come as
 * baselineFrom/baselineTo). Checked against analytics' union (rankDemand's baseline.kind).
 */
export const BaselineKindUsed = Object.freeze({ ...BaselineKind, GIVEN: 'GIVEN' } as const satisfies { readonly [K in AnalyticsBaselineKindUsed]: K });
export type BaselineKindUsed = AnalyticsBaselineKindUsed;
registerEnumType(BaselineKindUsed, {
  name: 'BaselineKindUsed',
  description: 'The baseline an answer used: SAME_PERIOD_LAST_YEAR or PREVIOUS_PERIOD (asked for as `baseline`, or chosen), or GIVEN (its days given as baselineFrom/baselineTo).',
  valuesConfig: { ...BASELINE_KIND_VALUES, GIVEN: { description: 'The days given as baselineFrom/baselineTo.' } },
});

export enum SeriesInterval {
  DAY = 'DAY',
  WEEK = 'WEEK',
  MONTH = 'MONTH',
}
registerEnumType(SeriesInterval, {
  name: 'SeriesInterval',
  valuesConfig: {
    DAY: { description: 'One point per day.' },
    WEEK: { description: 'One point per week, from Monday; the default.' },
    MONTH: { description: 'One point per calendar month.' },
  },
});

export enum HotspotLevel {
  COMMUNITY = 'COMMUNITY',
  GRID = 'GRID',
}
registerEnumType(HotspotLevel, {
  name: 'HotspotLevel',
  valuesConfig: {
    COMMUNITY: { description: 'Compare the communities (社区) in scope; the default.' },
    GRID: { description: 'Compare the grids (网格) in scope.' },
  },
});

/**
 * The metrics a ranking weighs, as a GraphQL enum: the names are analytics' CRITERIA metric names
 * (analytics/demand/rank.ts, the one list), unchanged, so a variable that sent `"resolutionGap"`
 * as a string still does.
 */
export const DemandRankingMetric = enumOf<RankingMetric>(CRITERIA.map((c) => c.metric));
export type DemandRankingMetric = RankingMetric;
registerEnumType(DemandRankingMetric, {
  name: 'DemandRankingMetric',
  description: 'A metric the demand ranking weighs (DemandMetricsType has its meaning). volume and smoothedRatePer10k are never both weighed: by area volume is left out, without one smoothedRatePer10k.',
  valuesConfig: {
    volume: { description: 'Demands in the period; weighed only without an area dimension. Higher ranks higher.' },
    smoothedRatePer10k: { description: 'Empirical-Bayes smoothed demands per 10,000 residents; weighed only with an area dimension. Higher ranks higher.' },
    trendZ: { description: 'Mann–Kendall z of the monthly volumes. Rising ranks higher.' },
    surgeZ: { description: 'Surge z against the baseline, (n − μ)/√μ. Higher ranks higher.' },
    recurrence: { description: 'Share of requests repeating one from the same building within 90 days. Higher ranks higher.' },
    backlogOpen: { description: 'Open demands received in the 365 days up to `to`. Higher ranks higher.' },
    backlogP90AgeDays: { description: '90th percentile age in days of those open demands. Older ranks higher.' },
    resolutionGap: { description: '1 − finished / (demands − cancelled). Higher ranks higher.' },
    satisfactionGap: { description: '1 − ratings ≥ 4 / ratings. Higher ranks higher.' },
    timelinessP90Hours: { description: '90th percentile hours from received to finished. Slower ranks higher.' },
    onTimeShare: { description: 'Finished within the deadline / finished with a close time. The one metric where lower ranks higher.' },
    vulnerableShare: { description: 'Share of demands with a known group from ELDERLY, CHILDREN, DISABLED or LOW_INCOME. Higher ranks higher.' },
    spread: { description: 'Share of areas where the cell is in the local top decile. Higher ranks higher.' },
  },
});

@InputType({ description: 'A policy weight for one metric (0-10); blended half-and-half with the entropy weights.' })
export class PolicyWeightInput {
  @Field(() => DemandRankingMetric, { description: 'The metric, e.g. resolutionGap.' })
  metric!: DemandRankingMetric;

  @Field(() => Float)
  weight!: number;
}

/** Period fields every demand view takes. */
@InputType({ description: 'The period, area and sources every demand view takes (its fields appear in each demand input).' })
export class DemandPeriodInput {
  @DateInput({ nullable: true, description: 'First China day, inclusive (with `to`).' })
  from?: string;

  @DateInput({ nullable: true, description: 'Last China day, inclusive.' })
  to?: string;

  @Field(() => Int, { nullable: true, description: 'Instead of from/to: the last N days up to today (China time).' })
  @IsOptional()
  lastDays?: number;

  @IdInput({ nullable: true, description: 'Any area (district … grid; a building is widened to its grid). Default: everything you may see.' })
  areaId?: string;

  @Field(() => DemandSources, { defaultValue: DemandSources.BOTH })
  sources: DemandSources = DemandSources.BOTH;

  @Field({ defaultValue: false, description: 'Count consultations (咨询) in volumes; quality metrics always count demands only.' })
  includeConsultations: boolean = false;
}

@InputType()
export class DemandRankingInput extends DemandPeriodInput {
  @DateInput({ nullable: true, description: 'Baseline first day (with baselineTo).' })
  baselineFrom?: string;

  @DateInput({ nullable: true })
  baselineTo?: string;

  @Field(() => BaselineKind, { nullable: true, description: 'Default: SAME_PERIOD_LAST_YEAR when the data reach back that far, else PREVIOUS_PERIOD.' })
  @IsOptional()
  baseline?: BaselineKind;

  @Field(() => [DemandDimension], { description: '1 or 2 dimensions.' })
  groupBy!: DemandDimension[];

  @Field(() => Int, { defaultValue: 30, description: 'Cells with a smaller volume are listed apart in belowSupport.' })
  minSupport: number = 30;

  @Field(() => [PolicyWeightInput], { nullable: true })
  @IsOptional()
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  policyWeights?: PolicyWeightInput[];

  @Field(() => Int, { defaultValue: 20, description: 'At most 100.' })
  topN: number = 20;
}

/**
 * A demand view's category is a ranking cell's: the records filed under exactly that category, as
 * a ranking row's `categoryId` counts them (so a series adds up to its row). Unlike the `requests`
 * filter, a first-level category does not take in its children: they are cells of their own.
 */
const CELL_CATEGORY = 'A ranking cell\'s category (a row\'s `categoryId`): records filed under exactly this category; a first-level category\'s children are not included (they are cells of their own).';

@InputType()
export class DemandSeriesInput extends DemandPeriodInput {
  @Field(() => ID, { nullable: true, description: CELL_CATEGORY })
  @IsOptional()
  categoryId?: string;

  @Field(() => ID, { nullable: true, description: 'A community or a grid: the row\'s area.' })
  @IsOptional()
  cellAreaId?: string;

  @Field(() => ResidentGroup, { nullable: true })
  @IsOptional()
  residentGroup?: ResidentGroup;

  // A ranking row's residentGroup may be UNKNOWN, which ResidentGroup lacks: the row is charted with this.
  @Field(() => DemandResidentGroup, { nullable: true, description: 'A ranking row\'s `residentGroup` as the row gives it, UNKNOWN included (the demands that record no group); instead of residentGroup.' })
  @IsOptional()
  cellResidentGroup?: DemandResidentGroup;

  @Field(() => SeriesInterval, { defaultValue: SeriesInterval.WEEK })
  interval: SeriesInterval = SeriesInterval.WEEK;
}

@InputType()
export class DemandHotspotsInput extends DemandPeriodInput {
  @Field(() => ID, { description: CELL_CATEGORY })
  categoryId!: string;

  @Field(() => HotspotLevel, { defaultValue: HotspotLevel.COMMUNITY })
  level: HotspotLevel = HotspotLevel.COMMUNITY;

  @Field(() => Int, { defaultValue: 20, description: 'At most 100.' })
  limit: number = 20;
}
