import { LocalDateResolver } from 'graphql-scalars';
import { Field, Float, Int, ObjectType } from 'type-graphql';
import { MIN_CELL_RECORDS } from '../../common/disclosure';

// Result types made only of scalars use `simpleResolvers`: GraphQL's default resolver, without
// the per-field middleware (the access guard has nothing to check on a scalar) — a large answer
// has thousands of such fields.

@ObjectType({ simpleResolvers: true, description: 'One group of serviceStats, from the roll-ups only.' })
export class ServiceStatsRow {
  @Field({ description: 'Category/item/community code, resident group, or day (YYYY-MM-DD); TOTAL for the total.' })
  key!: string;

  @Field()
  label!: string;

  @Field(() => Int, { description: 'One-window records.' })
  serviceCount!: number;

  @Field(() => Int)
  consultations!: number;

  @Field(() => Int, { description: 'Records that are demands (办件), not consultations.' })
  demands!: number;

  @Field(() => Int)
  open!: number;

  @Field(() => Int)
  finished!: number;

  @Field(() => Float, { nullable: true, description: 'Mean hours from received to finished, over finished records.' })
  averageCloseHours!: number | null;

  @Field(() => Float, { nullable: true })
  satisfactionAverage!: number | null;

  @Field(() => Int)
  satisfactionCount!: number;

  @Field(() => Int, { description: 'Resident requests (closed-loop) created in the period; 0 when grouped by ITEM.' })
  requestCount!: number;

  @Field(() => Int, { description: 'demands + requestCount: what rankings sort by.' })
  demandTotal!: number;
}

@ObjectType()
export class ServiceStats {
  @Field(() => LocalDateResolver, { description: 'First day counted (China time): `from`, or where `lastDays` begins.' })
  from!: string;

  @Field(() => LocalDateResolver, { description: 'Last day counted (China time), inclusive.' })
  to!: string;

  @Field(() => ServiceStatsRow, { description: `The whole area and period. For viewers who may not see personal data (portals, analysts), its satisfactionAverage / averageCloseHours are null when the rows that hide theirs hold 1-${MIN_CELL_RECORDS - 1} ratings / finished records together: the total less the rows shown would give them.` })
  total!: ServiceStatsRow;

  @Field(() => [ServiceStatsRow], { description: 'By demandTotal, highest first (DAY: by day).' })
  rows!: ServiceStatsRow[];
}
