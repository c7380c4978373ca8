import { ArrayMaxSize, IsOptional, ValidateNested } from 'class-validator';
import { ArgsType, Field, InputType } from 'type-graphql';
import { CodeInput, TextInput, IdInput } from '../../common/input-fields';
import { NamedOrder } from '../../common/inputs';
import { ConnectionArgs } from '../../common/pagination';
import { IsChinesePhone, MaxChars } from '../../common/validators';
import { UnitKind } from './unit.entity';

@InputType()
export class UnitFilter {
  @Field(() => [UnitKind], { nullable: true })
  @IsOptional()
  @ArrayMaxSize(20)
  kinds?: UnitKind[];

  @IdInput({ nullable: true, description: 'Only units sitting inside this area, at any depth.' })
  within?: string;

  @IdInput({ nullable: true, description: 'Only units paired (结对) with this community, in any term.' })
  pairedWithCommunityId?: string;

  @Field(() => String, { nullable: true, description: 'Name, code or address (as shown masked: no finding a unit by a phone in it) contains this text (Chinese works).' })
  @IsOptional()
  @MaxChars(50)
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
  @TextInput(120)
  name!: string;

  @CodeInput({ description: 'Unique code, e.g. the unified social credit code.' })
  code!: string;

  @Field(() => UnitKind)
  kind!: UnitKind;

  @TextInput(200, { nullable: true })
  address?: string | null;

  @TextInput(60, { nullable: true })
  contactName?: string | null;

  @Field(() => String, { nullable: true, description: 'Stored, but only ever shown masked.' })
  @IsOptional()
  @IsChinesePhone()
  contactPhone?: string | null;

  @IdInput({ nullable: true, description: 'The area it sits in; omit for a unit from outside the district.' })
  areaId?: string | null;
}

@InputType({ description: 'Only the fields given change; null clears an optional field.' })
export class UpdateUnitInput {
  @TextInput(120, { nullable: true })
  name?: string | null;

  @CodeInput({ nullable: true })
  code?: string | null;

  @Field(() => UnitKind, { nullable: true })
  @IsOptional()
  kind?: UnitKind | null;

  @TextInput(200, { nullable: true })
  address?: string | null;

  @TextInput(60, { nullable: true })
  contactName?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsChinesePhone()
  contactPhone?: string | null;

  @IdInput({ nullable: true })
  areaId?: string | null;
}
