import { Migration } from '@mikro-orm/migrations';

/**
 * idempotency_key: mutations sent with an `Idempotency-Key` header and the answers they got, so a
 * client retrying after a lost answer (a grid worker's phone between cells) gets that answer, not
 * a second request, redemption or wish (src/idempotency).
 */
export class Migration20261228100000_idempotency_keys extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table "idempotency_key" ("id" serial primary key, "account_id" int not null, "key" varchar(100) not null, "fingerprint" varchar(64) not null, "response" jsonb null, "status" smallint null, "created_at" timestamptz not null);`);
    this.addSql(`create index "idempotency_key_created_at_index" on "idempotency_key" ("created_at");`);
    this.addSql(`alter table "idempotency_key" add constraint "idempotency_key_account_id_key_unique" unique ("account_id", "key");`);
    this.addSql(`alter table "idempotency_key" add constraint "idempotency_key_account_id_foreign" foreign key ("account_id") references "account" ("id") on update cascade on delete cascade;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "idempotency_key" cascade;`);
  }
}
