/**
 * The demand roll-ups the ranking reads (see docs/analytics-ranking.md): service records
 * and resident requests together, at the grain the ranking needs and no finer.
 *
 *   demand_daily        China day × source × second-level category × community
 *   demand_monthly      month × source × category × community          (derived: sums of demand_daily)
 *   demand_grid_daily   day × source × category × grid (+ its community)  (records with a grid only)
 *   demand_grid_monthly month × source × category × grid                (derived)
 *
 * Every column is a sum, except `latest`, the greatest time (over demands), `exemplar`, the demand
 * received (created) at that time (exemplarKey), and a grid row's `community_id`, the least of its
 * records' (records keep the community they were received in, so a grid moved to another community
 * has rows of both), so adding a batch's cells to the stored rows gives exactly what a rebuild from
 * all records gives (tests check).
 * Quality columns (open, finished, close times, on time, satisfaction, groups) count demands
 * only; consultations are counted apart in `consultations`.
 */
import { CLOSE_HOURS_EDGES, DEMAND_SOURCE, GROUP_COLUMNS, HISTOGRAM_COLUMNS, SATISFIED_FROM, VULNERABLE_MASK } from '../../../analytics';
import { workingDayDeadline } from '../calendar/work-calendar';
import { REQUEST_COMMUNITY_SQL, REQUEST_DAY_SQL, ROLLUP_TIME_ZONE } from './time-zone';

/** Summed columns every demand table has. */
export const COMMON_SUM_COLUMNS = [
  'demands', 'consultations', 'cancelled', 'open', 'finished', 'timed', 'on_time', 'close_seconds_sum',
  'satisfaction_sum', 'satisfaction_count', 'satisfied', 'vulnerable', 'with_group',
] as const;
/** Only the community tables keep per-group counts and the close-time histogram. */
export const COMMUNITY_ONLY_COLUMNS = [...GROUP_COLUMNS.map(([c]) => c), 'g_unknown', ...HISTOGRAM_COLUMNS];
const MAX_COLUMNS = ['latest', 'exemplar'];

/**
 * The evidence of a cell (`exemplar`) is its latest demand: the one received (a request: created)
 * last, at `latest`; of several at that instant, the longer reference, then the greater in byte
 * order, so `S:x:10` wins over `S:x:9`. It was the greatest reference as text: `S:x:9` over
 * `S:x:10`, and neither need be the record at `latest`, so an analyst tracing a number to its
 * records was shown a "latest example" that was not one.
 *
 * That order is the text order of this key, the time first: epoch microseconds offset into 19
 * digits (years 1000 to beyond 10000 alike), the reference's length + 100 (3 digits), the
 * reference. Keys of records, of cells and of stored rows (from their `latest` and `exemplar`)
 * compare alike, so a batch's cells added to the stored rows (greatest of the two keys) give what
 * a rebuild from all records gives. `date_part` (float8) is cheaper than `extract` (numeric) or
 * `to_char`, monotone, and exact to the microsecond from about 1698 to 2242 (to the second far
 * beyond: imports store whole seconds); times closer than that only tie, then the reference decides.
 */
export function exemplarKey(latest: string, exemplar: string): string {
  return `(((date_part('epoch', ${latest}) * 1000000)::bigint + 2000000000000000000)::text || (length(${exemplar}) + 100)::text || ${exemplar}) collate "C"`;
}
/** The reference in an exemplarKey (after its 19 + 3 digits). */
export const exemplarOfKey = (key: string) => `substr(${key}, 23)`;


interface RecordSql {
  /** SQL for: is a demand (not a consultation). */
  demand: string;
  consultation: string;
  cancelled: string;
  open: string;
  finished: string;
  /** Seconds from receipt to close, for finished demands with a close time (else null). */
  closeSeconds: string;
  onTime: string;
  satisfaction: string;
  groupMask: string;
  latest: string;
  exemplar: string;
}

