import { Migration } from '@mikro-orm/migrations';

/**
 * Sign-in lockout (account.failed_sign_ins, sign_in_locked_until) and refresh-token families
 * (refresh_token.family, spent_at): see SIGN_IN_LOCKOUT and refresh() in identity.service.ts.
 * A token stored before this is its own family; one spent before it stays revoked, as it was.
 */
export class Migration20261204200000_sign_in_lockout_token_families extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "account" add column "failed_sign_ins" int not null default 0, add column "sign_in_locked_until" timestamptz null;`);
    this.addSql(`alter table "refresh_token" add column "family" varchar(32) null, add column "spent_at" timestamptz null;`);
    this.addSql(`update "refresh_token" set "family" = md5('refresh_token:' || "id");`);
    this.addSql(`alter table "refresh_token" alter column "family" set not null;`);
    this.addSql(`create index "refresh_token_family_index" on "refresh_token" ("family");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop index "refresh_token_family_index";`);
    this.addSql(`alter table "refresh_token" drop column "family", drop column "spent_at";`);
    this.addSql(`alter table "account" drop column "failed_sign_ins", drop column "sign_in_locked_until";`);
  }
}
