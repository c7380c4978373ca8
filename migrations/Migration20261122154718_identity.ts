import { Migration } from '@mikro-orm/migrations';

export class Migration20261122154718_identity extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "api_key" ("id" serial primary key, "created_at" timestamptz not null, "updated_at" timestamptz not null, "name" varchar(100) not null, "prefix" varchar(16) not null, "secret_hash" varchar(64) not null, "scope_area_id" int null, "expires_at" timestamptz null, "revoked_at" timestamptz null, "last_used_at" timestamptz null);`);
    this.addSql(`alter table "api_key" add constraint "api_key_prefix_unique" unique ("prefix");`);

    this.addSql(`create table "account" ("id" serial primary key, "created_at" timestamptz not null, "updated_at" timestamptz not null, "username" varchar(60) not null, "display_name" varchar(60) not null, "password_hash" varchar(255) not null, "role" text check ("role" in ('DISTRICT_ADMIN', 'STREET_STAFF', 'COMMUNITY_STAFF', 'GRID_WORKER', 'UNIT_LIAISON', 'PARTY_MEMBER', 'ANALYST', 'PORTAL')) not null, "scope_area_id" int null, "unit_id" int null, "person_id" int null, "active" boolean not null default true, "last_sign_in_at" timestamptz null);`);
    this.addSql(`alter table "account" add constraint "account_username_unique" unique ("username");`);
    this.addSql(`create index "account_scope_area_id_index" on "account" ("scope_area_id");`);

    this.addSql(`create table "refresh_token" ("id" serial primary key, "created_at" timestamptz not null, "updated_at" timestamptz not null, "account_id" int not null, "token_hash" varchar(64) not null, "expires_at" timestamptz not null, "revoked_at" timestamptz null);`);
    this.addSql(`create index "refresh_token_account_id_index" on "refresh_token" ("account_id");`);
    this.addSql(`alter table "refresh_token" add constraint "refresh_token_token_hash_unique" unique ("token_hash");`);

    this.addSql(`alter table "api_key" add constraint "api_key_scope_area_id_foreign" foreign key ("scope_area_id") references "area" ("id") on update cascade on delete restrict;`);

    this.addSql(`alter table "account" add constraint "account_scope_area_id_foreign" foreign key ("scope_area_id") references "area" ("id") on update cascade on delete restrict;`);
    this.addSql(`alter table "account" add constraint "account_unit_id_foreign" foreign key ("unit_id") references "unit" ("id") on update cascade on delete restrict;`);
    this.addSql(`alter table "account" add constraint "account_person_id_foreign" foreign key ("person_id") references "person" ("id") on update cascade on delete set null;`);

    this.addSql(`alter table "refresh_token" add constraint "refresh_token_account_id_foreign" foreign key ("account_id") references "account" ("id") on update cascade on delete cascade;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "refresh_token" drop constraint "refresh_token_account_id_foreign";`);

    this.addSql(`drop table if exists "api_key" cascade;`);

    this.addSql(`drop table if exists "account" cascade;`);

    this.addSql(`drop table if exists "refresh_token" cascade;`);
  }

}
