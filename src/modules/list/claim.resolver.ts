import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { ConnectionArgs, ConnectionType, OrderDirection } from '../../common/pagination';
import type { AppContext } from '../../context/context';
import { Person } from '../person/person.entity';
import { Unit } from '../unit/unit.entity';
import { claimService } from './claim.service';
import { Claim, ListItem } from './list.entity';
import { CancelClaimArgs, ClaimListItemInput, ResourceMatchArgs } from './list.inputs';
import { claimsOfItem, claimsOfUnit, claimsOnResource } from './list.relations';
import { ResourceMatch, resourceMatches } from './match.service';

export const ClaimConnection = ConnectionType(Claim, 'Claim');
const BY_ID = { property: 'id', direction: OrderDirection.ASC };

@Resolver(() => Claim)
export class ClaimResolver {
  @Mutation(() => Claim, { description: '认领: a unit claims an OPEN SERVICE or DEMAND item (→ CLAIMED), optionally drawing on one of its RESOURCE items.' })
  claimListItem(@Arg('input') input: ClaimListItemInput, @Ctx() ctx: AppContext) {
    return claimService.claim(ctx, input);
  }

  @Mutation(() => Claim, { description: 'The unit has delivered: CLAIMED → DELIVERED (the item too).' })
  deliverClaim(@Arg('id', () => ID) id: string, @Ctx() ctx: AppContext) {
    return claimService.deliver(ctx, id);
  }

  @Mutation(() => Claim, { description: 'The community confirms: DELIVERED → CONFIRMED; the item is CLOSED and the member (if any) earns CLAIM_CONFIRMED points.' })
  confirmClaim(@Arg('id', () => ID) id: string, @Ctx() ctx: AppContext) {
    return claimService.confirm(ctx, id);
  }

  @Mutation(() => Claim, { description: 'CLAIMED → CANCELLED, with the reason; the item is OPEN again and the resource freed.' })
  cancelClaim(@Args() args: CancelClaimArgs, @Ctx() ctx: AppContext) {
    return claimService.cancel(ctx, args);
  }

  @Query(() => [ResourceMatch], { description: '资源对接: RESOURCE items that could serve an item (units serving its community, paired with it or seated in its alliance, or in its street; same or sibling category; not used up), best first; each says whether its unit can claim the item (canClaim).' })
  resourceMatches(@Args() args: ResourceMatchArgs, @Ctx() ctx: AppContext) {
    return resourceMatches(ctx, args);
  }

  @FieldResolver(() => ListItem, { description: 'The SERVICE or DEMAND item claimed.' })
  item(@Root() claim: Claim, @Ctx() ctx: AppContext) {
    return ctx.loaders.byId(ListItem).load(claim.item.id);
  }

  @FieldResolver(() => Unit)
  unit(@Root() claim: Claim, @Ctx() ctx: AppContext) {
    return ctx.loaders.byId(Unit).load(claim.unit.id);
  }

  @FieldResolver(() => ListItem, { nullable: true, description: 'The unit\'s RESOURCE item it draws on.' })
  resource(@Root() claim: Claim, @Ctx() ctx: AppContext) {
    return claim.resource ? ctx.loaders.byId(ListItem).load(claim.resource.id) : null;
  }

  @FieldResolver(() => Person, { nullable: true, description: 'The member who carries it out.' })
  person(@Root() claim: Claim, @Ctx() ctx: AppContext) {
    return claim.person ? ctx.loaders.byId(Person).load(claim.person.id) : null;
  }
}

@Resolver(() => ListItem)
export class ListItemClaimsResolver {
  @FieldResolver(() => ClaimConnection, { description: 'Claims on this SERVICE or DEMAND item, every one (cancelled included), oldest first.' })
  claims(@Root() item: ListItem, @Args() args: ConnectionArgs, @Ctx() ctx: AppContext) {
    return ctx.loaders.connection(claimsOfItem, item.id, args, BY_ID);
  }

  @FieldResolver(() => ClaimConnection, { description: 'For RESOURCE items: the claims drawing on it, oldest first.' })
  resourceClaims(@Root() item: ListItem, @Args() args: ConnectionArgs, @Ctx() ctx: AppContext) {
    return ctx.loaders.connection(claimsOnResource, item.id, args, BY_ID);
  }
}

@Resolver(() => Unit)
export class UnitClaimsResolver {
  @FieldResolver(() => ClaimConnection, { description: '认领: the items this unit has claimed, oldest first.' })
  claims(@Root() unit: Unit, @Args() args: ConnectionArgs, @Ctx() ctx: AppContext) {
    return ctx.loaders.connection(claimsOfUnit, unit.id, args, BY_ID);
  }
}
