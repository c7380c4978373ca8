import { Migration } from '@mikro-orm/migrations';

export class Migration20261202034457_mutation_audit extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "mutation_audit" ("id" serial primary key, "created_at" timestamptz not null, "updated_at" timestamptz not null, "actor" varchar(80) not null, "request_id" varchar(100) not null, "operation_name" varchar(100) null, "field" varchar(60) not null, "outcome" varchar(40) not null);`);
    this.addSql(`create index "mutation_audit_field_index" on "mutation_audit" ("field");`);
    this.addSql(`create index "mutation_audit_actor_created_at_index" on "mutation_audit" ("actor", "created_at");`);
    this.addSql(`create function mutation_audit_append_only() returns trigger language plpgsql as $$ begin raise exception 'mutation_audit is append-only (% refused)', tg_op; end $$;`);
    this.addSql(`create trigger mutation_audit_append_only before update or delete on "mutation_audit" for each row execute function mutation_audit_append_only();`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop trigger if exists mutation_audit_append_only on "mutation_audit";`);
    this.addSql(`drop function if exists mutation_audit_append_only();`);
    this.addSql(`drop table if exists "mutation_audit" cascade;`);
  }

}
