import type { EntityManager } from '@mikro-orm/postgresql';
import { badInput, notFound } from '../../common/errors';
import { expectGlobalId } from '../../common/global-id';
import { inTransaction } from '../../common/transaction';
import type { AppContext } from '../../context/context';
import { workerOfUnit } from '../person/unit-worker';
import { PointKind } from '../points/points.entity';
import { awardPoints } from '../points/points.service';
import { Unit } from '../unit/unit.entity';
import { Claim, ClaimStatus, ListItem, ListItemKind, ListItemStatus, ProblemList } from './list.entity';
import type { CancelClaimArgs, ClaimListItemInput } from './list.inputs';
import { CLAIMABLE_KINDS, CLAIM_MOVES, ITEM_MOVES, ITEM_MOVE_OF_CLAIM_MOVE, appendLine, remainingOf } from './list.rules';
import { usedQuantities } from './list.relations';
import { loadByGlobalId, loadForUpdate, lockById } from '../../common/lookup';
import { nextState } from '../../common/state-machine';
import { assertActsFor } from '../identity/access';
import { LIST_ITEMS, assertUnitServes } from '../unit/unit-serves';

type ClaimMove = keyof typeof CLAIM_MOVES;

/**
 * 认领: units take on SERVICE and DEMAND items of the communities they serve (assertUnitServes),
 * drawing on their RESOURCE items. The item and the resource rows are locked (item first, then
 * resource) for the whole transaction, so two concurrent claims cannot both take an item or
 * together spend more of a resource than is left.
 */
export const claimService = {
  async claim(ctx: AppContext, input: ClaimListItemInput): Promise<Claim> {
    if (input.quantity != null && !input.resourceId) throw badInput('input.quantity', 'is how much of a resource the claim uses: give resourceId too');
    return inTransaction(ctx, async (em) => {
      const item = await loadForUpdate(em, ListItem, input.itemId, 'input.itemId');
      if (!CLAIMABLE_KINDS.includes(item.kind)) throw badInput('input.itemId', `units claim SERVICE and DEMAND items, not a ${item.kind} item`);
      const itemStatus = nextState(ITEM_MOVES, 'claim', item.status, `a ${item.kind} item`, 'input.itemId');
      const unit = await loadByGlobalId(em, Unit, input.unitId, 'input.unitId');
      assertActsFor(ctx, { unitId: unit.id });
      // Only the items of a community the unit serves (paired today, or seated in its alliance): the rule micro-wishes follow.
      const list = await em.findOneOrFail(ProblemList, item.list.id);
      await assertUnitServes(em, unit.id, list.community.id, ctx.now(), LIST_ITEMS);
      // The unit's own worker, wherever they live (the caller may not read their community).
      const person = input.personId == null ? null : await workerOfUnit(em, unit.id, input.personId, 'input.personId', `the member carrying out the claim must work at ${unit.name}`);
      const resource = input.resourceId ? await lockResource(em, input.resourceId, unit, list) : null;
      if (resource) await assertEnoughLeft(em, resource, input.quantity ?? null);
      const claim = em.create(Claim, {
        item,
        unit,
        resource,
        person: person ?? null,
        status: ClaimStatus.CLAIMED,
        quantity: input.quantity ?? null,
        note: input.note ?? null,
      });
      item.status = itemStatus;
      await em.flush();
      return claim;
    });
  },

  /** The unit has delivered: CLAIMED → DELIVERED (the item too). */
  deliver(ctx: AppContext, id: string): Promise<Claim> {
    return move(ctx, id, 'deliver', (claim, _item, now) => {
      claim.deliveredAt = now;
    });
  },

  /** The community confirms: DELIVERED → CONFIRMED, the item is CLOSED, the member earns points. */
  confirm(ctx: AppContext, id: string): Promise<Claim> {
    return move(ctx, id, 'confirm', async (claim, item, now, em) => {
      claim.confirmedAt = now;
      item.closedAt = now;
      if (claim.person) await awardPoints(em, { person: claim.person.id, kind: PointKind.CLAIM_CONFIRMED, sourceType: 'Claim', sourceId: claim.id, verifier: ctx.viewer, at: ctx.now() });
    });
  },

  /** Withdrawn before delivery: CLAIMED → CANCELLED, the item is OPEN again and the resource freed. */
  cancel(ctx: AppContext, args: CancelClaimArgs): Promise<Claim> {
    return move(ctx, args.id, 'cancel', (claim) => {
      claim.note = appendLine(claim.note, `取消原因: ${args.reason}`);
    });
  },
};

/** One move of a claim and the matching move of its item, through the transition tables. */
async function move(
  ctx: AppContext,
  id: string,
  action: ClaimMove,
  apply: (claim: Claim, item: ListItem, now: Date, em: EntityManager) => void | Promise<void>,
): Promise<Claim> {
  return inTransaction(ctx, async (em) => {
    const claim = await loadForUpdate(em, Claim, id, 'id');
    assertActsFor(ctx, { unitId: claim.unit.id });
    const claimStatus = nextState(CLAIM_MOVES, action, claim.status, 'a claim');
    const item = (await lockById(em, ListItem, claim.item.id))!;
    item.status = nextState(ITEM_MOVES, ITEM_MOVE_OF_CLAIM_MOVE[action], item.status, `its ${item.kind} item`);
    claim.status = claimStatus;
    await apply(claim, item, ctx.now(), em);
    await em.flush();
    return claim;
  });
}

/**
 * The claiming unit's own RESOURCE item, offered to the item's community (on one of its lists),
 * locked until the transaction ends. Each list is what the unit offered that community: drawn on
 * for another community's item, that community's resource drained through claims it cannot see.
 */
async function lockResource(em: EntityManager, globalId: string, unit: Unit, itemList: ProblemList): Promise<ListItem> {
  const { id } = expectGlobalId(globalId, ['ListItem'], 'input.resourceId');
  const resource = await lockById(em, ListItem, id);
  if (!resource) throw notFound('ListItem', globalId, 'input.resourceId');
  if (resource.kind !== ListItemKind.RESOURCE) throw badInput('input.resourceId', `must be a RESOURCE item, not a ${resource.kind} item`);
  if (resource.unit?.id !== unit.id) throw badInput('input.resourceId', `is not a resource of ${unit.name}`);
  if (resource.status === ListItemStatus.CLOSED) throw badInput('input.resourceId', 'the resource is CLOSED');
  const offeredOn = await em.findOneOrFail(ProblemList, { id: resource.list.id }, { filters: false });
  if (offeredOn.community.id !== itemList.community.id) {
    throw badInput('input.resourceId', `is offered to another community (on its list ${offeredOn.period}): a claim draws on what ${unit.name} offered the item's community`);
  }
  return resource;
}

/** A metered resource needs a quantity, and no more than is left (read after the lock, so it counts concurrent claims). */
async function assertEnoughLeft(em: EntityManager, resource: ListItem, quantity: number | null): Promise<void> {
  if (resource.quantity == null) return;
  const used = (await usedQuantities(em, [resource.id])).get(resource.id) ?? 0;
  const remaining = remainingOf(resource.quantity, used)!;
  if (quantity == null) throw badInput('input.quantity', `is required: the resource is metered (${remaining} left)`);
  if (quantity > remaining) throw badInput('input.quantity', `is more than the resource has left (${remaining} of ${resource.quantity})`);
}
