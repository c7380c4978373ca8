import type { FilterQuery } from '@mikro-orm/postgresql';
import { Field, Float, Int, ObjectType } from 'type-graphql';
import { todayInChina } from '../../common/dates';
import { badInput } from '../../common/errors';
import { loadByGlobalId } from '../../common/lookup';
import type { AppContext } from '../../context/context';
import { Area } from '../area/area.entity';
import { RequestCategory } from '../category/category.entity';
import { Pairing } from '../pairing/pairing.entity';
import { activeOn } from '../pairing/pairing.service';
import { unitsServing } from '../identity/identify';
import { Unit } from '../unit/unit.entity';
import { ListItem, ListItemKind, ListItemStatus, ProblemList } from './list.entity';
import type { ResourceMatchArgs } from './list.inputs';
import { CLAIMABLE_KINDS, ITEM_MOVES, remainingOf, scoreMatch } from './list.rules';
import { usedQuantities } from './list.relations';

@ObjectType({ description: 'A resource suggested for an item, with why.' })
export class ResourceMatch {
  @Field(() => ListItem)
  resource!: ListItem;

  @Field(() => Unit, { description: 'The unit offering it.' })
  unit!: Unit;

  @Field(() => Int, { description: 'Higher is better; the sum of the reasons\' weights.' })
  score!: number;

  @Field(() => [String])
  reasons!: string[];

  @Field(() => Float, { nullable: true, description: 'What is left of it; null when not metered.' })
  remainingQuantity!: number | null;

  @Field(() => Boolean, {
    description:
      'Whether the unit can claim the item today (claimListItem): the item is a SERVICE or DEMAND item still OPEN, and the unit serves its community, paired with it today or seated in its alliance. ' +
      'False for a unit that only sits in the community or its street: its claim is refused until it is paired with the community (createPairing) or seated in its alliance.',
  })
  canClaim!: boolean;
}

/**
 * Resources for an item (资源与需求对接): RESOURCE items on the item's community's lists that are
 * not CLOSED and not used up, offered by units that serve the item's community today (paired with it, or seated in its
 * alliance: the units that can claim it, unitsServing, assertUnitServes's rule) or sitting in its
 * street (candidates to pair with), in the item's category or another under the same first-level
 * category; best first, at equal score those that can claim before those that cannot.
 */
export async function resourceMatches(ctx: AppContext, args: ResourceMatchArgs): Promise<ResourceMatch[]> {
  const em = ctx.em;
  const item = await loadByGlobalId(em, ListItem, args.itemId, 'itemId');
  if (item.kind === ListItemKind.RESOURCE) throw badInput('itemId', 'suggestions are for SERVICE, DEMAND and PROBLEM items; this is a RESOURCE item');
  if (!item.category) return [];
  const category = await em.findOneOrFail(RequestCategory, { id: item.category.id });
  const familyRootId = category.parent?.id ?? category.id;
  const family = await em.find(RequestCategory, { $or: [{ id: familyRootId }, { parent: familyRootId }] });
  const familyRoot = family.find((c) => c.id === familyRootId)!;

  const list = await em.findOneOrFail(ProblemList, { id: item.list.id });
  const community = await em.findOneOrFail(Area, { id: list.community.id });
  const street = community.parent ? await em.findOne(Area, { id: community.parent.id }) : null;
  const today = todayInChina(ctx.now());
  const pairings = await em.find(Pairing, { $and: [{ community: community.id }, activeOn(today)] });
  const pairedUnitIds = new Set(pairings.map((pairing) => pairing.unit.id));
  // Who can claim the item: one statement for every unit, whatever the number of candidates.
  const servingUnitIds = await unitsServing(em, community.id, today);
  // And whether the item itself is claimed at all (claimListItem's first refusals): no unit claims a
  // PROBLEM item, or one already claimed or closed.
  const itemClaimable = CLAIMABLE_KINDS.includes(item.kind) && (ITEM_MOVES.claim.from as readonly ListItemStatus[]).includes(item.status);

  const fromUnits: FilterQuery<ListItem>[] = [{ unit: { $in: [...servingUnitIds] } }];
  if (street) fromUnits.push({ unit: { area: { path: { $like: `${street.path}%` } } } });
  const candidates = await em.find(
    ListItem,
    {
      kind: ListItemKind.RESOURCE,
      // Offered to this community (on one of its lists): what a unit listed for another community is
      // that community's, and claimListItem refuses to draw on it here.
      list: { community: community.id },
      status: { $ne: ListItemStatus.CLOSED },
      category: { $in: family.map((c) => c.id) },
      $or: fromUnits,
    },
    { orderBy: { id: 'ASC' } },
  );
  if (candidates.length === 0) return [];
  const used = await usedQuantities(em, candidates.map((c) => c.id));
  const units = new Map((await em.find(Unit, { id: { $in: [...new Set(candidates.map((c) => c.unit!.id))] } })).map((u) => [u.id, u]));
  const areaIds = [...new Set([...units.values()].flatMap((u) => (u.area ? [u.area.id] : [])))];
  const areas = new Map((areaIds.length ? await em.find(Area, { id: { $in: areaIds } }) : []).map((a) => [a.id, a]));

  const matches: ResourceMatch[] = [];
  for (const resource of candidates) {
    const remaining = remainingOf(resource.quantity, used.get(resource.id) ?? 0);
    if (remaining !== null && remaining <= 0) continue;
    const unit = units.get(resource.unit!.id)!;
    const place = unit.area ? areas.get(unit.area.id) : undefined;
    const { score, reasons } = scoreMatch({
      sameCategory: resource.category!.id === category.id,
      categoryName: category.name,
      familyName: familyRoot.name,
      paired: pairedUnitIds.has(unit.id),
      seatedInAlliance: !pairedUnitIds.has(unit.id) && servingUnitIds.has(unit.id),
      inCommunity: !!place?.path.startsWith(community.path),
      inStreet: !!(street && place?.path.startsWith(street.path)),
      communityName: community.name,
      streetName: street?.name ?? '',
      remaining,
      needed: item.quantity ?? null,
    });
    matches.push({ resource, unit, score, reasons, remainingQuantity: remaining, canClaim: itemClaimable && servingUnitIds.has(unit.id) });
  }
  // Best score first; then units that can claim it; then the most left (unmetered counts as plenty); then the oldest offer.
  matches.sort(
    (a, b) =>
      b.score - a.score ||
      Number(b.canClaim) - Number(a.canClaim) ||
      (b.remainingQuantity ?? Infinity) - (a.remainingQuantity ?? Infinity) ||
      a.resource.id - b.resource.id,
  );
  return matches.slice(0, args.first);
}
