import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { ConnectionArgs, ConnectionType } from '../../common/pagination';
import { maskName } from '../../common/privacy';
import type { AppContext } from '../../context/context';
import { RevealArg, areaPathOf, personalField } from '../identity/personal-data';
import { Area, Community } from '../area/area.entity';
import { Person } from '../person/person.entity';
import { Unit } from '../unit/unit.entity';
import { MicroWish } from './micro-wish.entity';
import { ClaimMicroWishInput, MicroWishListArgs, PublishMicroWishInput } from './micro-wish.inputs';
import { microWishesOfCommunity, microWishesOfPerson, microWishesOfUnit } from './micro-wish.relations';
import { WISH_ORDER, microWishService } from './micro-wish.service';

export const MicroWishConnection = ConnectionType(MicroWish, 'MicroWish');

@Resolver(() => MicroWish)
export class MicroWishResolver {
  @Query(() => MicroWishConnection, { description: '微心愿: small wishes of needy residents, newest first.' })
  microWishes(@Args() args: MicroWishListArgs, @Ctx() ctx: AppContext) {
    return microWishService.list(ctx, args);
  }

  @Mutation(() => MicroWish, { description: 'Publishes a wish (PUBLISHED).' })
  publishMicroWish(@Arg('input') input: PublishMicroWishInput, @Ctx() ctx: AppContext) {
    return microWishService.publish(ctx, input);
  }

  @Mutation(() => MicroWish, { description: 'PUBLISHED → CLAIMED by exactly one claimant who can then fulfil it: a party member living in its community, or a unit serving it (paired with it today or seated in its alliance); a wish is claimed once.' })
  claimMicroWish(@Arg('id', () => ID) id: string, @Arg('input') input: ClaimMicroWishInput, @Ctx() ctx: AppContext) {
    return microWishService.claim(ctx, id, input);
  }

  @Mutation(() => MicroWish, { description: 'CLAIMED → FULFILLED.' })
  fulfillMicroWish(@Arg('id', () => ID) id: string, @Ctx() ctx: AppContext) {
    return microWishService.fulfil(ctx, id);
  }

  @Mutation(() => MicroWish, { description: 'FULFILLED → CONFIRMED; a member claimant earns MICRO_WISH_FULFILLED points.' })
  confirmMicroWish(@Arg('id', () => ID) id: string, @Ctx() ctx: AppContext) {
    return microWishService.confirm(ctx, id);
  }

  @Mutation(() => MicroWish, { description: 'PUBLISHED or CLAIMED → CANCELLED.' })
  cancelMicroWish(@Arg('id', () => ID) id: string, @Ctx() ctx: AppContext) {
    return microWishService.cancel(ctx, id);
  }

  @FieldResolver(() => String, { nullable: true, description: 'Masked: the first character only, e.g. 张**, unless revealed.' })
  residentName(@Root() wish: MicroWish, @RevealArg() reveal: boolean, @Ctx() ctx: AppContext) {
    return personalField(ctx, { typeName: 'MicroWish', id: wish.id, areaPath: () => areaPathOf(ctx, wish.community.id) }, 'residentName', wish.residentName, maskName, reveal);
  }

  @FieldResolver(() => Community)
  community(@Root() wish: MicroWish, @Ctx() ctx: AppContext) {
    return ctx.loaders.byId(Area).load(wish.community.id);
  }

  @FieldResolver(() => Person, { nullable: true, description: 'The member who claimed it.' })
  claimantPerson(@Root() wish: MicroWish, @Ctx() ctx: AppContext) {
    return wish.claimantPerson ? ctx.loaders.byId(Person).load(wish.claimantPerson.id) : null;
  }

  @FieldResolver(() => Unit, { nullable: true, description: 'The unit that claimed it.' })
  claimantUnit(@Root() wish: MicroWish, @Ctx() ctx: AppContext) {
    return wish.claimantUnit ? ctx.loaders.byId(Unit).load(wish.claimantUnit.id) : null;
  }
}

@Resolver(() => Community)
export class CommunityMicroWishesResolver {
  @FieldResolver(() => MicroWishConnection, { description: '微心愿 of this community, newest first.' })
  microWishes(@Root() community: Community, @Args() args: ConnectionArgs, @Ctx() ctx: AppContext) {
    return ctx.loaders.connection(microWishesOfCommunity, community.id, args, WISH_ORDER);
  }
}

@Resolver(() => Unit)
export class UnitMicroWishesResolver {
  @FieldResolver(() => MicroWishConnection, { description: '微心愿 this unit claimed, newest first.' })
  claimedMicroWishes(@Root() unit: Unit, @Args() args: ConnectionArgs, @Ctx() ctx: AppContext) {
    return ctx.loaders.connection(microWishesOfUnit, unit.id, args, WISH_ORDER);
  }
}

@Resolver(() => Person)
export class PersonMicroWishesResolver {
  @FieldResolver(() => MicroWishConnection, { description: '微心愿 this member claimed, newest first.' })
  claimedMicroWishes(@Root() person: Person, @Args() args: ConnectionArgs, @Ctx() ctx: AppContext) {
    return ctx.loaders.connection(microWishesOfPerson, person.id, args, WISH_ORDER);
  }
}
