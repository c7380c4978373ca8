import { IsInt, Max, Min } from 'class-validator';
import { Field, InputType, Int } from 'type-graphql';
import { IdInput } from '../../common/input-fields';

@InputType({ description: '反向考核: score the units paired with a community in a year.' })
export class UnitAssessmentsInput {
  @IdInput()
  communityId!: string;

  @Field(() => Int, { description: 'Calendar year, China time (2000-2100).' })
  @IsInt()
  @Min(2000)
  @Max(2100)
  year!: number;
}
