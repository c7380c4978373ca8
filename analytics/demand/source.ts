/**
 * Reading the roll-ups: every query here is a GROUP BY over demand_* (or service_daily for
 * service items), never over raw records. Rows come back small (cells × areas) and are merged in TS.
 */
import type { SqlRunner } from '../sources/sql';
import { DEMAND_SOURCE, GROUP_COLUMNS, HISTOGRAM_COLUMNS, VULNERABLE_MASK } from '../sources/demand-tables';
import { addDays, addMonths, dayNumber, daysInclusive, isDay, monthEnd, monthStart } from './dates';
import { GAP_MIN_DAYS, isCollectionGap, trendEnd, type CollectionGap } from './trend';
import type { DemandSources } from './types';

/** Which roll-ups answer: community tables, grid tables, or service_daily (for service items). */
export type ReadMode = 'COMMUNITY' | 'GRID' | 'ITEM';

export const COUNT_COLUMNS = ['demands', 'consultations', 'cancelled', 'open', 'finished', 'timed', 'on_time', 'close_seconds_sum', 'satisfaction_sum', 'satisfaction_count', 'satisfied', 'vulnerable', 'with_group'] as const;
export const GROUP_COUNT_COLUMNS = [...GROUP_COLUMNS.map(([c]) => c), 'g_unknown'];
export const ALL_COLUMNS = [...COUNT_COLUMNS, ...GROUP_COUNT_COLUMNS, ...HISTOGRAM_COLUMNS];
/** Columns a volume series needs. */
export const SERIES_COLUMNS = ['demands', 'consultations', 'open', 'finished', ...GROUP_COUNT_COLUMNS];

/** Columns service_daily cannot give (per-record facts it does not keep). */
const NOT_IN_ITEM_MODE = new Set(['on_time', 'satisfied', ...HISTOGRAM_COLUMNS]);
const NOT_IN_GRID_MODE = new Set([...GROUP_COUNT_COLUMNS, ...HISTOGRAM_COLUMNS]);

export function available(mode: ReadMode, column: string): boolean {
  if (mode === 'ITEM') return !NOT_IN_ITEM_MODE.has(column);
  if (mode === 'GRID') return !NOT_IN_GRID_MODE.has(column);
  return true;
}

/**
 * A daily row's volume: its demands, plus its consultations when they count. service_daily keeps
 * `count` (both) and `consultations`; the demand tables keep `demands` and `consultations`.
 */
function rowVolumeSql(mode: ReadMode, withConsultations: boolean): string {
  if (mode === 'ITEM') return withConsultations ? 'd.count' : 'd.count - d.consultations';
  return withConsultations ? 'd.demands + d.consultations' : 'd.demands';
}

function columnSql(mode: ReadMode, column: string): string {
  if (!available(mode, column)) return `null::float8 as ${column}`;
  if (mode !== 'ITEM') return `sum(d.${column})::float8 as ${column}`;
  // service_daily: a row is all consultations or all demands (its item decides), so consultations = 0 marks demand rows.
  const demand = 'd.consultations = 0';
  const bits = new Map(GROUP_COLUMNS.map(([c, bit]) => [c, bit]));
  const expr: Record<string, string> = {
    demands: `sum(${rowVolumeSql('ITEM', false)})`,
    consultations: 'sum(d.consultations)',
    cancelled: `sum(d.count - d.open - d.finished) filter (where ${demand})`,
    open: `sum(d.open) filter (where ${demand})`,
    finished: `sum(d.finished) filter (where ${demand})`,
    timed: `sum(d.finished) filter (where ${demand})`,
    close_seconds_sum: `sum(d.close_seconds_sum) filter (where ${demand})`,
    satisfaction_sum: `sum(d.satisfaction_sum) filter (where ${demand})`,
    satisfaction_count: `sum(d.satisfaction_count) filter (where ${demand})`,
    vulnerable: `sum(d.count) filter (where ${demand} and (d.resident_groups & ${VULNERABLE_MASK}) <> 0)`,
    with_group: `sum(d.count) filter (where ${demand} and d.resident_groups <> 0)`,
    g_unknown: `sum(d.count) filter (where ${demand} and d.resident_groups = 0)`,
  };
  const sql = expr[column] ?? `sum(d.count) filter (where ${demand} and (d.resident_groups & ${bits.get(column)}) <> 0)`;
  return `coalesce(${sql}, 0)::float8 as ${column}`;
}

