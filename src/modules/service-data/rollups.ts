/**
 * The roll-ups analytics reads instead of raw records, and the one definition of how they
 * are computed: the incremental path (each import batch, over the rows it inserted) and the
 * full rebuild run the same aggregate SQL, so they give identical numbers (a test checks).
 *
 * Days are China-time calendar days. Resident groups are kept as the record's bitmask, so a
 * record counts once in totals however many groups it has.
 */

import { GROUP_BITS } from './resident-groups';
import { DEMAND_TABLES, demandUpsertCtes, rebuildDemandRollups, rebuildRequestDemand, refreshRequestDemand, refreshServiceDemand, type RollupDays } from './demand-rollups';
import { syncWorkCalendar, type WorkCalendarSync } from '../calendar/work-calendar';
import { REQUEST_COMMUNITY_SQL, REQUEST_DAY_SQL, ROLLUP_TIME_ZONE } from './time-zone';
import type { SqlRunner } from '../../../analytics';

export { ROLLUP_TIME_ZONE };
export type { SqlRunner };


/** Runs the roll-up SQL ($1-style parameters) through an EntityManager, inside its transaction. */
export function entityManagerRunner(em: { execute(sql: string, params: unknown[]): Promise<unknown> }): SqlRunner {
  return {
    async query<R>(sql: string, params: unknown[] = []) {
      const bindings: unknown[] = [];
      const converted = sql.replace(/\$(\d+)/g, (_match, index: string) => {
        bindings.push(params[Number(index) - 1]);
        return '?';
      });
      return { rows: (await em.execute(converted, bindings)) as R[] };
    },
  };
}

const SERVICE_DAILY_COLUMNS = 'day, item_id, community_id, resident_groups, count, consultations, open, finished, close_seconds_sum, satisfaction_sum, satisfaction_count';

/**
 * The records close_seconds_sum adds up: the same ones `finished` counts (status FINISHED), so
 * their quotient is the average close time. A CANCELLED record may have a finished_at too.
 */
export const FINISHED_WITH_TIME = `r.status = 'FINISHED' and r.finished_at is not null`;

/** Aggregates rows of `relation` (columns of service_record) into service_daily rows. */
function serviceDailySelect(relation: string): string {
  return `select (r.received_at at time zone '${ROLLUP_TIME_ZONE}')::date as day, r.item_id, r.community_id, r.resident_groups,
      count(*)::int, (count(*) filter (where i.is_consultation))::int, (count(*) filter (where r.status = 'OPEN'))::int,
      (count(*) filter (where r.status = 'FINISHED'))::int,
      coalesce(sum(extract(epoch from (r.finished_at - r.received_at))::bigint) filter (where ${FINISHED_WITH_TIME}), 0)::bigint,
      coalesce(sum(r.satisfaction), 0)::int, count(r.satisfaction)::int
    from ${relation} r join service_item i on i.id = r.item_id
    group by 1, 2, 3, 4`;
}

/** The service_record columns the roll-ups read (what `inserted` below must have). */
export const ROLLUP_RECORD_COLUMNS = ['source_id', 'item_id', 'received_at', 'finished_at', 'status', 'community_id', 'grid_id', 'resident_groups', 'satisfaction'] as const;

/**
 * CTEs that add the records of relation `inserted` (rows with ROLLUP_RECORD_COLUMNS, e.g. a CTE
 * over the rows an import batch inserted) to the roll-ups. The import loader composes them after
 * its insert (see loader.ts); $1 there is the records' source.
 */
