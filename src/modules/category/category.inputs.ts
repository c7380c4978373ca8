import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { Field, InputType, Int } from 'type-graphql';
import { CodeInput, IdInput, TextInput } from '../../common/input-fields';

@InputType()
export class CreateRequestCategoryInput {
  @CodeInput()
  code!: string;

  @TextInput(60)
  name!: string;

  @IdInput({ nullable: true, description: 'A first-level category; omit to create a first-level one.' })
  parentId?: string | null;

  @Field(() => Int, { nullable: true })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(24 * 365)
  communityHours?: number | null;

  @Field(() => Int, { nullable: true })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(24 * 365)
  streetHours?: number | null;

  @Field(() => Int, { nullable: true })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(24 * 365)
  districtHours?: number | null;
}

@InputType({ description: 'Only the fields given change; null clears an optional field.' })
export class UpdateRequestCategoryInput {
  @TextInput(60, { nullable: true })
  name?: string | null;

  @Field(() => Int, { nullable: true })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(24 * 365)
  communityHours?: number | null;

  @Field(() => Int, { nullable: true })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(24 * 365)
  streetHours?: number | null;

  @Field(() => Int, { nullable: true })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(24 * 365)
  districtHours?: number | null;

  @Field(() => Boolean, { nullable: true })
  @IsOptional()
  active?: boolean | null;
}
