import type { DemandCell } from '../../../analytics';
import type { AppContext } from '../../context/context';
import { pathCondition } from '../identity/access';
import { GROUP_BITS } from '../service-data/resident-groups';
import { ResidentGroup } from '../../common/resident-group';

/**
 * THE one place suggestions get their demand from: one cell per (category × community) in the
 * scope and period, with a score C and a volume n.
 *
 * INTERIM UNTIL rankDemand LANDS (the demand-ranking branch). This reads the daily roll-ups
 * directly (service_daily joined to service_item → its second-level category, plus
 * request_daily) and scores each cell by its volume share: C = n / (largest n in the answer).
 * When the ranking is merged, replace the body with
 *   rankDemand(db, { from, to, areaPaths: scope.paths, groupBy: ['CATEGORY', 'COMMUNITY'],
 *     sources: 'BOTH', includeConsultations: false, minSupport: 1, topN: <all>, now: ctx.now() })
 * and map each row to a DemandCell: categoryId/communityId from row.key, volume from
 * metrics.volume, score = row.score (TOPSIS), vulnerableShare from metrics.vulnerableShare,
 * metrics = row.metrics, label = row.label; and set SCORE_SOURCE to the TOPSIS wording.
 */

export interface DemandScope {
  /** Area-path prefixes to restrict to (from authorizeArea), or null for everything. */
  paths: string[] | null;
}

export interface DemandPeriod {
  /** First and last China-time day, YYYY-MM-DD, inclusive. */
  from: string;
  to: string;
}

export interface DemandCells {
  cells: DemandCell[];
  /** How C was computed, stated in every suggestion's assumptions. */
  scoreSource: string;
  /** The latest day with any record in the period (null when none), and the roll-up rows read. */
  snapshot: { latestDay: string | null; rowsRead: number };
}

export const SCORE_SOURCE = 'interim volume share, C = n / (the largest n among the cells in scope), until the demand ranking (TOPSIS) is merged';

/** Residents the benefit weighs up (ANALYTICS.md "vulnerability"): elderly, children, disabled, low income. */
const VULNERABLE_MASK = [ResidentGroup.ELDERLY, ResidentGroup.CHILDREN, ResidentGroup.DISABLED, ResidentGroup.LOW_INCOME].reduce((mask, group) => mask | GROUP_BITS[group], 0);

type Row = Record<string, string | number | null>;
const num = (value: unknown) => Number(value ?? 0);