export function recordRollupCtes(inserted: string): string {
  return `rolled as (
      insert into service_daily (${SERVICE_DAILY_COLUMNS})
      select * from (${serviceDailySelect(inserted)}) a order by 1, 2, 3, 4
      on conflict (day, item_id, community_id, resident_groups) do update set
        count = service_daily.count + excluded.count,
        consultations = service_daily.consultations + excluded.consultations,
        open = service_daily.open + excluded.open,
        finished = service_daily.finished + excluded.finished,
        close_seconds_sum = service_daily.close_seconds_sum + excluded.close_seconds_sum,
        satisfaction_sum = service_daily.satisfaction_sum + excluded.satisfaction_sum,
        satisfaction_count = service_daily.satisfaction_count + excluded.satisfaction_count
      returning 1
    ),
    ${demandUpsertCtes(inserted, '$1')}`;
}

/** The community of a request's area: the 3rd id of the materialised path /district/street/community/…. */
const REQUEST_DAILY_SELECT = (where: string) => `select ${REQUEST_DAY_SQL} as day, q.category_id,
      split_part(a.path, '/', 4)::int as community_id,
      case q.resident_group ${Object.entries(GROUP_BITS).map(([g, bit]) => `when '${g}' then ${bit}`).join(' ')} else 0 end::smallint as resident_groups,
      count(*)::int, (count(*) filter (where q.status not in ('RESOLVED', 'CLOSED', 'REJECTED')))::int,
      (count(*) filter (where q.resolved_at is not null))::int,
      coalesce(sum(extract(epoch from (q.resolved_at - q.created_at))::bigint) filter (where q.resolved_at is not null), 0)::bigint,
      coalesce(sum(q.satisfaction), 0)::int, count(q.satisfaction)::int
    from request q join area a on a.id = q.area_id
    where split_part(a.path, '/', 4) <> '' ${where}
    group by 1, 2, 3, 4`;

const REQUEST_DAILY_COLUMNS = 'day, category_id, community_id, resident_groups, count, open, resolved, resolve_seconds_sum, satisfaction_sum, satisfaction_count';

/*
 * Locks (transaction-level advisory locks), the one scheme every roll-up writer follows:
 * - Incremental writers (an import batch, a request step) hold the roll-ups lock SHARED; a full
 *   rebuild holds it EXCLUSIVE, since it deletes and rewrites the rows the others add to or
 *   replace. So does a move that takes areas to another community or grid, from before it
 *   rewrites their paths: a request step rolls its day up by the path it reads, and one that read
 *   the old path but committed after the move had looked for the subtree's days would stay
 *   counted under the old community. A move takes the area-tree lock (area.service lockAreaTree)
 *   before this one; roll-up writers never take the area-tree lock, so the order has no cycle.
 *   A writer that inserts rows referencing areas (an import batch's records, a new request) takes
 *   it before its insert: the insert holds the area rows FOR KEY SHARE, which a move's FOR UPDATE
 *   of its subtree waits for, while the move holds this lock exclusive.
 * - Writers that replace request days (request_daily and the request part of the demand tables,
 *   whose monthly rows are replaced too) then lock each month they touch, in ascending order so
 *   two cannot deadlock. A month's writers take turns, and the later one recomputes from what the
 *   earlier committed; a lock per exact range let a range and a day inside it both delete and
 *   insert the same rows (23505 on request_daily_pkey).
 */
const ROLLUPS_LOCK = `hashtext('rollups'), 0`;
const REQUEST_MONTH_LOCK = `hashtext('request_daily')`;

/** Taken by every incremental roll-up writer (see the lock scheme above), first. */
export async function lockRollupsShared(db: SqlRunner): Promise<void> {
  await db.query(`select pg_advisory_xact_lock_shared(${ROLLUPS_LOCK})`);
}

/** Taken by a full rebuild, and by an area move that regroups requests (see the lock scheme above), first. */
export async function lockRollupsExclusive(db: SqlRunner): Promise<void> {
  await db.query(`select pg_advisory_xact_lock(${ROLLUPS_LOCK})`);
}

const DAY = /^(\d{4})-(\d{2})-\d{2}$/;

