import { Migration } from '@mikro-orm/migrations';

/** Each item drawn from a request, with the item kept for its (list, request): the oldest (then lowest id). */
const DRAWN = `select id, first_value(id) over (partition by list_id, source_request_id order by created_at, id) as keep_id
  from list_item where source_request_id is not null`;
const DUPLICATES = `select id, keep_id from (${DRAWN}) d where id <> keep_id`;

/** Item statuses in the order an item moves through them. */
const STATUS_ORDER = `array['OPEN', 'CLAIMED', 'DELIVERED', 'CLOSED']`;

/**
 * A request is drawn into a list as a DEMAND once: the service checks first (for a clear
 * message), and this partial unique index holds when two additions race past that check.
 *
 * The race it closes may already have left duplicates, on which the index would fail to build.
 * So first they are merged into the oldest item of each (list, request): the claims and
 * whistles of the others (the only tables referring to list_item) are repointed to it, it takes
 * the furthest status any of them reached (so a claim moved onto it finds the state it expects),
 * and the others are deleted.
 */
export class Migration20261203110000_list_item_source_request_unique extends Migration {
  override async up(): Promise<void> {
    this.addSql(`update "claim" c set "item_id" = d.keep_id from (${DUPLICATES}) d where c."item_id" = d.id;`);
    this.addSql(`update "claim" c set "resource_id" = d.keep_id from (${DUPLICATES}) d where c."resource_id" = d.id;`);
    this.addSql(`update "whistle" w set "problem_id" = d.keep_id from (${DUPLICATES}) d where w."problem_id" = d.id;`);
    this.addSql(`update "list_item" k set "status" = m.status, "closed_at" = case when m.status = 'CLOSED' then coalesce(k."closed_at", m.closed_at) else k."closed_at" end, "version" = k."version" + 1
      from (select d.keep_id, (${STATUS_ORDER})[max(array_position(${STATUS_ORDER}, i."status"))] as status, max(i."closed_at") as closed_at
              from (${DUPLICATES}) d join "list_item" i on i.id = d.id group by d.keep_id) m
      where k.id = m.keep_id and array_position(${STATUS_ORDER}, m.status) > array_position(${STATUS_ORDER}, k."status");`);
    this.addSql(`delete from "list_item" where "id" in (select id from (${DUPLICATES}) d);`);
    this.addSql(`create unique index "list_item_list_source_request_unique" on "list_item" ("list_id", "source_request_id") where "source_request_id" is not null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop index if exists "list_item_list_source_request_unique";`);
  }
}
