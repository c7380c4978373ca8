import type { EntityManager, FilterQuery } from '@mikro-orm/postgresql';
import { badInput, conflict } from '../../common/errors';
import { freeTextSearchCondition } from '../../common/privacy';
import { OrderDirection, paginate, type ConnectionResult, type Ordering } from '../../common/pagination';
import { applyPatch, inTransaction, sameConflictWhenRaced } from '../../common/transaction';
import type { AppContext } from '../../context/context';
import { Area, Community } from '../area/area.entity';
import { ALL_AREA_TYPES, loadArea } from '../area/area.service';
import { RequestCategory } from '../category/category.entity';
import { Request } from '../request/request.entity';
import { Unit } from '../unit/unit.entity';
import { ListItem, ListItemKind, ListItemStatus, ProblemList } from './list.entity';
import type { AddListItemInput, CloseProblemArgs, CreateProblemListInput, ListItemListArgs, ProblemListListArgs, UpdateListItemInput } from './list.inputs';
import { FIELDS_ONLY_FOR, ITEM_MOVES, REQUIRED_FOR, appendLine, assertKindKeptWhileUsed, assertQuantityCoversUse, assertQuantityFitsNewType, meteredQuantity, periodBounds, quantityAfterEdit } from './list.rules';
import { usedQuantities } from './list.relations';
import { loadByGlobalId, loadForUpdate, loadOptional } from '../../common/lookup';
import { nextState } from '../../common/state-machine';
import { stopWhistlesOn } from '../whistle/whistle.service';

/** Newest period first; lists of one period by id. */
export const PROBLEM_LIST_ORDER: Ordering = { property: 'startsOn', direction: OrderDirection.DESC };
export const ITEM_ORDER: Ordering = { property: 'id', direction: OrderDirection.ASC };

/** The four lists (四项清单) of communities, one per community and period. */
export const problemListService = {
  async list(ctx: AppContext, args: ProblemListListArgs): Promise<ConnectionResult<ProblemList>> {
    const filter = args.filter ?? {};
    const where: FilterQuery<ProblemList>[] = [];
    if (filter.communityId) where.push({ community: (await loadByGlobalId(ctx.em, Community, filter.communityId, 'filter.communityId')).id });
    if (filter.within) where.push({ community: { path: { $like: `${(await loadArea(ctx.em, filter.within, ALL_AREA_TYPES, 'filter.within')).path}%` } } });
    if (filter.period) where.push({ period: filter.period.trim() });
    return paginate(ctx.em, ProblemList, { $and: where }, PROBLEM_LIST_ORDER, args);
  },

  async create(ctx: AppContext, input: CreateProblemListInput): Promise<ProblemList> {
    const { startsOn, endsOn } = periodBounds(input.period);
    let communityName = '';
    const periodTaken = () => conflict(`${communityName} already has a list for ${input.period}`, 'input.period');
    // One racing past the check hits the (community, period) key: the same answer (sameConflictWhenRaced).
    return sameConflictWhenRaced(inTransaction(ctx, async (em) => {
      const community = await loadByGlobalId(em, Community, input.communityId, 'input.communityId');
      communityName = community.name;
      if (await em.count(ProblemList, { community: community.id, period: input.period })) throw periodTaken();
      const list = em.create(ProblemList, { community, period: input.period, startsOn, endsOn, title: input.title ?? `${community.name} ${input.period} 四项清单` });
      await em.flush();
      return list;
    }), 'input.period', periodTaken);
  },
};

