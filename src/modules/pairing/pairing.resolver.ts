import { Arg, Args, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { todayInChina } from '../../common/dates';
import { ConnectionArgs, ConnectionType, OrderDirection } from '../../common/pagination';
import type { AppContext } from '../../context/context';
import { Area, Community } from '../area/area.entity';
import { Unit } from '../unit/unit.entity';
import { Pairing } from './pairing.entity';
import { CreatePairingInput, PairingListArgs, UpdatePairingInput } from './pairing.inputs';
import { activePairingsOfCommunity, activePairingsOfUnit, pairingsOfCommunity, pairingsOfUnit } from './pairing.relations';
import { isActiveOn, pairingService } from './pairing.service';

export const PairingConnection = ConnectionType(Pairing, 'Pairing');
const BY_ID = { property: 'id', direction: OrderDirection.ASC };

@Resolver(() => Pairing)
export class PairingResolver {
  @Query(() => PairingConnection, { description: '结对共建: units paired with communities.' })
  pairings(@Args() args: PairingListArgs, @Ctx() ctx: AppContext) {
    return pairingService.list(ctx, args);
  }

  @Mutation(() => Pairing)
  createPairing(@Arg('input') input: CreatePairingInput, @Ctx() ctx: AppContext) {
    return pairingService.create(ctx, input);
  }

  @Mutation(() => Pairing)
  updatePairing(@Arg('id', () => ID) id: string, @Arg('input') input: UpdatePairingInput, @Ctx() ctx: AppContext) {
    return pairingService.update(ctx, id, input);
  }

  @FieldResolver(() => Unit)
  unit(@Root() pairing: Pairing, @Ctx() ctx: AppContext) {
    return ctx.loaders.byId(Unit).load(pairing.unit.id);
  }

  @FieldResolver(() => Community)
  community(@Root() pairing: Pairing, @Ctx() ctx: AppContext) {
    return ctx.loaders.byId(Area).load(pairing.community.id);
  }

  @FieldResolver(() => Boolean, { description: 'Whether the term covers today (China time).' })
  isActive(@Root() pairing: Pairing, @Ctx() ctx: AppContext) {
    return isActiveOn(pairing, todayInChina(ctx.now()));
  }
}

@Resolver(() => Community)
export class CommunityPairingsResolver {
  @FieldResolver(() => PairingConnection, { description: 'Units paired with this community, every term.' })
  pairings(@Root() community: Community, @Args() args: ConnectionArgs, @Ctx() ctx: AppContext) {
    return ctx.loaders.connection(pairingsOfCommunity, community.id, args, BY_ID);
  }

  @FieldResolver(() => Int, { description: 'Pairings in force today.' })
  pairedUnitCount(@Root() community: Community, @Ctx() ctx: AppContext) {
    return ctx.loaders.count(activePairingsOfCommunity(todayInChina(ctx.now()))).load(community.id);
  }
}

@Resolver(() => Unit)
export class UnitPairingsResolver {
  @FieldResolver(() => PairingConnection, { description: 'The communities this unit is paired with, every term.' })
  pairings(@Root() unit: Unit, @Args() args: ConnectionArgs, @Ctx() ctx: AppContext) {
    return ctx.loaders.connection(pairingsOfUnit, unit.id, args, BY_ID);
  }

  @FieldResolver(() => Int, { description: 'Pairings in force today.' })
  pairedCommunityCount(@Root() unit: Unit, @Ctx() ctx: AppContext) {
    return ctx.loaders.count(activePairingsOfUnit(todayInChina(ctx.now()))).load(unit.id);
  }
}
