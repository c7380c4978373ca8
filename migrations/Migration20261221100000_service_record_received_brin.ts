import { Migration } from '@mikro-orm/migrations';

/**
 * A BRIN index on service_record.received_at: records arrive about in time order, so a summary
 * per 32 pages lets a refresh of some days (a change of the working-day calendar) read those days'
 * pages instead of the whole table. A few hundred KB at 10M records and nearly free to keep on
 * import (new pages are summarized when a refresh asks, brin_summarize_new_values), unlike a
 * b-tree, which the import would pay for on every row.
 */
export class Migration20261221100000_service_record_received_brin extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create index "service_record_received_at_brin" on "service_record" using brin ("received_at") with (pages_per_range = 32);`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop index if exists "service_record_received_at_brin";`);
  }
}
