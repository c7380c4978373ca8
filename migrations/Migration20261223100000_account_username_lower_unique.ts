import { Migration } from '@mikro-orm/migrations';

/**
 * Usernames are unique whatever their case: a unique index on lower(username), so no account can
 * be a lookalike of another (Wang.Li next to wang.li) even if a write skipped createAccountIn's
 * rule (src/modules/identity/username.ts: new usernames are stored trimmed and lower-cased). The
 * case-sensitive key stays: the entity declares it and it costs little.
 *
 * A database may already hold accounts that differ only by case, made before the rule. This
 * migration then does not refuse: migrations run when the server starts, so refusing would keep
 * every member of staff out until someone renamed accounts by hand in SQL (the API cannot rename
 * an account), and renaming them here would change names people sign in with and split their
 * audit trail (`account:<username>`). Those accounts are left as they are and only they are
 * left out of the index (a partial index naming their ids), and a warning names them so an
 * administrator can deactivate the one that should not exist. They keep signing in as before
 * with their name typed exactly as stored; typed any other way their name is ambiguous and signs
 * in nobody (findAccountByUsername). Every other account, and every new one, is in the index.
 */
export class Migration20261223100000_account_username_lower_unique extends Migration {
  override async up(): Promise<void> {
    // No account may be added between the look and the index (a SHARE lock lets reads go on).
    await this.execute(`lock table "account" in share mode`);
    const clashes = (await this.execute(
      `select lower("username") as canonical, array_agg("id" order by "id") as ids, string_agg(format('%L (id %s)', "username", "id"), ', ' order by "id") as accounts
        from "account" group by lower("username") having count(*) > 1 order by 1`,
    )) as { canonical: string; ids: number[]; accounts: string }[];
    if (clashes.length === 0) {
      this.addSql(`create unique index "account_username_lower_unique" on "account" (lower("username"));`);
      return;
    }
    const ids = clashes.flatMap((clash) => clash.ids.map(Number));
    console.warn(
      `Migration20261223100000: accounts whose usernames differ only by case are left out of the case-insensitive unique index: ${clashes.map((clash) => clash.accounts).join('; ')}. ` +
        'They still sign in with the name typed exactly as stored; deactivate (setAccountActive) any that should not exist.',
    );
    this.addSql(`create unique index "account_username_lower_unique" on "account" (lower("username")) where "id" not in (${ids.join(', ')});`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop index if exists "account_username_lower_unique";`);
  }
}
