import { ArrayMaxSize, IsInt, IsOptional, Max, Min, ValidateNested } from 'class-validator';
import { ArgsType, Field, InputType, Int } from 'type-graphql';
import { TextInput, DateInput, IdInput } from '../../common/input-fields';
import { NamedOrder } from '../../common/inputs';
import { ConnectionArgs } from '../../common/pagination';
import { IsChinesePhone, IsResidentIdNumber, MaxChars } from '../../common/validators';
import { Gender, GridWorkerRole, PartyStatus } from './person.entity';

@InputType()
export class PersonFilter {
  @Field(() => [PartyStatus], { nullable: true })
  @IsOptional()
  @ArrayMaxSize(3)
  partyStatuses?: PartyStatus[];

  @Field(() => Boolean, { nullable: true, description: 'Only party members (true) or only non-party staff (false).' })
  @IsOptional()
  isPartyMember?: boolean;

  @IdInput({ nullable: true, description: 'Only people living in communities inside this area.' })
  within?: string;

  @IdInput({ nullable: true })
  residenceCommunityId?: string;

  @IdInput({ nullable: true })
  employerUnitId?: string;

  @IdInput({ nullable: true, description: 'Only people placed in this branch or group.' })
  organizationId?: string;

  @Field(() => String, { nullable: true, description: 'Name contains this text.' })
  @IsOptional()
  @MaxChars(30)
  search?: string;
}

@ArgsType()
export class PersonListArgs extends ConnectionArgs {
  @Field(() => PersonFilter, { nullable: true })
  @IsOptional()
  @ValidateNested()
  filter?: PersonFilter;

  @Field(() => NamedOrder, { nullable: true })
  @IsOptional()
  @ValidateNested()
  orderBy?: NamedOrder;
}

@InputType()
export class CreatePersonInput {
  @TextInput(60)
  name!: string;

  @Field(() => Gender, { nullable: true })
  @IsOptional()
  gender?: Gender | null;

  @Field(() => Int, { nullable: true })
  @IsOptional()
  @IsInt()
  @Min(1900)
  @Max(2100)
  birthYear?: number | null;

  @Field(() => String, { nullable: true, description: 'Stored, but only ever shown masked.' })
  @IsOptional()
  @IsChinesePhone()
  phone?: string | null;

  @Field(() => String, { nullable: true, description: '18-character resident ID; stored, but only ever shown masked.' })
  @IsOptional()
  @IsResidentIdNumber()
  idNumber?: string | null;

  @Field(() => PartyStatus, { nullable: true, description: 'Omit for non-party staff.' })
  @IsOptional()
  partyStatus?: PartyStatus | null;

  @DateInput({ nullable: true })
  joinedPartyOn?: string | null;

  @IdInput({ nullable: true, description: 'Required for in-service members.' })
  employerUnitId?: string | null;

  @IdInput({ nullable: true })
  residenceCommunityId?: string | null;

  @IdInput({ nullable: true })
  organizationId?: string | null;
}

@InputType({ description: 'Only the fields given change; null clears an optional field.' })
export class UpdatePersonInput {
  @TextInput(60, { nullable: true })
  name?: string | null;

  @Field(() => Gender, { nullable: true })
  @IsOptional()
  gender?: Gender | null;

  @Field(() => Int, { nullable: true })
  @IsOptional()
  @IsInt()
  @Min(1900)
  @Max(2100)
  birthYear?: number | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsChinesePhone()
  phone?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsResidentIdNumber()
  idNumber?: string | null;

  @Field(() => PartyStatus, { nullable: true })
  @IsOptional()
  partyStatus?: PartyStatus | null;

  @DateInput({ nullable: true })
  joinedPartyOn?: string | null;

  @IdInput({ nullable: true })
  employerUnitId?: string | null;

  @IdInput({ nullable: true })
  residenceCommunityId?: string | null;

  @IdInput({ nullable: true })
  organizationId?: string | null;
}

@InputType()
export class AssignGridWorkerInput {
  @IdInput()
  gridId!: string;

  @IdInput()
  personId!: string;

  @Field(() => GridWorkerRole)
  role!: GridWorkerRole;

  @DateInput({ nullable: true })
  startsOn?: string | null;
}
