import { Arg, Args, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { NamedOrderField } from '../../common/inputs';
import { ConnectionArgs, ConnectionType, OrderDirection } from '../../common/pagination';
import { maskName, maskPhone } from '../../common/privacy';
import type { AppContext } from '../../context/context';
import { RevealArg, areaPathOf, personalField } from '../identity/personal-data';
import { Area, Community } from '../area/area.entity';
import { Unit } from './unit.entity';
import { CreateUnitInput, UnitListArgs, UpdateUnitInput } from './unit.inputs';
import { unitsWithin } from './unit.relations';
import { unitService } from './unit.service';

const unitSubject = (ctx: AppContext, unit: Unit) => ({ typeName: 'Unit', id: unit.id, areaPath: () => areaPathOf(ctx, unit.area?.id) });

export const UnitConnection = ConnectionType(Unit, 'Unit');
const BY_NAME = { property: NamedOrderField.NAME, direction: OrderDirection.ASC };

@Resolver(() => Unit)
export class UnitResolver {
  @Query(() => UnitConnection, { description: '驻区单位 / 结对共建单位' })
  units(@Args() args: UnitListArgs, @Ctx() ctx: AppContext) {
    return unitService.list(ctx, args);
  }

  @Mutation(() => Unit)
  createUnit(@Arg('input') input: CreateUnitInput, @Ctx() ctx: AppContext) {
    return unitService.create(ctx, input);
  }

  @Mutation(() => Unit)
  updateUnit(@Arg('id', () => ID) id: string, @Arg('input') input: UpdateUnitInput, @Ctx() ctx: AppContext) {
    return unitService.update(ctx, id, input);
  }

  @FieldResolver(() => Area, { nullable: true, description: 'Where it sits; null for a unit from outside the district.' })
  area(@Root() unit: Unit, @Ctx() ctx: AppContext) {
    return unit.area ? ctx.loaders.byId(Area).load(unit.area.id) : null;
  }

  @FieldResolver(() => String, { nullable: true, description: 'Name of the liaison (联络人): a person, so masked like a resident\'s name (王**) unless revealed.' })
  contactName(@Root() unit: Unit, @RevealArg() reveal: boolean, @Ctx() ctx: AppContext) {
    return personalField(ctx, unitSubject(ctx, unit), 'contactName', unit.contactName, maskName, reveal);
  }

  @FieldResolver(() => String, { nullable: true, description: 'Masked, e.g. 138****5678, unless revealed.' })
  contactPhone(@Root() unit: Unit, @RevealArg() reveal: boolean, @Ctx() ctx: AppContext) {
    return personalField(ctx, unitSubject(ctx, unit), 'contactPhone', unit.contactPhone, maskPhone, reveal);
  }
}

@Resolver(() => Community)
export class CommunityUnitsResolver {
  @FieldResolver(() => UnitConnection, { description: 'Units sitting in the community (its grids and buildings included), by name.' })
  units(@Root() community: Community, @Args() args: ConnectionArgs, @Ctx() ctx: AppContext) {
    return ctx.loaders.connection(unitsWithin, community.path, args, BY_NAME);
  }

  @FieldResolver(() => Int)
  unitCount(@Root() community: Community, @Ctx() ctx: AppContext) {
    return ctx.loaders.count(unitsWithin).load(community.path);
  }
}
