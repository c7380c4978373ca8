import type { FilterQuery } from '@mikro-orm/postgresql';
import { badInput, conflict } from '../../common/errors';
import { loadByGlobalId, loadOptional } from '../../common/lookup';
import { applyPatch, inTransaction, sameConflictWhenRaced } from '../../common/transaction';
import type { AppContext } from '../../context/context';
import { RequestCategory } from './category.entity';
import type { CreateRequestCategoryInput, UpdateRequestCategoryInput } from './category.inputs';

/** The two-level request category catalogue. */
export const categoryService = {
  list(ctx: AppContext, options: { parentId?: number | null; includeInactive?: boolean }): Promise<RequestCategory[]> {
    const where: FilterQuery<RequestCategory> = {};
    if (options.parentId !== undefined) where.parent = options.parentId;
    if (!options.includeInactive) where.active = true;
    return ctx.em.find(RequestCategory, where, { orderBy: { code: 'ASC' } });
  },

  async create(ctx: AppContext, input: CreateRequestCategoryInput): Promise<RequestCategory> {
    const codeTaken = () => conflict(`a category with code "${input.code}" already exists`, 'input.code');
    // One racing past the check hits the code's unique key: the same answer (sameConflictWhenRaced).
    return sameConflictWhenRaced(inTransaction(ctx, async (em) => {
      if (await em.count(RequestCategory, { code: input.code })) throw codeTaken();
      const parent = await loadOptional(em, RequestCategory, input.parentId, 'input.parentId');
      if (parent?.parent) throw badInput('input.parentId', 'the catalogue has two levels: the parent must be a first-level category');
      const { parentId: _parentId, ...fields } = input;
      const category = em.create(RequestCategory, { ...fields, parent });
      await em.flush();
      return category;
    }), 'input.code', codeTaken);
  },

  async update(ctx: AppContext, id: string, input: UpdateRequestCategoryInput): Promise<RequestCategory> {
    return inTransaction(ctx, async (em) => {
      const category = await loadByGlobalId(em, RequestCategory, id, 'id');
      applyPatch(category, input, ['name', 'active']);
      await em.flush();
      return category;
    });
  },
};
