import { Migration } from '@mikro-orm/migrations';

/**
 * A request is drawn into a list as a DEMAND once: the service checks first (for a clear
 * message), and this partial unique index holds when two additions race past that check.
 */
export class Migration20261203110000_list_item_source_request_unique extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create unique index "list_item_list_source_request_unique" on "list_item" ("list_id", "source_request_id") where "source_request_id" is not null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop index if exists "list_item_list_source_request_unique";`);
  }
}
