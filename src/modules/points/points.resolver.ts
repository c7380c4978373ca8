import { Arg, Args, Ctx, Field, FieldResolver, ID, Int, Mutation, ObjectType, Query, Resolver, Root } from 'type-graphql';
import { ConnectionArgs, ConnectionType, OrderDirection } from '../../common/pagination';
import type { AppContext } from '../../context/context';
import { Person } from '../person/person.entity';
import { PointEntry, PointRule } from './points.entity';
import { PointsLeaderboardArgs, RedeemPointsInput, UpdatePointRuleInput } from './points.inputs';
import { pointsLedger, type LeaderboardRow } from './points.ledger';
import { entriesOfPerson } from './points.relations';
import { visibleBalancesOf } from './points.service';
import { scopePathsOf } from '../identity/access';

export const PointEntryConnection = ConnectionType(PointEntry, 'PointEntry');
const NEWEST_FIRST = { property: 'id', direction: OrderDirection.DESC };

@ObjectType({ description: 'One place of a points leaderboard.' })
export class PointsLeaderboardEntry {
  @Field(() => Int, { description: '1 for the most points earned; ties share a rank.' })
  rank!: number;

  personId!: number;

  @Field(() => Int, { description: 'Points earned in the year asked for, else in all (spending does not lower it).' })
  earned!: number;

  @Field(() => Int, { description: 'Points left to spend now (all their entries, whatever the year).' })
  balance!: number;
}

@Resolver(() => PointRule)
export class PointRuleResolver {
  @Query(() => [PointRule], { description: '积分规则: points per kind of verified work (a handful of rows, so a plain list).' })
  pointRules(@Ctx() ctx: AppContext) {
    return pointsLedger.rules(ctx);
  }

  @Mutation(() => PointRule, { description: 'Change a rule; it applies to work verified from now on (entries already made keep their amounts).' })
  updatePointRule(@Arg('id', () => ID) id: string, @Arg('input') input: UpdatePointRuleInput, @Ctx() ctx: AppContext) {
    return pointsLedger.updateRule(ctx, id, input);
  }
}

@Resolver(() => PointEntry)
export class PointEntryResolver {
  @Mutation(() => PointEntry, { description: '以积分换服务: spend points (a negative SERVICE_REDEEMED entry); never more than the balance.' })
  redeemPoints(@Arg('input') input: RedeemPointsInput, @Ctx() ctx: AppContext) {
    return pointsLedger.redeem(ctx, input);
  }

  @Query(() => [PointsLeaderboardEntry], {
    description: '积分排行: people living in a community now, by points earned (wherever earned): in `year` (China time; those who earned nothing that year are left out), or all time when no year is given. No residence history is kept for everyone, so a past year\'s board changes when people move (memberAssessments follow report days instead). Ties share a rank and are listed by person.',
  })
  pointsLeaderboard(@Args() args: PointsLeaderboardArgs, @Ctx() ctx: AppContext): Promise<LeaderboardRow[]> {
    return pointsLedger.leaderboard(ctx, args.communityId, args.first, args.year);
  }

  @FieldResolver(() => Person)
  person(@Root() entry: PointEntry, @Ctx() ctx: AppContext) {
    return ctx.loaders.byId(Person).load(entry.person.id);
  }
}

@Resolver(() => PointsLeaderboardEntry)
export class PointsLeaderboardEntryResolver {
  @FieldResolver(() => Person)
  person(@Root() row: LeaderboardRow, @Ctx() ctx: AppContext) {
    return ctx.loaders.byId(Person).load(row.personId);
  }
}

@Resolver(() => Person)
export class PersonPointsResolver {
  @FieldResolver(() => Int, {
    nullable: true,
    description: '积分余额: the sum of their ledger entries (never negative). Null when their ledger, kept by their residence community, is outside your areas (a person you see through their work in yours).',
  })
  pointBalance(@Root() person: Person, @Ctx() ctx: AppContext) {
    return ctx.loaders
      .get<number, number | null>('Person.pointBalance', async (ids) => {
        const balances = await visibleBalancesOf(ctx.em, ids, scopePathsOf(ctx.viewer));
        return ids.map((id) => balances.get(id) ?? null);
      })
      .load(person.id);
  }

  @FieldResolver(() => PointEntryConnection, { description: '积分台账: their entries, newest first.' })
  pointEntries(@Root() person: Person, @Args() args: ConnectionArgs, @Ctx() ctx: AppContext) {
    return ctx.loaders.connection(entriesOfPerson, person.id, args, NEWEST_FIRST);
  }
}
