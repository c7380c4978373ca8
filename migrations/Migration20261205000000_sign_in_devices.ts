import { Migration } from '@mikro-orm/migrations';

/**
 * sign_in_device: device tokens, so that a client that signed in before is not locked out by
 * someone else's wrong passwords for the same username (see SignInDevice and signIn()).
 */
export class Migration20261205000000_sign_in_devices extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table "sign_in_device" ("id" serial primary key, "created_at" timestamptz not null, "updated_at" timestamptz not null, "account_id" int not null, "token_hash" varchar(64) not null, "expires_at" timestamptz not null, "failed_sign_ins" int not null default 0, "sign_in_locked_until" timestamptz null);`);
    this.addSql(`create index "sign_in_device_account_id_index" on "sign_in_device" ("account_id");`);
    this.addSql(`alter table "sign_in_device" add constraint "sign_in_device_token_hash_unique" unique ("token_hash");`);
    this.addSql(`alter table "sign_in_device" add constraint "sign_in_device_account_id_foreign" foreign key ("account_id") references "account" ("id") on update cascade on delete cascade;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "sign_in_device" cascade;`);
  }
}
