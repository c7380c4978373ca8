import { IsInt, IsOptional, Max, Min, ValidateNested } from 'class-validator';
import { MaxChars } from '../../common/validators';
import { ArgsType, Field, InputType, Int } from 'type-graphql';
import { DateInput, DescriptionInput, IdInput, TextInput } from '../../common/input-fields';
import { ConnectionArgs } from '../../common/pagination';

/** The most members one post takes; beyond that it is a campaign, not a post. */
export const MAX_POST_CAPACITY = 500;

@InputType({ description: '单位报到: a unit registers with a community it serves.' })
export class RegisterUnitInput {
  @IdInput()
  unitId!: string;

  @IdInput()
  communityId!: string;

  @DateInput({ nullable: true, description: 'Defaults to today (China time).' })
  registeredOn?: string | null;
}

@InputType({ description: '在职党员 / 在职非党员 报到: report to the residence community, be placed in a branch or group, and claim a post.' })
export class ReportMemberInput {
  @IdInput()
  personId!: string;

  @IdInput({ description: 'Must be the person\'s residence community.' })
  communityId!: string;

  @IdInput({ description: 'The grid branch (BRANCH) or building group (GROUP) inside that community they join.' })
  organizationId!: string;

  @DateInput({ nullable: true, description: 'Defaults to today (China time). Not in the future, nor before the day their last report ended (one report at a time).' })
  reportedOn?: string | null;

  @IdInput({ description: 'A service post of that community: every reporting member claims at least one.' })
  postId!: string;
}

@InputType()
export class ReportedMemberFilter {
  @IdInput({ nullable: true, description: 'Members reported to this community.' })
  communityId?: string;

  @IdInput({ nullable: true, description: 'Members reported to communities inside this area.' })
  within?: string;

  @IdInput({ nullable: true, description: 'Members placed in this branch or group.' })
  organizationId?: string;

  @IdInput({ nullable: true, description: 'Members employed by this unit.' })
  employerUnitId?: string;

  @DateInput({ nullable: true, description: 'Reported on or after this day.' })
  reportedFrom?: string;

  @DateInput({ nullable: true, description: 'Reported on or before this day.' })
  reportedTo?: string;
}

@ArgsType()
export class ReportedMemberListArgs extends ConnectionArgs {
  @Field(() => ReportedMemberFilter, { nullable: true })
  @IsOptional()
  @ValidateNested()
  filter?: ReportedMemberFilter;
}

@InputType()
export class CreateServicePostInput {
  @IdInput()
  communityId!: string;

  @TextInput(120, { description: 'e.g. 楼栋长, 文明劝导员, 助老志愿者.' })
  title!: string;

  @DescriptionInput(2000, { nullable: true })
  description?: string | null;

  @IdInput({ nullable: true })
  categoryId?: string | null;

  @Field(() => Int, { description: `How many members the post takes (1-${MAX_POST_CAPACITY}).` })
  @IsInt()
  @Min(1)
  @Max(MAX_POST_CAPACITY)
  capacity!: number;
}

@InputType({ description: 'Only the fields given change; null clears an optional field.' })
export class UpdateServicePostInput {
  @TextInput(120, { nullable: true })
  title?: string | null;

  @DescriptionInput(2000, { nullable: true })
  description?: string | null;

  @IdInput({ nullable: true })
  categoryId?: string | null;

  @Field(() => Int, { nullable: true, description: 'Not below the number of active claims.' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(MAX_POST_CAPACITY)
  capacity?: number | null;
}

@InputType()
export class ClaimServicePostInput {
  @IdInput()
  postId!: string;

  @IdInput({ description: 'A member reported to the post\'s community.' })
  personId!: string;
}

@InputType()
export class ServicePostFilter {
  @IdInput({ nullable: true })
  communityId?: string;

  @IdInput({ nullable: true, description: 'Posts of communities inside this area.' })
  within?: string;

  @IdInput({ nullable: true })
  categoryId?: string;

  @Field(() => String, { nullable: true, description: 'Title contains this text.' })
  @IsOptional()
  @MaxChars(50)
  search?: string;
}

@ArgsType()
export class ServicePostListArgs extends ConnectionArgs {
  @Field(() => ServicePostFilter, { nullable: true })
  @IsOptional()
  @ValidateNested()
  filter?: ServicePostFilter;
}
