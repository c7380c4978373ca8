import { LocalDateResolver } from 'graphql-scalars';
import { ArrayMaxSize, ArrayMinSize, IsOptional, Length, ValidateNested } from 'class-validator';
import { ArgsType, Field, ID, InputType } from 'type-graphql';
import { ConnectionArgs } from '../../common/pagination';

@InputType()
export class PairingFilter {
  @Field(() => ID, { nullable: true })
  @IsOptional()
  communityId?: string;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  unitId?: string;

  @Field(() => ID, { nullable: true, description: 'Only pairings with communities inside this area.' })
  @IsOptional()
  within?: string;

  @Field(() => LocalDateResolver, { nullable: true, description: 'Only pairings whose term covers this day.' })
  @IsOptional()
  activeOn?: string;
}

@ArgsType()
export class PairingListArgs extends ConnectionArgs {
  @Field(() => PairingFilter, { nullable: true })
  @IsOptional()
  @ValidateNested()
  filter?: PairingFilter;
}

@InputType()
export class CreatePairingInput {
  @Field(() => ID)
  unitId!: string;

  @Field(() => ID)
  communityId!: string;

  @Field(() => LocalDateResolver)
  startsOn!: string;

  @Field(() => LocalDateResolver, { nullable: true })
  @IsOptional()
  endsOn?: string | null;

  @Field({ description: 'e.g. 共驻共建协议书.' })
  @Length(1, 200)
  agreementTitle!: string;

  @Field(() => LocalDateResolver, { nullable: true })
  @IsOptional()
  agreementSignedOn?: string | null;

  @Field(() => [String], { description: 'The duties the agreement lists (1-30, each 1-200 characters).' })
  @ArrayMinSize(1)
  @ArrayMaxSize(30)
  @Length(1, 200, { each: true })
  duties!: string[];
}

@InputType({ description: 'Only the fields given change; null clears an optional field.' })
export class UpdatePairingInput {
  @Field(() => LocalDateResolver, { nullable: true })
  @IsOptional()
  startsOn?: string | null;

  @Field(() => LocalDateResolver, { nullable: true })
  @IsOptional()
  endsOn?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Length(1, 200)
  agreementTitle?: string | null;

  @Field(() => LocalDateResolver, { nullable: true })
  @IsOptional()
  agreementSignedOn?: string | null;

  @Field(() => [String], { nullable: true })
  @IsOptional()
  @ArrayMinSize(1)
  @ArrayMaxSize(30)
  @Length(1, 200, { each: true })
  duties?: string[] | null;
}
