import type { EntityManager } from '@mikro-orm/postgresql';
import type DataLoader from 'dataloader';
import type { AppContext } from '../../context/context';
import { byForeignKey } from '../../context/loaders';
import { Claim, ListItem, ListItemKind, ListItemStatus, ProblemList, ResourceType } from './list.entity';
import { USING_CLAIM_STATUSES } from './list.rules';

export const problemListsOfCommunity = byForeignKey('Community.problemLists', ProblemList, 'community');
export const claimsOfItem = byForeignKey('ListItem.claims', Claim, 'item');
export const claimsOnResource = byForeignKey('ListItem.resourceClaims', Claim, 'resource');
export const claimsOfUnit = byForeignKey('Unit.claims', Claim, 'unit');

/** A list's items, optionally of some kinds only (the kinds are part of the loader's name). */
export function itemsOfList(kinds?: readonly ListItemKind[] | null) {
  const chosen = kinds?.length ? [...new Set(kinds)].sort() : null;
  return byForeignKey(`ProblemList.items:${chosen?.join(',') ?? 'all'}`, ListItem, 'list', chosen ? { kind: { $in: chosen } } : undefined);
}

/** Counts and sums of one list, for its at-a-glance fields. */
export interface ListStats {
  countByKind: Record<ListItemKind, number>;
  /** PROBLEM items not yet CLOSED. */
  openProblems: number;
  /** PROBLEM items past dueAt and not CLOSED. */
  overdueProblems: number;
  /** Yuan of the RESOURCE items, to the fen: cash by its quantity (its value if none), other kinds by their stated value. */
  resourceValue: number;
}

/** The stats of many lists in one GROUP BY. */
export function listStatsLoader(ctx: AppContext): DataLoader<number, ListStats> {
  return ctx.loaders.get<number, ListStats>('ProblemList.stats', async (listIds) => {
    const knex = ctx.em.getKnex();
    const query = knex('list_item')
      .select(
        'list_id',
        'kind',
        knex.raw('count(*)::int as total'),
        knex.raw('count(*) filter (where status <> ?)::int as not_closed', [ListItemStatus.CLOSED]),
        knex.raw('count(*) filter (where status <> ? and due_at < ?)::int as overdue', [ListItemStatus.CLOSED, ctx.now()]),
        // Yuan only: cash its amount (its quantity, the yuan claims and projects draw on; else its value), other kinds their
        // stated value; a count of hours, square metres or pieces is never added (totalResourceValue). Added as numeric and
        // given in fen: binary floats summed 1234.56 + 789.12 to 2023.6799999999998 yuan.
        knex.raw('round(coalesce(sum((case when resource_type = ? then coalesce(quantity, value) else value end)::numeric), 0), 2)::float8 as value_sum', [ResourceType.MONEY]),
      )
      .whereIn('list_id', [...listIds])
      .groupBy('list_id', 'kind');
    const rows: { list_id: number; kind: ListItemKind; total: number; not_closed: number; overdue: number; value_sum: number }[] = await ctx.em.execute(query);
    const stats = new Map<number, ListStats>(listIds.map((id) => [id, emptyStats()]));
    for (const row of rows) {
      const entry = stats.get(Number(row.list_id))!;
      entry.countByKind[row.kind] = Number(row.total);
      if (row.kind === ListItemKind.PROBLEM) {
        entry.openProblems = Number(row.not_closed);
        entry.overdueProblems = Number(row.overdue);
      }
      if (row.kind === ListItemKind.RESOURCE) entry.resourceValue = Number(row.value_sum);
    }
    return listIds.map((id) => stats.get(id)!);
  });
}

function emptyStats(): ListStats {
  return {
    countByKind: { [ListItemKind.RESOURCE]: 0, [ListItemKind.DEMAND]: 0, [ListItemKind.SERVICE]: 0, [ListItemKind.PROBLEM]: 0 },
    openProblems: 0,
    overdueProblems: 0,
    resourceValue: 0,
  };
}

/**
 * How much of each resource is taken: by claims (every claim but a cancelled one) and by the
 * livelihood projects counting on it (every project but a cancelled one: ProjectResource), in one
 * statement. Pass the transaction's EntityManager to read inside it (after locking the resource row).
 */
export async function usedQuantities(em: EntityManager, resourceIds: readonly number[]): Promise<Map<number, number>> {
  const used = new Map<number, number>(resourceIds.map((id) => [id, 0]));
  if (resourceIds.length === 0) return used;
  const ids = resourceIds.map(() => '?').join(', ');
  const rows: { resource_id: number; used: number }[] = await em.execute(
    `select resource_id, coalesce(sum(quantity), 0)::float8 as used from (
        select resource_id, quantity from claim where resource_id in (${ids}) and status in (${USING_CLAIM_STATUSES.map(() => '?').join(', ')})
        union all
        select r.resource_id, r.quantity from project_resource r join livelihood_project p on p.id = r.project_id
          where r.resource_id in (${ids}) and p.status <> 'CANCELLED'
      ) taken group by resource_id`,
    [...resourceIds, ...USING_CLAIM_STATUSES, ...resourceIds],
  );
  for (const row of rows) used.set(Number(row.resource_id), Number(row.used));
  return used;
}

/** Batched `usedQuantities` per request, for the remainingQuantity field. */
export function usedQuantityLoader(ctx: AppContext): DataLoader<number, number> {
  return ctx.loaders.get<number, number>('ListItem.usedQuantity', async (ids) => {
    const used = await usedQuantities(ctx.em, ids);
    return ids.map((id) => used.get(id) ?? 0);
  });
}