function cellColumns(r: RecordSql): string {
  const f = (cond: string) => `(count(*) filter (where ${cond}))::int`;
  const timed = `${r.demand} and ${r.finished} and ${r.closeSeconds} is not null`;
  const hist = CLOSE_HOURS_EDGES.map((lo, k) => {
    const hi = CLOSE_HOURS_EDGES[k + 1];
    const cond = `${timed} and ${r.closeSeconds} >= ${lo * 3600}${hi === undefined ? '' : ` and ${r.closeSeconds} < ${hi * 3600}`}`;
    return `${f(cond)} as h${k}`;
  });
  return [
    `${f(r.demand)} as demands`,
    `${f(r.consultation)} as consultations`,
    `${f(`${r.demand} and ${r.cancelled}`)} as cancelled`,
    `${f(`${r.demand} and ${r.open}`)} as open`,
    `${f(`${r.demand} and ${r.finished}`)} as finished`,
    `${f(timed)} as timed`,
    `${f(`${timed} and ${r.onTime}`)} as on_time`,
    `coalesce(sum(${r.closeSeconds}) filter (where ${timed}), 0)::bigint as close_seconds_sum`,
    `coalesce(sum(${r.satisfaction}) filter (where ${r.demand}), 0)::int as satisfaction_sum`,
    `(count(${r.satisfaction}) filter (where ${r.demand}))::int as satisfaction_count`,
    `${f(`${r.demand} and ${r.satisfaction} >= ${SATISFIED_FROM}`)} as satisfied`,
    `${f(`${r.demand} and (${r.groupMask} & ${VULNERABLE_MASK}) <> 0`)} as vulnerable`,
    `${f(`${r.demand} and ${r.groupMask} <> 0`)} as with_group`,
    ...GROUP_COLUMNS.map(([column, bit]) => `${f(`${r.demand} and (${r.groupMask} & ${bit}) <> 0`)} as ${column}`),
    `${f(`${r.demand} and ${r.groupMask} = 0`)} as g_unknown`,
    ...hist,
    // Of demands only, like every quality column: the evidence shown beside a demand volume must
    // be records that volume counts, not consultations.
    `max(${r.latest}) filter (where ${r.demand}) as latest`,
    `${exemplarOfKey(`max(${exemplarKey(r.latest, r.exemplar)}) filter (where ${r.demand})`)} as exemplar`,
  ].join(',\n      ');
}

/** The deadline of a service record (alias r) of an item (alias i): see workingDayDeadline. */
const RECORD_DEADLINE = workingDayDeadline('r.received_at', 'i.deadline_working_days');

const SERVICE_RECORD: RecordSql = {
  demand: 'not i.is_consultation',
  consultation: 'i.is_consultation',
  cancelled: `r.status = 'CANCELLED'`,
  open: `r.status = 'OPEN'`,
  finished: `r.status = 'FINISHED'`,
  closeSeconds: `extract(epoch from (r.finished_at - r.received_at))::bigint`,
  onTime: `r.finished_at < ${RECORD_DEADLINE.deadline}`,
  satisfaction: 'r.satisfaction',
  groupMask: 'r.resident_groups',
  latest: 'r.received_at',
  exemplar: `'S:' || r.source || ':' || r.source_id`,
};

const REQUEST_GROUP_MASK = `(case q.resident_group ${GROUP_COLUMNS.map(([, bit, group]) => `when '${group}' then ${bit}`).join(' ')} else 0 end)`;

const REQUEST: RecordSql = {
  demand: 'true',
  consultation: 'false',
  cancelled: `q.status = 'REJECTED'`,
  open: `q.status not in ('RESOLVED', 'CLOSED', 'REJECTED')`,
  finished: `q.status in ('RESOLVED', 'CLOSED')`,
  closeSeconds: `extract(epoch from (q.resolved_at - q.created_at))::bigint`,
  onTime: 'q.resolved_at <= q.due_at',
  satisfaction: 'q.satisfaction',
  groupMask: REQUEST_GROUP_MASK,
  latest: 'q.created_at',
  exemplar: `'R:' || lpad(q.id::text, 12, '0')`,
};

/**
 * Cells (day × source × category × community × grid, 0 = no grid) of the records `from` yields,
 * with `keys` selecting those five columns. Each record's facts are computed once, in a subquery
 * the planner may not flatten (OFFSET 0): otherwise each of the 30-odd FILTER aggregates would
 * evaluate its own copy of the close time and the working-day deadline, record by record.
 */