/** Items of the four lists: resources, demands, services and problems. */
export const listItemService = {
  async list(ctx: AppContext, args: ListItemListArgs): Promise<ConnectionResult<ListItem>> {
    const filter = args.filter ?? {};
    const em = ctx.em;
    const where: FilterQuery<ListItem>[] = [];
    if (filter.listId) where.push({ list: (await loadByGlobalId(em, ProblemList, filter.listId, 'filter.listId')).id });
    if (filter.kinds?.length) where.push({ kind: { $in: filter.kinds } });
    if (filter.statuses?.length) where.push({ status: { $in: filter.statuses } });
    if (filter.communityId) where.push({ list: { community: (await loadByGlobalId(em, Community, filter.communityId, 'filter.communityId')).id } });
    if (filter.within) where.push({ list: { community: { path: { $like: `${(await loadArea(em, filter.within, ALL_AREA_TYPES, 'filter.within')).path}%` } } } });
    if (filter.categoryId) {
      const category = await loadByGlobalId(em, RequestCategory, filter.categoryId, 'filter.categoryId');
      where.push({ $or: [{ category: category.id }, { category: { parent: category.id } }] });
    }
    if (filter.unitId) where.push({ unit: (await loadByGlobalId(em, Unit, filter.unitId, 'filter.unitId')).id });
    // Matched on the text the viewer is shown, so a search cannot probe for masked phone or ID numbers.
    if (filter.search?.trim()) where.push(freeTextSearchCondition(ctx.viewer, ['title', 'description'], filter.search));
    if (filter.overdue != null) where.push(overdueCondition(filter.overdue, ctx.now()));
    return paginate(em, ListItem, { $and: where }, ITEM_ORDER, args);
  },

  async add(ctx: AppContext, input: AddListItemInput): Promise<ListItem> {
    assertFieldsFitKind(input.kind, input, true);
    return sameConflictWhenRaced(inTransaction(ctx, async (em) => {
      const list = await loadByGlobalId(em, ProblemList, input.listId, 'input.listId');
      let category = await loadCategory(em, input.categoryId, 'input.categoryId');
      const unit = await loadOptional(em, Unit, input.unitId, 'input.unitId');
      const sourceRequest = input.sourceRequestId ? await loadSourceRequest(em, list, input.sourceRequestId) : null;
      if (sourceRequest && category === undefined) category = await em.findOne(RequestCategory, { id: sourceRequest.category.id });
      const item = em.create(ListItem, {
        list,
        kind: input.kind,
        title: input.title,
        description: input.description ?? null,
        category: category ?? null,
        unit: unit ?? null,
        resourceType: input.resourceType ?? null,
        quantity: input.kind === ListItemKind.RESOURCE ? meteredQuantity(input.resourceType, input.quantity, input.value) : input.quantity ?? null,
        value: input.value ?? null,
        sourceRequest,
        dueAt: input.dueAt ?? null,
        status: ListItemStatus.OPEN,
      });
      await em.flush();
      return item;
    }), 'input.sourceRequestId', alreadyOnList);
  },

  async update(ctx: AppContext, id: string, input: UpdateListItemInput): Promise<ListItem> {
    return inTransaction(ctx, async (em) => {
      const item = await loadForUpdate(em, ListItem, id, 'id');
      if (item.status === ListItemStatus.CLOSED) throw badInput('id', 'a CLOSED item cannot be changed');
      assertFieldsFitKind(item.kind, input, false);
      const { categoryId, ...fields } = input;
      const before = { quantity: item.quantity ?? null, value: item.value ?? null, resourceType: item.resourceType ?? null };
      applyPatch(item, fields, item.kind === ListItemKind.RESOURCE ? ['title', 'resourceType'] : ['title']);
      if (categoryId !== undefined) item.category = (await loadCategory(em, categoryId, 'input.categoryId')) ?? null;
      if (item.kind === ListItemKind.RESOURCE) {
        // Read after the row lock: claims and projects drawing on the resource lock it too.
        const touchesAmount = input.resourceType !== undefined || input.quantity !== undefined || input.value !== undefined;
        const used = touchesAmount ? (await usedQuantities(em, [item.id])).get(item.id) ?? 0 : 0;
        assertKindKeptWhileUsed(before.resourceType, item.resourceType ?? null, used);
        assertQuantityFitsNewType(before, input);
        item.quantity = quantityAfterEdit(before, input, item);
        if (item.quantity !== before.quantity) assertQuantityCoversUse(item.quantity, used);
      }
      await em.flush();
      return item;
    });
  },

  /** 销号: a PROBLEM item is closed out with a note on how it was solved. */
  async closeProblem(ctx: AppContext, args: CloseProblemArgs): Promise<ListItem> {
    return inTransaction(ctx, async (em) => {
      const item = await loadForUpdate(em, ListItem, args.id, 'id');
      if (item.kind !== ListItemKind.PROBLEM) {
        throw badInput('id', `only a PROBLEM item is closed out this way; a ${item.kind} item closes when its claim is confirmed`);
      }
      item.status = nextState(ITEM_MOVES, 'close out', item.status, 'a problem');
      item.closedAt = ctx.now();
      item.description = appendLine(item.description, `销号: ${args.note}`);
      await em.flush();
      // Solved: the whistles blown on it stop their departments' clock (whistle.rules.ts).
      await stopWhistlesOn(em, { problem: item.id }, item.closedAt);
      return item;
    });
  },
};

/** Items past their due time and not closed (true), or the rest (false). */
export function overdueCondition(overdue: boolean, now: Date): FilterQuery<ListItem> {
  return overdue
    ? { dueAt: { $lt: now }, status: { $ne: ListItemStatus.CLOSED } }
    : { $or: [{ dueAt: null }, { dueAt: { $gte: now } }, { status: ListItemStatus.CLOSED }] };
}

/** Kind-specific fields: refused on the wrong kind (when given a value), required where the kind needs them. */
function assertFieldsFitKind(kind: ListItemKind, input: Partial<Record<keyof typeof FIELDS_ONLY_FOR, unknown>>, creating: boolean): void {
  for (const [field, only] of Object.entries(FIELDS_ONLY_FOR)) {
    if (input[field as keyof typeof FIELDS_ONLY_FOR] != null && kind !== only) throw badInput(`input.${field}`, `only a ${only} item has one, not a ${kind} item`);
  }
  if (!creating) return; // an update keeps what the item already has (applyPatch refuses null on required fields)
  for (const field of REQUIRED_FOR[kind] ?? []) {
    if (input[field] == null) throw badInput(`input.${field}`, `is required for a ${kind} item`);
  }
}

/** An active category, or undefined/null passed through. */
async function loadCategory(em: EntityManager, globalId: string | null | undefined, field: string): Promise<RequestCategory | null | undefined> {
  const category = await loadOptional(em, RequestCategory, globalId, field);
  if (category && !category.active) throw badInput(field, `the category ${category.code} is inactive and takes no new items`);
  return category;
}

const alreadyOnList = () => conflict('this request is already on this list', 'input.sourceRequestId');

/** The request a DEMAND is drawn from: located in the list's community, and on the list once only. */
async function loadSourceRequest(em: EntityManager, list: ProblemList, globalId: string): Promise<Request> {
  const request = await loadByGlobalId(em, Request, globalId, 'input.sourceRequestId');
  const community = await em.findOneOrFail(Area, { id: list.community.id });
  const place = await em.findOneOrFail(Area, { id: request.area.id });
  if (!place.path.startsWith(community.path)) throw badInput('input.sourceRequestId', `the request is not located in ${community.name}`);
  if (await em.count(ListItem, { list: list.id, sourceRequest: request.id })) throw alreadyOnList();
  return request;
}