export interface ReadSpec {
  mode: ReadMode;
  /** 'category_id' / 'item_id', or null for no "what" key. */
  what: 'category' | 'item' | null;
  /** Group by the area unit (community, or grid in GRID mode). */
  byUnit: boolean;
  /** Restrict to these unit ids (communities, or grids in GRID mode); null = all. */
  unitIds: number[] | null;
  sources: DemandSources;
  columns: readonly string[];
  /** Also return max(latest) per group (not in ITEM mode). */
  latest?: boolean;
  /** Restrict to these category ids (COMMUNITY/GRID mode). */
  categoryIds?: number[];
  /** Only roll-up rows with something open (for backlog ages: a sixth of the rows). */
  openOnly?: boolean;
}

export interface CellRow {
  what: number;
  unit: number;
  /** Bucket start (YYYY-MM-DD) when read by bucket, else ''. */
  bucket: string;
  values: Record<string, number | null>;
  latest: Date | null;
}

const TABLES: Record<ReadMode, { daily: string; monthly: string | null; unit: string }> = {
  COMMUNITY: { daily: 'demand_daily', monthly: 'demand_monthly', unit: 'community_id' },
  GRID: { daily: 'demand_grid_daily', monthly: 'demand_grid_monthly', unit: 'grid_id' },
  ITEM: { daily: 'service_daily', monthly: null, unit: 'community_id' },
};

/**
 * The `and …` conditions every read of a spec shares: source, open rows only, the units (the
 * parameter holding their ids, e.g. '$3') and the categories.
 */
function scopeFilter(spec: ReadSpec, unitsParam: string): string {
  const source = spec.mode === 'ITEM' || spec.sources === 'BOTH' ? '' : ` and d.source = ${DEMAND_SOURCE[spec.sources]}`;
  const open = spec.openOnly ? ' and d.open > 0' : '';
  const units = spec.unitIds === null ? '' : ` and d.${TABLES[spec.mode].unit} = any(${unitsParam}::int[])`;
  const categories = spec.categoryIds && spec.mode !== 'ITEM' ? ` and d.category_id in (${spec.categoryIds.map((id) => Math.trunc(id)).join(', ') || 'null'})` : '';
  return `${source}${open}${units}${categories}`;
}

function selectSql(spec: ReadSpec, table: string, timeColumn: string, bucket: string | null): string {
  const what = spec.what === null ? '0' : spec.mode === 'ITEM' ? (spec.what === 'item' ? 'd.item_id' : 'i.category_id') : 'd.category_id';
  const unit = spec.byUnit ? `d.${TABLES[spec.mode].unit}` : '0';
  const join = spec.mode === 'ITEM' && spec.what === 'category' ? ' join service_item i on i.id = d.item_id' : '';
  const latest = spec.latest && spec.mode !== 'ITEM' ? ', max(d.latest) as latest' : '';
  // The bucket (a date expression) is grouped as a date and formatted per group, not per row.
  const selected = [`${what} as what`, `${unit} as unit`, `${bucket === null ? `''` : `to_char(${bucket}, 'YYYY-MM-DD')`} as bucket`, ...spec.columns.map((c) => columnSql(spec.mode, c))].join(', ');
  return `select ${selected}${latest}
    from ${table} d${join}
    where d.${timeColumn} between $1::date and $2::date${scopeFilter(spec, '$3')}
    group by 1, 2${bucket === null ? '' : `, ${bucket}`}`;
}

function toRows(rows: Record<string, unknown>[], columns: readonly string[]): CellRow[] {
  // A plain loop: per-community series are 50,000+ rows, and this runs once per row.
  const out: CellRow[] = new Array(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i];
    const values: Record<string, number | null> = {};
    for (const c of columns) {
      const v = row[c];
      values[c] = v === null || v === undefined ? null : Number(v);
    }
    out[i] = {
      what: Number(row.what),
      unit: Number(row.unit),
      bucket: row.bucket instanceof Date ? row.bucket.toISOString().slice(0, 10) : String(row.bucket ?? ''),
      values,
      latest: row.latest ? new Date(row.latest as string) : null,
    };
  }
  return out;
}

