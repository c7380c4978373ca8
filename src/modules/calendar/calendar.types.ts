import { LocalDateResolver } from 'graphql-scalars';
import { Field, Int, ObjectType } from 'type-graphql';

@ObjectType({ description: 'One China day of the working-day calendar that "N working days" (限时办结) deadlines count.' })
export class WorkCalendarDay {
  @Field(() => LocalDateResolver)
  day!: string;

  @Field({ description: 'Whether government counters work: Monday-Friday less the statutory holidays, plus weekend days worked in lieu.' })
  workday!: boolean;

  @Field(() => String, { nullable: true, description: 'The holiday a day off or a day worked in lieu belongs to (春节, 国庆 …).' })
  holiday!: string | null;

  @Field({ description: 'Set by an administrator (adjustWorkCalendar) rather than taken from the built-in calendar.' })
  adjusted!: boolean;
}

@ObjectType({ description: 'Working days over a span, and how far the holidays are known.' })
export class WorkCalendar {
  @Field(() => Int, { description: 'The last year whose statutory holidays are known (built in, or a day off named 元旦, 春节 … entered by an administrator); later years count Monday-Friday.' })
  holidaysKnownThrough!: number;

  @Field(() => [WorkCalendarDay])
  days!: WorkCalendarDay[];
}

@ObjectType({ description: 'What an adjustment changed.' })
export class WorkCalendarAdjustmentResult {
  @Field(() => Int, { description: 'Days whose working status or holiday changed.' })
  changedDays!: number;

  @Field(() => LocalDateResolver, { nullable: true, description: 'First received day whose on-time counts (deadlines met) were recomputed; null when no working day moved.' })
  recomputedFrom!: string | null;

  @Field(() => LocalDateResolver, { nullable: true, description: 'Last received day recomputed.' })
  recomputedTo!: string | null;

  @Field(() => Int)
  holidaysKnownThrough!: number;

  @Field(() => [WorkCalendarDay], { description: 'The days set or cleared, as they are now, in order.' })
  days!: WorkCalendarDay[];
}
