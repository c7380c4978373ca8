import { Arg, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { expectGlobalId } from '../../common/global-id';
import type { AppContext } from '../../context/context';
import { RequestLevel } from '../request/request.entity';
import { RequestCategory } from './category.entity';
import { CreateRequestCategoryInput, UpdateRequestCategoryInput } from './category.inputs';
import { hoursAllowed } from './category.rules';
import { categoryService } from './category.service';
import { Int } from 'type-graphql';

@Resolver(() => RequestCategory)
export class RequestCategoryResolver {
  @Query(() => [RequestCategory], { description: 'The category catalogue (about 50 entries, so a plain list): first-level categories, or the children of `parentId`.' })
  requestCategories(
    @Arg('parentId', () => ID, { nullable: true }) parentId: string | null,
    @Arg('includeInactive', { defaultValue: false }) includeInactive: boolean,
    @Ctx() ctx: AppContext,
  ) {
    const parent = parentId ? expectGlobalId(parentId, ['RequestCategory'], 'parentId').id : null;
    return categoryService.list(ctx, { parentId: parent, includeInactive });
  }

  @Mutation(() => RequestCategory)
  createRequestCategory(@Arg('input') input: CreateRequestCategoryInput, @Ctx() ctx: AppContext) {
    return categoryService.create(ctx, input);
  }

  @Mutation(() => RequestCategory)
  updateRequestCategory(@Arg('id', () => ID) id: string, @Arg('input') input: UpdateRequestCategoryInput, @Ctx() ctx: AppContext) {
    return categoryService.update(ctx, id, input);
  }

  @FieldResolver(() => RequestCategory, { nullable: true })
  parent(@Root() category: RequestCategory, @Ctx() ctx: AppContext) {
    return category.parent ? ctx.loaders.byId(RequestCategory).load(category.parent.id) : null;
  }

  @FieldResolver(() => [RequestCategory], { description: 'Second-level categories under this one.' })
  children(@Root() category: RequestCategory, @Ctx() ctx: AppContext) {
    return ctx.loaders.get<number, RequestCategory[]>('RequestCategory.children', async (ids) => {
      const rows = await ctx.em.find(RequestCategory, { parent: { $in: [...ids] } }, { orderBy: { code: 'ASC' } });
      return ids.map((id) => rows.filter((row) => row.parent?.id === id));
    }).load(category.id);
  }

  @FieldResolver(() => Int, { description: 'Hours allowed at community level after inheriting from the parent and defaults.' })
  async effectiveCommunityHours(@Root() category: RequestCategory, @Ctx() ctx: AppContext) {
    const parent = category.parent ? await ctx.loaders.byId(RequestCategory).load(category.parent.id) : null;
    return hoursAllowed(category, parent, RequestLevel.COMMUNITY);
  }
}