function cellsSelect(keys: string, from: string, r: RecordSql): string {
  const facts = `select ${keys},
      (${r.demand}) as is_demand, (${r.consultation}) as is_consultation, (${r.cancelled}) as is_cancelled,
      (${r.open}) as is_open, (${r.finished}) as is_finished, (${r.closeSeconds}) as close_seconds,
      (${r.onTime}) as is_on_time, (${r.satisfaction}) as satisfaction, (${r.groupMask}) as group_mask,
      (${r.latest}) as latest, (${r.exemplar}) as exemplar
    ${from}
    offset 0`;
  const f: RecordSql = {
    demand: 'f.is_demand', consultation: 'f.is_consultation', cancelled: 'f.is_cancelled', open: 'f.is_open', finished: 'f.is_finished',
    closeSeconds: 'f.close_seconds', onTime: 'f.is_on_time', satisfaction: 'f.satisfaction', groupMask: 'f.group_mask', latest: 'f.latest', exemplar: 'f.exemplar',
  };
  return `select f.day, f.source, f.category_id, f.community_id, f.grid_id,
      ${cellColumns(f)}
    from (${facts}) f
    group by 1, 2, 3, 4, 5`;
}

/**
 * Cells of service records in `relation` (rows with service_record's columns; `source` may be a
 * column or a constant given as `sourceSql`): day × category × community × grid (0 = none).
 */
export function serviceCellsSelect(relation: string, sourceSql = 'r.source'): string {
  const record = { ...SERVICE_RECORD, exemplar: `'S:' || ${sourceSql} || ':' || r.source_id` };
  return cellsSelect(
    `(r.received_at at time zone '${ROLLUP_TIME_ZONE}')::date as day, ${DEMAND_SOURCE.SERVICE_RECORDS}::smallint as source, i.category_id,
      r.community_id, coalesce(r.grid_id, 0) as grid_id`,
    `from ${relation} r join service_item i on i.id = r.item_id
      ${RECORD_DEADLINE.joins}`,
    record,
  );
}

/**
 * Which cells a refresh replaces: some China days, optionally of some communities only.
 * Each method gives an SQL condition on a column (the values are inlined, already checked).
 */
export interface RollupDays {
  /** The date `column` is one of the days. */
  day(column: string): string;
  /** The first-of-month date `column` is the month of one of the days. */
  month(column: string): string;
  /** The date `column` lies in the month of one of the days. */
  inMonths(column: string): string;
  /** The community id `column` is one of those refreshed (`true` for all). */
  community(column: string): string;
  /**
   * The instant `column` (timestamptz) lies within the China days from the first to the last: a
   * range on the column itself, which service_record's BRIN index on received_at can prune by
   * (a condition on the day computed from it cannot).
   */
  instantWithin(column: string): string;
}

/** Cells of requests created on the days of `scope`, or of all requests. */
function requestCellsSelect(scope: RollupDays | null): string {
  // nullif: a cast in a WHERE is not guaranteed to run after the `<> ''` beside it.
  const where = scope ? `and ${scope.day(REQUEST_DAY_SQL)} and ${scope.community(REQUEST_COMMUNITY_SQL)}` : '';
  return cellsSelect(
    `${REQUEST_DAY_SQL} as day, ${DEMAND_SOURCE.REQUESTS}::smallint as source, q.category_id,
      split_part(a.path, '/', 4)::int as community_id, coalesce(nullif(split_part(a.path, '/', 5), '')::int, 0) as grid_id`,
    `from request q join area a on a.id = q.area_id
    where split_part(a.path, '/', 4) <> '' ${where}`,
    REQUEST,
  );
}

export interface Table {
  name: string;
  /** Key columns as stored, and how each is computed from `cells`. */
  keys: [column: string, fromCells: string][];
  /** Other columns, each the least over the cells: min() in aggregateFromCells, least() in upsertFromCells. */
  extra: [column: string, fromCells: string][];
  sums: readonly string[];
  where: string;
}

