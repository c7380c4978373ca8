import { LocalDateResolver } from 'graphql-scalars';
import { ArrayMaxSize, IsOptional, Length, MaxLength, ValidateNested } from 'class-validator';
import { ArgsType, Field, ID, InputType } from 'type-graphql';
import { NamedOrder } from '../../common/inputs';
import { ConnectionArgs } from '../../common/pagination';
import { AllianceModel, AllianceRole } from './alliance.entity';

@InputType()
export class AllianceFilter {
  @Field(() => [AllianceModel], { nullable: true })
  @IsOptional()
  @ArrayMaxSize(3)
  models?: AllianceModel[];

  @Field(() => ID, { nullable: true, description: 'Only alliances of areas inside this area (itself included).' })
  @IsOptional()
  within?: string;

  @Field(() => ID, { nullable: true, description: 'Only alliances this unit is a member of.' })
  @IsOptional()
  memberUnitId?: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(50)
  search?: string;
}

@ArgsType()
export class AllianceListArgs extends ConnectionArgs {
  @Field(() => AllianceFilter, { nullable: true })
  @IsOptional()
  @ValidateNested()
  filter?: AllianceFilter;

  @Field(() => NamedOrder, { nullable: true })
  @IsOptional()
  @ValidateNested()
  orderBy?: NamedOrder;
}

@InputType()
export class CreateAllianceInput {
  @Field(() => ID, { description: 'The community (or, for a big party committee, the street) whose alliance this is.' })
  areaId!: string;

  @Field()
  @Length(1, 120)
  name!: string;

  @Field(() => AllianceModel)
  model!: AllianceModel;

  @Field(() => ID, { nullable: true, description: 'The leading party organisation (the "1").' })
  @IsOptional()
  leadOrganizationId?: string | null;

  @Field(() => LocalDateResolver, { nullable: true })
  @IsOptional()
  establishedOn?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(2000)
  description?: string | null;
}

@InputType({ description: 'Only the fields given change; null clears an optional field.' })
export class UpdateAllianceInput {
  @Field(() => String, { nullable: true })
  @IsOptional()
  @Length(1, 120)
  name?: string | null;

  @Field(() => AllianceModel, { nullable: true })
  @IsOptional()
  model?: AllianceModel | null;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  leadOrganizationId?: string | null;

  @Field(() => LocalDateResolver, { nullable: true })
  @IsOptional()
  establishedOn?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(2000)
  description?: string | null;
}

@InputType()
export class AddAllianceMemberInput {
  @Field(() => ID)
  allianceId!: string;

  @Field(() => ID)
  unitId!: string;

  @Field(() => AllianceRole)
  role!: AllianceRole;

  @Field(() => String, { nullable: true, description: 'Part-time seat title, e.g. 兼职委员.' })
  @IsOptional()
  @Length(1, 60)
  seatTitle?: string | null;

  @Field(() => ID, { nullable: true, description: 'Who holds the seat: a person employed by the unit.' })
  @IsOptional()
  seatHolderId?: string | null;

  @Field(() => LocalDateResolver, { nullable: true })
  @IsOptional()
  joinedOn?: string | null;
}

@InputType({ description: 'Only the fields given change; null clears an optional field.' })
export class UpdateAllianceMemberInput {
  @Field(() => AllianceRole, { nullable: true })
  @IsOptional()
  role?: AllianceRole | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Length(1, 60)
  seatTitle?: string | null;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  seatHolderId?: string | null;

  @Field(() => LocalDateResolver, { nullable: true })
  @IsOptional()
  joinedOn?: string | null;
}
