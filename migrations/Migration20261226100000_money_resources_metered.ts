import { Migration } from '@mikro-orm/migrations';

/**
 * Cash is counted in yuan (list.rules.ts `meteredQuantity`): a MONEY resource listed by its value
 * alone was unmetered, so projectSuggestions offered its value to every suggestion while an
 * acceptance took nothing of it, and the same cash funded every project accepted. Such rows, made
 * before the rule, get their value as their quantity; new ones cannot be made. Down leaves them
 * metered (which rows had no quantity is not kept, and metered is what they should have been).
 */
export class Migration20261226100000_money_resources_metered extends Migration {
  override async up(): Promise<void> {
    this.addSql(`update "list_item" set "quantity" = "value" where "kind" = 'RESOURCE' and "resource_type" = 'MONEY' and "quantity" is null and "value" is not null;`);
  }

  override async down(): Promise<void> {
    // Nothing to undo: see above.
  }
}