const MONTH = `date_trunc('month', day)::date`;
export const DEMAND_TABLES: { [key in 'daily' | 'monthly' | 'gridDaily' | 'gridMonthly']: Table } = {
  daily: { name: 'demand_daily', keys: [['day', 'day'], ['source', 'source'], ['category_id', 'category_id'], ['community_id', 'community_id']], extra: [], sums: [...COMMON_SUM_COLUMNS, ...COMMUNITY_ONLY_COLUMNS], where: 'true' },
  monthly: { name: 'demand_monthly', keys: [['month', MONTH], ['source', 'source'], ['category_id', 'category_id'], ['community_id', 'community_id']], extra: [], sums: [...COMMON_SUM_COLUMNS, ...COMMUNITY_ONLY_COLUMNS], where: 'true' },
  gridDaily: { name: 'demand_grid_daily', keys: [['day', 'day'], ['source', 'source'], ['category_id', 'category_id'], ['grid_id', 'grid_id']], extra: [['community_id', 'community_id']], sums: COMMON_SUM_COLUMNS, where: 'grid_id <> 0' },
  gridMonthly: { name: 'demand_grid_monthly', keys: [['month', MONTH], ['source', 'source'], ['category_id', 'category_id'], ['grid_id', 'grid_id']], extra: [['community_id', 'community_id']], sums: COMMON_SUM_COLUMNS, where: 'grid_id <> 0' },
};

function aggregateFromCells(table: Table, cells: string): string {
  const keys = table.keys.map(([, expr]) => expr);
  const extra = table.extra.map(([, expr]) => `min(${expr})`);
  const sums = table.sums.map((c) => `sum(${c})${c === 'close_seconds_sum' ? '::bigint' : '::int'}`);
  const maxes = ['max(latest)', exemplarOfKey(`max(${exemplarKey('latest', 'exemplar')})`)];
  return `select ${[...keys, ...extra, ...sums, ...maxes].join(', ')} from ${cells} where ${table.where} group by ${keys.map((_, i) => i + 1).join(', ')} order by ${keys.map((_, i) => i + 1).join(', ')}`;
}

function columnList(table: Table): string {
  return [...table.keys.map(([c]) => c), ...table.extra.map(([c]) => c), ...table.sums, ...MAX_COLUMNS].join(', ');
}

/** `insert into <table> … on conflict do update` adding `cells` (a CTE name) into the stored rows. */
export function upsertFromCells(table: Table, cells: string): string {
  const updates = [
    ...table.sums.map((c) => `${c} = ${table.name}.${c} + excluded.${c}`),
    `latest = greatest(${table.name}.latest, excluded.latest)`,
    // The exemplar at the later of the two `latest`s (exemplarKey); greatest() passes over a null.
    `exemplar = ${exemplarOfKey(`greatest(${exemplarKey(`${table.name}.latest`, `${table.name}.exemplar`)}, ${exemplarKey('excluded.latest', 'excluded.exemplar')})`)}`,
    // As aggregateFromCells' min(): a batch of a moved grid's records naming its new community
    // must not leave the row's community to whichever batch came first.
    ...table.extra.map(([c]) => `${c} = least(${table.name}.${c}, excluded.${c})`),
  ].join(', ');
  return `insert into ${table.name} (${columnList(table)})
      ${aggregateFromCells(table, cells)}
      on conflict (${table.keys.map(([c]) => c).join(', ')}) do update set ${updates}`;
}

/** CTEs an import batch appends after its `inserted` CTE: the batch's cells, then one upsert per demand table. */
export function demandUpsertCtes(inserted: string, sourceParam: string): string {
  return `demand_cells as (${serviceCellsSelect(inserted, sourceParam)}),
    ${Object.values(DEMAND_TABLES).map((table, i) => `demand_upsert_${i} as (${upsertFromCells(table, 'demand_cells')} returning 1)`).join(',\n    ')}`;
}

/** Anything that runs SQL with $1-style parameters. */
interface Runner {
  query(sql: string, params?: unknown[]): Promise<unknown>;
}

/** Recomputes every demand roll-up from the records and requests. Run inside a transaction. */
export async function rebuildDemandRollups(db: Runner): Promise<void> {
  for (const table of Object.values(DEMAND_TABLES)) await db.query(`delete from ${table.name}`);
  await db.query('create temporary table demand_rebuild_cells on commit drop as ' + `${serviceCellsSelect('service_record')} union all ${requestCellsSelect(null)}`);
  for (const table of Object.values(DEMAND_TABLES)) await db.query(`insert into ${table.name} (${columnList(table)}) ${aggregateFromCells(table, 'demand_rebuild_cells')}`);
  await db.query('drop table demand_rebuild_cells');
}

