import { Migration } from '@mikro-orm/migrations';

/**
 * whistle.stopped_at: when the matter a whistle was blown on was finished (its request closed out
 * or rejected, its problem closed). The departments' clock stops then (whistle.rules.ts): before,
 * those not yet reported stayed overdue forever. Whistles already blown on a finished matter stop
 * at the first close-out or rejection after their blowing (from the request's ledger), or at the
 * problem's close-out.
 *
 * request.assignee_due_at: the assignee's own due time when they got the request already past
 * dueAt (request.states.ts, assigneeDueAt); null is dueAt, as for every request assigned before.
 */
export class Migration20261230100000_whistle_stop_and_assignee_due extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "whistle" add column "stopped_at" timestamptz null;`);
    this.addSql(`alter table "request" add column "assignee_due_at" timestamptz null;`);
    this.addSql(`update "whistle" w set "stopped_at" = (
      select min(e."created_at") from "request_event" e
       where e."request_id" = w."request_id" and e."kind" in ('CLOSED_OUT', 'REJECTED') and e."created_at" >= w."blown_at")
     where w."request_id" is not null;`);
    this.addSql(`update "whistle" w set "stopped_at" = i."closed_at"
      from "list_item" i where i."id" = w."problem_id" and i."status" = 'CLOSED' and i."closed_at" >= w."blown_at";`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "request" drop column if exists "assignee_due_at";`);
    this.addSql(`alter table "whistle" drop column if exists "stopped_at";`);
  }
}
