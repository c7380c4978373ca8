import { Migration } from '@mikro-orm/migrations';

/**
 * import_run.status INTERRUPTED: a run whose importer stopped before the end (killed, connection
 * lost). Before, such a run read RUNNING for ever; markInterruptedRuns (import.ts) now tells it
 * from a live one by the advisory lock a live importer holds.
 */
export class Migration20261204230000_import_run_interrupted extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "import_run" drop constraint "import_run_status_check";`);
    this.addSql(`alter table "import_run" add constraint "import_run_status_check" check ("status" in ('RUNNING', 'SUCCEEDED', 'FAILED', 'INTERRUPTED'));`);
  }

  override async down(): Promise<void> {
    this.addSql(`update "import_run" set "status" = 'RUNNING' where "status" = 'INTERRUPTED';`);
    this.addSql(`alter table "import_run" drop constraint "import_run_status_check";`);
    this.addSql(`alter table "import_run" add constraint "import_run_status_check" check ("status" in ('RUNNING', 'SUCCEEDED', 'FAILED'));`);
  }
}
