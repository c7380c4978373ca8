/**
 * Reading the roll-ups: every query here is a GROUP BY over demand_* (or service_daily for
 * service items), never over raw records. Rows come back small (cells × areas) and are merged in TS.
 */
import type { SqlRunner } from '../sources/sql';
import { DEMAND_SOURCE, GROUP_COLUMNS, HISTOGRAM_COLUMNS, VULNERABLE_MASK } from '../sources/demand-tables';
import { splitPeriod } from './dates';
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

function columnSql(mode: ReadMode, column: string): string {
  if (!available(mode, column)) return `null::float8 as ${column}`;
  if (mode !== 'ITEM') return `sum(d.${column})::float8 as ${column}`;
  // service_daily: a row is all consultations or all demands (its item decides), so consultations = 0 marks demand rows.
  const demand = 'd.consultations = 0';
  const bits = new Map(GROUP_COLUMNS.map(([c, bit]) => [c, bit]));
  const expr: Record<string, string> = {
    demands: 'sum(d.count - d.consultations)',
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

function sourceFilter(mode: ReadMode, sources: DemandSources): string {
  if (mode === 'ITEM' || sources === 'BOTH') return '';
  return ` and d.source = ${DEMAND_SOURCE[sources]}`;
}

function selectSql(spec: ReadSpec, table: string, timeColumn: string, bucket: string | null): string {
  const what = spec.what === null ? '0' : spec.mode === 'ITEM' ? (spec.what === 'item' ? 'd.item_id' : 'i.category_id') : 'd.category_id';
  const unit = spec.byUnit ? `d.${TABLES[spec.mode].unit}` : '0';
  const join = spec.mode === 'ITEM' && spec.what === 'category' ? ' join service_item i on i.id = d.item_id' : '';
  const units = spec.unitIds === null ? '' : ` and d.${TABLES[spec.mode].unit} = any($3::int[])`;
  const latest = spec.latest && spec.mode !== 'ITEM' ? ', max(d.latest) as latest' : '';
  const categories = spec.categoryIds && spec.mode !== 'ITEM' ? ` and d.category_id in (${spec.categoryIds.map((id) => Math.trunc(id)).join(', ') || 'null'})` : '';
  return `select ${what} as what, ${unit} as unit, ${bucket ?? `''`} as bucket, ${spec.columns.map((c) => columnSql(spec.mode, c)).join(', ')}${latest}
    from ${table} d${join}
    where d.${timeColumn} between $1::date and $2::date${sourceFilter(spec.mode, spec.sources)}${units}${categories}
    group by 1, 2, 3`;
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

/** Sums over [from, to]: whole months from the monthly table, end days from the daily one, merged. */
export async function readPeriod(db: SqlRunner, spec: ReadSpec, from: string, to: string): Promise<CellRow[]> {
  const tables = TABLES[spec.mode];
  const parts = tables.monthly ? splitPeriod(from, to) : { months: null, days: [[from, to]] as [string, string][] };
  const queries: Promise<{ rows: Record<string, unknown>[] }>[] = [];
  if (parts.months) queries.push(db.query(selectSql(spec, tables.monthly!, 'month', null), params(spec, parts.months[0], parts.months[1])));
  for (const [a, b] of parts.days) queries.push(db.query(selectSql(spec, tables.daily, 'day', null), params(spec, a, b)));
  const results = await Promise.all(queries);
  if (results.length === 1) return toRows(results[0].rows, spec.columns);
  const merged = new Map<string, CellRow>();
  for (const result of results) {
    for (const row of toRows(result.rows, spec.columns)) {
      const key = `${row.what}|${row.unit}`;
      const seen = merged.get(key);
      if (!seen) merged.set(key, row);
      else {
        for (const c of spec.columns) seen.values[c] = seen.values[c] === null || row.values[c] === null ? null : seen.values[c]! + row.values[c]!;
        if (row.latest && (!seen.latest || row.latest > seen.latest)) seen.latest = row.latest;
      }
    }
  }
  return [...merged.values()];
}

/** Sums per bucket: 'month' reads the monthly table (months whose first day is in [from, to]); 'day'/'week'/'month-of-days' the daily one. */
export async function readBuckets(db: SqlRunner, spec: ReadSpec, from: string, to: string, bucket: 'month' | 'day' | 'week' | 'month-of-days'): Promise<CellRow[]> {
  const tables = TABLES[spec.mode];
  if (bucket === 'month' && tables.monthly) {
    return toRows((await db.query(selectSql(spec, tables.monthly, 'month', `to_char(d.month, 'YYYY-MM-DD')`), params(spec, from, to))).rows, spec.columns);
  }
  const expr =
    bucket === 'day' ? `to_char(d.day, 'YYYY-MM-DD')` : bucket === 'week' ? `to_char(date_trunc('week', d.day), 'YYYY-MM-DD')` : `to_char(date_trunc('month', d.day), 'YYYY-MM-DD')`;
  return toRows((await db.query(selectSql(spec, tables.daily, 'day', expr), params(spec, from, to))).rows, spec.columns);
}

/** Exemplar record references of the last days of a period, per what × unit (not in ITEM mode). */
export async function readExemplars(db: SqlRunner, spec: ReadSpec, from: string, to: string, monthly = false): Promise<{ what: number; unit: number; exemplar: string; latest: Date }[]> {
  if (spec.mode === 'ITEM') return [];
  const tables = TABLES[spec.mode];
  const table = monthly ? tables.monthly! : tables.daily;
  const time = monthly ? 'month' : 'day';
  const what = spec.what === null ? '0' : 'd.category_id';
  const unit = `d.${tables.unit}`;
  const units = spec.unitIds === null ? '' : ` and ${unit} = any($3::int[])`;
  const { rows } = await db.query(
    `select ${what} as what, ${unit} as unit, d.exemplar, d.latest from ${table} d
      where d.${time} between $1::date and $2::date and d.exemplar is not null${sourceFilter(spec.mode, spec.sources)}${units}`,
    params(spec, from, to),
  );
  return rows.map((row) => ({ what: Number(row.what), unit: Number(row.unit), exemplar: String(row.exemplar), latest: new Date(row.latest as string) }));
}

/** First and last day any demand roll-up row exists for (the data's span), or nulls. */
export async function readDataSpan(db: SqlRunner, mode: ReadMode): Promise<{ first: string | null; last: string | null }> {
  const table = TABLES[mode].daily;
  const { rows } = await db.query(`select (select min(day) from ${table})::text as first, (select max(day) from ${table})::text as last`);
  return { first: (rows[0]?.first as string | null) ?? null, last: (rows[0]?.last as string | null) ?? null };
}
