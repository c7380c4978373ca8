import { DateTimeISOResolver } from 'graphql-scalars';
import { ArrayMaxSize, IsInt, IsOptional, IsPositive, Matches, Max, Min, ValidateNested } from 'class-validator';
import { MaxChars } from '../../common/validators';
import { ArgsType, Field, Float, InputType, Int } from 'type-graphql';
import { IdInput, TextInput } from '../../common/input-fields';
import { IsWholeFen } from '../../common/validators';
import { ConnectionArgs } from '../../common/pagination';
import { ListItemKind, ListItemStatus, ResourceType } from './list.entity';
import { PERIOD_PATTERN } from './list.rules';

const MAX_QUANTITY = 1e9;
const MAX_VALUE = 1e10;

// ---------------------------------------------------------------------------
// Problem lists
// ---------------------------------------------------------------------------

@InputType()
export class ProblemListFilter {
  @IdInput({ nullable: true })
  communityId?: string;

  @IdInput({ nullable: true, description: 'Only lists of communities inside this area (any level).' })
  within?: string;

  @Field(() => String, { nullable: true, description: 'Exactly this period label, e.g. 2026-Q4.' })
  @IsOptional()
  @MaxChars(10)
  period?: string;
}

@ArgsType()
export class ProblemListListArgs extends ConnectionArgs {
  @Field(() => ProblemListFilter, { nullable: true })
  @IsOptional()
  @ValidateNested()
  filter?: ProblemListFilter;
}

@InputType()
export class CreateProblemListInput {
  @IdInput()
  communityId!: string;

  @Field({ description: 'YYYY-MM (a month), YYYY-Qn (a quarter) or YYYY (a year); the first and last day follow from it.' })
  @Matches(PERIOD_PATTERN, { message: 'must be YYYY-MM, YYYY-Qn or YYYY, e.g. 2026-11, 2026-Q4, 2026' })
  period!: string;

  @TextInput(120, { nullable: true, description: 'Defaults to "<community> <period> 四项清单".' })
  title?: string | null;
}

// ---------------------------------------------------------------------------
// List items
// ---------------------------------------------------------------------------

@ArgsType()
export class ListItemsOfListArgs extends ConnectionArgs {
  @Field(() => [ListItemKind], { nullable: true })
  @IsOptional()
  @ArrayMaxSize(4)
  kinds?: ListItemKind[];
}

@InputType()
export class ListItemFilter {
  @IdInput({ nullable: true })
  listId?: string;

  @Field(() => [ListItemKind], { nullable: true })
  @IsOptional()
  @ArrayMaxSize(4)
  kinds?: ListItemKind[];

  @Field(() => [ListItemStatus], { nullable: true })
  @IsOptional()
  @ArrayMaxSize(4)
  statuses?: ListItemStatus[];

  @IdInput({ nullable: true })
  communityId?: string;

  @IdInput({ nullable: true, description: 'Only items of lists of communities inside this area (any level).' })
  within?: string;

  @IdInput({ nullable: true, description: 'A category; a first-level one includes its children.' })
  categoryId?: string;

  @IdInput({ nullable: true, description: 'The unit offering a RESOURCE item.' })
  unitId?: string;

  @Field(() => String, { nullable: true, description: 'Title or description contains this (Chinese works).' })
  @IsOptional()
  @MaxChars(50)
  search?: string;

  @Field(() => Boolean, { nullable: true, description: 'true: only items past dueAt and not CLOSED; false: only items that are not.' })
  @IsOptional()
  overdue?: boolean;
}

@ArgsType()
export class ListItemListArgs extends ConnectionArgs {
  @Field(() => ListItemFilter, { nullable: true })
  @IsOptional()
  @ValidateNested()
  filter?: ListItemFilter;
}

@InputType()
export class AddListItemInput {
  @IdInput()
  listId!: string;

  @Field(() => ListItemKind)
  kind!: ListItemKind;

  @TextInput(200)
  title!: string;

  @TextInput(4000, { nullable: true })
  description?: string | null;

  @IdInput({ nullable: true, description: 'A request category; a DEMAND drawn from a request takes the request\'s category when omitted.' })
  categoryId?: string | null;

  @IdInput({ nullable: true, description: 'RESOURCE only, and required there: the unit offering it.' })
  unitId?: string | null;