/**
 * Replaces source `src`'s part of the demand roll-ups on the days (and communities) of `scope`:
 * daily rows from `cells` (that source's cells of those days), the months they fall in from the
 * daily rows. The callers hold what keeps other writers of those rows out (rollups.ts).
 */
async function replaceSourceDays(db: Runner, src: number, cells: string, scope: RollupDays): Promise<void> {
  for (const table of [DEMAND_TABLES.daily, DEMAND_TABLES.gridDaily]) {
    await db.query(`delete from ${table.name} where source = ${src} and ${scope.day('day')} and ${scope.community('community_id')}`);
    await db.query(`insert into ${table.name} (${columnList(table)}) ${aggregateFromCells(table, cells)}`);
  }
  for (const [monthly, daily] of [[DEMAND_TABLES.monthly, DEMAND_TABLES.daily], [DEMAND_TABLES.gridMonthly, DEMAND_TABLES.gridDaily]] as const) {
    await db.query(`delete from ${monthly.name} where source = ${src} and ${scope.month('month')} and ${scope.community('community_id')}`);
    const days = `(select * from ${daily.name} where source = ${src} and ${scope.inMonths('day')} and ${scope.community('community_id')}) c`;
    await db.query(`insert into ${monthly.name} (${columnList(monthly)}) ${aggregateFromCells(monthly, days)}`);
  }
}

/**
 * Replaces the request part (source 2) of the demand roll-ups for the days (and communities) of
 * `scope`. Requests are few next to service records, so this stays cheap. Only through rollups.ts,
 * which holds the months' locks (a month's rows are replaced, not added to).
 */
export async function refreshRequestDemand(db: Runner, scope: RollupDays): Promise<void> {
  await replaceSourceDays(db, DEMAND_SOURCE.REQUESTS, `(${requestCellsSelect(scope)}) c`, scope);
}

/**
 * Replaces the whole request part (source 2) of the demand roll-ups from every request: what
 * refreshRequestDemand does for a range, for all days (seeding, a periodic full refresh).
 */
export async function rebuildRequestDemand(db: Runner): Promise<void> {
  const src = DEMAND_SOURCE.REQUESTS;
  const cells = `(${requestCellsSelect(null)}) c`;
  for (const table of Object.values(DEMAND_TABLES)) {
    await db.query(`delete from ${table.name} where source = ${src}`);
    await db.query(`insert into ${table.name} (${columnList(table)}) ${aggregateFromCells(table, cells)}`);
  }
}

/**
 * Replaces the service-record part (source 1) of the demand roll-ups for the records received on
 * the days (and communities) of `scope`: what a change of the working-day calendar needs (their
 * on-time counts move). The caller holds the roll-ups lock exclusive, in its transaction.
 */
export async function refreshServiceDemand(db: Runner, scope: RollupDays): Promise<void> {
  // Records carry no b-tree on received_at (the import would pay for it on every row): a BRIN
  // index (records arrive about in time order) lets the range below skip all but the days'
  // pages, once the pages are summarized. At 10M records a calendar change of one day scanned
  // all 2 GB twice (11-15 s); see the README's "Working days". Summarizing the pages imports
  // added is done here, not in the import: 0.16 s per 1M records, once. to_regclass: without the
  // index (dropped by hand) the function gets NULL and does nothing, and the range still holds.
  await db.query(`select brin_summarize_new_values(to_regclass('service_record_received_at_brin'))`);
  const records = `(select * from service_record r where ${scope.instantWithin('r.received_at')} and ${scope.day(`(r.received_at at time zone '${ROLLUP_TIME_ZONE}')::date`)} and ${scope.community('r.community_id')})`;
  // The cells once, for the daily and the grid table alike: computing them (the deadline joins the
  // calendar twice per record) was most of each insert, 3 s of 3.3 at 450,000 records.
  await db.query(`create temp table refreshed_service_cells on commit drop as ${serviceCellsSelect(records)}`);
  await replaceSourceDays(db, DEMAND_SOURCE.SERVICE_RECORDS, 'refreshed_service_cells c', scope);
  await db.query('drop table refreshed_service_cells');
}