function checkedDay(day: string): string {
  if (!DAY.test(day) || Number.isNaN(Date.parse(`${day}T00:00:00Z`))) throw new Error(`not a day (YYYY-MM-DD): ${day}`);
  return day;
}

/** Months as year * 12 + month - 1, so numeric order is calendar order. */
const monthIndex = (day: string) => Number(day.slice(0, 4)) * 12 + Number(day.slice(5, 7)) - 1;
const monthStart = (index: number) => `${String(Math.floor(index / 12)).padStart(4, '0')}-${String((index % 12) + 1).padStart(2, '0')}-01`;

type Days = { from: string; to: string } | readonly string[];

/**
 * The demand roll-ups' conditions for `days` (a range or a list) of the given communities or all,
 * and the months they fall in (as year * 12 + month - 1); null when there is nothing to replace.
 * Days and ids are checked and inlined: the statements each use a different subset of them.
 */
function daysScope(days: Days, communities?: readonly number[]): { scope: RollupDays; months: number[] } | null {
  let months: number[];
  let day: (column: string) => string;
  let span: { first: string; last: string };
  if (Array.isArray(days)) {
    const list = [...new Set((days as readonly string[]).map(checkedDay))].sort();
    if (list.length === 0) return null;
    months = [...new Set(list.map(monthIndex))];
    day = (column) => `${column} = any('{${list.join(',')}}'::date[])`;
    span = { first: list[0], last: list[list.length - 1] };
  } else {
    const { from, to } = days as { from: string; to: string };
    checkedDay(from);
    checkedDay(to);
    if (from > to) return null;
    months = [];
    for (let m = monthIndex(from); m <= monthIndex(to); m += 1) months.push(m);
    day = (column) => `${column} between '${from}'::date and '${to}'::date`;
    span = { first: from, last: to };
  }
  if (communities && !communities.every((id) => Number.isSafeInteger(id))) throw new Error(`not community ids: ${communities.join(',')}`);
  if (communities?.length === 0) return null;
  const monthList = `'{${months.map(monthStart).join(',')}}'::date[]`;
  const first = monthStart(months[0]);
  const afterLast = monthStart(months[months.length - 1] + 1);
  const scope: RollupDays = {
    day,
    month: (column) => `${column} = any(${monthList})`,
    // The range lets the day index prune; the list keeps only the months refreshed.
    inMonths: (column) => `${column} >= '${first}'::date and ${column} < '${afterLast}'::date and date_trunc('month', ${column})::date = any(${monthList})`,
    community: (column) => (communities ? `${column} = any('{${communities.join(',')}}'::int[])` : 'true'),
    instantWithin: (column) =>
      `${column} >= ('${span.first}'::date::timestamp at time zone '${ROLLUP_TIME_ZONE}') and ${column} < (('${span.last}'::date + 1)::timestamp at time zone '${ROLLUP_TIME_ZONE}')`,
  };
  return { scope, months };
}

/** Replaces request_daily and the request part of the demand roll-ups on `days`, for the given communities or all. */
async function replaceRequestDays(db: SqlRunner, days: Days, communities?: readonly number[]): Promise<void> {
  const built = daysScope(days, communities);
  if (!built) return;
  const { scope, months } = built;
  await lockRollupsShared(db);
  await db.query(`select pg_advisory_xact_lock(${REQUEST_MONTH_LOCK}, m) from unnest('{${months.join(',')}}'::int[]) m order by m`);
  await db.query(`delete from request_daily where ${scope.day('day')} and ${scope.community('community_id')}`);
  await db.query(`insert into request_daily (${REQUEST_DAILY_COLUMNS}) ${REQUEST_DAILY_SELECT(`and ${scope.day(REQUEST_DAY_SQL)} and ${scope.community(REQUEST_COMMUNITY_SQL)}`)}`);
  // The demand roll-ups' request part too, or the ranking would not see these requests.
  await refreshRequestDemand(db, scope);
}

