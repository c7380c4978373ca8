import { ArrayMaxSize, ArrayMinSize, IsOptional, Max, Min, ValidateNested } from 'class-validator';
import { ArgsType, Field, Float, InputType } from 'type-graphql';
import { CodeInput, TextInput } from '../../common/input-fields';
import { IsWholeFen } from '../../common/validators';
import { ConnectionArgs } from '../../common/pagination';
import { ResidentGroup } from '../../common/resident-group';
import { ResourceType } from '../list/list.entity';
import { BeneficiaryRule, ProjectKind } from './project.entity';

@InputType({ description: 'A resource a template needs: kind, how much, and the yuan a matched unit saves.' })
export class ResourceNeedInput {
  @Field(() => ResourceType)
  kind!: ResourceType;

  @Field(() => Float)
  @Min(0.01)
  @Max(1e9)
  quantity!: number;

  @Field(() => Float, { description: 'Yuan per unit; must be 1 for MONEY.' })
  @Min(0)
  @Max(1e6)
  unitValue!: number;

  @TextInput(200, { nullable: true })
  note?: string | null;
}

/** The fields a template has; `create` requires the core ones, `update` changes only those given. */
@InputType()
export class CreateProjectTemplateInput {
  @CodeInput()
  code!: string;

  @TextInput(60, { description: 'Chinese name, e.g. 长者食堂.' })
  name!: string;

  @TextInput(2000, { nullable: true })
  description?: string | null;

  @Field(() => ProjectKind)
  kind!: ProjectKind;

  @Field(() => Float, { description: 'Gross cost in yuan, in whole fen: more than 0 and at most the cap of its kind.' })
  @Min(1)
  @IsWholeFen()
  @Max(1_000_000)
  cost!: number;

  @Field(() => [String], { description: 'Request-category codes (1-20); a first-level code covers its children.' })
  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  categoryCodes!: string[];

  @Field(() => [ResidentGroup])
  @ArrayMinSize(1)
  @ArrayMaxSize(7)
  targetGroups!: ResidentGroup[];

  @Field(() => [ResourceNeedInput], { nullable: true, description: 'At most one need per kind; Σ quantity × unitValue may not exceed the cost.' })
  @IsOptional()
  @ArrayMaxSize(5)
  @ValidateNested({ each: true })
  resourceNeeds?: ResourceNeedInput[] | null;

  @Field(() => Float, { nullable: true, description: 'ρ, 0-1: the share of the covered demand it addresses (default 0.3).' })
  @IsOptional()
  @Min(0.01)
  @Max(1)
  expectedReduction?: number | null;

  @Field(() => BeneficiaryRule, { nullable: true, description: 'Default PER_ADDRESSED_CASE.' })
  @IsOptional()
  beneficiaryRule?: BeneficiaryRule | null;

  @Field(() => Float, { nullable: true, description: 'Default 1.' })
  @IsOptional()
  @Min(0.001)
  @Max(1e6)
  beneficiaryFactor?: number | null;
}

@InputType({ description: 'Only the fields given change.' })
export class UpdateProjectTemplateInput {
  @TextInput(60, { nullable: true })
  name?: string | null;

  @TextInput(2000, { nullable: true })
  description?: string | null;

  @Field(() => ProjectKind, { nullable: true })
  @IsOptional()
  kind?: ProjectKind | null;

  @Field(() => Float, { nullable: true, description: 'Gross cost in yuan, in whole fen.' })
  @IsOptional()
  @Min(1)
  @IsWholeFen()
  @Max(1_000_000)
  cost?: number | null;

  @Field(() => [String], { nullable: true })
  @IsOptional()
  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  categoryCodes?: string[] | null;

  @Field(() => [ResidentGroup], { nullable: true })
  @IsOptional()
  @ArrayMinSize(1)
  @ArrayMaxSize(7)
  targetGroups?: ResidentGroup[] | null;

  @Field(() => [ResourceNeedInput], { nullable: true })
  @IsOptional()
  @ArrayMaxSize(5)
  @ValidateNested({ each: true })
  resourceNeeds?: ResourceNeedInput[] | null;

  @Field(() => Float, { nullable: true })
  @IsOptional()
  @Min(0.01)
  @Max(1)
  expectedReduction?: number | null;

  @Field(() => BeneficiaryRule, { nullable: true })
  @IsOptional()
  beneficiaryRule?: BeneficiaryRule | null;

  @Field(() => Float, { nullable: true })
  @IsOptional()
  @Min(0.001)
  @Max(1e6)
  beneficiaryFactor?: number | null;

  @Field(() => Boolean, { nullable: true, description: 'true puts a retired template back in use.' })
  @IsOptional()
  active?: boolean | null;
}

@InputType()
export class ProjectTemplateFilter {
  @Field(() => Boolean, { nullable: true, description: 'Only active (true) or retired (false) templates.' })
  @IsOptional()
  active?: boolean | null;

  @Field(() => [ProjectKind], { nullable: true })
  @IsOptional()
  @ArrayMaxSize(3)
  kinds?: ProjectKind[] | null;

  @Field(() => ResidentGroup, { nullable: true, description: 'Only templates targeting this group.' })
  @IsOptional()
  targetGroup?: ResidentGroup | null;

  @TextInput(50, { nullable: true, description: 'Name or code contains.' })
  search?: string | null;
}

@ArgsType()
export class ProjectTemplateListArgs extends ConnectionArgs {
  @Field(() => ProjectTemplateFilter, { nullable: true })
  @IsOptional()
  @ValidateNested()
  filter?: ProjectTemplateFilter;
}