function params(spec: ReadSpec, from: string, to: string): unknown[] {
  return spec.unitIds === null ? [from, to] : [from, to, spec.unitIds];
}

/**
 * How [from, to] is read: months from the monthly table; an edge month covered for more than half
 * is read whole with the days outside the period subtracted (1-2 daily days instead of 30), one
 * covered less is read by day. Every summed column is additive, so the sums are exact.
 */
export interface PeriodPlan {
  /** Month starts, inclusive (null: no month is read whole). */
  months: [string, string] | null;
  plusDays: [string, string][];
  minusDays: [string, string][];
  /** The month of `to`, when read whole with days after `to` subtracted: its `latest` must come from its days. */
  lastMonthTrimmed: string | null;
}

export function planPeriod(from: string, to: string, dataLast: string | null = null): PeriodPlan {
  // No record lies after the data's last day: when that is on or before `to`, the rest of the
  // month of `to` is empty, so the month is read whole (no days to subtract, no latest to trim).
  if (dataLast !== null && dataLast <= to) to = monthEnd(to);
  const plusDays: [string, string][] = [];
  const minusDays: [string, string][] = [];
  const mostly = (a: string, b: string, month: string) => 2 * daysInclusive(a, b) > daysInclusive(month, monthEnd(month));
  let first = monthStart(from);
  let last = monthStart(to);
  let lastMonthTrimmed: string | null = null;
  if (first === last) {
    if (from === first && to === monthEnd(last)) return { months: [first, last], plusDays, minusDays, lastMonthTrimmed };
    if (!mostly(from, to, first)) return { months: null, plusDays: [[from, to]], minusDays, lastMonthTrimmed };
    if (from > first) minusDays.push([first, addDays(from, -1)]);
    if (to < monthEnd(last)) {
      minusDays.push([addDays(to, 1), monthEnd(last)]);
      lastMonthTrimmed = last;
    }
    return { months: [first, last], plusDays, minusDays, lastMonthTrimmed };
  }
  if (from > first) {
    if (mostly(from, monthEnd(first), first)) minusDays.push([first, addDays(from, -1)]);
    else {
      plusDays.push([from, monthEnd(first)]);
      first = addMonths(first, 1);
    }
  }
  if (to < monthEnd(last)) {
    if (mostly(last, to, last)) {
      minusDays.push([addDays(to, 1), monthEnd(last)]);
      lastMonthTrimmed = last;
    } else {
      plusDays.push([last, to]);
      last = addMonths(last, -1);
    }
  }
  return { months: first <= last ? [first, last] : null, plusDays, minusDays, lastMonthTrimmed };
}

/**
 * Sums over [from, to] per what × unit, in one statement: the reads of planPeriod's months and
 * days, signed, in a UNION ALL under one GROUP BY (merging them in TS cost more than the SQL).
 */
