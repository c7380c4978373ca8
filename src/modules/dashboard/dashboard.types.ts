import { DateTimeISOResolver, LocalDateResolver } from 'graphql-scalars';
import { Field, Float, InputType, Int, ObjectType } from 'type-graphql';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { MIN_CELL_RECORDS } from '../../common/disclosure';
import { IdInput } from '../../common/input-fields';
import { IsPeriodMonth } from '../../common/validators';
import { Area, Street } from '../area/area.entity';
import { RequestCategory } from '../category/category.entity';
import { RequestStatus } from '../request/request.entity';

// Result types made only of scalars use `simpleResolvers`: GraphQL's default resolver, without
// the per-field middleware (the access guard has nothing to check on a scalar) — a large answer
// has thousands of such fields.

@ObjectType({ description: 'A count for one category, for charts.' })
export class CategoryCount {
  @Field(() => RequestCategory)
  category!: RequestCategory;

  @Field(() => Int, { nullable: true, description: 'Null only when suppressed.' })
  count!: number | null;

  @Field({ description: `True when the viewer is a portal and this count is null: 1-${MIN_CELL_RECORDS - 1}, or suppressed with such counts as their complement (the smallest others, until the suppressed cells hold ${MIN_CELL_RECORDS} or more: no total less the cells shown gives a small count back). 0 stays 0; staff and analysts read exact counts.` })
  suppressed!: boolean;
}

@ObjectType({ simpleResolvers: true, description: 'A count for one status, for charts.' })
export class StatusCount {
  @Field(() => RequestStatus)
  status!: RequestStatus;

  @Field(() => Int, { nullable: true, description: 'Null only when suppressed.' })
  count!: number | null;

  @Field({ description: `True when the viewer is a portal and this count is null: 1-${MIN_CELL_RECORDS - 1}, or suppressed with such counts as their complement (the smallest others, until the suppressed cells hold ${MIN_CELL_RECORDS} or more: no total less the cells shown gives a small count back); the RESOLVED and CLOSED rows (requestsResolved) and the others are judged apart. 0 stays 0; staff and analysts read exact counts.` })
  suppressed!: boolean;
}

@ObjectType({ simpleResolvers: true, description: 'A count for one China-time day, for charts.' })
export class DayCount {
  @Field(() => LocalDateResolver, { description: 'The day, China time.' })
  day!: string;

  @Field(() => Int, { nullable: true, description: 'Null only when suppressed.' })
  received!: number | null;

  @Field(() => Int, { nullable: true, description: `Of those received that day, how many are resolved or closed now; null for a portal when the day is suppressed, or this count is 1-${MIN_CELL_RECORDS - 1}, or suppressed with such counts as their complement (the smallest others, until the suppressed cells hold ${MIN_CELL_RECORDS} or more: no total less the cells shown gives a small count back).` })
  resolved!: number | null;

  @Field({ description: `True when the viewer is a portal and a count of the day is null: received (then resolved too) when 1-${MIN_CELL_RECORDS - 1}, or suppressed with such counts as their complement (the smallest others, until the suppressed cells hold ${MIN_CELL_RECORDS} or more: no total less the cells shown gives a small count back); resolved alone when it is, judged by the same rule over the days' resolved counts. 0 stays 0; staff and analysts read exact counts.` })
  suppressed!: boolean;
}

/** The figures the articles report, for one area and period. Rates are 0..1, null when there is nothing to divide by. */
@ObjectType({ description: 'The figures the source articles report, for one area (and everything inside it) and period. Requests are counted by when they were received.' })
export class DashboardFigures {
  @Field(() => Area)
  area!: Area;

  @Field(() => DateTimeISOResolver)
  from!: Date;

  @Field(() => DateTimeISOResolver)
  to!: Date;

  @Field(() => Int, { nullable: true, description: `受理: requests received in the period. Null for a portal when suppressed (suppressedFigures): 1-${MIN_CELL_RECORDS - 1}. The breakdowns below suppress their cells with their complement, so it less the cells shown never gives a small count back.` })
  requestsReceived!: number | null;

  @Field(() => Int, { nullable: true, description: 'Of those, resolved or closed out now; null for a portal when suppressed, as requestsReceived (against requestsByDay.resolved and the RESOLVED and CLOSED rows of requestsByStatus).' })
  requestsResolved!: number | null;

  @Field(() => Float, { nullable: true, description: `解决率: resolved / received; null when nothing was received, or for a portal when resolved or received less resolved is 1-${MIN_CELL_RECORDS - 1} (the rate and one count give the other).` })
  resolutionRate!: number | null;

  @Field(() => Float, { nullable: true, description: `按时办结率: resolved by their deadline / resolved; null when none is resolved, or, for viewers who may not see personal data (portals, analysts), when fewer than ${MIN_CELL_RECORDS} are; for a portal also when those on time, or late, are 1-${MIN_CELL_RECORDS - 1}.` })
  onTimeRate!: number | null;

  @Field(() => Float, { nullable: true, description: `Mean rating, 1-5, of those rated; null when none is, or, for viewers who may not see personal data (portals, analysts), when fewer than ${MIN_CELL_RECORDS} are.` })
  averageSatisfaction!: number | null;

  @Field(() => Float, { nullable: true, description: `满意率: rated 4 or 5 / rated; null as averageSatisfaction is, and for a portal when those satisfied, or not, are 1-${MIN_CELL_RECORDS - 1}.` })
  satisfactionRate!: number | null;

