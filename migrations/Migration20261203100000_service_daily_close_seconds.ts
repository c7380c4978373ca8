import { Migration } from '@mikro-orm/migrations';

/** service_daily cells recomputed from the records: close_seconds_sum over records matching `filter`. */
const recomputeCloseSeconds = (filter: string) => `update service_daily d set close_seconds_sum = c.close_seconds_sum
  from (
    select (r.received_at at time zone 'Asia/Shanghai')::date as day, r.item_id, r.community_id, r.resident_groups,
      coalesce(sum(extract(epoch from (r.finished_at - r.received_at))::bigint) filter (where ${filter}), 0)::bigint as close_seconds_sum
    from service_record r
    group by 1, 2, 3, 4
  ) c
  where (d.day, d.item_id, d.community_id, d.resident_groups) = (c.day, c.item_id, c.community_id, c.resident_groups)
    and d.close_seconds_sum <> c.close_seconds_sum;`;

/**
 * service_daily.close_seconds_sum also summed CANCELLED records that had a finished_at, while
 * averageCloseHours divides it by `finished` (status FINISHED only): averages came out too high.
 * The roll-up code now sums FINISHED records only; this recomputes the stored sums to match
 * (one pass over the records; only cells that change are written).
 */
export class Migration20261203100000_service_daily_close_seconds extends Migration {
  override async up(): Promise<void> {
    this.addSql(recomputeCloseSeconds(`r.status = 'FINISHED' and r.finished_at is not null`));
  }

  override async down(): Promise<void> {
    this.addSql(recomputeCloseSeconds('r.finished_at is not null'));
  }
}
