import { Migration } from '@mikro-orm/migrations';

/**
 * work_calendar: China's working days (weekdays less the statutory holidays, plus the weekend days
 * worked in lieu), so a service item's deadline in working days skips Spring Festival and the
 * National Day week. Created empty: the running code fills it from its calendar data at start-up
 * (syncWorkCalendar, which also recomputes the on-time counts it changes); until then deadlines
 * count Monday-Friday, as before.
 */
export class Migration20261209200000_work_calendar extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table "work_calendar" ("day" date not null, "workday" boolean not null, "workday_ordinal" int not null, "holiday" varchar(20) null, constraint "work_calendar_pkey" primary key ("day"));`);
    this.addSql(`create index "work_calendar_workday_ordinal_index" on "work_calendar" ("workday_ordinal");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "work_calendar" cascade;`);
  }
}
