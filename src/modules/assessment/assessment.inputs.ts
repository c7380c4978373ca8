import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { Field, InputType, Int } from 'type-graphql';
import { IdInput } from '../../common/input-fields';

@InputType({ description: '反向考核: score the units paired with a community in a year.' })
export class UnitAssessmentsInput {
  @IdInput()
  communityId!: string;

  @Field(() => Int, { nullable: true, description: 'Calendar year, China time (2000-2100); omit for the current year so far.' })
  @IsOptional()
  @IsInt()
  @Min(2000)
  @Max(2100)
  year?: number | null;
}
