import { Migration } from '@mikro-orm/migrations';

/**
 * A reported member (双报到) who changes employer and stays reported keeps the stretch through the
 * old employer in past_report (report-end.ts, splitReportAtEmployerChange), so a past year's
 * assessment stays the old workplace's. Such a stretch did not begin a report, its first day was an
 * employer change: the dashboard's count of members who reported in a period must not count it.
 * Every row before this migration began with a report (reporting, a move, a return), hence false.
 */
export class Migration20270101700000_report_employer_stretches extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "past_report" add column "began_at_employer_change" boolean not null default false;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "past_report" drop column "began_at_employer_change";`);
  }
}