export async function loadDemandCells(ctx: AppContext, scope: DemandScope, period: DemandPeriod): Promise<DemandCells> {
  // The communities first, as a plain list: a `community_id in (select … where path like …)` lets the
  // planner guess one community and walk the roll-up per community (measured 5-8× slower).
  const where = pathCondition(scope.paths, 'a.path');
  const communityIds = (await ctx.em.execute<Row[]>(`select a.id from area a where a.level = 'COMMUNITY' and ${where.sql}`, where.bindings)).map((row) => num(row.id));
  if (communityIds.length === 0) return { cells: [], scoreSource: SCORE_SOURCE, snapshot: { latestDay: null, rowsRead: 0 } };
  const params = [period.from, period.to, `{${communityIds.join(',')}}`];
  const [services, requests] = await Promise.all([
    // Aggregated per item first (a few thousand rows), then mapped to categories.
    ctx.em.execute<Row[]>(
      `select i.category_id, s.community_id, sum(s.demands)::bigint as demands, sum(s.consultations)::bigint as consultations, sum(s.vulnerable)::bigint as vulnerable,
              sum(s.open)::bigint as open, sum(s.satisfaction_sum)::bigint as satisfaction_sum, sum(s.satisfaction_count)::bigint as satisfaction_count,
              max(s.latest)::text as latest, sum(s.rows)::bigint as rows
         from (select d.item_id, d.community_id, sum(d.count - d.consultations) as demands, sum(d.consultations) as consultations,
                      sum(case when d.resident_groups & ${VULNERABLE_MASK} <> 0 then d.count - d.consultations else 0 end) as vulnerable,
                      sum(d.open) as open, sum(d.satisfaction_sum) as satisfaction_sum, sum(d.satisfaction_count) as satisfaction_count,
                      max(d.day) as latest, count(*) as rows
                 from service_daily d
                where d.day between ? and ? and d.community_id = any(?::int[])
                group by 1, 2) s
         join service_item i on i.id = s.item_id
        group by 1, 2`,
      params,
    ),
    ctx.em.execute<Row[]>(
      `select d.category_id, d.community_id, sum(d.count)::bigint as demands,
              sum(case when d.resident_groups & ${VULNERABLE_MASK} <> 0 then d.count else 0 end)::bigint as vulnerable,
              sum(d.open)::bigint as open, sum(d.satisfaction_sum)::bigint as satisfaction_sum, sum(d.satisfaction_count)::bigint as satisfaction_count,
              max(d.day)::text as latest, count(*)::bigint as rows
         from request_daily d
        where d.day between ? and ? and d.community_id = any(?::int[])
        group by 1, 2`,
      params,
    ),
  ]);
  interface Acc { categoryId: number; communityId: number; services: number; requests: number; consultations: number; vulnerable: number; open: number; satisfactionSum: number; satisfactionCount: number }
  const byKey = new Map<string, Acc>();
  let latestDay: string | null = null;
  let rowsRead = 0;
  const add = (row: Row, source: 'services' | 'requests') => {
    const key = `${row.category_id}:${row.community_id}`;
    let acc = byKey.get(key);
    if (!acc) byKey.set(key, (acc = { categoryId: num(row.category_id), communityId: num(row.community_id), services: 0, requests: 0, consultations: 0, vulnerable: 0, open: 0, satisfactionSum: 0, satisfactionCount: 0 }));
    acc[source] += num(row.demands);
    acc.consultations += num(row.consultations);
    acc.vulnerable += num(row.vulnerable);
    acc.open += num(row.open);
    acc.satisfactionSum += num(row.satisfaction_sum);
    acc.satisfactionCount += num(row.satisfaction_count);
    if (row.latest && (latestDay === null || String(row.latest) > latestDay)) latestDay = String(row.latest);
    rowsRead += num(row.rows);
  };
  services.forEach((row) => add(row, 'services'));
  requests.forEach((row) => add(row, 'requests'));

  const accs = [...byKey.values()].filter((acc) => acc.services + acc.requests > 0);
  const names = await labels(ctx, accs);
  const largest = Math.max(0, ...accs.map((acc) => acc.services + acc.requests));
  const cells = accs.map((acc): DemandCell => {
    const volume = acc.services + acc.requests;
    return {
      categoryId: acc.categoryId,
      communityId: acc.communityId,
      volume,
      score: largest > 0 ? volume / largest : 0,
      vulnerableShare: volume > 0 ? acc.vulnerable / volume : 0,
      metrics: {
        volume,
        serviceDemands: acc.services,
        requests: acc.requests,
        consultations: acc.consultations,
        open: acc.open,
        vulnerableShare: volume > 0 ? acc.vulnerable / volume : 0,
        satisfactionAverage: acc.satisfactionCount > 0 ? Math.round((acc.satisfactionSum / acc.satisfactionCount) * 100) / 100 : null,
      },
      label: `${names.categories.get(acc.categoryId) ?? acc.categoryId} · ${names.communities.get(acc.communityId) ?? acc.communityId}`,
    };
  });
  cells.sort((a, b) => a.communityId - b.communityId || a.categoryId - b.categoryId);
  return { cells, scoreSource: SCORE_SOURCE, snapshot: { latestDay, rowsRead } };
}

async function labels(ctx: AppContext, accs: { categoryId: number; communityId: number }[]): Promise<{ categories: Map<number, string>; communities: Map<number, string> }> {
  const categoryIds = [...new Set(accs.map((acc) => acc.categoryId))];
  const communityIds = [...new Set(accs.map((acc) => acc.communityId))];
  const [categories, communities] = await Promise.all([
    categoryIds.length ? ctx.em.execute<Row[]>(`select id, name from request_category where id in (${categoryIds.map(() => '?').join(', ')})`, categoryIds) : [],
    communityIds.length ? ctx.em.execute<Row[]>(`select id, name from area where id in (${communityIds.map(() => '?').join(', ')})`, communityIds) : [],
  ]);
  return {
    categories: new Map(categories.map((row) => [num(row.id), String(row.name)])),
    communities: new Map(communities.map((row) => [num(row.id), String(row.name)])),
  };
}
