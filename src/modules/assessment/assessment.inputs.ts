import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { Field, InputType, Int } from 'type-graphql';
import { IdInput } from '../../common/input-fields';

/** What both assessments are asked for: a community and a year (fields inherited by each input type; not itself in the schema, no field takes it). */
@InputType()
abstract class AssessmentYearInput {
  @IdInput()
  communityId!: string;

  @Field(() => Int, { nullable: true, description: 'Calendar year, China time (2000-2100); omit for the current year so far.' })
  @IsOptional()
  @IsInt()
  @Min(2000)
  @Max(2100)
  year?: number | null;
}

@InputType({ description: '反向考核: score the units paired with a community in a year.' })
export class UnitAssessmentsInput extends AssessmentYearInput {}

@InputType({ description: '反向考核: score the party members reported to a community (双报到) in a year.' })
export class MemberAssessmentsInput extends AssessmentYearInput {}
