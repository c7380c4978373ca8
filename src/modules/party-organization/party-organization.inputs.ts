import { ArrayMaxSize, IsOptional, ValidateNested } from 'class-validator';
import { MaxChars } from '../../common/validators';
import { ArgsType, Field, InputType } from 'type-graphql';
import { CodeInput, TextInput, DateInput, IdInput } from '../../common/input-fields';
import { NamedOrder } from '../../common/inputs';
import { ConnectionArgs } from '../../common/pagination';
import { PartyOrganizationKind } from './party-organization.entity';

@InputType()
export class PartyOrganizationFilter {
  @Field(() => [PartyOrganizationKind], { nullable: true })
  @IsOptional()
  @ArrayMaxSize(4)
  kinds?: PartyOrganizationKind[];

  @Field(() => Boolean, { nullable: true, description: 'Only functional (true) or only place-based (false) organisations.' })
  @IsOptional()
  functional?: boolean;

  @IdInput({ nullable: true, description: 'Only organisations attached inside this area, at any depth.' })
  within?: string;

  @IdInput({ nullable: true, description: 'Only direct children of this organisation.' })
  parentId?: string;

  @Field(() => String, { nullable: true, description: 'Name or code contains this text (Chinese works).' })
  @IsOptional()
  @MaxChars(50)
  search?: string;
}

@ArgsType()
export class PartyOrganizationListArgs extends ConnectionArgs {
  @Field(() => PartyOrganizationFilter, { nullable: true })
  @IsOptional()
  @ValidateNested()
  filter?: PartyOrganizationFilter;

  @Field(() => NamedOrder, { nullable: true })
  @IsOptional()
  @ValidateNested()
  orderBy?: NamedOrder;
}

@InputType()
export class CreatePartyOrganizationInput {
  @TextInput(120)
  name!: string;

  @CodeInput()
  code!: string;

  @Field(() => PartyOrganizationKind)
  kind!: PartyOrganizationKind;

  @Field(() => Boolean, { nullable: true, defaultValue: false })
  @IsOptional()
  functional?: boolean;

  @TextInput(100, { nullable: true })
  functionDescription?: string | null;

  @IdInput({ description: 'The area it is attached to (community committee, grid branch, building group, ...).' })
  areaId!: string;

  @IdInput({ nullable: true })
  parentId?: string | null;

  @IdInput({ nullable: true, description: 'A party member (Person).' })
  secretaryId?: string | null;

  @DateInput({ nullable: true })
  establishedOn?: string | null;
}

@InputType({ description: 'Only the fields given change; null clears an optional field.' })
export class UpdatePartyOrganizationInput {
  @TextInput(120, { nullable: true })
  name?: string | null;

  @CodeInput({ nullable: true })
  code?: string | null;

  @Field(() => PartyOrganizationKind, { nullable: true })
  @IsOptional()
  kind?: PartyOrganizationKind | null;

  @Field(() => Boolean, { nullable: true })
  @IsOptional()
  functional?: boolean | null;

  @TextInput(100, { nullable: true })
  functionDescription?: string | null;

  @IdInput({ nullable: true })
  areaId?: string | null;

  @IdInput({ nullable: true })
  parentId?: string | null;

  @IdInput({ nullable: true })
  secretaryId?: string | null;

  @DateInput({ nullable: true })
  establishedOn?: string | null;
}

@InputType()
export class AddPartTimeMemberInput {
  @IdInput()
  organizationId!: string;

  @IdInput()
  personId!: string;

  @IdInput({ nullable: true, description: 'The unit the person comes from; defaults to their employer.' })
  unitId?: string | null;

  @TextInput(60, { description: 'e.g. 兼职委员, 兼职副书记.' })
  title!: string;

  @DateInput({ nullable: true })
  startsOn?: string | null;

  @DateInput({ nullable: true })
  endsOn?: string | null;
}
