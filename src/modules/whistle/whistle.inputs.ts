import { DateTimeISOResolver } from 'graphql-scalars';
import { ArrayMaxSize, ArrayMinSize, IsInt, IsOptional, Max, Min, ValidateNested } from 'class-validator';
import { ArgsType, Field, ID, InputType, Int } from 'type-graphql';
import { IdInput, TextInput } from '../../common/input-fields';
import { ConnectionArgs } from '../../common/pagination';
import { WhistleResponseStatus } from './whistle.entity';
import { MAX_RECIPIENTS } from './whistle.rules';

@InputType({ description: 'Blow a whistle on a request or on a PROBLEM list item (give exactly one).' })
export class BlowWhistleInput {
  @IdInput({ nullable: true })
  requestId?: string | null;

  @IdInput({ nullable: true, description: 'A PROBLEM item of the four lists.' })
  problemId?: string | null;

  @IdInput({ description: 'The community or street blowing the whistle.' })
  blownById!: string;

  @TextInput(5000, { description: 'The letter (函) to the departments: what is wrong and what is asked of them.' })
  letter!: string;

  @Field(() => [ID], { description: `The departments (units) called, 1-${MAX_RECIPIENTS}.` })
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_RECIPIENTS)
  unitIds!: string[];

  @Field(() => Int, { nullable: true, description: 'Hours to report (default 24).' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(24 * 30)
  reportHours?: number | null;

  @Field(() => Int, { nullable: true, description: 'Hours to feed back (default 72).' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(24 * 90)
  feedbackHours?: number | null;
}

@InputType()
export class WhistleFeedbackInput {
  @TextInput(5000, { description: 'What the department did about it.' })
  feedback!: string;
}

@InputType()
export class WhistleFilter {
  @IdInput({ nullable: true, description: 'Whistles blown by areas inside this area.' })
  within?: string;

  @IdInput({ nullable: true, description: 'Whistles calling this unit.' })
  unitId?: string;

  @IdInput({ nullable: true })
  requestId?: string;

  // The dashboard's whistlesBlown counts a period ([from, to)); its list must be able to as well.
  @Field(() => DateTimeISOResolver, { nullable: true, description: 'Blown at or after (as the dashboard\'s `from`).' })
  @IsOptional()
  blownFrom?: Date;

  @Field(() => DateTimeISOResolver, { nullable: true, description: 'Blown before (as the dashboard\'s `to`, exclusive): with blownFrom, the whistles dashboard.whistlesBlown counts.' })
  @IsOptional()
  blownTo?: Date;

  @Field(() => Boolean, { nullable: true, description: 'true: whistles with at least one department (this unit, with unitId) overdue (its `overdue` field: missed the report or the feedback deadline, done late or not yet); false: the others. To find whom to chase now, use awaitingPastDeadline.' })
  @IsOptional()
  overdue?: boolean;

  @Field(() => Boolean, {
    nullable: true,
    description: 'true: whistles, not stopped, with at least one department (this unit, with unitId) that still owes its report or feedback past the deadline (its `awaitingPastDeadline` field: the ones to chase now; not one that has done its part, though late); false: the others.',
  })
  @IsOptional()
  awaitingPastDeadline?: boolean;
}

@ArgsType()
export class WhistleListArgs extends ConnectionArgs {
  @Field(() => WhistleFilter, { nullable: true })
  @IsOptional()
  @ValidateNested()
  filter?: WhistleFilter;
}

@InputType()
export class WhistleResponseFilter {
  @IdInput({ nullable: true })
  unitId?: string;

  @Field(() => [WhistleResponseStatus], { nullable: true })
  @IsOptional()
  @ArrayMaxSize(3)
  statuses?: WhistleResponseStatus[];

  @Field(() => Boolean, { nullable: true, description: 'true: overdue, as the `overdue` field (missed the report or the feedback deadline: done late, or not yet); false: the others.' })
  @IsOptional()
  overdue?: boolean;

  @Field(() => Boolean, {
    nullable: true,
    description: 'true: to chase now, as the `awaitingPastDeadline` field (still owes its report or feedback past the deadline, the whistle not stopped); false: the others.',
  })
  @IsOptional()
  awaitingPastDeadline?: boolean;
}

@ArgsType()
export class WhistleResponseListArgs extends ConnectionArgs {
  @Field(() => WhistleResponseFilter, { nullable: true })
  @IsOptional()
  @ValidateNested()
  filter?: WhistleResponseFilter;
}
