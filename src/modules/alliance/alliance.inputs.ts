import { ArrayMaxSize, IsOptional, ValidateNested } from 'class-validator';
import { MaxChars } from '../../common/validators';
import { ArgsType, Field, InputType } from 'type-graphql';
import { DescriptionInput, TextInput, DateInput, IdInput } from '../../common/input-fields';
import { NamedOrder } from '../../common/inputs';
import { ConnectionArgs } from '../../common/pagination';
import { AllianceModel, AllianceRole } from './alliance.entity';

@InputType()
export class AllianceFilter {
  @Field(() => [AllianceModel], { nullable: true })
  @IsOptional()
  @ArrayMaxSize(3)
  models?: AllianceModel[];

  @IdInput({ nullable: true, description: 'Only alliances of areas inside this area (itself included).' })
  within?: string;

  @IdInput({ nullable: true, description: 'Only alliances this unit is a member of.' })
  memberUnitId?: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxChars(50)
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
  @IdInput({ description: 'The community (or, for a big party committee, the street) whose alliance this is.' })
  areaId!: string;

  @TextInput(120)
  name!: string;

  @Field(() => AllianceModel)
  model!: AllianceModel;

  @IdInput({ nullable: true, description: 'The leading party organisation (the "1").' })
  leadOrganizationId?: string | null;

  @DateInput({ nullable: true })
  establishedOn?: string | null;

  @DescriptionInput(2000, { nullable: true })
  description?: string | null;
}

@InputType({ description: 'Only the fields given change; null clears an optional field.' })
export class UpdateAllianceInput {
  @TextInput(120, { nullable: true })
  name?: string | null;

  @Field(() => AllianceModel, { nullable: true })
  @IsOptional()
  model?: AllianceModel | null;

  @IdInput({ nullable: true })
  leadOrganizationId?: string | null;

  @DateInput({ nullable: true })
  establishedOn?: string | null;

  @DescriptionInput(2000, { nullable: true })
  description?: string | null;
}

@InputType()
export class AddAllianceMemberInput {
  @IdInput()
  allianceId!: string;

  @IdInput()
  unitId!: string;

  @Field(() => AllianceRole)
  role!: AllianceRole;

  @TextInput(60, { nullable: true, description: 'Part-time seat title, e.g. 兼职委员.' })
  seatTitle?: string | null;

  @IdInput({ nullable: true, description: 'Who holds the seat: a person working at the unit (employed by it, not RETIRED).' })
  seatHolderId?: string | null;

  @DateInput({ nullable: true })
  joinedOn?: string | null;
}

@InputType({ description: 'Only the fields given change; null clears an optional field.' })
export class UpdateAllianceMemberInput {
  @Field(() => AllianceRole, { nullable: true })
  @IsOptional()
  role?: AllianceRole | null;

  @TextInput(60, { nullable: true })
  seatTitle?: string | null;

  @IdInput({ nullable: true, description: 'Who holds the seat: a person working at the unit (employed by it, not RETIRED); null leaves it vacant.' })
  seatHolderId?: string | null;

  @DateInput({ nullable: true })
  joinedOn?: string | null;
}
