import { Arg, Args, Ctx, FieldResolver, Float, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { ConnectionArgs, ConnectionType } from '../../common/pagination';
import type { AppContext } from '../../context/context';
import { Area, Community } from '../area/area.entity';
import { RequestCategory } from '../category/category.entity';
import { Request } from '../request/request.entity';
import { Unit } from '../unit/unit.entity';
import { ListItem, ListItemKind, ListItemStatus, ProblemList } from './list.entity';
import {
  AddListItemInput,
  CloseProblemArgs,
  CreateProblemListInput,
  ListItemListArgs,
  ListItemsOfListArgs,
  ProblemListListArgs,
  UpdateListItemInput,
} from './list.inputs';
import { itemsOfList, listStatsLoader, problemListsOfCommunity, usedQuantityLoader } from './list.relations';
import { remainingOf } from './list.rules';
import { ITEM_ORDER, PROBLEM_LIST_ORDER, listItemService, problemListService } from './list.service';

export const ProblemListConnection = ConnectionType(ProblemList, 'ProblemList');
export const ListItemConnection = ConnectionType(ListItem, 'ListItem');

@Resolver(() => ProblemList)
export class ProblemListResolver {
  @Query(() => ProblemListConnection, { description: '四项清单: each community\'s lists per period, newest period first.' })
  problemLists(@Args() args: ProblemListListArgs, @Ctx() ctx: AppContext) {
    return problemListService.list(ctx, args);
  }

  @Mutation(() => ProblemList, { description: 'Opens a community\'s four lists for a period (one per community and period).' })
  createProblemList(@Arg('input') input: CreateProblemListInput, @Ctx() ctx: AppContext) {
    return problemListService.create(ctx, input);
  }

  @FieldResolver(() => Community)
  community(@Root() list: ProblemList, @Ctx() ctx: AppContext) {
    return ctx.loaders.byId(Area).load(list.community.id);
  }

  @FieldResolver(() => ListItemConnection, { description: 'The items, oldest first; `kinds` picks some of the four lists.' })
  items(@Root() list: ProblemList, @Args() args: ListItemsOfListArgs, @Ctx() ctx: AppContext) {
    return ctx.loaders.connection(itemsOfList(args.kinds), list.id, args, ITEM_ORDER);
  }

  @FieldResolver(() => Int, { description: '资源清单: RESOURCE items.' })
  async resourceCount(@Root() list: ProblemList, @Ctx() ctx: AppContext) {
    return (await listStatsLoader(ctx).load(list.id)).countByKind[ListItemKind.RESOURCE];
  }

  @FieldResolver(() => Int, { description: '需求清单: DEMAND items.' })
  async demandCount(@Root() list: ProblemList, @Ctx() ctx: AppContext) {
    return (await listStatsLoader(ctx).load(list.id)).countByKind[ListItemKind.DEMAND];
  }

  @FieldResolver(() => Int, { description: '服务清单: SERVICE items.' })
  async serviceCount(@Root() list: ProblemList, @Ctx() ctx: AppContext) {
    return (await listStatsLoader(ctx).load(list.id)).countByKind[ListItemKind.SERVICE];
  }

  @FieldResolver(() => Int, { description: '问题清单: PROBLEM items.' })
  async problemCount(@Root() list: ProblemList, @Ctx() ctx: AppContext) {
    return (await listStatsLoader(ctx).load(list.id)).countByKind[ListItemKind.PROBLEM];
  }

  @FieldResolver(() => Int, { description: 'PROBLEM items not yet closed out (OPEN, CLAIMED or DELIVERED).' })
  async openProblemCount(@Root() list: ProblemList, @Ctx() ctx: AppContext) {
    return (await listStatsLoader(ctx).load(list.id)).openProblems;
  }

  @FieldResolver(() => Int, { description: 'PROBLEM items past dueAt and not closed out.' })
  async overdueProblemCount(@Root() list: ProblemList, @Ctx() ctx: AppContext) {
    return (await listStatsLoader(ctx).load(list.id)).overdueProblems;
  }

  @FieldResolver(() => Float, { description: 'What the RESOURCE items are worth, in yuan (to the fen), whatever their status: a MONEY item counts its amount (its quantity, the yuan claims and projects draw on; its value if it has no quantity), any other item its stated `value` (for its whole quantity); an item of another kind without a value adds nothing. Quantities of hours, square metres or pieces are never added.' })
  async totalResourceValue(@Root() list: ProblemList, @Ctx() ctx: AppContext) {
    return (await listStatsLoader(ctx).load(list.id)).resourceValue;
  }
}

@Resolver(() => ListItem)
export class ListItemResolver {
  @Query(() => ListItemConnection, { description: 'Items of the four lists, across lists, oldest first.' })
  listItems(@Args() args: ListItemListArgs, @Ctx() ctx: AppContext) {
    return listItemService.list(ctx, args);
  }

  @Mutation(() => ListItem, { description: 'Adds an OPEN item to a list. RESOURCE needs unitId and resourceType; sourceRequestId is for DEMAND, dueAt for PROBLEM.' })
  addListItem(@Arg('input') input: AddListItemInput, @Ctx() ctx: AppContext) {
    return listItemService.add(ctx, input);
  }

  @Mutation(() => ListItem, { description: 'Changes an item that is not CLOSED.' })
  updateListItem(@Arg('id', () => ID) id: string, @Arg('input') input: UpdateListItemInput, @Ctx() ctx: AppContext) {
    return listItemService.update(ctx, id, input);
  }

  @Mutation(() => ListItem, { description: '销号: closes out a PROBLEM item (from OPEN, CLAIMED or DELIVERED) with a note on how it was solved.' })
  closeProblem(@Args() args: CloseProblemArgs, @Ctx() ctx: AppContext) {
    return listItemService.closeProblem(ctx, args);
  }

  @FieldResolver(() => ProblemList)
  list(@Root() item: ListItem, @Ctx() ctx: AppContext) {
    return ctx.loaders.byId(ProblemList).load(item.list.id);
  }

  @FieldResolver(() => RequestCategory, { nullable: true })
  category(@Root() item: ListItem, @Ctx() ctx: AppContext) {
    return item.category ? ctx.loaders.byId(RequestCategory).load(item.category.id) : null;
  }

  @FieldResolver(() => Unit, { nullable: true, description: 'For RESOURCE items: the unit offering it.' })
  unit(@Root() item: ListItem, @Ctx() ctx: AppContext) {
    return item.unit ? ctx.loaders.byId(Unit).load(item.unit.id) : null;
  }

  @FieldResolver(() => Request, { nullable: true, description: 'For DEMAND items drawn from a resident request.' })
  sourceRequest(@Root() item: ListItem, @Ctx() ctx: AppContext) {
    return item.sourceRequest ? ctx.loaders.byId(Request).load(item.sourceRequest.id) : null;
  }

  @FieldResolver(() => Boolean, { description: 'Past dueAt and not CLOSED.' })
  overdue(@Root() item: ListItem, @Ctx() ctx: AppContext) {
    return !!item.dueAt && item.dueAt < ctx.now() && item.status !== ListItemStatus.CLOSED;
  }

  @FieldResolver(() => Float, { nullable: true, description: 'For RESOURCE items: quantity minus what claims (not cancelled) use; null when not metered.' })
  async remainingQuantity(@Root() item: ListItem, @Ctx() ctx: AppContext) {
    if (item.kind !== ListItemKind.RESOURCE || item.quantity == null) return null;
    return remainingOf(item.quantity, await usedQuantityLoader(ctx).load(item.id));
  }
}

@Resolver(() => Community)
export class CommunityProblemListsResolver {
  @FieldResolver(() => ProblemListConnection, { description: '四项清单 of this community, newest period first.' })
  problemLists(@Root() community: Community, @Args() args: ConnectionArgs, @Ctx() ctx: AppContext) {
    return ctx.loaders.connection(problemListsOfCommunity, community.id, args, PROBLEM_LIST_ORDER);
  }
}
