import { ArrayMaxSize, ArrayMinSize, IsOptional, IsPositive, Max, Min, ValidateNested } from 'class-validator';
import { ArgsType, Field, Float, InputType, Int } from 'type-graphql';
import { DateInput, IdInput, IntInput, TextInput, TokenInput } from '../../common/input-fields';
import { IsWholeFen } from '../../common/validators';
import { ConnectionArgs } from '../../common/pagination';
import { ResidentGroup } from '../../common/resident-group';
import { FundingSourceKind, ProjectStatus } from './project.entity';
import { MAX_BUDGET } from './suggestion.inputs';

@InputType({ description: 'A funding source: its kind, the unit for a UNIT source, and the amount in yuan.' })
export class FundingSourceInput {
  @Field(() => FundingSourceKind)
  kind!: FundingSourceKind;

  @IdInput({ nullable: true, description: 'The unit, for a UNIT source (only then).' })
  unitId?: string | null;

  @Field(() => Float, { description: 'Yuan, more than 0, in whole fen (at most 2 decimals).' })
  @IsPositive()
  @IsWholeFen()
  @Max(MAX_BUDGET)
  amount!: number;

  @TextInput(200, { nullable: true })
  note?: string | null;
}

const Funding = () => (target: object, key: string | symbol) => {
  Field(() => [FundingSourceInput], { nullable: true, description: 'Replaces the sources; they must add up to the budget.' })(target, key);
  IsOptional()(target, key);
  ArrayMinSize(1)(target, key);
  ArrayMaxSize(30)(target, key);
  ValidateNested({ each: true })(target, key);
};

/** Accepting a suggestion and editing a proposal take the same optional budget and groups. */
const OptionalBudget = () => (target: object, key: string | symbol) => {
  Field(() => Float, { nullable: true, description: 'Yuan, more than 0, in whole fen (at most 2 decimals).' })(target, key);
  IsOptional()(target, key);
  IsPositive()(target, key);
  IsWholeFen()(target, key);
  Max(MAX_BUDGET)(target, key);
};

const TargetGroups = () => (target: object, key: string | symbol) => {
  Field(() => [ResidentGroup], { nullable: true })(target, key);
  IsOptional()(target, key);
  ArrayMinSize(1)(target, key);
  ArrayMaxSize(7)(target, key);
};

@InputType({ description: 'Turns a suggestion into a PROPOSED project. Omitted fields come from the suggestion: budget = its gross cost, funding = matched units\' contributions + GOVERNMENT for the net cost.' })
export class AcceptSuggestionInput {
  @TokenInput(20000, { description: 'A `suggestionId` from projectSuggestions (selected or not: the decision is yours). Its query runs again for the instant and period it was computed for, over the areas it ran over (without areaId: all its viewer could see), all of which you must see: FORBIDDEN otherwise. CONFLICT when the data changed since, so that its numbers are no longer the ones shown: run projectSuggestions again.' })
  suggestionId!: string;

  @TextInput(120, { nullable: true, description: 'Default "<community><template>", e.g. 纺织新村社区长者食堂.' })
  name?: string | null;

  @OptionalBudget()
  budget?: number | null;

  @Funding()
  fundingSources?: FundingSourceInput[] | null;

  @TargetGroups()
  targetGroups?: ResidentGroup[] | null;

  @IntInput(0, 10_000_000, { nullable: true })
  expectedBeneficiaries?: number | null;

  @TextInput(2000, { nullable: true, description: 'Goes into the ledger with the PROPOSED step.' })
  note?: string | null;
}

@InputType({ description: 'Changes a PROPOSED project; only the fields given change.' })
export class UpdateLivelihoodProjectInput {
  @TextInput(120, { nullable: true })
  name?: string | null;

  @OptionalBudget()
  budget?: number | null;

  @Funding()
  fundingSources?: FundingSourceInput[] | null;

  @TargetGroups()
  targetGroups?: ResidentGroup[] | null;

  @IntInput(0, 10_000_000, { nullable: true })
  expectedBeneficiaries?: number | null;

  @TextInput(2000, { nullable: true })
  note?: string | null;

  @IntInput(1, 2_147_483_647, { nullable: true, description: 'Refuse (CONFLICT) when the project changed since this version.' })
  expectedVersion?: number | null;
}

@InputType({ description: 'A step of the project: an optional note and the version you acted on.' })
export class ProjectStepInput {
  @TextInput(2000, { nullable: true })
  note?: string | null;

  @IntInput(1, 2_147_483_647, { nullable: true })
  expectedVersion?: number | null;
}

@InputType()
export class CancelProjectInput {
  @TextInput(2000, { description: 'Why it is cancelled.' })
  note!: string;

  @IntInput(1, 2_147_483_647, { nullable: true })
  expectedVersion?: number | null;
}

@InputType()
export class ReportProgressInput {
  @Field(() => Int, { description: 'Percent done, 0-100; never lower than before.' })
  @Min(0)
  @Max(100)
  progress!: number;

  @TextInput(2000, { nullable: true })
  note?: string | null;

  @IntInput(1, 2_147_483_647, { nullable: true })
  expectedVersion?: number | null;
}

@InputType({ description: '验收: the acceptance record.' })
export class RecordAcceptanceInput {
  @DateInput({ nullable: true, description: 'Day of acceptance (default today, China time): not before the project started, not in the future.' })
  acceptedOn?: string | null;

  @IntInput(0, 10_000_000)
  actualBeneficiaries!: number;

  @Field(() => Float, { description: 'Yuan actually spent, in whole fen (at most 2 decimals).' })
  @Min(0)
  @IsWholeFen()
  @Max(MAX_BUDGET)
  actualCost!: number;

  @TextInput(2000, { nullable: true })
  note?: string | null;

  @IntInput(1, 2_147_483_647, { nullable: true })
  expectedVersion?: number | null;
}

@InputType()
export class LivelihoodProjectFilter {
  @IdInput({ nullable: true, description: 'Only projects of communities inside this area (any level).' })
  within?: string | null;

  @IdInput({ nullable: true })
  communityId?: string | null;

  @IdInput({ nullable: true })
  templateId?: string | null;

  @Field(() => [ProjectStatus], { nullable: true })
  @IsOptional()
  @ArrayMaxSize(5)
  statuses?: ProjectStatus[] | null;
}

@ArgsType()
export class LivelihoodProjectListArgs extends ConnectionArgs {
  @Field(() => LivelihoodProjectFilter, { nullable: true })
  @IsOptional()
  @ValidateNested()
  filter?: LivelihoodProjectFilter;
}