export async function readPeriod(db: SqlRunner, spec: ReadSpec, from: string, to: string, dataLast: string | null = null): Promise<CellRow[]> {
  const tables = TABLES[spec.mode];
  if (!tables.monthly) return toRows((await db.query(selectSql(spec, tables.daily, 'day', null), params(spec, from, to))).rows, spec.columns);
  const plan = planPeriod(from, to, dataLast);
  // The month of `to` read whole would give the latest record of days after `to`: its rows count
  // without `latest`, and the latest of its own days in the period comes from those days (no sums).
  // (Days subtracted at the start are older than any day in the period, so they cannot win.)
  const trimmed = spec.latest === true ? plan.lastMonthTrimmed : null;
  type Part = { sign: 1 | -1 | 0; latest: boolean; table: string; time: string; range: [string, string] };
  const parts: Part[] = [];
  const latest = spec.latest === true;
  if (plan.months) {
    const [a, b] = plan.months;
    if (trimmed) {
      if (a < trimmed) parts.push({ sign: 1, latest, table: tables.monthly, time: 'month', range: [a, addMonths(trimmed, -1)] });
      parts.push({ sign: 1, latest: false, table: tables.monthly, time: 'month', range: [trimmed, trimmed] });
      parts.push({ sign: 0, latest: true, table: tables.daily, time: 'day', range: [from > trimmed ? from : trimmed, to] });
    } else parts.push({ sign: 1, latest, table: tables.monthly, time: 'month', range: [a, b] });
  }
  for (const range of plan.plusDays) parts.push({ sign: 1, latest, table: tables.daily, time: 'day', range });
  for (const range of plan.minusDays) parts.push({ sign: -1, latest: false, table: tables.daily, time: 'day', range });

  const values: unknown[] = spec.unitIds === null ? [] : [spec.unitIds];
  const parameter = (value: unknown) => `$${values.push(value)}`;
  const filter = scopeFilter(spec, '$1');
  const what = spec.what === null ? '0' : 'd.category_id';
  const summed = spec.columns.filter((c) => available(spec.mode, c));
  const branches = parts.map((part) => {
    const columns = summed.map((c) => (part.sign === 0 ? `0 as ${c}` : part.sign === 1 ? `d.${c}` : `-d.${c} as ${c}`));
    return `select ${what} as what, ${spec.byUnit ? `d.${tables.unit}` : '0'} as unit, ${part.latest ? 'd.latest' : 'null::timestamptz as latest'}${columns.map((c) => `, ${c}`).join('')}
      from ${part.table} d where d.${part.time} between ${parameter(part.range[0])}::date and ${parameter(part.range[1])}::date${filter}`;
  });
  const selected = spec.columns.map((c) => (available(spec.mode, c) ? `sum(x.${c})::float8 as ${c}` : `null::float8 as ${c}`));
  // A what × unit whose records all fell on subtracted days is not in the period.
  const consultations = spec.columns.includes('consultations') ? ' + sum(x.consultations)' : '';
  const having = parts.length > 1 && spec.columns.includes('demands') ? ` having sum(x.demands)${consultations} > 0` : '';
  const sql = `select x.what, x.unit, '' as bucket${selected.map((c) => `, ${c}`).join('')}${latest ? ', max(x.latest) as latest' : ''}
    from (${branches.join('\n    union all ')}) x group by 1, 2${having}`;
  return toRows((await db.query(sql, values)).rows, spec.columns);
}

/** Sums per bucket: 'month' reads the monthly table (months whose first day is in [from, to]); 'day'/'week'/'month-of-days' the daily one. */
export async function readBuckets(db: SqlRunner, spec: ReadSpec, from: string, to: string, bucket: 'month' | 'day' | 'week' | 'month-of-days'): Promise<CellRow[]> {
  const tables = TABLES[spec.mode];
  if (bucket === 'month' && tables.monthly) {
    return toRows((await db.query(selectSql(spec, tables.monthly, 'month', 'd.month'), params(spec, from, to))).rows, spec.columns);
  }
  const expr = bucket === 'day' ? 'd.day' : bucket === 'week' ? `date_trunc('week', d.day)` : `date_trunc('month', d.day)`;
  // 'month' from days (service_daily has no monthly table): every day of the months that start in [from, to].
  const last = bucket === 'month' ? monthEnd(monthStart(to)) : to;
  return toRows((await db.query(selectSql(spec, tables.daily, 'day', expr), params(spec, from, last))).rows, spec.columns);
}

/**
 * Series rows, column-wise: one entry per (what, unit, bucket) row as read, the bucket as days
 * from `from`, the values row-major (NaN for null). The ranking reads 50,000+ of them per
 * city-wide question: a handful of typed arrays instead of two objects per row (their garbage
 * collection had cost more than the reading).
 */
export interface BucketTable {
  size: number;
  from: string;
  columns: readonly string[];
  what: Int32Array;
  unit: Int32Array;
  offset: Int32Array;
  values: Float64Array;
}

