import { ArrayMaxSize, IsInt, IsOptional, Max, Min, ValidateNested } from 'class-validator';
import { DateTimeISOResolver } from 'graphql-scalars';
import { ArgsType, Field, InputType, Int } from 'type-graphql';
import { IdInput, TextInput } from '../../common/input-fields';
import { ConnectionArgs } from '../../common/pagination';
import { IsPeriodMonth } from '../../common/validators';
import { ActivityKind } from './activity.entity';

@InputType()
export class CreateActivityInput {
  @IdInput()
  communityId!: string;

  @IdInput({ nullable: true, description: 'The party organisation running it: in the community, or above it (street, district).' })
  organizerId?: string | null;

  @TextInput(200)
  title!: string;

  @Field(() => ActivityKind)
  kind!: ActivityKind;

  @Field(() => DateTimeISOResolver)
  startsAt!: Date;

  @Field(() => DateTimeISOResolver, { description: 'After startsAt, at most 7 days later, and not yet past.' })
  endsAt!: Date;

  @Field(() => Int, { nullable: true, description: 'Most sign-ups (1-10000); omit for no limit.' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(10_000)
  capacity?: number | null;
}

@InputType()
export class ActivityFilter {
  @IdInput({ nullable: true })
  communityId?: string;

  @IdInput({ nullable: true, description: 'Activities of communities inside this area.' })
  within?: string;

  @Field(() => [ActivityKind], { nullable: true })
  @IsOptional()
  @ArrayMaxSize(10)
  kinds?: ActivityKind[];

  @Field(() => DateTimeISOResolver, { nullable: true, description: 'Starting at or after this time.' })
  @IsOptional()
  from?: Date;

  @Field(() => DateTimeISOResolver, { nullable: true, description: 'Starting before this time.' })
  @IsOptional()
  to?: Date;
}

@ArgsType()
export class ActivityListArgs extends ConnectionArgs {
  @Field(() => ActivityFilter, { nullable: true })
  @IsOptional()
  @ValidateNested()
  filter?: ActivityFilter;
}

@InputType()
export class SignUpForActivityInput {
  @IdInput()
  activityId!: string;

  @IdInput()
  personId!: string;
}

@InputType({ description: '活动记录卡: one card per unit for a month. Give communityId, unitId or both.' })
export class ActivityRecordCardsInput {
  @IdInput({ nullable: true, description: 'Only activities of this community.' })
  communityId?: string | null;

  @IdInput({ nullable: true, description: 'Only this unit\'s card.' })
  unitId?: string | null;

  @Field({ description: 'YYYY-MM (1900-01 to 2999-12); activities starting in that month, China time.' })
  @IsPeriodMonth()
  month!: string;
}
