import { LocalDateResolver } from 'graphql-scalars';
import { ArrayMaxSize, IsOptional, Length, Matches, MaxLength, ValidateNested } from 'class-validator';
import { ArgsType, Field, ID, InputType } from 'type-graphql';
import { NamedOrder } from '../../common/inputs';
import { ConnectionArgs } from '../../common/pagination';
import { CODE_PATTERN } from '../../common/validators';
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

  @Field(() => ID, { nullable: true, description: 'Only organisations attached inside this area, at any depth.' })
  @IsOptional()
  within?: string;

  @Field(() => ID, { nullable: true, description: 'Only direct children of this organisation.' })
  @IsOptional()
  parentId?: string;

  @Field(() => String, { nullable: true, description: 'Name or code contains this text (Chinese works).' })
  @IsOptional()
  @MaxLength(50)
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
  @Field()
  @Length(1, 120)
  name!: string;

  @Field()
  @Length(1, 32)
  @Matches(CODE_PATTERN, { message: 'code may contain only letters, digits and dashes' })
  code!: string;

  @Field(() => PartyOrganizationKind)
  kind!: PartyOrganizationKind;

  @Field(() => Boolean, { nullable: true, defaultValue: false })
  @IsOptional()
  functional?: boolean;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Length(1, 100)
  functionDescription?: string | null;

  @Field(() => ID, { description: 'The area it is attached to (community committee, grid branch, building group, ...).' })
  areaId!: string;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  parentId?: string | null;

  @Field(() => ID, { nullable: true, description: 'A party member (Person).' })
  @IsOptional()
  secretaryId?: string | null;

  @Field(() => LocalDateResolver, { nullable: true })
  @IsOptional()
  establishedOn?: string | null;
}

@InputType({ description: 'Only the fields given change; null clears an optional field.' })
export class UpdatePartyOrganizationInput {
  @Field(() => String, { nullable: true })
  @IsOptional()
  @Length(1, 120)
  name?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Length(1, 32)
  @Matches(CODE_PATTERN, { message: 'code may contain only letters, digits and dashes' })
  code?: string | null;

  @Field(() => PartyOrganizationKind, { nullable: true })
  @IsOptional()
  kind?: PartyOrganizationKind | null;

  @Field(() => Boolean, { nullable: true })
  @IsOptional()
  functional?: boolean | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Length(1, 100)
  functionDescription?: string | null;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  areaId?: string | null;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  parentId?: string | null;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  secretaryId?: string | null;

  @Field(() => LocalDateResolver, { nullable: true })
  @IsOptional()
  establishedOn?: string | null;
}

@InputType()
export class AddPartTimeMemberInput {
  @Field(() => ID)
  organizationId!: string;

  @Field(() => ID)
  personId!: string;

  @Field(() => ID, { nullable: true, description: 'The unit the person comes from; defaults to their employer.' })
  @IsOptional()
  unitId?: string | null;

  @Field({ description: 'e.g. 兼职委员, 兼职副书记.' })
  @Length(1, 60)
  title!: string;

  @Field(() => LocalDateResolver, { nullable: true })
  @IsOptional()
  startsOn?: string | null;

  @Field(() => LocalDateResolver, { nullable: true })
  @IsOptional()
  endsOn?: string | null;
}
