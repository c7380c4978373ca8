import { ArrayMaxSize, IsBoolean, IsOptional, ValidateNested } from 'class-validator';
import { Field, InputType } from 'type-graphql';
import { LocalDateResolver } from 'graphql-scalars';
import { DateInput, TextInput } from '../../common/input-fields';

/** Days one adjustWorkCalendar call may set or clear: a year and its edges. */
export const MAX_ADJUSTED_DAYS = 400;

@InputType({ description: 'One day as the State Council (or the city) announced it.' })
export class WorkCalendarDayInput {
  @DateInput({ description: 'The China day.' })
  day!: string;

  @Field({ description: 'Whether counters work that day: false for a holiday, true for a weekend day worked in lieu (调休上班).' })
  @IsBoolean()
  workday!: boolean;

  @TextInput(20, { nullable: true, description: 'The holiday it belongs to, named as the built-in calendar names them for the statutory ones (元旦, 春节, 清明, 劳动节, 端午, 中秋, 国庆节), or a local closure (台风停工); required for a weekday off or a weekend day worked.' })
  holiday?: string | null;
}

@InputType({ description: 'Days to set by hand, and days to give back to the built-in calendar.' })
export class AdjustWorkCalendarInput {
  @Field(() => [WorkCalendarDayInput], { nullable: true, description: `Days to set (at most ${MAX_ADJUSTED_DAYS}); a day set before is replaced.` })
  @IsOptional()
  @ArrayMaxSize(MAX_ADJUSTED_DAYS)
  @ValidateNested({ each: true })
  set?: WorkCalendarDayInput[] | null;

  @Field(() => [LocalDateResolver], { nullable: true, description: `Days set by hand to go back to the built-in calendar (at most ${MAX_ADJUSTED_DAYS}).` })
  @IsOptional()
  @ArrayMaxSize(MAX_ADJUSTED_DAYS)
  clear?: string[] | null;
}