/** The value of `column` (its index in `columns`) at entry `i`, 0 for null. */
export const valueAt = (table: BucketTable, i: number, column: number): number => {
  const v = table.values[i * table.columns.length + column];
  return v === v ? v : 0; // NaN (null) → 0
};

/** The bucket start of entry `i`, YYYY-MM-DD. */
export const bucketOf = (table: BucketTable, i: number): string => addDays(table.from, table.offset[i]);

/**
 * Sums per what × unit × bucket (readBuckets' rows) as a BucketTable. Per unit (community or grid)
 * and by category they are fetched as one row per what × unit with the buckets packed into a
 * string ("offset:v1:v2…,…"): 2,000 rows instead of 50,000, and scanning one string costs less
 * than the driver building a row object per bucket. Rows of a what × unit × bucket may repeat
 * (one per source): the caller adds them up.
 */
export async function readBucketTable(db: SqlRunner, spec: ReadSpec, from: string, to: string, bucket: 'month' | 'day'): Promise<BucketTable> {
  const tables = TABLES[spec.mode];
  const monthly = bucket === 'month' && tables.monthly !== null;
  if (spec.byUnit && spec.mode !== 'ITEM' && spec.what !== 'item') {
    // The stored rows are already at the grain wanted, but for the source: packed as they are
    // (15 ms against 60 ms with a GROUP BY first). A day offset, not to_char: formatting dates was a third of the query.
    const table = monthly ? tables.monthly! : tables.daily;
    const time = monthly ? 'month' : 'day';
    const what = spec.what === null ? '0' : 'd.category_id';
    const fields = [`(d.${time} - $1::date)::text`, ...spec.columns.map((c) => (available(spec.mode, c) ? `d.${c}::text` : `''`))].join(` || ':' || `);
    const { rows } = await db.query(
      `select ${what} as what, d.${tables.unit} as unit, string_agg(${fields}, ',') as packed from ${table} d
        where d.${time} between $1::date and $2::date${scopeFilter(spec, '$3')} group by 1, 2`,
      params(spec, from, to),
    );
    return scanPacked(rows, spec.columns, from);
  }
  // Summed over units (few rows) or per service item: the plain read.
  const rows = await readBuckets(db, spec, from, to, bucket);
  const out = emptyTable(from, spec.columns, rows.length);
  const fromDay = dayNumber(from);
  rows.forEach((row, i) => {
    out.what[i] = row.what;
    out.unit[i] = row.unit;
    out.offset[i] = dayNumber(row.bucket) - fromDay;
    spec.columns.forEach((c, j) => (out.values[i * spec.columns.length + j] = row.values[c] ?? NaN));
  });
  out.size = rows.length;
  return out;
}

/** Entry `i` of a table as a readBuckets row (`bucket` given by a caller that has it already). */
export function rowAt(table: BucketTable, i: number, bucket = bucketOf(table, i)): CellRow {
  const values: Record<string, number | null> = {};
  table.columns.forEach((c, j) => {
    const v = table.values[i * table.columns.length + j];
    values[c] = v === v ? v : null;
  });
  return { what: table.what[i], unit: table.unit[i], bucket, values, latest: null };
}

/** readBucketTable's entries as readBuckets' rows (for callers that want rows, and the tests). */
export async function readBucketsPacked(db: SqlRunner, spec: ReadSpec, from: string, to: string, bucket: 'month' | 'day'): Promise<CellRow[]> {
  const table = await readBucketTable(db, spec, from, to, bucket);
  return Array.from({ length: table.size }, (_, i) => rowAt(table, i));
}

function emptyTable(from: string, columns: readonly string[], capacity: number): BucketTable {
  return { size: 0, from, columns, what: new Int32Array(capacity), unit: new Int32Array(capacity), offset: new Int32Array(capacity), values: new Float64Array(capacity * columns.length) };
}

/**
 * Scans "offset:v1:v2…,…" (whole numbers; an empty field is null) character by character into a
 * BucketTable: no substring per field, no object per entry.
 */
