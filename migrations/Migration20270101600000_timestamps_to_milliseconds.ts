import { Migration } from '@mikro-orm/migrations';

/**
 * Every table's created_at (NodeEntity), and the other timestamps a list pages by: the columns
 * ORDER_TIMESTAMP (src/common/pagination.ts) declares.
 */
const COLUMNS: Record<string, string[]> = {
  area: ['created_at'],
  api_key: ['created_at'],
  import_run: ['created_at'],
  mutation_audit: ['created_at'],
  personal_data_access: ['created_at'],
  point_rule: ['created_at'],
  problem_list: ['created_at'],
  project_template: ['created_at'],
  livelihood_project: ['created_at'],
  project_event: ['created_at'],
  request_category: ['created_at'],
  service_item: ['created_at'],
  service_post: ['created_at'],
  unit: ['created_at'],
  project_funding: ['created_at'],
  person: ['created_at'],
  request: ['created_at', 'due_at'],
  request_event: ['created_at'],
  post_claim: ['created_at'],
  point_entry: ['created_at'],
  party_organization: ['created_at'],
  alliance: ['created_at'],
  activity: ['created_at', 'starts_at'],
  grid_assignment: ['created_at'],
  part_time_member: ['created_at'],
  pairing: ['created_at'],
  micro_wish: ['created_at'],
  list_item: ['created_at'],
  project_resource: ['created_at'],
  claim: ['created_at'],
  alliance_member: ['created_at'],
  activity_participation: ['created_at'],
  account: ['created_at'],
  sign_in_device: ['created_at'],
  refresh_token: ['created_at'],
  unit_registration: ['created_at'],
  whistle: ['created_at'],
  whistle_recipient: ['created_at'],
};

/**
 * Timestamps a list pages by are kept to milliseconds (timestamptz(3)), as a JS Date and so a
 * cursor holds them: a row written with microseconds (SQL `now()`, a COPY, a backfill) was
 * repeated or skipped by a walk through its list. Existing values are truncated, not rounded:
 * the cursors already handed out hold the value node-postgres read, which drops the digits past
 * the millisecond, so each still names its row exactly. (USING rewrites each table once, without
 * firing the append-only row triggers an UPDATE would.)
 */
export class Migration20270101600000_timestamps_to_milliseconds extends Migration {
  override async up(): Promise<void> {
    for (const [table, columns] of Object.entries(COLUMNS)) {
      const changes = columns.map((column) => `alter column "${column}" type timestamptz(3) using date_trunc('milliseconds', "${column}")`);
      this.addSql(`alter table "${table}" ${changes.join(', ')};`);
    }
    // A type change drops the column's planner statistics, and the rewrite does not count towards
    // autovacuum's analyze: a year's `created_at` range (assessments, dashboards) would be guessed.
    this.addSql(`analyze ${Object.keys(COLUMNS).map((table) => `"${table}"`).join(', ')};`);
  }

  override async down(): Promise<void> {
    for (const [table, columns] of Object.entries(COLUMNS)) {
      this.addSql(`alter table "${table}" ${columns.map((column) => `alter column "${column}" type timestamptz`).join(', ')};`);
    }
  }
}
