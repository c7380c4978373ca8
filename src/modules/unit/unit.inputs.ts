import { ArrayMaxSize, IsOptional, Length, Matches, MaxLength, ValidateNested } from 'class-validator';
import { ArgsType, Field, ID, InputType } from 'type-graphql';
import { NamedOrder } from '../../common/inputs';
import { ConnectionArgs } from '../../common/pagination';
import { CODE_PATTERN, IsChinesePhone } from '../../common/validators';
import { UnitKind } from './unit.entity';

@InputType()
export class UnitFilter {
  @Field(() => [UnitKind], { nullable: true })
  @IsOptional()
  @ArrayMaxSize(20)
  kinds?: UnitKind[];

  @Field(() => ID, { nullable: true, description: 'Only units sitting inside this area, at any depth.' })
  @IsOptional()
  within?: string;

  @Field(() => ID, { nullable: true, description: 'Only units paired (结对) with this community, in any term.' })
  @IsOptional()
  pairedWithCommunityId?: string;

  @Field(() => String, { nullable: true, description: 'Name, code or address contains this text (Chinese works).' })
  @IsOptional()
  @MaxLength(50)
  search?: string;
}

@ArgsType()
export class UnitListArgs extends ConnectionArgs {
  @Field(() => UnitFilter, { nullable: true })
  @IsOptional()
  @ValidateNested()
  filter?: UnitFilter;

  @Field(() => NamedOrder, { nullable: true })
  @IsOptional()
  @ValidateNested()
  orderBy?: NamedOrder;
}

@InputType()
export class CreateUnitInput {
  @Field()
  @Length(1, 120)
  name!: string;

  @Field({ description: 'Unique code, e.g. the unified social credit code.' })
  @Length(1, 32)
  @Matches(CODE_PATTERN, { message: 'code may contain only letters, digits and dashes' })
  code!: string;

  @Field(() => UnitKind)
  kind!: UnitKind;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Length(1, 200)
  address?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Length(1, 60)
  contactName?: string | null;

  @Field(() => String, { nullable: true, description: 'Stored, but only ever shown masked.' })
  @IsOptional()
  @IsChinesePhone()
  contactPhone?: string | null;

  @Field(() => ID, { nullable: true, description: 'The area it sits in; omit for a unit from outside the district.' })
  @IsOptional()
  areaId?: string | null;
}

@InputType({ description: 'Only the fields given change; null clears an optional field.' })
export class UpdateUnitInput {
  @Field(() => String, { nullable: true })
  @IsOptional()
  @Length(1, 120)
  name?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Length(1, 32)
  @Matches(CODE_PATTERN, { message: 'code may contain only letters, digits and dashes' })
  code?: string | null;

  @Field(() => UnitKind, { nullable: true })
  @IsOptional()
  kind?: UnitKind | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Length(1, 200)
  address?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Length(1, 60)
  contactName?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsChinesePhone()
  contactPhone?: string | null;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  areaId?: string | null;
}
