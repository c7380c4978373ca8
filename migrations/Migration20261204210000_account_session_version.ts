import { Migration } from '@mikro-orm/migrations';

/**
 * account.session_version: access tokens carry it (claim `sv`), and identify() refuses one whose
 * version is not the account's. A password change or reset and a deactivation add one, so they
 * end every session at once, including a token signed in the same second (a time-based cut-off in
 * whole seconds let it through). Tokens issued before this migration carry none: read as 0.
 */
export class Migration20261204210000_account_session_version extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "account" add column "session_version" int not null default 0;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "account" drop column "session_version";`);
  }
}
