import { GraphQLJSONObject } from 'graphql-scalars';
import { ArrayMaxSize, IsInt, IsOptional, Max, Min, ValidateNested } from 'class-validator';
import { ArgsType, Field, Float, InputType, Int, registerEnumType } from 'type-graphql';
import { CodeInput, TextInput, IdInput } from '../../common/input-fields';
import { ConnectionArgs, OrderDirection } from '../../common/pagination';
import { IsGeoJsonArea, MaxChars } from '../../common/validators';

export enum AreaOrderField {
  CODE = 'code',
  NAME = 'name',
  CREATED_AT = 'createdAt',
}
registerEnumType(AreaOrderField, {
  name: 'AreaOrderField',
  valuesConfig: {
    CODE: { description: 'The administrative code; the default.' },
    NAME: { description: 'The name.' },
    CREATED_AT: { description: 'When the area was created.' },
  },
});

@InputType({ description: 'Order of an area list; ties are broken by id.' })
export class AreaOrder {
  @Field(() => AreaOrderField, { defaultValue: AreaOrderField.CODE })
  field: AreaOrderField = AreaOrderField.CODE;

  @Field(() => OrderDirection, { defaultValue: OrderDirection.ASC })
  direction: OrderDirection = OrderDirection.ASC;
}

@InputType()
export class AreaFilter {
  @IdInput({ nullable: true, description: 'Only areas inside this area (any level above), at any depth.' })
  within?: string;

  @IdInput({ nullable: true, description: 'Only direct children of this area.' })
  parentId?: string;

  @Field(() => String, { nullable: true, description: 'Name or code contains this text, case-insensitive; Chinese works, e.g. "幸福".' })
  @IsOptional()
  @MaxChars(50)
  search?: string;

  @Field(() => [String], { nullable: true, description: 'Only these codes.' })
  @IsOptional()
  @ArrayMaxSize(100)
  codes?: string[];
}

@ArgsType()
export class AreaListArgs extends ConnectionArgs {
  @Field(() => AreaFilter, { nullable: true })
  @IsOptional()
  @ValidateNested()
  filter?: AreaFilter;

  @Field(() => AreaOrder, { nullable: true })
  @IsOptional()
  @ValidateNested()
  orderBy?: AreaOrder;
}

@ArgsType()
export class AreaChildrenArgs extends ConnectionArgs {
  @Field(() => AreaOrder, { nullable: true })
  @IsOptional()
  @ValidateNested()
  orderBy?: AreaOrder;
}

/** Fields every level has. */
@InputType()
export abstract class AreaFieldsInput {
  @TextInput(100)
  name!: string;

  @CodeInput({ description: 'Unique code: letters, digits and dashes.' })
  code!: string;

  @Field(() => Float, { nullable: true })
  @IsOptional()
  @Min(-180)
  @Max(180)
  longitude?: number | null;

  @Field(() => Float, { nullable: true })
  @IsOptional()
  @Min(-90)
  @Max(90)
  latitude?: number | null;

  @Field(() => GraphQLJSONObject, { nullable: true, description: 'GeoJSON Polygon or MultiPolygon.' })
  @IsOptional()
  @IsGeoJsonArea()
  boundary?: Record<string, unknown> | null;
}

/**
 * A community or grid holds at most this many residents (China's largest communities have a few
 * hundred thousand). Streets and districts report the sum of their communities as a GraphQL Int,
 * which a handful of values near 2^31 would overflow for every reader, portals included.
 */
export const MAX_AREA_POPULATION = 1_000_000;

@InputType()
export abstract class PopulatedAreaFieldsInput extends AreaFieldsInput {
  @Field(() => Int, { nullable: true, description: `Residents, 0-${MAX_AREA_POPULATION}.` })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(MAX_AREA_POPULATION)
  population?: number | null;

  @Field(() => Int, { nullable: true, description: `0-${MAX_AREA_POPULATION}.` })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(MAX_AREA_POPULATION)
  households?: number | null;
}

@InputType()
export class CreateDistrictInput extends AreaFieldsInput {}

@InputType()
export class CreateStreetInput extends AreaFieldsInput {
  @IdInput()
  districtId!: string;
}

@InputType()
export class CreateCommunityInput extends PopulatedAreaFieldsInput {
  @IdInput()
  streetId!: string;
}

@InputType()
export class CreateGridInput extends PopulatedAreaFieldsInput {
  @IdInput()
  communityId!: string;
}

@InputType()
export class CreateBuildingInput extends AreaFieldsInput {
  @IdInput()
  gridId!: string;

  @Field(() => Int, { nullable: true, description: `0-${MAX_AREA_POPULATION}.` })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(MAX_AREA_POPULATION)
  households?: number | null;

  @Field(() => Int, { nullable: true })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(200)
  floors?: number | null;
}

@InputType({ description: 'Only the fields given change; null clears an optional field.' })
export class UpdateAreaInput {
  @TextInput(100, { nullable: true })
  name?: string | null;

  @CodeInput({ nullable: true })
  code?: string | null;

  @IdInput({ nullable: true, description: 'Move under another parent of the right level (e.g. a grid to another community).' })
  parentId?: string | null;

  @IdInput({
    nullable: true,
    description:
      'With parentId only. Where the move carries party organisations away from their parent organisation\'s line of the area tree ' +
      '(e.g. a grid branch under the old community\'s committee): the organisation to put them under instead; it must sit on their new line. ' +
      'Without it they go under the one committee or branch (not a group, not functional) of the nearest area above them on their new line; ' +
      'when there is none or more than one, the move is refused (CONFLICT naming them).',
  })
  organizationParentId?: string | null;

  @Field(() => Float, { nullable: true })
  @IsOptional()
  @Min(-180)
  @Max(180)
  longitude?: number | null;

  @Field(() => Float, { nullable: true })
  @IsOptional()
  @Min(-90)
  @Max(90)
  latitude?: number | null;

  @Field(() => GraphQLJSONObject, { nullable: true })
  @IsOptional()
  @IsGeoJsonArea()
  boundary?: Record<string, unknown> | null;

  @Field(() => Int, { nullable: true, description: `Communities and grids only; 0-${MAX_AREA_POPULATION}.` })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(MAX_AREA_POPULATION)
  population?: number | null;

  @Field(() => Int, { nullable: true, description: `Communities, grids and buildings; 0-${MAX_AREA_POPULATION}.` })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(MAX_AREA_POPULATION)
  households?: number | null;

  @Field(() => Int, { nullable: true, description: 'Buildings only.' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(200)
  floors?: number | null;
}
