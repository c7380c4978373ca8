import { IsOptional } from 'class-validator';
import { Field, InputType } from 'type-graphql';
import { CodeInput, IdInput, IntInput, TextInput } from '../../common/input-fields';

/** Hours allowed at one level: 1 hour to a year; null inherits. */
const DeadlineHours = () => IntInput(1, 24 * 365, { nullable: true });

@InputType()
export class CreateRequestCategoryInput {
  @CodeInput()
  code!: string;

  @TextInput(60)
  name!: string;

  @IdInput({ nullable: true, description: 'A first-level category; omit to create a first-level one.' })
  parentId?: string | null;

  @DeadlineHours()
  communityHours?: number | null;

  @DeadlineHours()
  streetHours?: number | null;

  @DeadlineHours()
  districtHours?: number | null;
}

@InputType({ description: 'Only the fields given change; null clears an optional field.' })
export class UpdateRequestCategoryInput {
  @TextInput(60, { nullable: true })
  name?: string | null;

  @DeadlineHours()
  communityHours?: number | null;

  @DeadlineHours()
  streetHours?: number | null;

  @DeadlineHours()
  districtHours?: number | null;

  @Field(() => Boolean, { nullable: true })
  @IsOptional()
  active?: boolean | null;
}