export function scanPacked(rows: Record<string, unknown>[], columns: readonly string[], from: string): BucketTable {
  const width = columns.length;
  let table = emptyTable(from, columns, 1024);
  const grow = () => {
    const bigger = emptyTable(from, columns, table.what.length * 2);
    bigger.what.set(table.what);
    bigger.unit.set(table.unit);
    bigger.offset.set(table.offset);
    bigger.values.set(table.values);
    bigger.size = table.size;
    table = bigger;
  };
  for (const row of rows) {
    const what = Number(row.what);
    const unit = Number(row.unit);
    const text = String(row.packed);
    let field = 0;
    let value = 0;
    let digits = 0;
    let negative = false;
    for (let i = 0; i <= text.length; i++) {
      const code = i < text.length ? text.charCodeAt(i) : 44; // a ',' after the last entry
      if (code >= 48 && code <= 57) {
        value = value * 10 + (code - 48);
        digits++;
      } else if (code === 45) negative = true;
      else if (code === 58 || code === 44) {
        if (field === 0) {
          if (table.size === table.what.length) grow();
          table.what[table.size] = what;
          table.unit[table.size] = unit;
          table.offset[table.size] = negative ? -value : value;
        } else if (field <= width) table.values[table.size * width + field - 1] = digits === 0 ? NaN : negative ? -value : value;
        field++;
        value = 0;
        digits = 0;
        negative = false;
        if (code === 44) {
          for (let c = field - 1; c < width; c++) table.values[table.size * width + c] = NaN; // fields missing: null
          table.size++;
          field = 0;
        }
      } else throw new Error(`packed buckets hold whole numbers only, found '${text[i]}'`);
    }
  }
  return table;
}

/** Exemplar record references of the last days of a period, per what × unit (not in ITEM mode). */
export async function readExemplars(db: SqlRunner, spec: ReadSpec, from: string, to: string, monthly = false, newestPerUnit?: number): Promise<{ what: number; unit: number; exemplar: string; latest: Date }[]> {
  if (spec.mode === 'ITEM') return [];
  const tables = TABLES[spec.mode];
  const table = monthly ? tables.monthly! : tables.daily;
  const time = monthly ? 'month' : 'day';
  const what = spec.what === null ? '0' : 'd.category_id';
  const unit = `d.${tables.unit}`;
  const select = `select ${what} as what, ${unit} as unit, d.exemplar, d.latest from ${table} d
      where d.${time} between $1::date and $2::date and d.exemplar is not null${scopeFilter(spec, '$3')}`;
  // A row shows at most N exemplars and a cell is a union of units, so the N newest of each
  // (what, unit) hold every exemplar that can be shown; rank() keeps ties at the boundary.
  const sql = newestPerUnit === undefined ? select
    : `select what, unit, exemplar, latest from (select x.*, rank() over (partition by what, unit order by latest desc) as newest from (${select}) x) y where newest <= ${Math.trunc(newestPerUnit)}`;
  const { rows } = await db.query(sql, params(spec, from, to));
  return rows.map((row) => ({ what: Number(row.what), unit: Number(row.unit), exemplar: String(row.exemplar), latest: new Date(row.latest as string) }));
}

/** A day (YYYY-MM-DD, checked) as an SQL date literal. */
function dateLiteral(day: string): string {
  if (!isDay(day)) throw new Error(`not a day: ${day}`);
  return `'${day}'::date`;
}

/**
 * What a trend over [from, to] needs to know of its scope's data (trend.ts, trendBegin): whether
 * the scope has any record before `from`, and its first day with a record in [from, to]. The scope
 * is the spec's units and sources, whatever its category (a cell's zeros after the scope's data
 * begin are real zeros); a record counts if it is a demand, or a consultation when the caller
 * counts consultations (a day of consultations alone is no day of the volume's data). Also its
 * first day with data at all (`earliest`), and the source's first and last days with a record in [from, to] up to the last day over (trendEnd)
 * (`sourceFirst`, `sourceLast`) and the gaps in collection between them (`gaps`): the same roll-up and sources, counted alike, over the whole city (any unit, any
 * category), which says whether data were being collected at all. One statement of index reads:
 * the daily tables' keys begin with the day. The gaps come from a walk over the days with data that
 * jumps, one index probe a step, to the last such day within GAP_MIN_DAYS (no gap can hide in
 * between), else to the next one after them (the gap): about one step per GAP_MIN_DAYS days. On
 * two years of the 1M-record city the statement took 1.6 ms against 0.15 ms without the gaps; a
 * probe for every day took 7.5 ms, and the distinct days of every row 33 ms.
 */
