import { Migration } from '@mikro-orm/migrations';

/** The migration that added request.assignee_due_at: dispatches before it ran left it null. */
const ASSIGNEE_DUE_COLUMN_MIGRATION = 'Migration20261230100000_whistle_stop_and_assignee_due';

/**
 * Legacy SUSPENDED rows without `suspended_at` (imported, or written by older code): the clock
 * stopped at their latest SUSPENDED ledger entry, else at their last change. Where they go back to
 * on resume is that entry's `from_status`, when the row does not say. Rows not SUSPENDED keep no
 * suspension time (`resume` clears it). Exported for the tests.
 */
export const BACKFILL_SUSPENDED_AT = `
  update "request" q set
    "suspended_at" = coalesce(e."created_at", q."updated_at"),
    "status_before_suspension" = coalesce(q."status_before_suspension", e."from_status")
  from "request" r left join lateral (
    select x."created_at", x."from_status" from "request_event" x
     where x."request_id" = r."id" and x."kind" = 'SUSPENDED' order by x."sequence" desc limit 1) e on true
  where r."id" = q."id" and q."status" = 'SUSPENDED' and q."suspended_at" is null;`;

export const CLEAR_SUSPENDED_AT = `update "request" set "suspended_at" = null where "status" <> 'SUSPENDED' and "suspended_at" is not null;`;

/** SUSPENDED exactly when the clock stopped at a known time: only suspend and resume move a request in or out of it. */
export const SUSPENDED_AT_CHECK = `("status" = 'SUSPENDED') = ("suspended_at" is not null)`;

/**
 * request.states.ts, assigneeDueOnDispatch, frozen, for the current assignee of a request whose
 * latest dispatch came before request.assignee_due_at existed: the category's hours for the level
 * (its own, else its parent's, else the default: category.rules.ts, hoursAllowed) in calendar
 * hours from the dispatch, when that ends after the `dueAt` the dispatch saw (the last one the
 * ledger set up to it). Since then only RESUME can have moved `dueAt` (a REOPEN, RETURN or
 * ESCALATE after the dispatch leaves the assignee no own due time, and none is backfilled), and it
 * moved the assignee's due time by as much: so the value is `due_at` + (fresh − dueAt then).
 * Rows whose ledger lacks the dispatch or the `dueAt` before it are left as they are (null: dueAt).
 * The category's hours are today's: the database keeps no history of them.
 */
export const BACKFILL_ASSIGNEE_DUE_AT = `
  with cutoff as (
    select coalesce((select max("executed_at") from "mikro_orm_migrations" where "name" = '${ASSIGNEE_DUE_COLUMN_MIGRATION}'), now()) as "at"
  ), legacy as (
    select q."id", q."due_at",
           d."created_at" + (case q."level"
             when 'COMMUNITY' then coalesce(c."community_hours", p."community_hours", 72)
             when 'STREET' then coalesce(c."street_hours", p."street_hours", 120)
             else coalesce(c."district_hours", p."district_hours", 240) end) * interval '1 hour' as "fresh",
           (select (s."data"->'set'->>'dueAt')::timestamptz from "request_event" s
             where s."request_id" = q."id" and s."sequence" <= d."sequence" and s."data"->'set'->>'dueAt' is not null
             order by s."sequence" desc limit 1) as "due_then"
      from "request" q
      join "request_category" c on c."id" = q."category_id"
      left join "request_category" p on p."id" = c."parent_id"
      join lateral (
        select x."sequence", x."created_at" from "request_event" x
         where x."request_id" = q."id" and x."kind" = 'DISPATCHED' order by x."sequence" desc limit 1) d on true
     where q."assignee_due_at" is null and (q."assignee_person_id" is not null or q."assignee_unit_id" is not null)
       and d."created_at" < (select "at" from cutoff)
       and not exists (select 1 from "request_event" y
             where y."request_id" = q."id" and y."sequence" > d."sequence" and y."kind" in ('REOPENED', 'RETURNED', 'ESCALATED'))
  )
  update "request" q set "assignee_due_at" = l."due_at" + (l."fresh" - l."due_then")
    from legacy l
   where l."id" = q."id" and l."fresh" > l."due_then";`;

/**
 * Rows from before the API kept these columns consistent (the migrations before left them as
 * they were):
 * - request.suspended_at: a SUSPENDED request without it was never overdue (pastDue compares the
 *   due time with it) and could not be resumed; it is backfilled (BACKFILL_SUSPENDED_AT) and a
 *   CHECK now holds it there exactly while SUSPENDED.
 * - request.assignee_due_at (Migration20261230100000): members dispatched to before it existed are
 *   given the due time the dispatch would give them now (BACKFILL_ASSIGNEE_DUE_AT).
 */
export class Migration20270101100000_request_suspension_and_assignee_due_backfill extends Migration {
  override async up(): Promise<void> {
    this.addSql(BACKFILL_SUSPENDED_AT);
    this.addSql(CLEAR_SUSPENDED_AT);
    this.addSql(`alter table "request" add constraint "request_suspended_at_check" check (${SUSPENDED_AT_CHECK});`);
    this.addSql(BACKFILL_ASSIGNEE_DUE_AT);
  }

  override async down(): Promise<void> {
    // The backfilled times are what the rules now read: kept.
    this.addSql(`alter table "request" drop constraint if exists "request_suspended_at_check";`);
  }
}
