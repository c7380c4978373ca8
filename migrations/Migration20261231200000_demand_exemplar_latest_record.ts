import { Migration } from '@mikro-orm/migrations';

/** Frozen copy of demand-rollups.ts's exemplarKey: the time (epoch µs in 19 digits), the reference's length + 100, the reference. */
const KEY = (latest: string, exemplar: string) =>
  `(((date_part('epoch', ${latest}) * 1000000)::bigint + 2000000000000000000)::text || (length(${exemplar}) + 100)::text || ${exemplar}) collate "C"`;
const OF_KEY = (key: string) => `substr(${key}, 23)`;

/** Per China day, category and community (or grid) and demand source: the latest demand and its reference; frozen. */
const LATEST_DEMANDS = (grid: boolean) => `
    select (r.received_at at time zone 'Asia/Shanghai')::date as day, 1 as source, i.category_id, ${grid ? 'r.grid_id' : 'r.community_id'} as area_id,
      max(r.received_at) as latest, ${OF_KEY(`max(${KEY('r.received_at', `'S:' || r.source || ':' || r.source_id`)})`)} as exemplar
    from service_record r join service_item i on i.id = r.item_id
    where not i.is_consultation ${grid ? 'and r.grid_id is not null' : ''}
    group by 1, 2, 3, 4
    union all
    select (q.created_at at time zone 'Asia/Shanghai')::date, 2, q.category_id,
      ${grid ? `nullif(split_part(a.path, '/', 5), '')::int` : `split_part(a.path, '/', 4)::int`},
      max(q.created_at), ${OF_KEY(`max(${KEY('q.created_at', `'R:' || lpad(q.id::text, 12, '0')`)})`)}
    from request q join area a on a.id = q.area_id
    where split_part(a.path, '/', 4) <> '' ${grid ? `and split_part(a.path, '/', 5) <> ''` : ''}
    group by 1, 2, 3, 4`;

/**
 * A demand roll-up row's `exemplar` (the evidence a ranking row shows, "the latest example") was
 * the greatest record reference compared as text: `S:x:9` over `S:x:10`, and not necessarily the
 * record received at the row's `latest`. It is now the latest demand itself, ties by the longer
 * then greater reference (demand-rollups.ts, exemplarKey). This recomputes every stored row's
 * exemplar that way, both sources, the monthly rows from the daily ones: the incremental
 * roll-ups combine a stored row's exemplar with a batch's by its `latest`, so rows left with the
 * old meaning would stay wrong. `npm run rollups:rebuild` gives the same (reads every record once).
 */
export class Migration20261231200000_demand_exemplar_latest_record extends Migration {
  override async up(): Promise<void> {
    for (const [daily, monthly, areaColumn, grid] of [
      ['demand_daily', 'demand_monthly', 'community_id', false],
      ['demand_grid_daily', 'demand_grid_monthly', 'grid_id', true],
    ] as const) {
      this.addSql(`update ${daily} d set latest = x.latest, exemplar = x.exemplar from (${LATEST_DEMANDS(grid)}) x
        where d.source = x.source and d.day = x.day and d.category_id = x.category_id and d.${areaColumn} = x.area_id;`);
      this.addSql(`update ${monthly} m set latest = x.latest, exemplar = x.exemplar from (
          select date_trunc('month', day)::date as month, source, category_id, ${areaColumn} as area_id, max(latest) as latest, ${OF_KEY(`max(${KEY('latest', 'exemplar')})`)} as exemplar
          from ${daily} group by 1, 2, 3, 4) x
        where m.source = x.source and m.month = x.month and m.category_id = x.category_id and m.${areaColumn} = x.area_id;`);
    }
  }

  override async down(): Promise<void> {
    // The greatest reference as text is not worth restoring: it was the fault.
  }
}
