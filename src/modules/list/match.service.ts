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
import { Unit } from '../unit/unit.entity';
import { ListItem, ListItemKind, ListItemStatus, ProblemList } from './list.entity';
import type { ResourceMatchArgs } from './list.inputs';
import { remainingOf, scoreMatch } from './list.rules';
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
}

/**
 * Resources for an item (资源与需求对接): RESOURCE items that are not CLOSED and not used up,
 * offered by units paired with the item's community (in force today) or sitting in its street,
 * in the item's category or another under the same first-level category; best first.
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
  const pairings = await em.find(Pairing, { $and: [{ community: community.id }, activeOn(todayInChina(ctx.now()))] });
  const pairedUnitIds = new Set(pairings.map((pairing) => pairing.unit.id));

  const fromUnits: FilterQuery<ListItem>[] = [{ unit: { $in: [...pairedUnitIds] } }];
  if (street) fromUnits.push({ unit: { area: { path: { $like: `${street.path}%` } } } });
  const candidates = await em.find(
    ListItem,
    {
      kind: ListItemKind.RESOURCE,
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
      inCommunity: !!place?.path.startsWith(community.path),
      inStreet: !!(street && place?.path.startsWith(street.path)),
      communityName: community.name,
      streetName: street?.name ?? '',
      remaining,
      needed: item.quantity ?? null,
    });
    matches.push({ resource, unit, score, reasons, remainingQuantity: remaining });
  }
  // Best score first; then the most left (unmetered counts as plenty); then the oldest offer.
  matches.sort((a, b) => b.score - a.score || (b.remainingQuantity ?? Infinity) - (a.remainingQuantity ?? Infinity) || a.resource.id - b.resource.id);
  return matches.slice(0, args.first);
}
