import { Migration } from '@mikro-orm/migrations';

/**
 * What a year's assessments read of the requests (request.states.ts, assignableWithinSql): the
 * ledger entries of the year that made someone the assignee, and the requests that came in that
 * year. Without these they read every request of the community's history with a ledger look-up
 * each, more with every year.
 *
 * - request_event_assigned_at_index: the entries that set an assignee, by time (partial: a few of
 *   a request's entries, none of its comments, steps and ratings).
 * - request_created_at_index: the requests by arrival.
 * - Statistics on the two assignee fields of an entry (expression statistics, PostgreSQL 14+):
 *   without them the planner takes every entry of the year to set one (its default for IS NOT NULL
 *   on an expression), five times too many, and prices the statements past jit thresholds and into
 *   hash joins over the whole table. ANALYZE fills them now; autovacuum keeps them.
 */
export class Migration20270101500000_request_ledger_assignment_index extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create index "request_event_assigned_at_index" on "request_event" ("created_at") where ("data"->'set'->>'assigneePersonId') is not null or ("data"->'set'->>'assigneeUnitId') is not null;`,
    );
    this.addSql(`create index "request_created_at_index" on "request" ("created_at");`);
    this.addSql(`create statistics "request_event_assignee_person_stats" on (("data"->'set'->>'assigneePersonId')) from "request_event";`);
    this.addSql(`create statistics "request_event_assignee_unit_stats" on (("data"->'set'->>'assigneeUnitId')) from "request_event";`);
    this.addSql(`analyze "request_event";`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop statistics if exists "request_event_assignee_unit_stats";`);
    this.addSql(`drop statistics if exists "request_event_assignee_person_stats";`);
    this.addSql(`drop index if exists "request_created_at_index";`);
    this.addSql(`drop index if exists "request_event_assigned_at_index";`);
  }
}
