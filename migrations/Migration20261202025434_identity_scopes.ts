import { Migration } from '@mikro-orm/migrations';

export class Migration20261202025434_identity_scopes extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "personal_data_access" ("id" serial primary key, "created_at" timestamptz not null, "updated_at" timestamptz not null, "actor" varchar(80) not null, "request_id" varchar(100) not null, "subject_id" varchar(100) not null, "field" varchar(60) not null);`);
    this.addSql(`create index "personal_data_access_subject_id_index" on "personal_data_access" ("subject_id");`);
    this.addSql(`create index "personal_data_access_created_at_index" on "personal_data_access" ("created_at");`);
    // An audit log nobody can quietly edit.
    this.addSql(`create function personal_data_access_append_only() returns trigger language plpgsql as $$ begin raise exception 'personal_data_access is append-only (% refused)', tg_op; end $$;`);
    this.addSql(`create trigger personal_data_access_append_only before update or delete on "personal_data_access" for each row execute function personal_data_access_append_only();`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop trigger if exists personal_data_access_append_only on "personal_data_access";`);
    this.addSql(`drop function if exists personal_data_access_append_only();`);
    this.addSql(`drop table if exists "personal_data_access" cascade;`);
  }

}