  @Field(() => ResourceType, { nullable: true, description: 'RESOURCE only, and required there.' })
  @IsOptional()
  resourceType?: ResourceType | null;

  @Field(() => Float, { nullable: true, description: 'How much is offered (RESOURCE) or needed; a RESOURCE without one is not metered, except MONEY: cash is counted in yuan, its value when no quantity is given (one of them is required).' })
  @IsOptional()
  @IsPositive()
  @Max(MAX_QUANTITY)
  quantity?: number | null;

  @Field(() => Float, { nullable: true, description: 'Value in yuan, in whole fen (at most 2 decimals).' })
  @IsOptional()
  @Min(0)
  @IsWholeFen()
  @Max(MAX_VALUE)
  value?: number | null;

  @IdInput({ nullable: true, description: 'DEMAND only: the resident request it was drawn from (located in the list\'s community).' })
  sourceRequestId?: string | null;

  @Field(() => DateTimeISOResolver, { nullable: true, description: 'PROBLEM only: when it must be solved.' })
  @IsOptional()
  dueAt?: Date | null;
}

@InputType({ description: 'Only the fields given change; null clears an optional field. Kind, list, unit and source request do not change.' })
export class UpdateListItemInput {
  @TextInput(200, { nullable: true })
  title?: string | null;

  @TextInput(4000, { nullable: true })
  description?: string | null;

  @IdInput({ nullable: true })
  categoryId?: string | null;

  @Field(() => ResourceType, { nullable: true, description: 'RESOURCE only. Not changed while claims or projects hold part of the resource (they count its unit); a resource with a quantity changes kind only with its quantity given again.' })
  @IsOptional()
  resourceType?: ResourceType | null;

  @Field(() => Float, { nullable: true, description: 'For a RESOURCE, not below what claims and projects already use, nor cleared (unmetered) while they hold part of it; MONEY stays metered (null falls back to its value), and cash whose quantity was its value follows a corrected value.' })
  @IsOptional()
  @IsPositive()
  @Max(MAX_QUANTITY)
  quantity?: number | null;

  @Field(() => Float, { nullable: true, description: 'Value in yuan, in whole fen (at most 2 decimals).' })
  @IsOptional()
  @Min(0)
  @IsWholeFen()
  @Max(MAX_VALUE)
  value?: number | null;

  @Field(() => DateTimeISOResolver, { nullable: true, description: 'PROBLEM only.' })
  @IsOptional()
  dueAt?: Date | null;
}

@ArgsType()
export class CloseProblemArgs {
  @IdInput({ description: 'A PROBLEM item.' })
  id!: string;

  @TextInput(2000, { description: 'How it was solved (销号说明); appended to the description.' })
  note!: string;
}

// ---------------------------------------------------------------------------
// Claims
// ---------------------------------------------------------------------------

@InputType()
export class ClaimListItemInput {
  @IdInput({ description: 'An OPEN SERVICE or DEMAND item.' })
  itemId!: string;

  @IdInput({ description: 'The claiming unit.' })
  unitId!: string;

  @IdInput({ nullable: true, description: 'One of the unit\'s RESOURCE items the claim draws on.' })
  resourceId?: string | null;

  @Field(() => Float, { nullable: true, description: 'How much of the resource the claim uses; required for a metered resource, at most what is left.' })
  @IsOptional()
  @IsPositive()
  @Max(MAX_QUANTITY)
  quantity?: number | null;

  @IdInput({ nullable: true, description: 'The member who carries it out (works at the unit); earns points when confirmed.' })
  personId?: string | null;

  @TextInput(2000, { nullable: true })
  note?: string | null;
}

@ArgsType()
export class CancelClaimArgs {
  @IdInput()
  id!: string;

  @TextInput(2000, { description: 'Why the claim is cancelled; kept on the claim\'s note.' })
  reason!: string;
}

@ArgsType()
export class ResourceMatchArgs {
  @IdInput({ description: 'A SERVICE, DEMAND or PROBLEM item with a category.' })
  itemId!: string;

  @Field(() => Int, { defaultValue: 10, description: 'How many suggestions, best first (1-100).' })
  @IsInt()
  @Min(1)
  @Max(100)
  first: number = 10;
}