export async function readDataStart(db: SqlRunner, spec: ReadSpec, from: string, to: string, withConsultations: boolean, today: string): Promise<DataStart> {
  const table = TABLES[spec.mode].daily;
  // The city-wide reading stops where the trend does (trendEnd: the last day that is over), and
  // "records resume" (sourceAfter) only counts days over too: today's first records, an import under
  // way, must not turn the days before them into a closure or a gap while yesterday's are missing.
  const lastSeen = trendEnd(to, today);
  const seenTo = dateLiteral(lastSeen);
  const todayLiteral = dateLiteral(today);
  const counted = `${rowVolumeSql(spec.mode, withConsultations)} > 0`;
  const filter = `${counted}${scopeFilter({ ...spec, categoryIds: undefined, openOnly: false }, '$3')}`;
  const citywide = `${counted}${scopeFilter({ ...spec, unitIds: null, categoryIds: undefined, openOnly: false }, '$3')}`;
  const { rows } = await db.query(
    `with recursive data_days(day) as (
        select min(d.day) from ${table} d where d.day between $1::date and ${seenTo} and ${citywide}
        union all
        select coalesce(
            (select max(d.day) from ${table} d where d.day > data_days.day and d.day <= least(data_days.day + ${GAP_MIN_DAYS}, ${seenTo}) and ${citywide}),
            (select min(d.day) from ${table} d where d.day > data_days.day + ${GAP_MIN_DAYS} and d.day <= ${seenTo} and ${citywide}))
          from data_days where data_days.day is not null
      ), runs as (select day, day - lag(day) over (order by day) - 1 as empty from data_days where day is not null),
      edges as (select (select min(day) from data_days) as source_first, (select max(day) from data_days) as source_last,
          (select max(d.day) from ${table} d where d.day < $1::date and ${citywide}) as source_before,
          (select min(d.day) from ${table} d where d.day > ${seenTo} and d.day < ${todayLiteral} and ${citywide}) as source_after)
    select (select min(d.day) from ${table} d where d.day between $1::date and $2::date and ${filter})::text as first,
      (select min(d.day) from ${table} d where d.day <= $2::date and ${filter})::text as earliest,
      source_first::text, source_last::text, source_before::text, source_after::text,
      (select json_agg(json_build_array((r.day - r.empty)::text, (r.day - 1)::text, ${calendarCloses('r.day - r.empty', 'r.day - 1')}) order by r.day) from runs r where r.empty >= ${GAP_MIN_DAYS}) as runs,
      ${calendarCloses('source_before + 1', 'source_first - 1')} as start_closed,
      ${calendarCloses('source_before + 1', 'source_after - 1')} as between_closed,
      ${calendarCloses('source_last + 1', 'source_after - 1')} as end_closed
    from edges`,
    spec.unitIds === null ? [from, to] : [from, to, spec.unitIds],
  );
  const row = rows[0] ?? {};
  const earliest = (row.earliest as string | null) ?? null;
  const sourceFirst = (row.source_first as string | null) ?? null;
  const sourceLast = (row.source_last as string | null) ?? null;
  const sourceBefore = (row.source_before as string | null) ?? null;
  const sourceAfter = (row.source_after as string | null) ?? null;
  // Empty runs the working-day calendar closes day by day are closures, not gaps (isCollectionGap).
  const runs = ((row.runs as [string, string, boolean][] | null) ?? []).map(([first, last, closed]) => ({ first, last, closed }));
  const gaps = runs.filter((run) => !run.closed).map(({ first, last }) => ({ first, last }));
  const closures = runs.filter((run) => run.closed).map(({ first, last }) => ({ first, last }));
  const edge = (closed: unknown, before: string | null, after: string | null) => {
    if (closed === true && before !== null && after !== null) closures.push({ first: addDays(before, 1), last: addDays(after, -1) });
  };
  edge(row.start_closed, sourceBefore, sourceFirst);
  edge(row.between_closed, sourceBefore, sourceAfter);
  edge(row.end_closed, sourceLast, sourceAfter);
  // An empty run from the last day with data up to `to` that goes on past it, to where collection
  // resumed, is a gap like one inside (a past month's ranking must read it as next month's does).
  if (sourceLast !== null && sourceAfter !== null && sourceLast < lastSeen && isCollectionGap(sourceLast, sourceAfter, closures)) {
    gaps.push({ first: addDays(sourceLast, 1), last: addDays(sourceAfter, -1) });
  }
  // earliest: the scope's first day with data at all (up to `to`), which the ranking's baseline choice reads too.
  return {
    before: earliest !== null && earliest < from, first: (row.first as string | null) ?? null, earliest,
    sourceFirst, sourceLast, gaps, closures, sourceBefore, sourceAfter,
  };
}

