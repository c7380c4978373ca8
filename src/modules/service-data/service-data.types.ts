import { LocalDateResolver } from 'graphql-scalars';
import { Field, Float, ID, Int, ObjectType } from 'type-graphql';
import { MIN_CELL_RECORDS } from '../../common/disclosure';

// Result types made only of scalars use `simpleResolvers`: GraphQL's default resolver, without
// the per-field middleware (the access guard has nothing to check on a scalar) — a large answer
// has thousands of such fields.

@ObjectType({ simpleResolvers: true, description: 'One group of serviceStats, from the roll-ups only. Counts are null only when suppressed (see suppressed).' })
export class ServiceStatsRow {
  @Field({ description: 'Category/item/community code, resident group, or day (YYYY-MM-DD); TOTAL for the total.' })
  key!: string;

  @Field()
  label!: string;

  // The key is a code, which no other query takes: the id lets a chart's row open the category's series or the community's dashboard.
  @Field(() => ID, { nullable: true, description: 'The row\'s node, to pass to other queries (demandSeries categoryId or cellAreaId, dashboard areaId, node): a RequestCategory (CATEGORY), ServiceItem (ITEM) or Community (COMMUNITY); null by DAY and RESIDENT_GROUP, and on the total.' })
  id!: string | null;

  @Field(() => Int, { nullable: true, description: 'One-window records. Null only when suppressed.' })
  serviceCount!: number | null;

  @Field(() => Int, { nullable: true, description: 'Null only when suppressed.' })
  consultations!: number | null;

  @Field(() => Int, { nullable: true, description: 'Records that are demands (办件), not consultations. Null only when suppressed.' })
  demands!: number | null;

  @Field(() => Int, { nullable: true, description: 'Null only when suppressed.' })
  open!: number | null;

  @Field(() => Int, { nullable: true, description: 'Null only when suppressed.' })
  finished!: number | null;

  @Field(() => Float, { nullable: true, description: 'Mean hours from received to finished, over finished records.' })
  averageCloseHours!: number | null;

  @Field(() => Float, { nullable: true })
  satisfactionAverage!: number | null;

  @Field(() => Int, { nullable: true, description: 'Null only when suppressed.' })
  satisfactionCount!: number | null;

  @Field(() => Int, { nullable: true, description: 'Resident requests (closed-loop) created in the period; 0 when grouped by ITEM. Null only when suppressed.' })
  requestCount!: number | null;

  @Field(() => Int, { nullable: true, description: 'demands + requestCount: what rankings sort by. Null only when suppressed.' })
  demandTotal!: number | null;

  @Field({ description: `For a portal: true when some count of it is null ("fewer than ${MIN_CELL_RECORDS}"). A row of 1-${MIN_CELL_RECORDS - 1} records (one-window records and requests together), or one suppressed as their complement (the smallest others, until the suppressed rows hold ${MIN_CELL_RECORDS} or more), has every count and average null; each count of the other rows is judged by the same rule column by column (1-${MIN_CELL_RECORDS - 1} open of 30), and a sum or average drawn from a null count is null; open, finished and the rest (serviceCount less them: cancelled) are null together, as any two give the third back. On the total, a count is null when it is 1-${MIN_CELL_RECORDS - 1}, or when the rows overlap by 1-${MIN_CELL_RECORDS - 1} (by RESIDENT_GROUP a record of several groups counts in each of their rows, once in the total) or the total less the rows shown is 1-${MIN_CELL_RECORDS - 1}, with what is drawn from it. 0 stays 0; staff and analysts read exact counts.` })
  suppressed!: boolean;
}

@ObjectType()
export class ServiceStats {
  @Field(() => LocalDateResolver, { description: 'First day counted (China time): `from`, or where `lastDays` begins.' })
  from!: string;

  @Field(() => LocalDateResolver, { description: 'Last day counted (China time), inclusive.' })
  to!: string;

  @Field(() => ServiceStatsRow, { description: `The whole area and period. For viewers who may not see personal data (portals, analysts), its satisfactionAverage / averageCloseHours are null when the rows that hide theirs hold 1-${MIN_CELL_RECORDS - 1} ratings / finished records together: the total less the rows shown would give them.` })
  total!: ServiceStatsRow;

  @Field(() => [ServiceStatsRow], { description: 'By demandTotal, highest first. DAY: every day of the period, oldest first, a day with nothing counted as zeros (for a line chart).' })
  rows!: ServiceStatsRow[];
}