  @Field(() => Int, { nullable: true, description: `Requests overdue now, as \`isOverdue\`: past their deadline with the clock running, or suspended already past it. Null for a portal when 1-${MIN_CELL_RECORDS - 1}.` })
  overdueNow!: number | null;

  @Field(() => Int, { description: '吹哨: whistles blown in the period.' })
  whistlesBlown!: number;

  @Field(() => Int, { description: 'Departments called by those whistles.' })
  whistleResponses!: number;

  @Field(() => Float, { nullable: true, description: 'Departments that fed back by their deadline / departments that fed back or are past their deadline (those still within it are not counted yet); null when none is.' })
  whistlesAnsweredOnTimeRate!: number | null;

  @Field(() => Int, { nullable: true, description: `微心愿 fulfilled in the period (residents' wishes). Null for a portal when 1-${MIN_CELL_RECORDS - 1}.` })
  microWishesFulfilled!: number | null;

  @Field(() => Int, { description: 'Service and demand items claimed by units in the period (claims not cancelled).' })
  claimedServiceItems!: number;

  @Field(() => Int, { nullable: true, description: `双报到: people who reported to a community inside the area on a day the period touches (today included), also those whose report has ended since (they moved, retired). Null for a portal when 1-${MIN_CELL_RECORDS - 1}.` })
  membersReported!: number | null;

  @Field(() => [String], { description: `The figures above that are null because the viewer is a portal and they count (or are drawn from) 1-${MIN_CELL_RECORDS - 1} residents' records ("fewer than ${MIN_CELL_RECORDS}"): requestsReceived, requestsResolved, overdueNow, microWishesFulfilled, membersReported, and the rates resolutionRate, onTimeRate, satisfactionRate whose numerator or denominator less it is 1-${MIN_CELL_RECORDS - 1}. Whistles and claims count departments' and units' acts and stay exact. Empty for staff and analysts.` })
  suppressedFigures!: string[];

  @Field(() => [CategoryCount], { description: 'Requests received, by first-level category, largest first.' })
  requestsByCategory!: CategoryCount[];

  @Field(() => [StatusCount], { description: 'Requests received, by current status.' })
  requestsByStatus!: StatusCount[];

  @Field(() => [DayCount], { description: 'Requests received and resolved per China day of the period, oldest first, for a line chart: every day, a day without requests as zeros.' })
  requestsByDay!: DayCount[];
}

@InputType()
export class DashboardInput {
  @IdInput({ description: 'Any area: the figures cover it and everything inside it.' })
  areaId!: string;

  @Field(() => DateTimeISOResolver, { nullable: true, description: 'Start of the period (inclusive); give from and to, or lastDays. For viewers who may not see personal data (portals, analysts), from and to are whole China days (00:00+08:00).' })
  @IsOptional()
  from?: Date | null;

  @Field(() => DateTimeISOResolver, { nullable: true, description: 'End of the period (exclusive).' })
  @IsOptional()
  to?: Date | null;

  @Field(() => Int, { nullable: true, description: 'The last N days up to now, instead of from/to; for viewers who may not see personal data, from the China midnight before (`from` says where).' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(366)
  lastDays?: number | null;
}

@ObjectType({ description: 'One street in the monthly ranking (Beijing-style: response, resolution, satisfaction).' })
export class StreetRankingRow {
  @Field({ description: 'The month ranked, YYYY-MM (China time): the one asked for, or the current one.' })
  month!: string;

  @Field(() => Int, { nullable: true, description: '1 is best; ties share a rank (1, 1, 3); null for a street with no requests that month.' })
  rank!: number | null;

  @Field(() => Street)
  street!: Street;

  @Field(() => Int, { nullable: true, description: 'Null only when suppressed.' })
  requestsReceived!: number | null;

  @Field({ description: `True when the viewer is a portal and the street received 1-${MIN_CELL_RECORDS - 1} requests that month: the count, its rates and score are null ("fewer than ${MIN_CELL_RECORDS}") and it is not ranked.` })
  suppressed!: boolean;

  @Field(() => Float, { nullable: true, description: `响应率: dispatched within 24 h of receipt / received. Null for a portal when those dispatched in time, or the others, are 1-${MIN_CELL_RECORDS - 1} (rate × requestsReceived gives them): then left out of the score.` })
  responseRate!: number | null;

  @Field(() => Float, { nullable: true, description: `解决率: resolved or closed / received. Null for a portal when the resolved, or the others, are 1-${MIN_CELL_RECORDS - 1} (rate × requestsReceived gives them): then left out of the score.` })
  resolutionRate!: number | null;

  @Field(() => Float, { nullable: true, description: `满意率: rated 4-5 / rated. Null for a portal when those satisfied, or not, are 1-${MIN_CELL_RECORDS - 1}: then left out of the score.` })
  satisfactionRate!: number | null;

  @Field(() => Float, { nullable: true, description: 'Weighted score 0-100: response 10%, resolution 45%, satisfaction 45%; a missing rate drops out and the others are re-weighted.' })
  score!: number | null;
}

@InputType()
export class StreetRankingInput {
  @IdInput({ nullable: true, description: "The district; omit for all streets you may compare. A viewer bound to an area ranks its own district's streets only (another district's: FORBIDDEN)." })
  districtId?: string | null;

  @Field(() => String, { nullable: true, description: 'The month, YYYY-MM (China time, 1900-01 to 2999-12); omit for the current month so far.' })
  @IsOptional()
  @IsPeriodMonth()
  month?: string | null;
}

