import { Arg, Ctx, Mutation, Query, Resolver } from 'type-graphql';
import { LocalDateResolver } from 'graphql-scalars';
import type { AppContext } from '../../context/context';
import { AdjustWorkCalendarInput } from './calendar.inputs';
import { calendarService } from './calendar.service';
import { WorkCalendar, WorkCalendarAdjustmentResult } from './calendar.types';

@Resolver()
export class WorkCalendarResolver {
  @Query(() => WorkCalendar, { description: '工作日历: the working days deadlines count, with holidays and days worked in lieu; default this year (China time), at most 400 days.' })
  workCalendar(
    @Arg('from', () => LocalDateResolver, { nullable: true }) from: string | null,
    @Arg('to', () => LocalDateResolver, { nullable: true }) to: string | null,
    @Ctx() ctx: AppContext,
  ) {
    return calendarService.days(ctx, from, to);
  }

  @Mutation(() => WorkCalendarAdjustmentResult, {
    description: 'Set days of the working-day calendar by hand (a year\'s holidays as the State Council announces them, before the built-in data have them), or give them back; on-time counts are recomputed.',
  })
  adjustWorkCalendar(@Arg('input') input: AdjustWorkCalendarInput, @Ctx() ctx: AppContext) {
    return calendarService.adjust(ctx, input);
  }
}
