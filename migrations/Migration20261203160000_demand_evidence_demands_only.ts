import { Migration } from '@mikro-orm/migrations';

/** Service records are source 1 in the demand tables (DEMAND_SOURCE.SERVICE_RECORDS). */
const SERVICE_RECORDS = 1;

/** Per China day, category and community (and grid), the latest demand record and its id; frozen. */
const LATEST_DEMANDS = (grid: boolean) => `select (r.received_at at time zone 'Asia/Shanghai')::date as day, i.category_id,
      ${grid ? 'r.grid_id' : 'r.community_id'} as area_id,
      max(r.received_at) filter (where not i.is_consultation) as latest,
      max('S:' || r.source || ':' || r.source_id) filter (where not i.is_consultation) as exemplar
    from service_record r join service_item i on i.id = r.item_id
    ${grid ? 'where r.grid_id is not null' : ''}
    group by 1, 2, 3`;

/**
 * The demand roll-ups' `latest` and `exemplar` (the evidence a ranking row shows) were maxima
 * over every record, consultations too: a cell's evidence could be consultations only, beside a
 * volume that counts none of them. They are now maxima over demands (demand-rollups.ts); this
 * recomputes the stored service-record rows that way (requests are all demands: unchanged), the
 * monthly rows from the daily ones. `npm run rollups:rebuild` gives the same.
 */
export class Migration20261203160000_demand_evidence_demands_only extends Migration {
  override async up(): Promise<void> {
    for (const [daily, monthly, areaColumn, grid] of [
      ['demand_daily', 'demand_monthly', 'community_id', false],
      ['demand_grid_daily', 'demand_grid_monthly', 'grid_id', true],
    ] as const) {
      this.addSql(`update ${daily} d set latest = x.latest, exemplar = x.exemplar from (${LATEST_DEMANDS(grid)}) x
        where d.source = ${SERVICE_RECORDS} and d.day = x.day and d.category_id = x.category_id and d.${areaColumn} = x.area_id;`);
      this.addSql(`update ${monthly} m set latest = x.latest, exemplar = x.exemplar from (
          select date_trunc('month', day)::date as month, category_id, ${areaColumn} as area_id, max(latest) as latest, max(exemplar) as exemplar
          from ${daily} where source = ${SERVICE_RECORDS} group by 1, 2, 3) x
        where m.source = ${SERVICE_RECORDS} and m.month = x.month and m.category_id = x.category_id and m.${areaColumn} = x.area_id;`);
    }
  }

  override async down(): Promise<void> {
    // The earlier maxima over all records are not worth restoring: they were the fault.
  }
}
