import { Migration } from '@mikro-orm/migrations';

/**
 * work_calendar_adjustment: days an administrator set by hand (adjustWorkCalendar), laid over the
 * chinese-days package's calendar: a year's holidays as announced, before the package knows them.
 */
export class Migration20261218100000_work_calendar_adjustments extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table "work_calendar_adjustment" ("day" date not null, "workday" boolean not null, "holiday" varchar(20) null, "updated_at" timestamptz not null, constraint "work_calendar_adjustment_pkey" primary key ("day"));`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "work_calendar_adjustment" cascade;`);
  }
}
