import { IsBoolean, IsInt, IsOptional, Max, Min } from 'class-validator';
import { ArgsType, Field, ID, InputType, Int } from 'type-graphql';
import { IdInput, TextInput } from '../../common/input-fields';

/** The most one kind of work may earn, and the most one redemption may spend. */
export const MAX_RULE_POINTS = 1000;
export const MAX_REDEMPTION = 100_000;

@InputType({ description: 'Only the fields given change.' })
export class UpdatePointRuleInput {
  @Field(() => Int, { nullable: true, description: `Points the work earns (0-${MAX_RULE_POINTS}; 0 earns nothing).` })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(MAX_RULE_POINTS)
  points?: number | null;

  @Field(() => Boolean, { nullable: true, description: 'An inactive rule earns nothing.' })
  @IsOptional()
  @IsBoolean()
  active?: boolean | null;

  @TextInput(120, { nullable: true })
  description?: string | null;
}

@InputType({ description: '以积分换服务: spend points on a service.' })
export class RedeemPointsInput {
  @IdInput()
  personId!: string;

  @Field(() => Int, { description: `Points to spend (1-${MAX_REDEMPTION}); never more than the balance.` })
  @IsInt()
  @Min(1)
  @Max(MAX_REDEMPTION)
  points!: number;

  @TextInput(200, { description: 'What they were spent on, e.g. 理发服务一次.' })
  note!: string;
}

@ArgsType()
export class PointsLeaderboardArgs {
  @Field(() => ID, { description: 'People living in (reporting to) this community.' })
  communityId!: string;

  @Field(() => Int, { defaultValue: 10, description: 'How many places (1-100).' })
  @IsInt()
  @Min(1)
  @Max(100)
  first: number = 10;

  @Field(() => Int, {
    nullable: true,
    description: 'Calendar year, China time (2000-2100): rank by points earned in it (ledger entries made that year). Omit for all time (the board as it always was).',
  })
  @IsOptional()
  @IsInt()
  @Min(2000)
  @Max(2100)
  year?: number | null;
}
