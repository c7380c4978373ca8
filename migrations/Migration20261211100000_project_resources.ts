import { Migration } from '@mikro-orm/migrations';

/**
 * project_resource: the co-building resources (RESOURCE list items) an accepted project counts on,
 * taken from what the items have left while the project is not cancelled. Before it, accepting a
 * second suggestion counted the same 50,000 yuan of a unit's cash again. Projects accepted before
 * this migration commit nothing; their funding is as it was.
 */
export class Migration20261211100000_project_resources extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table "project_resource" ("id" serial primary key, "created_at" timestamptz not null, "updated_at" timestamptz not null, "project_id" int not null, "resource_id" int not null, "quantity" double precision not null);`);
    this.addSql(`create index "project_resource_project_id_index" on "project_resource" ("project_id");`);
    this.addSql(`create index "project_resource_resource_id_index" on "project_resource" ("resource_id");`);
    this.addSql(`alter table "project_resource" add constraint "project_resource_project_id_foreign" foreign key ("project_id") references "livelihood_project" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "project_resource" add constraint "project_resource_resource_id_foreign" foreign key ("resource_id") references "list_item" ("id") on update cascade on delete restrict;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "project_resource" cascade;`);
  }
}