/**
 * SQL: whether [first, last] is an empty run of GAP_MIN_DAYS or more that the working-day calendar
 * closes day by day (a holiday: isCollectionGap). work_calendar is the calendar module's table
 * (src/modules/calendar, from chinese-days), read here as the area table is, never imported. A day
 * it does not hold (before 2000, after 2040, before the first start filled it) counts as open, so
 * without the calendar the rule is GAP_MIN_DAYS calendar days alone. False when an end is null.
 * `first` and `last` must name their table (work_calendar has a `day` too).
 */
function calendarCloses(first: string, last: string): string {
  const length = `((${last}) - (${first}) + 1)`;
  return `coalesce(${length} >= ${GAP_MIN_DAYS} and ${length} = (select count(*) from work_calendar w where w.day between ${first} and ${last} and not w.workday), false)`;
}

/** readDataStart's answer: of the scope, `before`, `first`, `earliest`; of the source city-wide, `sourceFirst`, `sourceLast` and `gaps`. */
export interface DataStart {
  /** The scope has a record before `from`. */
  before: boolean;
  /** The scope's first day with a record in [from, to], or null. */
  first: string | null;
  /** The scope's first day with a record at all, up to `to`, or null. */
  earliest: string | null;
  /** The source's (the whole city's, same roll-up and sources) first day with a record in [from, to] up to the last day over (trendEnd), or null. */
  sourceFirst: string | null;
  /** And its last such day: where the data collected so far end (dataEndNote). */
  sourceLast: string | null;
  /**
   * Runs of GAP_MIN_DAYS or more days with no such record anywhere, oldest first: gaps in collection
   * (trendBuckets). Those between sourceFirst and sourceLast, and the run after sourceLast when
   * records resume after `to` (sourceAfter); the run before sourceFirst is trendBegin's.
   */
  gaps: CollectionGap[];
  /**
   * Empty runs of GAP_MIN_DAYS or more the working-day calendar closes day by day (Spring Festival
   * 2020's ten days off): closures, not gaps (isCollectionGap; trendBegin and collectionGapsIn read them).
   */
  closures: CollectionGap[];
  /** The source's last day with a record before `from` (trendBegin: whether an empty start is a closure or a gap). */
  sourceBefore: string | null;
  /** Its first day with a record after that, before today: with one, the data do not end at sourceLast (dataEndNote). */
  sourceAfter: string | null;
}

/** The last day any roll-up row of the mode exists for (how far the data reach), or null. */
export async function readDataLast(db: SqlRunner, mode: ReadMode): Promise<string | null> {
  const { rows } = await db.query(`select max(day)::text as last from ${TABLES[mode].daily}`);
  return (rows[0]?.last as string | null) ?? null;
}


/**
 * Grid cells are read from the grid roll-ups, which hold only records that name a grid: one-window
 * records often name none (the counter knows the community), so grid figures add up to less than
 * their communities'. Said wherever grid figures are answered.
 */
export const GRID_ONLY_RECORDS_NOTE = 'grid figures count only records that name a grid (one-window records often name none): they add up to less than their communities\' figures, and the rates and expectations compare grids with grids';
