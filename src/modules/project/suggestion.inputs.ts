import { ArrayMaxSize, IsOptional, IsPositive, Max, Min } from 'class-validator';
import { Field, Float, ID, InputType } from 'type-graphql';
import { MAX_PERIOD_DAYS } from '../../common/dates';
import { DateInput, IdInput, IntInput } from '../../common/input-fields';
import { ResidentGroup } from '../../common/resident-group';

export const MAX_BUDGET = 10_000_000_000;

@InputType({ description: 'What to suggest projects for: a budget, an area and a period, with optional constraints and parameters.' })
export class ProjectSuggestionsInput {
  @Field(() => Float, { description: 'Yuan to spend, more than 0.' })
  @IsPositive()
  @Max(MAX_BUDGET)
  budget!: number;

  @IdInput({ nullable: true, description: 'A district, street or community: its communities are the candidates. Default: everywhere you may see.' })
  areaId?: string | null;

  @DateInput({ nullable: true, description: 'First day of the demand period (China time), inclusive; with `to`.' })
  from?: string | null;

  @DateInput({ nullable: true, description: 'Last day, inclusive.' })
  to?: string | null;

  @IntInput(1, MAX_PERIOD_DAYS, { nullable: true, description: 'Instead of from/to: the last N days up to today.' })
  lastDays?: number | null;

  @Field(() => [ResidentGroup], { nullable: true, description: 'At least one selected project must serve each of these groups.' })
  @IsOptional()
  @ArrayMaxSize(7)
  requiredGroups?: ResidentGroup[] | null;

  @IntInput(1, 100, { nullable: true, description: 'At most this many projects per community.' })
  perCommunityMaxProjects?: number | null;

  @Field(() => Float, { nullable: true, description: 'At most this many yuan (net) per community.' })
  @IsOptional()
  @IsPositive()
  @Max(MAX_BUDGET)
  perCommunityMaxCost?: number | null;

  @Field(() => [ID], { nullable: true, description: 'Only these templates (default: every active one).' })
  @IsOptional()
  @ArrayMaxSize(100)
  allowedTemplateIds?: string[] | null;

  @Field(() => Float, { nullable: true, description: 'β, the extra weight of vulnerable residents\' demand (default 0.5).' })
  @IsOptional()
  @Min(0)
  @Max(10)
  beta?: number | null;

  @Field(() => Float, { nullable: true, description: 'ρ for every template instead of each template\'s own (0-1).' })
  @IsOptional()
  @Min(0.01)
  @Max(1)
  rho?: number | null;
}
