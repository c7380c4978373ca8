import { ArrayMaxSize, IsOptional, Max, Min, ValidateNested } from 'class-validator';
import { ArgsType, Field, Float, InputType } from 'type-graphql';
import { IdInput, TextInput } from '../../common/input-fields';
import { ConnectionArgs } from '../../common/pagination';
import { ResidentGroup } from '../../common/resident-group';
import { IsWholeFen } from '../../common/validators';
import { MicroWishStatus } from './micro-wish.entity';

@InputType()
export class MicroWishFilter {
  @IdInput({ nullable: true })
  communityId?: string;

  @IdInput({ nullable: true, description: 'Only wishes of communities inside this area (any level).' })
  within?: string;

  @Field(() => [MicroWishStatus], { nullable: true })
  @IsOptional()
  @ArrayMaxSize(5)
  statuses?: MicroWishStatus[];

  @Field(() => [ResidentGroup], { nullable: true })
  @IsOptional()
  @ArrayMaxSize(7)
  residentGroups?: ResidentGroup[];
}

@ArgsType()
export class MicroWishListArgs extends ConnectionArgs {
  @Field(() => MicroWishFilter, { nullable: true })
  @IsOptional()
  @ValidateNested()
  filter?: MicroWishFilter;
}

@InputType()
export class PublishMicroWishInput {
  @IdInput()
  communityId!: string;

  @TextInput(200, { description: 'e.g. 一台助听器.' })
  title!: string;

  @TextInput(4000, { nullable: true })
  description?: string | null;

  @TextInput(60, { nullable: true, description: 'Personal data: stored, only ever returned masked (张**).' })
  residentName?: string | null;

  @Field(() => ResidentGroup, { nullable: true })
  @IsOptional()
  residentGroup?: ResidentGroup | null;

  @Field(() => Float, { nullable: true, description: 'Estimated value in yuan, to the fen (a micro-wish is small: at most 100,000).' })
  @IsOptional()
  @Min(0)
  @Max(100_000)
  @IsWholeFen()
  estimatedValue?: number | null;
}

@InputType({ description: 'Exactly one claimant: a member (personId) or a unit (unitId).' })
export class ClaimMicroWishInput {
  @IdInput({ nullable: true })
  personId?: string | null;

  @IdInput({ nullable: true })
  unitId?: string | null;
}
