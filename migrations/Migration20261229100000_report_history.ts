import { Migration } from '@mikro-orm/migrations';

/**
 * History of 双报到 for past years' member assessments: a post claim's end day (ended claims stay as
 * the record of when a post was held; taking a post again is a new claim, so the unique key holds
 * only among active claims) and past_report, the reports that ended (with the employer each was
 * made through: the workplace a past year's member assessment goes to).
 *
 * Claims ended before this migration have no recorded end: they are given their claim day, which
 * keeps what the assessment read of them before (held in the year they were claimed, no later).
 */
export class Migration20261229100000_report_history extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "post_claim" add column "ended_on" date null;`);
    this.addSql(`update "post_claim" set "ended_on" = "claimed_on" where "status" = 'ENDED';`);
    this.addSql(`alter table "post_claim" drop constraint "post_claim_post_id_person_id_unique";`);
    this.addSql(`create unique index "post_claim_active_unique" on "post_claim" ("post_id", "person_id") where "status" = 'ACTIVE';`);
    this.addSql(`create table "past_report" ("id" serial primary key, "person_id" int not null, "community_id" int not null, "reported_on" date not null, "ended_on" date not null, "employer_unit_id" int null);`);
    this.addSql(`create index "past_report_person_id_index" on "past_report" ("person_id");`);
    this.addSql(`create index "past_report_community_id_ended_on_index" on "past_report" ("community_id", "ended_on");`);
    this.addSql(`alter table "past_report" add constraint "past_report_person_id_foreign" foreign key ("person_id") references "person" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "past_report" add constraint "past_report_community_id_foreign" foreign key ("community_id") references "area" ("id") on update cascade on delete restrict;`);
    this.addSql(`alter table "past_report" add constraint "past_report_employer_unit_id_foreign" foreign key ("employer_unit_id") references "unit" ("id") on update cascade on delete set null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "past_report" cascade;`);
    this.addSql(`drop index "post_claim_active_unique";`);
    // Only the latest claim of each post and person survives the old one-claim key.
    this.addSql(`delete from "post_claim" c using "post_claim" later
      where later.post_id = c.post_id and later.person_id = c.person_id and later.id > c.id;`);
    this.addSql(`alter table "post_claim" add constraint "post_claim_post_id_person_id_unique" unique ("post_id", "person_id");`);
    this.addSql(`alter table "post_claim" drop column "ended_on";`);
  }
}