async function rebuildRequestDailyTable(db: SqlRunner): Promise<void> {
  await db.query('delete from request_daily');
  await db.query(`insert into request_daily (${REQUEST_DAILY_COLUMNS}) ${REQUEST_DAILY_SELECT('')}`);
}

async function rebuildServiceDailyTable(db: SqlRunner): Promise<number> {
  await db.query('delete from service_daily');
  const result = await db.query(`insert into service_daily (${SERVICE_DAILY_COLUMNS}) ${serviceDailySelect('service_record')}`);
  return (result as unknown as { rowCount?: number }).rowCount ?? 0;
}

/**
 * Recomputes service_daily, and the demand roll-ups that also read the records, from every
 * record. Run inside a transaction; waits for the incremental writers (exclusive lock).
 */
export async function rebuildServiceDaily(db: SqlRunner): Promise<number> {
  await lockRollupsExclusive(db);
  const rows = await rebuildServiceDailyTable(db);
  await rebuildDemandRollups(db);
  return rows;
}

/**
 * Recomputes request_daily and the request part (source 2) of the demand roll-ups for China-time
 * days `from`…`to` (YYYY-MM-DD, inclusive; omit both for everything). Requests change status after creation, so a day is replaced, not added to:
 * the request module (or a periodic job) calls this for the days its writes touched, e.g.
 * `refreshRequestDaily(db, day, day)` after create/resolve/rate. Run inside a transaction.
 */
export async function refreshRequestDaily(db: SqlRunner, from?: string, to?: string): Promise<void> {
  if (from !== undefined && to !== undefined) return replaceRequestDays(db, { from, to });
  await lockRollupsExclusive(db);
  await rebuildRequestDailyTable(db);
  await rebuildRequestDemand(db);
}

/**
 * The same for some communities on some days only: what moving a grid or building changes (its
 * requests leave one community for another on the days they were received).
 */
export async function refreshRequestRollupsOf(db: SqlRunner, days: readonly string[], communityIds: readonly number[]): Promise<void> {
  await replaceRequestDays(db, days, communityIds);
}

/**
 * Full rebuild of every roll-up (npm run rollups:rebuild). Run inside a transaction. Each table
 * is written once: the demand tables by rebuildDemandRollups, from records and requests together.
 */
export async function rebuildRollups(db: SqlRunner): Promise<void> {
  await lockRollupsExclusive(db);
  await rebuildRequestDailyTable(db);
  await rebuildServiceDailyTable(db);
  await rebuildDemandRollups(db);
}

/**
 * Brings the working-day calendar up to date (see syncWorkCalendar) and, when working days moved,
 * the on-time counts of the records they touch. Run inside a transaction, after the migrations.
 */
export async function syncWorkCalendarAndRollups(db: SqlRunner): Promise<WorkCalendarSync> {
  // Under the roll-ups lock exclusive (syncWorkCalendar takes it): no month locks needed.
  const refresh = async (runner: SqlRunner, from: string, to: string) => {
    const built = daysScope({ from, to });
    if (built) await refreshServiceDemand(runner, built.scope);
  };
  return syncWorkCalendar(db, refresh, lockRollupsExclusive);
}

/** Rows inserted by one import from which its tables' planner statistics are refreshed. */
export const ANALYZE_AFTER_ROWS = 50_000;

/**
 * Fresh planner statistics for the records and every roll-up an import writes. After a bulk load
 * the planner would otherwise plan from the empty tables it last saw (e.g. a hash aggregate
 * sized for 200 rows spilling 50,000 to disk: 80 ms instead of 20), until autovacuum comes round
 * — and where autovacuum is off (this machine's PostgreSQL), never. Sampled: ~1 s at 10M records.
 */
export async function analyzeAfterImport(db: SqlRunner): Promise<void> {
  await db.query(`analyze service_record, service_daily, ${Object.values(DEMAND_TABLES).map((table) => table.name).join(', ')}`);
}
